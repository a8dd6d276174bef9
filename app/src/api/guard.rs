//! Who is calling a server function. The session was resolved by the server's session layer and
//! put into the request's extensions; route guards only hide UI, so every function asks here.
//! Each guard's type states the privilege it grants. Errors are plain `AppError`s: the HTTP status
//! follows from the error's type (the server's `error_status` layer for calls, the error page for
//! server rendering), so a bare `?` cannot answer with the wrong one.

use crate::error::AppError;
use domain::auth::{Access, ClientAccess, StaffAccess};
use http::request::Parts;
use leptos::prelude::use_context;

/// The caller's address and browser, as the server's session layer recorded them.
pub fn request_client() -> domain::auth::Client {
    use_context::<Parts>().and_then(|p| p.extensions.get::<domain::auth::Client>().cloned()).unwrap_or_default()
}

/// The token of a sign-in waiting for its second step in this browser (its two-step cookie).
pub fn challenge() -> Option<String> {
    use_context::<Parts>()
        .and_then(|p| p.extensions.get::<domain::auth::two_step::ChallengeCookie>().map(|c| c.0.clone()))
}

pub fn access() -> Option<Access> {
    use_context::<Parts>().and_then(|p| p.extensions.get::<Access>().cloned())
}

/// A client user of some tenant. Staff get 404: client routes are not theirs.
pub async fn client() -> Result<ClientAccess, AppError> {
    client_of(access()).await
}

/// The same, for a plain route that has the session's access in hand (the CSV export).
pub async fn client_of(access: Option<Access>) -> Result<ClientAccess, AppError> {
    match access {
        Some(Access::Client(c)) => Ok(c),
        Some(a @ Access::Staff(_)) => Err(refused(&a, AppError::NotFound).await),
        None => Err(AppError::Unauthorized),
    }
}

/// MSP staff. Clients get 404, exactly as for a page that does not exist.
pub async fn staff() -> Result<StaffAccess, AppError> {
    match access() {
        Some(Access::Staff(s)) => Ok(s),
        Some(a @ Access::Client(_)) => Err(refused(&a, AppError::NotFound).await),
        None => Err(AppError::Unauthorized),
    }
}

/// Anyone signed in.
pub fn signed_in() -> Result<Access, AppError> {
    access().ok_or(AppError::Unauthorized)
}

/// An account manager or MSP admin: the staff who write thank-you summaries (techs read them).
pub async fn summary_writer() -> Result<domain::staff::summaries::SummaryWriter, AppError> {
    let staff = staff().await?;
    match staff.summary_writer() {
        Some(w) => Ok(w),
        None => Err(refused(
            &Access::Staff(staff),
            AppError::Forbidden("Account managers and MSP administrators write summaries.".into()),
        )
        .await),
    }
}

/// An MSP admin. Everyone else gets 404: the administration is not theirs to know about.
pub async fn admin() -> Result<domain::staff::admin::Admin, AppError> {
    let staff = staff().await?;
    match staff.admin() {
        Some(a) => Ok(a),
        None => Err(refused(&Access::Staff(staff), AppError::NotFound).await),
    }
}

/// A tech or MSP admin: the staff who change things. Account managers read only (403, with a
/// message); clients get 404 as for every staff function.
pub async fn editor() -> Result<domain::staff::Editor, AppError> {
    let staff = staff().await?;
    match staff.editor() {
        Some(e) => Ok(e),
        None => Err(refused(
            &Access::Staff(staff),
            AppError::Forbidden("Account managers can read this but not change it.".into()),
        )
        .await),
    }
}

/// A signed-in person asked for what their role may not do: the audit log keeps who, what and
/// from where, and the caller answers `e`. (A failure to record is logged, never shown.)
async fn refused(a: &Access, e: AppError) -> AppError {
    let path = use_context::<Parts>().map(|p| p.uri.path().to_string()).unwrap_or_default();
    if let Err(err) = a.refused(&path).await {
        tracing::error!(error = %domain::error::cause_chain(&err), "could not record a refused request");
    }
    e
}
