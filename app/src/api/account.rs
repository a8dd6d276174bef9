//! The signed-in person's own account.

use crate::error::AppError;
use crate::views::{SessionView, Viewer};
use leptos::prelude::*;

/// Who is signed in, for the top bar; `None` without a session.
#[server(endpoint = "account/viewer")]
pub async fn current_viewer() -> Result<Option<Viewer>, AppError> {
    use super::guard;
    use domain::auth::Access;
    let Some(access) = guard::access() else {
        return Ok(None);
    };
    let tenant_name = match &access {
        Access::Client(c) => Some(c.scope.tenant().await?.name),
        Access::Staff(_) => None,
    };
    let user = access.user();
    Ok(Some(Viewer { name: user.display_name.clone(), role: user.role, tenant_name }))
}

/// Changes the signed-in person's password. Every session of theirs ends, this one included; the
/// browser that asked gets a fresh session so it stays signed in. `confirm_password`, when sent,
/// must repeat the new password.
#[server(endpoint = "account/password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
    #[server(default)] confirm_password: Option<String>,
) -> Result<(), AppError> {
    use super::guard;
    let access = guard::signed_in()?;
    if confirm_password.is_some_and(|c| c != new_password) {
        return Err(AppError::Invalid("The two new passwords are not the same.".into()));
    }
    let services = crate::services::services()?;
    let session = services
        .sessions
        .change_password(access.user(), current_password, new_password, &guard::request_client())
        .await?;
    services.set_session_cookie(&session);
    // A plain form post (no JavaScript) lands back on the account page with the news.
    leptos_axum::redirect("/portal/account?changed");
    Ok(())
}

/// The signed-in person's live sessions, this browser's marked.
#[server(endpoint = "account/sessions")]
pub async fn account_sessions() -> Result<Vec<SessionView>, AppError> {
    use super::guard;
    use crate::presenters::account::device;
    use domain::auth::Access;
    let access = guard::signed_in()?;
    let sessions = crate::services::services()?.sessions;
    let tz = match &access {
        Access::Client(c) => c.scope.tenant().await?.time_zone,
        Access::Staff(_) => chrono_tz::UTC,
    };
    let current = access.user().session_id;
    let list = sessions.list(access.user()).await?;
    Ok(list
        .into_iter()
        .map(|s| SessionView {
            id: s.id,
            device: device(s.user_agent.as_deref().unwrap_or_default()),
            ip: s.ip.unwrap_or_else(|| "unknown".into()),
            signed_in: s.created_at.with_timezone(&tz).format("%a %-d %b %Y, %H:%M").to_string(),
            last_seen: s.last_seen_at.with_timezone(&tz).format("%a %-d %b %Y, %H:%M").to_string(),
            current: s.id == current,
        })
        .collect())
}

/// Ends one of the signed-in person's sessions (another person's session is 404). Ending this
/// browser's own session signs it out.
#[server(endpoint = "account/end-session")]
pub async fn end_session(id: i64) -> Result<(), AppError> {
    use super::guard;
    let access = guard::signed_in()?;
    if !crate::services::services()?.sessions.end(access.user(), id).await? {
        return Err(AppError::NotFound);
    }
    leptos_axum::redirect(if id == access.user().session_id { "/login" } else { "/portal/account" });
    Ok(())
}

/// "Forgot your password?": emails a single-use link if the address has an account. The answer
/// is the same whether or not it has one.
#[server(endpoint = "account/forgot")]
pub async fn forgot_password(#[server(default)] email: String) -> Result<(), AppError> {
    let links = crate::services::services()?.links;
    match links.request_reset(&email, &super::guard::request_client()).await {
        Ok(()) => {}
        // Even a failure answers the same: the person learns nothing about accounts from it.
        Err(e) => tracing::error!(error = %e, "could not handle a password reset request"),
    }
    leptos_axum::redirect("/login?reset=sent");
    Ok(())
}

/// The email a reset link is for; a used, expired or unknown link is 404.
#[server(endpoint = "reset/info")]
pub async fn reset_info(token: String) -> Result<String, AppError> {
    Ok(crate::services::services()?.links.reset_email(&token).await?)
}

/// Sets a new password with a reset link, ends every other session, and signs this browser in.
#[server(endpoint = "reset/complete")]
pub async fn complete_reset(
    token: String,
    #[server(default)] password: String,
    #[server(default)] confirm_password: String,
) -> Result<(), AppError> {
    if password != confirm_password {
        return Err(AppError::Invalid("The two passwords are not the same.".into()));
    }
    let services = crate::services::services()?;
    let client = super::guard::request_client();
    let used = services.links.complete_reset(&token, password, &client).await?;
    services.set_session_cookie(&services.sessions.start(used.user_id, &client).await?);
    leptos_axum::redirect(used.role.home());
    Ok(())
}
