//! The client portal's systems: the things the MSP looks after, and the work done on each.

use crate::error::AppError;
use crate::views::{SystemDetailView, SystemRow};
use leptos::prelude::*;

/// The tenant's systems with the latest work on each.
#[server(endpoint = "portal/systems")]
pub async fn portal_systems() -> Result<Vec<SystemRow>, AppError> {
    use super::guard;
    let client = guard::client().await?;
    let tz = client.scope.tenant().await?.time_zone;
    let rows = client.scope.systems_with_last_work().await?;
    Ok(rows
        .into_iter()
        .map(|(s, last)| SystemRow {
            system: crate::presenters::systems::system_view(s),
            last_work: last.map(|w| crate::presenters::portal::work_view(w, tz)),
        })
        .collect())
}

/// One system (another tenant's is 404) and a page of its history, older pages by `after`.
#[server(endpoint = "portal/system")]
pub async fn portal_system(id: i64, #[server(default)] after: Option<String>) -> Result<SystemDetailView, AppError> {
    use super::guard;
    use domain::history::{Cursor, WorkFilter};
    let client = guard::client().await?;
    let system = client.scope.system(id).await?;
    let cursor = match after.as_deref().filter(|a| !a.is_empty()) {
        Some(a) => {
            Some(Cursor::decode(a).ok_or_else(|| AppError::Invalid("That page link is not valid any more.".into()))?)
        }
        None => None,
    };
    let tz = client.scope.tenant().await?.time_zone;
    let filter = WorkFilter { system_id: Some(system.id), ..Default::default() };
    let page = client.scope.work_history(&filter, cursor, 25).await?;
    Ok(SystemDetailView {
        system: crate::presenters::systems::system_view(system),
        work: page.items.into_iter().map(|w| crate::presenters::portal::work_view(w, tz)).collect(),
        next: page.next.map(|c| c.encode()),
    })
}
