//! Incidents and notices in the client portal. The tenant always comes from the session: an
//! incident that does not concern the client is 404, like one that does not exist.

use crate::error::AppError;
use crate::views::{IncidentListItem, IncidentView, NoticeView};
use leptos::prelude::*;

/// Every incident that concerned the client, newest first (open ones included).
#[server(endpoint = "portal/incidents")]
pub async fn portal_incidents() -> Result<Vec<IncidentListItem>, AppError> {
    use super::guard;
    let client = guard::client().await?;
    let tz = client.scope.tenant().await?.time_zone;
    let list = client.scope.incident_history().await?;
    Ok(list.iter().map(|i| crate::presenters::incidents::item(i, tz)).collect())
}

/// One incident with its timeline.
#[server(endpoint = "portal/incident")]
pub async fn portal_incident(id: i64) -> Result<IncidentView, AppError> {
    use super::guard;
    let client = guard::client().await?;
    let tz = client.scope.tenant().await?.time_zone;
    let d = client.scope.incident(id).await?;
    Ok(crate::presenters::incidents::incident(&d, tz))
}

/// The notices shown to the client today.
#[server(endpoint = "portal/notices")]
pub async fn portal_notices() -> Result<Vec<NoticeView>, AppError> {
    use super::guard;
    let client = guard::client().await?;
    Ok(client.scope.current_notices().await?.iter().map(crate::presenters::incidents::notice).collect())
}
