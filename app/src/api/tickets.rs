//! The client portal's ticket server functions. The tenant, and for a client_user the requester,
//! always come from the session.

use crate::error::AppError;
use crate::views::{TicketDetailView, TicketListView};
use leptos::prelude::*;

/// The viewer's tickets, newest first, with the list's filters.
#[server(endpoint = "portal/tickets")]
pub async fn portal_tickets(
    #[server(default)] status: Option<String>,
    #[server(default)] priority: Option<String>,
) -> Result<TicketListView, AppError> {
    use super::guard;
    use domain::tickets::TicketFilter;
    let client = guard::client().await?;
    let given = |v: &Option<String>| v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_string);
    let mut filter = TicketFilter::default();
    match given(&status).as_deref() {
        None => {}
        Some("open") => filter.open_only = true,
        Some(s) => {
            filter.status = Some(s.parse().map_err(|_| AppError::Invalid(format!("There is no status {s:?}.")))?)
        }
    }
    if let Some(p) = given(&priority) {
        filter.priority = Some(
            p.trim_start_matches(['P', 'p'])
                .parse::<i64>()
                .ok()
                .and_then(vocabulary::Priority::from_number)
                .ok_or_else(|| AppError::Invalid(format!("There is no priority {p:?}.")))?,
        );
    }
    let tz = client.scope.tenant().await?.time_zone;
    let list = client.scope.tickets(&filter, 200).await?;
    Ok(TicketListView {
        tickets: list.iter().map(|t| crate::presenters::tickets::row(t, tz)).collect(),
        whole_company: client.user.role == vocabulary::Role::ClientAdmin,
    })
}

/// One ticket by its number; another tenant's, or (for a client_user) a colleague's, is 404.
#[server(endpoint = "portal/ticket")]
pub async fn portal_ticket(number: i64) -> Result<TicketDetailView, AppError> {
    use super::guard;
    use crate::views::CommentView;
    let client = guard::client().await?;
    let tz = client.scope.tenant().await?.time_zone;
    let t = client.scope.ticket(number).await?;
    let when = |at: chrono::DateTime<chrono::Utc>| at.with_timezone(&tz).format("%a %-d %b %Y, %H:%M").to_string();
    Ok(TicketDetailView {
        ticket: crate::presenters::tickets::row(&t.summary, tz),
        description: t.description.clone(),
        impact: t.impact.label().to_string(),
        urgency: t.urgency.label().to_string(),
        comments: t
            .comments
            .iter()
            .map(|c| CommentView {
                author: c.author.clone(),
                from_staff: c.from_staff,
                body: c.body.clone(),
                when: when(c.created_at),
            })
            .collect(),
        history: t
            .history
            .iter()
            .map(|h| {
                let what = match h.from {
                    None => format!("Opened ({})", h.to.label()),
                    Some(from) => format!("{} → {}", from.label(), h.to.label()),
                };
                (what, when(h.at))
            })
            .collect(),
        rating: t.rating.as_ref().map(|r| crate::presenters::tickets::rating(r, tz)),
        can_rate: t.can_rate,
    })
}

/// The requester rates one of their resolved tickets (or changes the answer, or adds a comment).
/// Another person's ticket, or another client's, is 404; staff get 404 as for every portal call.
#[server(endpoint = "portal/ticket-rate")]
pub async fn rate_ticket(
    number: i64,
    #[server(default)] rating: String,
    #[server(default)] comment: String,
) -> Result<(), AppError> {
    use super::guard;
    let client = guard::client().await?;
    let rating: vocabulary::Rating =
        rating.parse().map_err(|_| AppError::Invalid("Please choose good, okay or poor.".into()))?;
    let services = crate::services::services()?;
    if let Some(ticket_id) = client.scope.rate(number, rating, &comment).await? {
        services.ratings.alert(ticket_id).await;
    }
    leptos_axum::redirect(&format!("/portal/tickets/{number}#rating"));
    Ok(())
}

/// Files a ticket for the signed-in client; answers its number and sends the browser to it.
#[server(endpoint = "portal/ticket-new")]
pub async fn open_ticket(
    #[server(default)] subject: String,
    #[server(default)] description: String,
    #[server(default)] impact: String,
    #[server(default)] urgency: String,
    #[server(default)] incident: String,
) -> Result<i64, AppError> {
    use super::guard;
    let client = guard::client().await?;
    let notifier = crate::services::services()?.notifier;
    let new = domain::tickets::NewTicket::parse(&subject, &description, &impact, &urgency)?;
    let incident = match incident.trim() {
        "" => None,
        i => {
            Some(i.parse::<i64>().map_err(|_| AppError::Invalid("Please choose one of the incidents listed.".into()))?)
        }
    };
    client.pace(domain::auth::throttle::Paced::Ticket, &guard::request_client()).await?;
    let number = client.scope.open_ticket_about(new, incident).await?;
    notifier.client_ticket(&client.scope, number).await;
    leptos_axum::redirect(&format!("/portal/tickets/{number}"));
    Ok(number)
}

/// Adds the signed-in client's public comment to one of their tickets.
#[server(endpoint = "portal/ticket-comment")]
pub async fn comment_on_ticket(number: i64, #[server(default)] body: String) -> Result<(), AppError> {
    use super::guard;
    let client = guard::client().await?;
    client.pace(domain::auth::throttle::Paced::Comment, &guard::request_client()).await?;
    client.comment_on_ticket(number, &body).await?;
    leptos_axum::redirect(&format!("/portal/tickets/{number}"));
    Ok(())
}
