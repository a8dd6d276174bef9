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
    let (tenant_name, incidents) = match &access {
        Access::Client(c) => (
            Some(c.scope.tenant().await?.name),
            c.scope
                .open_incidents()
                .await?
                .into_iter()
                .map(|i| crate::views::IncidentBannerView { id: i.id, title: i.title, status: i.status })
                .collect(),
        ),
        Access::Staff(_) => (None, Vec::new()),
    };
    let user = access.user();
    Ok(Some(Viewer { name: user.display_name.clone(), role: user.role, tenant_name, incidents }))
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
    use domain::auth::Access;
    let access = guard::signed_in()?;
    let sessions = crate::services::services()?.sessions;
    let tz = match &access {
        Access::Client(c) => c.scope.tenant().await?.time_zone,
        Access::Staff(_) => chrono_tz::UTC,
    };
    let current = access.user().session_id;
    let list = sessions.list(access.user()).await?;
    Ok(list.into_iter().map(|s| crate::presenters::account::session_view(s, tz, current)).collect())
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

/// The signed-in person's calendar feed, if they have made one (never its link again).
#[server(endpoint = "account/calendar")]
pub async fn calendar_feed() -> Result<Option<crate::views::CalendarFeedView>, AppError> {
    use super::guard;
    let access = guard::signed_in()?;
    let feed = crate::services::services()?.calendar.of(access.user()).await?;
    Ok(feed.map(|f| crate::views::CalendarFeedView {
        prefix: f.prefix,
        made: f.created_at.format("%-d %b %Y").to_string(),
        last_fetched: f.last_fetched_at.map(|t| t.format("%-d %b %Y %H:%M UTC").to_string()),
    }))
}

/// A new calendar link (the old one stops working): answered this once.
#[server(endpoint = "account/calendar-new")]
pub async fn calendar_feed_new() -> Result<String, AppError> {
    use super::guard;
    let access = guard::signed_in()?;
    let services = crate::services::services()?;
    let token = services.calendar.renew(access.user()).await?;
    Ok(format!("{}/calendar/{token}.ics", services.public_url.trim_end_matches('/')))
}

#[server(endpoint = "account/calendar-off")]
pub async fn calendar_feed_off() -> Result<(), AppError> {
    use super::guard;
    let access = guard::signed_in()?;
    crate::services::services()?.calendar.turn_off(access.user()).await?;
    leptos_axum::redirect("/portal/account#calendar");
    Ok(())
}
