//! Approvals for planned work, staff side: techs and MSP admins ask a client to approve a planned
//! entry and accept a time the client proposed; every member of staff sees the board.

use crate::error::AppError;
use crate::views::ApprovalItemView;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The staff's board: open requests, recent decisions, and work done without an approval.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalBoardView {
    pub open: Vec<ApprovalItemView>,
    pub decided: Vec<ApprovalItemView>,
    pub done_without: Vec<ApprovalItemView>,
}

/// The board for every client, or for one (`client`: its slug).
#[server(endpoint = "msp/approvals")]
pub async fn msp_approvals(#[server(default)] client: Option<String>) -> Result<ApprovalBoardView, AppError> {
    use super::super::guard;
    let staff = guard::staff().await?;
    let db = staff.unscoped();
    let tenant = match client {
        Some(slug) => Some(db.tenant_by_slug(&slug).await?.ok_or(AppError::NotFound)?.id),
        None => None,
    };
    let b = db.approval_board(tenant).await?;
    let items = |rows: &[domain::approvals::ApprovalRow]| rows.iter().map(crate::presenters::approvals::item).collect();
    Ok(ApprovalBoardView { open: items(&b.open), decided: items(&b.decided), done_without: items(&b.done_without) })
}

/// Asks the entry's client to approve it; `windows[]` are the client's local times.
#[server(endpoint = "msp/approval-ask")]
pub async fn msp_approval_ask(
    id: i64,
    #[server(default)] downtime: String,
    #[server(default)] risk: String,
    #[server(default)] rollback: String,
    #[server(default)] windows: Vec<String>,
    #[server(default)] deadline: String,
    #[server(default)] two_approvals: Option<String>,
) -> Result<i64, AppError> {
    use super::super::guard;
    let editor = guard::editor().await?;
    let services = crate::services::services()?;
    let tz = editor.time_zone_of_work(id).await?;
    let new = domain::approvals::NewApproval::parse(
        &downtime,
        &risk,
        &rollback,
        &windows,
        &deadline,
        two_approvals.is_some(),
        tz,
    )?;
    let (approval, emails) = editor.ask_approval(id, new, &services.public_url).await?;
    services.notifier.queue_all(emails, "approval asked").await;
    leptos_axum::redirect(&format!("/msp/work/{id}#approval"));
    Ok(approval)
}

/// Accepts the time `proposer` proposed on request `id`.
#[server(endpoint = "msp/approval-accept")]
pub async fn msp_approval_accept(id: i64, proposer: i64) -> Result<(), AppError> {
    use super::super::guard;
    let editor = guard::editor().await?;
    let entry = editor.accept_proposed_time(id, proposer).await?;
    leptos_axum::redirect(&format!("/msp/work/{entry}#approval"));
    Ok(())
}
