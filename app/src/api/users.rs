//! A client_admin's colleagues: list, invite (by email), deactivate. The invitee's side is in
//! `invitations`.

use crate::error::AppError;
use crate::views::ColleagueView;
use leptos::prelude::*;

/// The tenant's users; for client_admins only (anyone else: 404).
#[server(endpoint = "portal/users")]
pub async fn portal_users() -> Result<Vec<ColleagueView>, AppError> {
    use super::guard;
    let client = guard::client().await?;
    let tz = client.scope.tenant().await?.time_zone;
    let list = client.scope.colleagues().await?;
    Ok(list.into_iter().map(|c| crate::presenters::users::colleague_view(c, tz, client.user.id)).collect())
}

/// Invites a colleague by email: a single-use link valid for a week.
#[server(endpoint = "portal/invite")]
pub async fn invite_colleague(
    #[server(default)] email: String,
    #[server(default)] role: String,
) -> Result<(), AppError> {
    use super::guard;
    let client = guard::client().await?;
    let links = crate::services::services()?.links;
    client.pace(domain::auth::throttle::Paced::Invitation, &guard::request_client()).await?;
    let invited = client.scope.invite(&email, &role).await?;
    links.send_invitation(&invited, &client.user.display_name).await.map_err(|e| {
        tracing::error!(error = %e, "could not send an invitation");
        AppError::internal()
    })?;
    leptos_axum::redirect("/portal/users?invited");
    Ok(())
}

/// Deactivates a colleague; they are signed out everywhere.
#[server(endpoint = "portal/user-deactivate")]
pub async fn deactivate_colleague(id: i64) -> Result<(), AppError> {
    use super::guard;
    let client = guard::client().await?;
    client.scope.deactivate_colleague(id).await?;
    leptos_axum::redirect("/portal/users");
    Ok(())
}
