//! The staff workspace's server functions. Each asks [`guard::staff`](super::guard::staff) (any
//! member of staff may read) or [`guard::editor`](super::guard::editor) (techs and MSP admins
//! change things); clients get 404.

pub mod admin;
pub mod approvals;
pub mod coverage;
pub mod incidents;
pub mod integrations;
pub mod runbooks;
pub mod summaries;
pub mod systems;
pub mod tickets;
pub mod work;

use crate::error::AppError;
use crate::views::DashboardView;
use crate::views::msp::{ClientDetailView, ClientRowView, OverviewView};
use leptos::prelude::*;

/// `/msp`: the day at a glance.
#[server(endpoint = "msp/overview")]
pub async fn msp_overview() -> Result<OverviewView, AppError> {
    use super::guard;
    let staff = guard::staff().await?;
    let tz = crate::services::services()?.msp_time_zone;
    let o = staff.unscoped().overview(tz).await?;
    let tzs = crate::presenters::msp::tenant_zones(&staff).await?;
    let day = |d: chrono::NaiveDate| d.format("%a %-d %b").to_string();
    Ok(OverviewView {
        today: o.today.format("%A %-d %B %Y").to_string(),
        today_work: o.today_work.into_iter().map(|w| crate::presenters::msp::staff_work(w, &tzs)).collect(),
        week_work: o.week_work.into_iter().map(|w| crate::presenters::msp::staff_work(w, &tzs)).collect(),
        gaps: o.gaps.iter().map(crate::presenters::msp::team_line).collect(),
        without_backup: o.without_backup.iter().map(crate::presenters::msp::team_line).collect(),
        risks: o.risks.into_iter().map(crate::presenters::msp::clients::system_at_risk).collect(),
        urgent: o.urgent.iter().map(|r| crate::presenters::msp::queue_row(r, &tzs)).collect(),
        breached: o.breached.iter().map(|r| crate::presenters::msp::queue_row(r, &tzs)).collect(),
        away: o
            .away
            .into_iter()
            .map(|a| crate::views::msp::AwayView { name: a.name, back: day(a.back_after), clients: a.clients })
            .collect(),
        ratings: crate::presenters::msp::ratings_board(staff.unscoped().ratings_board().await?),
    })
}

/// `/msp/clients`: every client with its cover today.
#[server(endpoint = "msp/clients")]
pub async fn msp_clients() -> Result<Vec<ClientRowView>, AppError> {
    use super::guard;
    let staff = guard::staff().await?;
    let rows = staff.unscoped().client_rows().await?;
    Ok(rows.into_iter().map(crate::presenters::msp::clients::client_row).collect())
}

/// `/msp/clients/{slug}`: one client's work (internal entries included), tickets, systems, team
/// and runbooks.
#[server(endpoint = "msp/client")]
pub async fn msp_client(slug: String) -> Result<ClientDetailView, AppError> {
    use super::guard;
    let staff = guard::staff().await?;
    let d = staff.unscoped().client_detail(&slug).await?;
    let tzs: std::collections::HashMap<String, chrono_tz::Tz> = [(d.slug.clone(), d.time_zone)].into();
    Ok(ClientDetailView {
        time_zone: d.time_zone.name().to_string(),
        hours: d.hours,
        included_hours: d.included_hours,
        status: d.status,
        team: crate::presenters::msp::team_line(&d.team),
        systems: d.systems.into_iter().map(crate::presenters::msp::clients::staff_system).collect(),
        work: d
            .work
            .into_iter()
            .map(|item| {
                crate::presenters::msp::staff_work(
                    domain::staff::overview::StaffWork {
                        tenant_slug: d.slug.clone(),
                        tenant_name: d.name.clone(),
                        item,
                    },
                    &tzs,
                )
            })
            .collect(),
        tickets: d.tickets.iter().map(|r| crate::presenters::msp::queue_row(r, &tzs)).collect(),
        runbooks: d.runbooks.into_iter().map(|r| crate::presenters::msp::runbook_view(r, d.time_zone)).collect(),
        staff: crate::presenters::msp::staff_options(&staff).await?,
        can_edit: staff.editor().is_some(),
        automation: crate::presenters::msp::integrations::client_automation(
            staff.unscoped().client_automation(&d.slug).await?,
            d.time_zone,
        ),
        slug: d.slug,
        name: d.name,
    })
}

/// `/msp/clients/{slug}/preview`: the client's dashboard exactly as its users see it, built by
/// the portal's own code through a client-view scope (internal entries cannot appear).
#[server(endpoint = "msp/preview")]
pub async fn msp_preview(slug: String) -> Result<DashboardView, AppError> {
    use super::guard;
    let staff = guard::staff().await?;
    let tenant_id = staff.unscoped().tenant_id_of(&slug).await?;
    crate::presenters::portal::dashboard(&staff.client_view_of(tenant_id)).await.map_err(AppError::from)
}

#[cfg(feature = "ssr")]
/// An optional id from a form's select ("" is none).
pub(crate) fn optional_id(text: &str, what: &str) -> Result<Option<i64>, AppError> {
    match text.trim() {
        "" => Ok(None),
        t => t.parse().map(Some).map_err(|_| AppError::Invalid(format!("Please choose a {what}."))),
    }
}
