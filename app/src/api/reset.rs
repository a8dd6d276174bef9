//! Password reset by an emailed link: asking for one from the sign-in page, what a link is for,
//! and setting the new password with it (which signs this browser in).

use crate::error::AppError;
use leptos::prelude::*;

/// "Forgot your password?": emails a single-use link if the address has an account. The answer
/// is the same whether or not it has one.
#[server(endpoint = "account/forgot")]
pub async fn forgot_password(#[server(default)] email: String) -> Result<(), AppError> {
    let links = crate::services::services()?.links;
    let from = super::guard::request_client();
    links.pace_reset(&from).await?;
    match links.request_reset(&email, &from).await {
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
    use crate::services::{Services, services};
    Services::same_passwords(&password, &confirm_password)?;
    let services = services()?;
    let used = services.links.complete_reset(&token, password, &super::guard::request_client()).await?;
    services.sign_in_by_link(used).await
}
