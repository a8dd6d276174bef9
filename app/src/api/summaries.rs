//! The client portal's thank-you summaries: sent ones only.

use crate::error::AppError;
use crate::views::{SummaryListItem, SummaryView};
use leptos::prelude::*;

#[server(endpoint = "portal/summaries")]
pub async fn portal_summaries() -> Result<Vec<SummaryListItem>, AppError> {
    use super::guard;
    let client = guard::client().await?;
    let tz = client.scope.tenant().await?.time_zone;
    let list = client.scope.sent_summaries().await?;
    Ok(list.iter().map(|s| crate::presenters::summaries::item(s, tz)).collect())
}

/// One sent summary; a draft, or another tenant's, is 404.
#[server(endpoint = "portal/summary")]
pub async fn portal_summary(id: i64) -> Result<SummaryView, AppError> {
    use super::guard;
    let client = guard::client().await?;
    let tz = client.scope.tenant().await?.time_zone;
    let s = client.scope.sent_summary(id).await?;
    Ok(crate::presenters::summaries::summary_view(&s, tz))
}
