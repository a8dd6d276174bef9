//! The second step of signing in: what its pages show, and the account page's part of it. The
//! steps themselves are plain form posts to the server (`/login/code`, `/login/setup`,
//! `/login/recovery-codes`), so they work without JavaScript.

use crate::error::AppError;
use crate::views::{TwoStepSetupView, TwoStepStatusView};
use leptos::prelude::*;

/// The authenticator being set up in this browser's sign-in (its two-step cookie is the only
/// permission); `NotFound` when there is none.
#[server(endpoint = "two-step/setup")]
pub async fn setup_details() -> Result<TwoStepSetupView, AppError> {
    use super::guard;
    let token = guard::challenge().ok_or(AppError::NotFound)?;
    let d = crate::services::services()?.two_step.setup_details(&token).await?;
    Ok(TwoStepSetupView { secret: d.secret, qr_svg: d.qr_svg, account: d.account })
}

/// The recovery codes just made in this browser's setup, while it shows them.
#[server(endpoint = "two-step/recovery-codes")]
pub async fn recovery_codes() -> Result<Vec<String>, AppError> {
    use super::guard;
    let token = guard::challenge().ok_or(AppError::NotFound)?;
    Ok(crate::services::services()?.two_step.recovery_codes(&token).await?)
}

/// Where the signed-in person's second step stands.
#[server(endpoint = "account/two-step")]
pub async fn two_step_status() -> Result<TwoStepStatusView, AppError> {
    use super::guard;
    let access = guard::signed_in()?;
    let s = crate::services::services()?.two_step.status(access.user()).await?;
    Ok(TwoStepStatusView {
        on_since: s.on_since.map(|t| t.format("%-d %b %Y").to_string()),
        required: s.required,
        recovery_codes_left: s.recovery_codes_left,
    })
}

/// Turns the second step off (for someone who is not required to have it), with a current code.
#[server(endpoint = "account/two-step-off")]
pub async fn turn_off_two_step(code: String) -> Result<(), AppError> {
    use super::guard;
    let access = guard::signed_in()?;
    crate::services::services()?.two_step.turn_off(access.user(), &code, &guard::request_client()).await?;
    leptos_axum::redirect("/portal/account?two-step-off#two-step");
    Ok(())
}
