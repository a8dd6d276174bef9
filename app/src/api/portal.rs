//! The client portal's server functions. The tenant always comes from the session's scope.

use crate::error::AppError;
use crate::views::{DashboardView, PrioritiesView, TeamView, WorkDetailView, WorkHistoryView, WorkQuery};
use leptos::prelude::*;

/// The dashboard: the tenant and its latest client-visible work.
#[server(endpoint = "portal/home")]
pub async fn portal_home() -> Result<DashboardView, AppError> {
    use super::guard;
    let client = guard::client().await?;
    crate::presenters::portal::dashboard(&client.scope).await.map_err(AppError::from)
}

/// One client-visible work entry of the session's tenant; anything else is 404.
#[server(endpoint = "portal/work")]
pub async fn portal_work_entry(id: i64) -> Result<WorkDetailView, AppError> {
    use super::guard;
    let client = guard::client().await?;
    let tenant = client.scope.tenant().await?;
    let item = client.scope.work_entry(id).await?;
    let details_html = domain::markdown::to_safe_html(&item.details);
    Ok(WorkDetailView { work: crate::presenters::portal::work_view(item, tenant.time_zone), details_html })
}

/// A page of the work history with the filters of `/portal/work`; `after` is the cursor that
/// the previous page handed out.
#[server(endpoint = "portal/work-history")]
pub async fn portal_work_history(#[server(default)] query: WorkQuery) -> Result<WorkHistoryView, AppError> {
    use super::guard;
    use crate::views::SystemOption;
    let client = guard::client().await?;
    let (filter, cursor) = crate::presenters::portal::parse_filter(&query).map_err(|m| AppError::Invalid(m))?;
    let tenant = client.scope.tenant().await?;
    let page = client.scope.work_history(&filter, cursor, 25).await?;
    let systems = client.scope.system_names().await?;
    Ok(WorkHistoryView {
        items: page.items.into_iter().map(|w| crate::presenters::portal::work_view(w, tenant.time_zone)).collect(),
        next: page.next.map(|c| c.encode()),
        systems: systems.into_iter().map(|s| SystemOption { id: s.id, name: s.name }).collect(),
        time_zone: tenant.time_zone.name().to_string(),
    })
}

/// The client's team, today's cover, and each system's backup readiness.
#[server(endpoint = "portal/team")]
pub async fn portal_team() -> Result<TeamView, AppError> {
    use super::guard;
    let client = guard::client().await?;
    let team = client.scope.team().await?;
    let systems = client.scope.system_readiness().await?;
    Ok(crate::presenters::portal::team_view(&team, systems))
}

/// The priority matrix and SLA targets, for the "how we prioritise" page.
#[server(endpoint = "portal/priorities")]
pub async fn portal_priorities() -> Result<PrioritiesView, AppError> {
    use super::guard;
    use vocabulary::{Impact, Priority, Urgency};
    guard::client().await?;
    let words = |minutes: u32| match minutes {
        1440 => "1 day".to_string(),
        m if m % 1440 == 0 => format!("{} days", m / 1440),
        60 => "1 hour".to_string(),
        m if m % 60 == 0 => format!("{} hours", m / 60),
        m => format!("{m} minutes"),
    };
    Ok(PrioritiesView {
        urgencies: Urgency::ALL.iter().map(|u| u.label().to_string()).collect(),
        rows: Impact::ALL
            .iter()
            .map(|i| (i.label().to_string(), Urgency::ALL.iter().map(|u| Priority::of(*i, *u).number()).collect()))
            .collect(),
        targets: (1..=4)
            .filter_map(|n| Priority::from_number(n))
            .map(|p| (p.number(), words(p.sla().first_response_minutes), words(p.sla().resolution_minutes)))
            .collect(),
    })
}
