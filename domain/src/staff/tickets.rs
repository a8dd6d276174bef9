//! Tickets as staff work them: the queue (every client's tickets by priority, then by the next
//! SLA due); a ticket with its whole thread (internal comments included); assigning, status
//! changes and comments (`Editor`); tickets staff open for a client and public replies
//! (`TicketDesk`).
//!
//! First response is the first public reply or status change by staff, recorded once. Resolution
//! is the move to resolved (or closed); reopening a ticket clears it.

use super::{Editor, StaffMember, staff_members, technician, tenant_by_slug};
use crate::auth::StaffAccess;
use crate::entities::{tenant, ticket, ticket_comment, ticket_status_change, user};
use crate::error::{DomainError, MissingIsInvalid, Result};
use crate::scope::Unscoped;
use crate::tickets::{NewTicket, insert_ticket};
use crate::time::now;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use std::collections::HashMap;
use vocabulary::{AuditAction, Impact, Priority, TicketSource, TicketStatus, Urgency, Visibility};

/// The queue's filters.
#[derive(Clone, Debug, Default)]
pub struct QueueFilter {
    pub client: Option<String>,
    /// `None`: every open ticket.
    pub status: Option<TicketStatus>,
    /// `Some(None)`: unassigned.
    pub assignee: Option<Option<i64>>,
    /// Only tickets past their next SLA target.
    pub breached: bool,
    /// Only these priorities (empty: all).
    pub priorities: Vec<Priority>,
}

#[derive(Clone, Debug)]
pub struct QueueRow {
    pub id: i64,
    pub tenant_slug: String,
    pub tenant_name: String,
    pub number: i64,
    pub subject: String,
    pub status: TicketStatus,
    pub priority: Priority,
    pub assignee: Option<String>,
    pub requester: Option<String>,
    pub created_at: DateTime<Utc>,
    /// The next SLA target (first response until there is one, then resolution); none once resolved.
    pub due: Option<(&'static str, DateTime<Utc>)>,
    pub breached: bool,
}

fn due(t: &ticket::Model) -> Option<(&'static str, DateTime<Utc>)> {
    let status: TicketStatus = t.status;
    if !status.is_open() {
        None
    } else if t.first_response_at.is_none() {
        Some(("first response", t.first_response_due_at))
    } else {
        Some(("resolution", t.resolution_due_at))
    }
}

async fn rows(db: &impl ConnectionTrait, tickets: Vec<ticket::Model>) -> Result<Vec<QueueRow>> {
    let t = now();
    let people = crate::users::display_names(
        db,
        tickets.iter().flat_map(|t| [t.assignee_id, t.requester_id]).flatten().collect(),
    )
    .await?;
    let tenants: HashMap<i64, (String, String)> = tenant::Entity::find()
        .filter(tenant::Column::Id.is_in(tickets.iter().map(|t| t.tenant_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|tn| (tn.id, (tn.slug, tn.name)))
        .collect();
    Ok(tickets
        .into_iter()
        .map(|tk| {
            let (slug, name) = tenants.get(&tk.tenant_id).cloned().unwrap_or_default();
            let due = due(&tk);
            QueueRow {
                id: tk.id,
                tenant_slug: slug,
                tenant_name: name,
                number: tk.number,
                status: tk.status,
                priority: Priority::from_number(tk.priority as i64)
                    .unwrap_or(Priority::of(Impact::Individual, Urgency::Inconvenience)),
                assignee: tk.assignee_id.and_then(|a| people.get(&a).cloned()),
                requester: tk.requester_id.and_then(|a| people.get(&a).cloned()),
                created_at: tk.created_at,
                breached: due.is_some_and(|(_, at)| t > at),
                due,
                subject: tk.subject,
            }
        })
        .collect())
}

/// A comment as staff read it.
#[derive(Clone, Debug)]
pub struct StaffComment {
    pub author: String,
    pub from_staff: bool,
    pub body: String,
    pub visibility: Visibility,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug)]
pub struct StaffTicket {
    pub row: QueueRow,
    pub description: String,
    pub impact: Impact,
    pub urgency: Urgency,
    pub source: TicketSource,
    pub assignee_id: Option<i64>,
    pub first_response_due_at: DateTime<Utc>,
    pub resolution_due_at: DateTime<Utc>,
    pub first_response_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub comments: Vec<StaffComment>,
    /// (from, to, by, at)
    pub history: Vec<(Option<TicketStatus>, TicketStatus, Option<String>, DateTime<Utc>)>,
    pub techs: Vec<StaffMember>,
}

impl Unscoped {
    /// Open tickets (or those of one status), most urgent first: by priority, then the next due.
    pub async fn queue(&self, filter: &QueueFilter) -> Result<Vec<QueueRow>> {
        let mut q = ticket::Entity::find();
        q = match filter.status {
            Some(s) => q.filter(ticket::Column::Status.eq(s)),
            None => q.filter(ticket::Column::Status.is_not_in([TicketStatus::Resolved, TicketStatus::Closed])),
        };
        if let Some(slug) = filter.client.as_deref() {
            let tenant =
                tenant_by_slug(self.db(), slug).await.missing_is_invalid(format!("There is no client {slug:?}."))?;
            q = q.filter(ticket::Column::TenantId.eq(tenant.id));
        }
        match filter.assignee {
            Some(Some(a)) => q = q.filter(ticket::Column::AssigneeId.eq(a)),
            Some(None) => q = q.filter(ticket::Column::AssigneeId.is_null()),
            None => {}
        }
        if filter.breached {
            // Past the next target: the first response while there is none, else the resolution.
            let t = now();
            q = q.filter(
                Condition::any()
                    .add(
                        Condition::all()
                            .add(ticket::Column::FirstResponseAt.is_null())
                            .add(ticket::Column::FirstResponseDueAt.lt(t)),
                    )
                    .add(
                        Condition::all()
                            .add(ticket::Column::FirstResponseAt.is_not_null())
                            .add(ticket::Column::ResolutionDueAt.lt(t)),
                    ),
            );
        }
        if !filter.priorities.is_empty() {
            q = q.filter(ticket::Column::Priority.is_in(filter.priorities.iter().map(|p| p.number() as i16)));
        }
        let list = q
            .order_by_asc(ticket::Column::Priority)
            .order_by_asc(ticket::Column::ResolutionDueAt)
            .order_by_asc(ticket::Column::Id)
            .limit(500)
            .all(self.db())
            .await?;
        let mut out = rows(self.db(), list).await?;
        // Within a priority, whatever falls due first comes first.
        out.sort_by_key(|r| (r.priority.number(), r.due.map(|(_, at)| at), r.id));
        Ok(out)
    }

    pub async fn staff_ticket(&self, id: i64) -> Result<StaffTicket> {
        let t = ticket::Entity::find_by_id(id).one(self.db()).await?.ok_or(DomainError::NotFound)?;
        let comments = ticket_comment::Entity::find()
            .filter(ticket_comment::Column::TenantId.eq(t.tenant_id))
            .filter(ticket_comment::Column::TicketId.eq(id))
            .order_by_asc(ticket_comment::Column::CreatedAt)
            .order_by_asc(ticket_comment::Column::Id)
            .all(self.db())
            .await?;
        let history = ticket_status_change::Entity::find()
            .filter(ticket_status_change::Column::TenantId.eq(t.tenant_id))
            .filter(ticket_status_change::Column::TicketId.eq(id))
            .order_by_asc(ticket_status_change::Column::CreatedAt)
            .order_by_asc(ticket_status_change::Column::Id)
            .all(self.db())
            .await?;
        let people: HashMap<i64, (String, bool)> =
            user::Entity::find()
                .filter(user::Column::Id.is_in(
                    comments.iter().filter_map(|c| c.author_id).chain(history.iter().filter_map(|h| h.changed_by)),
                ))
                .all(self.db())
                .await?
                .into_iter()
                .map(|u| (u.id, (u.display_name, u.tenant_id.is_none())))
                .collect();
        let techs = staff_members(self.db()).await?.into_iter().filter(|s| s.role.does_the_work()).collect();
        Ok(StaffTicket {
            description: t.description.clone(),
            impact: t.impact,
            urgency: t.urgency,
            source: t.source,
            assignee_id: t.assignee_id,
            first_response_due_at: t.first_response_due_at,
            resolution_due_at: t.resolution_due_at,
            first_response_at: t.first_response_at,
            resolved_at: t.resolved_at,
            comments: comments
                .into_iter()
                .map(|c| {
                    let (author, from_staff) = c
                        .author_id
                        .and_then(|a| people.get(&a).cloned())
                        .unwrap_or(("The MSP's tools (API)".into(), true));
                    StaffComment {
                        author,
                        from_staff,
                        body: c.body,
                        visibility: c.visibility,
                        created_at: c.created_at,
                    }
                })
                .collect(),
            history: history
                .into_iter()
                .map(|h| {
                    (
                        h.from_status,
                        h.to_status,
                        h.changed_by.and_then(|b| people.get(&b).map(|p| p.0.clone())),
                        h.created_at,
                    )
                })
                .collect(),
            techs,
            row: rows(self.db(), vec![t]).await?.remove(0),
        })
    }

    /// A client's tickets for the staff's client page, newest first.
    pub async fn client_tickets(&self, client: &str, limit: u64) -> Result<Vec<QueueRow>> {
        let tenant = tenant_by_slug(self.db(), client).await?;
        let list = ticket::Entity::find()
            .filter(ticket::Column::TenantId.eq(tenant.id))
            .order_by_desc(ticket::Column::CreatedAt)
            .order_by_desc(ticket::Column::Id)
            .limit(limit)
            .all(self.db())
            .await?;
        rows(self.db(), list).await
    }
}

/// Records the first response once.
fn first_response(row: &mut ticket::ActiveModel, t: &ticket::Model, at: DateTime<Utc>) {
    if t.first_response_at.is_none() {
        row.first_response_at = Set(Some(at));
    }
}

fn check_comment(body: &str) -> Result<String> {
    let body = body.trim();
    if body.is_empty() {
        return Err(DomainError::Invalid("Please write a comment first.".into()));
    }
    if body.chars().count() > 20_000 {
        return Err(DomainError::Invalid("Please keep the comment under 20,000 characters.".into()));
    }
    Ok(body.to_string())
}

async fn add_comment(
    db: &sea_orm::DatabaseConnection,
    author: &crate::auth::CurrentUser,
    id: i64,
    body: &str,
    visibility: Visibility,
) -> Result<()> {
    let body = check_comment(body)?;
    let tx = crate::db::write(db).await?;
    let t = ticket::Entity::find_by_id(id).one(&tx).await?.ok_or(DomainError::NotFound)?;
    let at = now();
    ticket_comment::ActiveModel {
        tenant_id: Set(t.tenant_id),
        ticket_id: Set(t.id),
        author_id: Set(Some(author.id)),
        body: Set(body),
        visibility: Set(visibility),
        created_at: Set(at),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    let mut row = t.clone().into_active_model();
    if visibility == Visibility::Client {
        first_response(&mut row, &t, at);
    }
    row.updated_at = Set(at);
    row.update(&tx).await?;
    let target = format!("ticket #{} ({} comment)", t.number, visibility.as_str());
    crate::audit::by(&tx, author, Some(t.tenant_id), AuditAction::TicketCommented, &target, None).await?;
    tx.commit().await?;
    Ok(())
}

/// Permission to open tickets for clients and answer them in public: every member of staff
/// (account managers included). Created by `StaffAccess::ticket_desk`.
#[derive(Clone, Debug)]
pub struct TicketDesk {
    pub user: crate::auth::CurrentUser,
    db: sea_orm::DatabaseConnection,
}

impl StaffAccess {
    pub fn ticket_desk(&self) -> TicketDesk {
        TicketDesk { user: self.user.clone(), db: self.unscoped().db().clone() }
    }
}

impl TicketDesk {
    /// Answers a client in public.
    pub async fn reply_in_public(&self, id: i64, body: &str) -> Result<()> {
        add_comment(&self.db, &self.user, id, body, Visibility::Client).await
    }

    /// Any member of staff may open a ticket for a client (by phone, email, or for themselves).
    /// `requester_email`, when given, must be a user of that client. Answers the new ticket's id.
    pub async fn open_ticket_for(
        &self,
        client: &str,
        requester_email: &str,
        new: NewTicket,
        source: TicketSource,
    ) -> Result<i64> {
        let tx = crate::db::write(&self.db).await?;
        let tenant = tenant_by_slug(&tx, client).await.missing_is_invalid("Please choose the client.")?;
        let requester = match requester_email.trim() {
            "" => None,
            email => Some(
                user::Entity::find()
                    .filter(user::Column::Email.eq(email.to_lowercase()))
                    .filter(user::Column::TenantId.eq(tenant.id))
                    .filter(user::Column::Active.eq(true))
                    .one(&tx)
                    .await?
                    .ok_or_else(|| DomainError::Invalid(format!("{} has no user {email:?}.", tenant.name)))?
                    .id,
            ),
        };
        let (id, _) = insert_ticket(&tx, tenant.id, requester, &new, source, Some(self.user.id)).await?;
        tx.commit().await?;
        Ok(id)
    }
}

impl Editor {
    pub async fn comment_internally(&self, id: i64, body: &str) -> Result<()> {
        add_comment(self.db(), &self.user, id, body, Visibility::Internal).await
    }

    /// Assigns a ticket to a tech (or to nobody).
    pub async fn assign(&self, id: i64, assignee: Option<i64>) -> Result<()> {
        if let Some(a) = assignee {
            technician(self.db(), a, "assignee").await?;
        }
        let tx = crate::db::write(self.db()).await?;
        let t = ticket::Entity::find_by_id(id).one(&tx).await?.ok_or(DomainError::NotFound)?;
        let (number, tenant_id, before) = (t.number, t.tenant_id, t.assignee_id);
        let mut row = t.into_active_model();
        row.assignee_id = Set(assignee);
        row.updated_at = Set(now());
        row.update(&tx).await?;
        let name = |id: Option<i64>| id.map_or("nobody".to_string(), |i| format!("user {i}"));
        let detail = format!("assignee: {} → {}", name(before), name(assignee));
        crate::audit::by(
            &tx,
            &self.user,
            Some(tenant_id),
            AuditAction::TicketAssigned,
            &format!("ticket #{number}"),
            Some(detail),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Moves a ticket to a status, recording the change, the first response and the resolution.
    /// A ticket resolved (or closed) from open answers the request to send its requester for a
    /// rating, made in the same transaction.
    pub async fn set_status(&self, id: i64, status: TicketStatus) -> Result<Option<crate::ratings::RatingRequest>> {
        let tx = crate::db::write(self.db()).await?;
        let t = ticket::Entity::find_by_id(id).one(&tx).await?.ok_or(DomainError::NotFound)?;
        if t.status == status {
            return Err(DomainError::Invalid(format!("The ticket is already {}.", status.label().to_lowercase())));
        }
        let at = now();
        let mut row = t.clone().into_active_model();
        first_response(&mut row, &t, at);
        match status {
            TicketStatus::Resolved => {
                row.closed_at = Set(None);
                if t.resolved_at.is_none() {
                    row.resolved_at = Set(Some(at));
                }
            }
            TicketStatus::Closed => {
                row.closed_at = Set(Some(at));
                if t.resolved_at.is_none() {
                    row.resolved_at = Set(Some(at));
                }
            }
            // Reopened: not resolved any more.
            _ => {
                row.resolved_at = Set(None);
                row.closed_at = Set(None);
            }
        }
        row.status = Set(status);
        row.updated_at = Set(at);
        row.update(&tx).await?;
        ticket_status_change::ActiveModel {
            tenant_id: Set(t.tenant_id),
            ticket_id: Set(t.id),
            changed_by: Set(Some(self.user.id)),
            from_status: Set(Some(t.status)),
            to_status: Set(status),
            created_at: Set(at),
            ..Default::default()
        }
        .insert(&tx)
        .await?;
        let detail = format!("status: {} → {}", t.status.as_str(), status.as_str());
        let target = format!("ticket #{}", t.number);
        crate::audit::by(&tx, &self.user, Some(t.tenant_id), AuditAction::TicketStatusChanged, &target, Some(detail))
            .await?;
        let client =
            crate::entities::tenant::Entity::find_by_id(t.tenant_id).one(&tx).await?.ok_or(DomainError::NotFound)?;
        crate::webhooks::emit(
            &tx,
            crate::webhooks::Notice {
                event: vocabulary::WebhookEvent::TicketStatusChanged,
                text: format!(
                    "Ticket #{} for {} is now {}: {}",
                    t.number,
                    client.name,
                    status.label().to_lowercase(),
                    t.subject
                ),
                data: serde_json::json!({
                    "client": client.slug, "number": t.number, "subject": t.subject, "from": t.status, "to": status,
                }),
            },
        )
        .await?;
        let ask = match crate::ratings::asks_for_rating(t.status, status) {
            true => crate::ratings::request(&tx, &t).await?,
            false => None,
        };
        tx.commit().await?;
        Ok(ask)
    }
}
