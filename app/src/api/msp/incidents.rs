//! Incidents and notices, posted by any member of staff (techs, account managers, MSP admins).

use crate::error::AppError;
use crate::views::msp::{IncidentBoardView, StaffIncidentView};
use leptos::prelude::*;

/// `/msp/incidents`: open incidents, recently resolved ones, the notices still shown.
#[server(endpoint = "msp/incidents")]
pub async fn msp_incidents() -> Result<IncidentBoardView, AppError> {
    use super::super::guard;
    use crate::presenters::incidents::{item, notice};
    let staff = guard::staff().await?;
    let tz = crate::services::services()?.msp_time_zone;
    let today = domain::time::now().with_timezone(&tz).date_naive();
    let db = staff.unscoped();
    let board = db.incident_board(today).await?;
    Ok(IncidentBoardView {
        open: board
            .open
            .iter()
            .map(|(i, clients, tickets)| crate::views::msp::StaffIncidentRow {
                item: item(i, tz),
                affected: match clients {
                    None => "All clients".into(),
                    Some(1) => "1 client".into(),
                    Some(n) => format!("{n} clients"),
                },
                tickets: *tickets,
            })
            .collect(),
        resolved: board.resolved.iter().map(|i| item(i, tz)).collect(),
        notices: board.notices.iter().map(notice).collect(),
        clients: crate::presenters::msp::client_options(&staff).await?,
        today: today.format("%Y-%m-%d").to_string(),
    })
}

/// One incident: its clients, timeline and the tickets linked to it.
#[server(endpoint = "msp/incident")]
pub async fn msp_incident(id: i64) -> Result<StaffIncidentView, AppError> {
    use super::super::guard;
    let staff = guard::staff().await?;
    let tz = crate::services::services()?.msp_time_zone;
    let i = staff.unscoped().staff_incident(id).await?;
    Ok(StaffIncidentView {
        incident: crate::presenters::incidents::incident(&i.detail, tz),
        all_clients: i.detail.row.all_clients,
        email_clients: i.email_clients,
        clients: i.clients,
        tickets: i
            .tickets
            .into_iter()
            .map(|(id, client, n, subject)| (id, client, format!("#{n} {subject}")))
            .collect(),
        clients_with_tickets: i.clients_with_tickets,
    })
}

/// Opens an incident (`clients[]`: the slugs affected, unless `all_clients`).
#[server(endpoint = "msp/incident-open")]
pub async fn msp_incident_open(
    #[server(default)] title: String,
    #[server(default)] impact: String,
    #[server(default)] status: String,
    #[server(default)] all_clients: Option<String>,
    #[server(default)] clients: Vec<String>,
    #[server(default)] email_clients: Option<String>,
) -> Result<i64, AppError> {
    use super::super::guard;
    let staff = guard::staff().await?;
    let services = crate::services::services()?;
    let new = domain::incidents::NewIncident::parse(
        &title,
        &impact,
        &status,
        all_clients.is_some(),
        clients,
        email_clients.is_some(),
    )?;
    let (id, emails) = staff.open_incident(new, &services.public_url).await?;
    services.notifier.queue_all(emails, "incident").await;
    leptos_axum::redirect(&format!("/msp/incidents/{id}"));
    Ok(id)
}

/// Adds an update to an open incident.
#[server(endpoint = "msp/incident-update")]
pub async fn msp_incident_update(
    id: i64,
    #[server(default)] status: String,
    #[server(default)] body: String,
) -> Result<(), AppError> {
    use super::super::guard;
    let staff = guard::staff().await?;
    let services = crate::services::services()?;
    let emails = staff.update_incident(id, &status, &body, &services.public_url).await?;
    services.notifier.queue_all(emails, "incident resolved").await;
    leptos_axum::redirect(&format!("/msp/incidents/{id}"));
    Ok(())
}

/// Posts a notice for one client (`client`: its slug) or all (`all` or empty).
#[server(endpoint = "msp/notice-post")]
pub async fn msp_notice_post(
    #[server(default)] title: String,
    #[server(default)] body: String,
    #[server(default)] client: String,
    #[server(default)] shown_until: String,
) -> Result<i64, AppError> {
    use super::super::guard;
    let staff = guard::staff().await?;
    let tz = crate::services::services()?.msp_time_zone;
    let today = domain::time::now().with_timezone(&tz).date_naive();
    let new = domain::incidents::NewNotice::parse(&title, &body, &client, &shown_until, today)?;
    let id = staff.post_notice(new).await?;
    leptos_axum::redirect("/msp/incidents");
    Ok(id)
}

/// Links a ticket to an open incident of its client ("" unlinks it).
#[server(endpoint = "msp/ticket-incident")]
pub async fn msp_ticket_incident(id: i64, #[server(default)] incident: String) -> Result<(), AppError> {
    use super::super::guard;
    let staff = guard::staff().await?;
    let incident = super::optional_id(&incident, "incident")?;
    staff.link_ticket(id, incident).await?;
    leptos_axum::redirect(&format!("/msp/tickets/{id}"));
    Ok(())
}
