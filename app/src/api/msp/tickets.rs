//! The staff's ticket queue and a ticket's page: assign, change status, comment (public or
//! internal), and open tickets for clients. New tickets are emailed to whoever covers the client
//! now; a public reply to the requester.

use crate::error::AppError;
use crate::views::msp::{QueueView, StaffTicketView};
use leptos::prelude::*;

/// The queue, most urgent first, with its filters.
#[server(endpoint = "msp/tickets")]
pub async fn msp_tickets(
    #[server(default)] client: Option<String>,
    #[server(default)] status: Option<String>,
    #[server(default)] assignee: Option<String>,
    #[server(default)] breached: Option<String>,
) -> Result<QueueView, AppError> {
    use super::super::guard;
    use domain::staff::tickets::QueueFilter;
    let staff = guard::staff().await?;
    let given = |v: &Option<String>| v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_string);
    let bad = |m: String| AppError::Invalid(m);
    let filter = QueueFilter {
        client: given(&client),
        status: given(&status).map(|s| s.parse().map_err(|_| bad(format!("There is no status {s:?}.")))).transpose()?,
        assignee: match given(&assignee).as_deref() {
            None => None,
            Some("none") => Some(None),
            Some(a) => Some(Some(a.parse().map_err(|_| bad("Please choose an assignee.".into()))?)),
        },
        breached: given(&breached).is_some(),
        priorities: Vec::new(),
    };
    let db = staff.unscoped();
    let zones = crate::presenters::msp::tenant_zones(&staff).await?;
    let tickets = db.queue(&filter).await?;
    Ok(QueueView {
        tickets: tickets.iter().map(|r| crate::presenters::msp::queue_row(r, &zones)).collect(),
        clients: db.tenants().await?.into_iter().map(|t| (t.slug, t.name)).collect(),
        techs: crate::presenters::msp::staff_options(&staff)
            .await?
            .into_iter()
            .filter(|s| matches!(s.role, vocabulary::Role::Tech | vocabulary::Role::MspAdmin))
            .collect(),
    })
}

/// One ticket with its whole thread, internal comments included.
#[server(endpoint = "msp/ticket")]
pub async fn msp_ticket(id: i64) -> Result<StaffTicketView, AppError> {
    use super::super::guard;
    use crate::views::msp::{StaffCommentView, StaffOption};
    let staff = guard::staff().await?;
    let t = staff.unscoped().staff_ticket(id).await?;
    let zones = crate::presenters::msp::tenant_zones(&staff).await?;
    let tz = zones.get(&t.row.tenant_slug).copied().unwrap_or(chrono_tz::UTC);
    let fmt = |at: chrono::DateTime<chrono::Utc>| at.with_timezone(&tz).format("%a %-d %b %H:%M").to_string();
    let took = |from: chrono::DateTime<chrono::Utc>, to: chrono::DateTime<chrono::Utc>| {
        let m = (to - from).num_minutes();
        if m < 120 {
            format!("{m} min")
        } else if m < 48 * 60 {
            format!("{} h", m / 60)
        } else {
            format!("{} days", m / 1440)
        }
    };
    let opened = t.row.created_at;
    let first_response = match t.first_response_at {
        Some(at) => format!(
            "Answered {} ({}; target {})",
            fmt(at),
            took(opened, at),
            if at <= t.first_response_due_at { "met" } else { "missed" }
        ),
        None => format!("Due {}", fmt(t.first_response_due_at)),
    };
    let resolution = match t.resolved_at {
        Some(at) => format!(
            "Resolved {} ({}; target {})",
            fmt(at),
            took(opened, at),
            if at <= t.resolution_due_at { "met" } else { "missed" }
        ),
        None => format!("Due {}", fmt(t.resolution_due_at)),
    };
    Ok(StaffTicketView {
        row: crate::presenters::msp::queue_row(&t.row, &zones),
        description: t.description,
        impact: t.impact.label().into(),
        urgency: t.urgency.label().into(),
        source: t.source.label().into(),
        assignee_id: t.assignee_id,
        first_response,
        resolution,
        comments: t
            .comments
            .into_iter()
            .map(|c| StaffCommentView {
                author: c.author,
                from_staff: c.from_staff,
                internal: c.visibility == vocabulary::Visibility::Internal,
                body: c.body,
                when: fmt(c.created_at),
            })
            .collect(),
        history: t
            .history
            .into_iter()
            .map(|(from, to, by, at)| {
                let what = match from {
                    None => format!("Opened ({})", to.label()),
                    Some(f) => format!("{} → {}", f.label(), to.label()),
                };
                (by.map_or(what.clone(), |b| format!("{what} by {b}")), fmt(at))
            })
            .collect(),
        techs: t.techs.into_iter().map(|s| StaffOption { id: s.id, name: s.name, role: s.role }).collect(),
        can_edit: staff.editor().is_some(),
        rating: staff.unscoped().ticket_rating(id).await?.as_ref().map(|r| crate::presenters::tickets::rating(r, tz)),
        incidents: {
            let (open, linked) = staff.unscoped().incidents_for_ticket(id).await?;
            crate::views::msp::TicketIncidentChoice {
                open: open.into_iter().map(|i| (i.id, i.title)).collect(),
                linked,
            }
        },
    })
}

/// Assigns a ticket to a tech ("" for nobody).
#[server(endpoint = "msp/ticket-assign")]
pub async fn msp_ticket_assign(id: i64, #[server(default)] assignee: String) -> Result<(), AppError> {
    use super::super::guard;
    let editor = guard::editor().await?;
    let assignee = super::optional_id(&assignee, "tech")?;
    editor.assign(id, assignee).await?;
    leptos_axum::redirect(&format!("/msp/tickets/{id}"));
    Ok(())
}

#[server(endpoint = "msp/ticket-status")]
pub async fn msp_ticket_status(id: i64, #[server(default)] status: String) -> Result<(), AppError> {
    use super::super::guard;
    let editor = guard::editor().await?;
    let status = status.parse().map_err(|_| AppError::Invalid("Please choose a status.".into()))?;
    let ratings = crate::services::services()?.ratings;
    if let Some(ask) = editor.set_status(id, status).await? {
        ratings.ask(&ask).await;
    }
    leptos_axum::redirect(&format!("/msp/tickets/{id}"));
    Ok(())
}

/// A comment: public (any staff; the requester is emailed) or internal (techs and admins).
#[server(endpoint = "msp/ticket-comment")]
pub async fn msp_ticket_comment(
    id: i64,
    #[server(default)] body: String,
    #[server(default)] internal: Option<String>,
) -> Result<(), AppError> {
    use super::super::guard;
    if internal.is_some() {
        guard::editor().await?.comment_internally(id, &body).await?;
    } else {
        let staff = guard::staff().await?;
        let notifier = crate::services::services()?.notifier;
        staff.pace(domain::auth::throttle::Paced::Comment, &guard::request_client()).await?;
        staff.ticket_desk().reply_in_public(id, &body).await?;
        notifier.public_reply(&staff.unscoped(), id, &staff.user.display_name, body.trim()).await;
    }
    leptos_axum::redirect(&format!("/msp/tickets/{id}"));
    Ok(())
}

/// Opens a ticket for a client (by phone, email, or noticed by staff).
#[server(endpoint = "msp/ticket-new")]
#[allow(clippy::too_many_arguments)]
pub async fn msp_ticket_new(
    #[server(default)] client: String,
    #[server(default)] requester: String,
    #[server(default)] subject: String,
    #[server(default)] description: String,
    #[server(default)] impact: String,
    #[server(default)] urgency: String,
    #[server(default)] source: String,
) -> Result<i64, AppError> {
    use super::super::guard;
    let staff = guard::staff().await?;
    let notifier = crate::services::services()?.notifier;
    let new = domain::tickets::NewTicket::parse(&subject, &description, &impact, &urgency)?;
    let source = match source.trim() {
        "" => vocabulary::TicketSource::Staff,
        s => s.parse().map_err(|_| AppError::Invalid("Please choose how the ticket came in.".into()))?,
    };
    staff.pace(domain::auth::throttle::Paced::Ticket, &guard::request_client()).await?;
    let id = staff.ticket_desk().open_ticket_for(&client, &requester, new, source).await?;
    notifier.new_ticket(&staff.unscoped(), id).await;
    leptos_axum::redirect(&format!("/msp/tickets/{id}"));
    Ok(id)
}
