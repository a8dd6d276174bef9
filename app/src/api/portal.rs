//! The client portal's server functions. The tenant always comes from the session's scope.

use crate::error::AppError;
use crate::views::{DashboardView, WorkView};
use leptos::prelude::*;

/// The dashboard: the tenant and its latest client-visible work.
#[server(endpoint = "portal/home")]
pub async fn portal_home() -> Result<DashboardView, AppError> {
    use super::guard;
    let client = guard::client()?;
    let tenant = client.scope.tenant().await.map_err(guard::domain)?;
    let feed = client.scope.recent_work(20).await.map_err(guard::domain)?;
    Ok(DashboardView {
        time_zone: tenant.time_zone.name().to_string(),
        feed: feed.into_iter().map(|w| ssr::work_view(w, tenant.time_zone)).collect(),
        tenant_name: tenant.name,
    })
}

/// One client-visible work entry of the session's tenant; anything else is 404.
#[server(endpoint = "portal/work")]
pub async fn portal_work_entry(id: i64) -> Result<WorkView, AppError> {
    use super::guard;
    let client = guard::client()?;
    let tenant = client.scope.tenant().await.map_err(guard::domain)?;
    let item = client.scope.work_entry(id).await.map_err(guard::domain)?;
    Ok(ssr::work_view(item, tenant.time_zone))
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use crate::views::WorkView;
    use domain::work::WorkItem;

    pub fn work_view(w: WorkItem, tz: chrono_tz::Tz) -> WorkView {
        let local = w.started_at.with_timezone(&tz);
        let hours = w.duration_minutes / 60;
        let minutes = w.duration_minutes % 60;
        let duration = match (hours, minutes) {
            (0, m) => format!("{m} min"),
            (h, 0) => format!("{h} h"),
            (h, m) => format!("{h} h {m} min"),
        };
        WorkView {
            id: w.id,
            category: w.category,
            title: w.title,
            why_it_matters: w.why_it_matters,
            details: w.details,
            systems: w.systems,
            when: local.format("%a %-d %b %Y, %H:%M").to_string(),
            when_iso: w.started_at.to_rfc3339(),
            duration,
            after_hours: w.after_hours,
            performed_by: w.performed_by,
            vendor: match (w.vendor_name, w.vendor_case_ref) {
                (Some(v), Some(c)) => Some(format!("{v} (case {c})")),
                (Some(v), None) => Some(v),
                _ => None,
            },
        }
    }
}
