//! Approvals for planned work in the client portal. The tenant comes from the session: another
//! client's request is 404, like one that does not exist; a user who is not an approver reads a
//! request and cannot decide it (403).

use crate::error::AppError;
use crate::views::{ApprovalItemView, ApprovalView};
use leptos::prelude::*;

/// The client's requests: open ones first, then the latest decided.
#[server(endpoint = "portal/approvals")]
pub async fn portal_approvals() -> Result<Vec<ApprovalItemView>, AppError> {
    use super::guard;
    let client = guard::client().await?;
    Ok(client.scope.approvals().await?.iter().map(crate::presenters::approvals::item).collect())
}

/// One request, with what a decision needs.
#[server(endpoint = "portal/approval")]
pub async fn portal_approval(id: i64) -> Result<ApprovalView, AppError> {
    use super::guard;
    let client = guard::client().await?;
    let d = client.scope.approval(id).await?;
    let can_decide = client.scope.can_approve().await?;
    Ok(crate::presenters::approvals::approval(&d, can_decide))
}

/// An approver's decision: `answer` is approve (with `window`), propose (with `start`, the
/// client's local time, and an optional `note`) or decline (with the reason in `note`).
#[server(endpoint = "portal/approval-decide")]
pub async fn portal_approval_decide(
    id: i64,
    #[server(default)] answer: String,
    #[server(default)] window: Option<i64>,
    #[server(default)] start: String,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    use super::guard;
    let client = guard::client().await?;
    let services = crate::services::services()?;
    let tz = client.scope.tenant().await?.time_zone;
    let decision = domain::approvals::Decision::parse(&answer, window, &start, &note, tz)?;
    let email = client.decide(id, decision, &services.public_url).await?;
    services.notifier.queue_all(email.into_iter().collect(), "approval answered").await;
    leptos_axum::redirect(&format!("/portal/approvals/{id}?decided"));
    Ok(())
}

/// A client admin names a colleague an approver, or stops.
#[server(endpoint = "portal/user-approver")]
pub async fn portal_user_approver(id: i64, #[server(default)] approver: String) -> Result<(), AppError> {
    use super::guard;
    let client = guard::client().await?;
    let approver = match approver.as_str() {
        "yes" => true,
        "no" => false,
        _ => return Err(AppError::Invalid("Please say yes or no.".into())),
    };
    client.set_approver(id, approver).await?;
    leptos_axum::redirect("/portal/users");
    Ok(())
}
