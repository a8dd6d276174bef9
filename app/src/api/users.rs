//! A client_admin's colleagues: list, invite (by email), deactivate. And the invitee's side:
//! `/invite/{token}`, where the link itself is the permission.

use crate::error::AppError;
use crate::views::{ColleagueView, InvitationView};
use leptos::prelude::*;

/// The tenant's users; for client_admins only (anyone else: 404).
#[server(endpoint = "portal/users")]
pub async fn portal_users() -> Result<Vec<ColleagueView>, AppError> {
    use super::guard;
    let client = guard::client()?;
    let tz = client.scope.tenant().await?.time_zone;
    let list = client.scope.colleagues().await?;
    Ok(list
        .into_iter()
        .map(|c| ColleagueView {
            is_me: c.id == client.user.id,
            id: c.id,
            name: c.name,
            email: c.email,
            role: c.role,
            active: c.active,
            last_login: c
                .last_login_at
                .map(|t| t.with_timezone(&tz).format("%-d %b %Y").to_string())
                .unwrap_or_else(|| "never".into()),
        })
        .collect())
}

/// Invites a colleague by email: a single-use link valid for a week.
#[server(endpoint = "portal/invite")]
pub async fn invite_colleague(
    #[server(default)] email: String,
    #[server(default)] role: String,
) -> Result<(), AppError> {
    use super::guard;
    let client = guard::client()?;
    let links = crate::services::services()?.links;
    let invited = client.scope.invite(&email, &role).await?;
    links.send_invitation(&invited, &client.user.display_name).await.map_err(|e| {
        tracing::error!(error = %e, "could not send an invitation");
        AppError::Internal
    })?;
    leptos_axum::redirect("/portal/users?invited");
    Ok(())
}

/// Deactivates a colleague; they are signed out everywhere.
#[server(endpoint = "portal/user-deactivate")]
pub async fn deactivate_colleague(id: i64) -> Result<(), AppError> {
    use super::guard;
    let client = guard::client()?;
    client.scope.deactivate_colleague(id).await?;
    leptos_axum::redirect("/portal/users");
    Ok(())
}

/// What an invitation link offers; an unknown, used or expired link is 404.
#[server(endpoint = "invite/info")]
pub async fn invitation_info(token: String) -> Result<InvitationView, AppError> {
    let inv = crate::services::services()?.links.invitation(&token).await?;
    Ok(InvitationView { email: inv.email, tenant_name: inv.tenant_name })
}

/// Accepts an invitation: creates the account and signs this browser in.
#[server(endpoint = "invite/accept")]
pub async fn accept_invitation(
    token: String,
    #[server(default)] name: String,
    #[server(default)] password: String,
    #[server(default)] confirm_password: String,
) -> Result<(), AppError> {
    if password != confirm_password {
        return Err(AppError::Invalid("The two passwords are not the same.".into()));
    }
    let services = crate::services::services()?;
    let used = services.links.accept(&token, &name, password).await?;
    services.set_session_cookie(&services.sessions.start(used.user_id, &super::guard::request_client()).await?);
    // Home for the invitee's role: the portal for a client, the workspace for staff.
    leptos_axum::redirect(used.role.home());
    Ok(())
}
