//! Who is calling a server function. The session was resolved by the server's session layer and
//! put into the request's extensions; route guards only hide UI, so every function asks here.

use crate::error::AppError;
use domain::auth::{Access, ClientAccess, StaffAccess};
use http::request::Parts;
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;

/// Sets the HTTP status for an error (on a server-function call, and on the page being rendered
/// when the call happens during server rendering), and hands the error back. A plain form post
/// (no JavaScript) keeps the redirect back to its page that carries the error, so the person sees
/// it there instead of a bare status.
pub fn fail(e: AppError) -> AppError {
    let plain_form_post = use_context::<Parts>().is_some_and(|p| {
        p.method == http::Method::POST
            && p.uri.path().starts_with("/api/")
            && p.headers
                .get(http::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.contains("text/html"))
    });
    if let Some(res) = use_context::<ResponseOptions>().filter(|_| !plain_form_post) {
        res.set_status(e.status());
    }
    e
}

pub fn access() -> Option<Access> {
    use_context::<Parts>().and_then(|p| p.extensions.get::<Access>().cloned())
}

/// A client user of some tenant. Staff get 404: client routes are not theirs.
pub fn client() -> Result<ClientAccess, AppError> {
    match access() {
        Some(Access::Client(c)) => Ok(c),
        Some(Access::Staff(_)) => Err(fail(AppError::NotFound)),
        None => Err(fail(AppError::Unauthorized)),
    }
}

/// MSP staff. Clients get 404, exactly as for a page that does not exist.
pub fn staff() -> Result<StaffAccess, AppError> {
    match access() {
        Some(Access::Staff(s)) => Ok(s),
        Some(Access::Client(_)) => Err(fail(AppError::NotFound)),
        None => Err(fail(AppError::Unauthorized)),
    }
}

/// Anyone signed in.
pub fn signed_in() -> Result<Access, AppError> {
    access().ok_or_else(|| fail(AppError::Unauthorized))
}

/// Maps a domain error to what the caller may see, with its status.
pub fn domain(e: domain::DomainError) -> AppError {
    fail(AppError::from(e))
}

/// An account manager or MSP admin: the staff who write thank-you summaries (techs read them).
pub fn summary_writer() -> Result<domain::staff::summaries::SummaryWriter, AppError> {
    staff()?
        .summary_writer()
        .ok_or_else(|| fail(AppError::Forbidden("Account managers and MSP administrators write summaries.".into())))
}

/// An MSP admin. Everyone else gets 404: the administration is not theirs to know about.
pub fn admin() -> Result<domain::staff::admin::Admin, AppError> {
    staff()?.admin().ok_or_else(|| fail(AppError::NotFound))
}

/// A tech or MSP admin: the staff who change things. Account managers read only (403, with a
/// message); clients get 404 as for every staff function.
pub fn editor() -> Result<domain::staff::Editor, AppError> {
    staff()?
        .editor()
        .ok_or_else(|| fail(AppError::Forbidden("Account managers can read this but not change it.".into())))
}
