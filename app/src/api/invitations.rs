//! Accepting an invitation: `/invite/{token}`, where the emailed link itself is the permission.
//! (Inviting is done by a client's admin, `users`, or an MSP admin, `msp::admin`.)

use crate::error::AppError;
use crate::views::InvitationView;
use leptos::prelude::*;

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
    use crate::services::{Services, services};
    Services::same_passwords(&password, &confirm_password)?;
    let services = services()?;
    let used = services.links.accept(&token, &name, password).await?;
    services.sign_in_by_link(used).await
}
