//! Tickets as a client sees them: a client_user sees the tickets they requested, a client_admin
//! all of the tenant's; internal comments never leave this module for a client.

use crate::audit;
use crate::entities::{tenant, ticket, ticket_comment, ticket_status_change, user};
use crate::error::{DomainError, Result};
use crate::scope::TenantScope;
use crate::time::now;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select, Set,
};
use std::collections::HashMap;
use vocabulary::{AuditAction, Impact, Priority, Role, TicketSource, TicketStatus, Urgency, Visibility};

#[derive(Clone, Debug)]
pub struct TicketSummary {
    pub number: i64,
    pub subject: String,
    pub status: TicketStatus,
    pub priority: Priority,
    pub requester: String,
    pub created_at: DateTime<Utc>,
    pub first_response_due_at: DateTime<Utc>,
    pub resolution_due_at: DateTime<Utc>,
    pub first_response_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug)]
pub struct Comment {
    pub author: String,
    pub from_staff: bool,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug)]
pub struct StatusChange {
    pub from: Option<TicketStatus>,
    pub to: TicketStatus,
    pub at: DateTime<Utc>,
}

#[derive(Clone, Debug)]
pub struct TicketDetail {
    pub summary: TicketSummary,
    pub description: String,
    pub impact: Impact,
    pub urgency: Urgency,
    /// Public comments only, oldest first.
    pub comments: Vec<Comment>,
    pub history: Vec<StatusChange>,
    pub rating: Option<crate::ratings::GivenRating>,
    /// The viewer asked for it and it is resolved: theirs to rate.
    pub can_rate: bool,
}

/// What a client may filter their ticket list by.
#[derive(Clone, Debug, Default)]
pub struct TicketFilter {
    pub status: Option<TicketStatus>,
    /// Only open (not resolved or closed) tickets.
    pub open_only: bool,
    pub priority: Option<Priority>,
    /// Only tickets numbered below this (the next page of a newest-first list).
    pub before_number: Option<i64>,
}

/// A new ticket as a client files it, already checked.
pub struct NewTicket {
    pub subject: String,
    pub description: String,
    pub impact: Impact,
    pub urgency: Urgency,
}

impl NewTicket {
    pub fn parse(subject: &str, description: &str, impact: &str, urgency: &str) -> Result<NewTicket> {
        let subject = subject.trim();
        let description = description.trim();
        if subject.is_empty() {
            return Err(DomainError::Invalid("Please give the ticket a short subject.".into()));
        }
        if subject.chars().any(char::is_control) {
            return Err(DomainError::Invalid("Please keep the subject on one line.".into()));
        }
        if subject.chars().count() > 200 {
            return Err(DomainError::Invalid("Please keep the subject under 200 characters.".into()));
        }
        if description.is_empty() {
            return Err(DomainError::Invalid("Please describe what is happening.".into()));
        }
        if description.chars().count() > 20_000 {
            return Err(DomainError::Invalid("Please keep the description under 20,000 characters.".into()));
        }
        let impact = impact.parse().map_err(|_| DomainError::Invalid("Please choose who is affected.".into()))?;
        let urgency =
            urgency.parse().map_err(|_| DomainError::Invalid("Please choose how badly work is affected.".into()))?;
        Ok(NewTicket { subject: subject.to_string(), description: description.to_string(), impact, urgency })
    }
}

fn summary(t: &ticket::Model, names: &HashMap<i64, String>) -> TicketSummary {
    TicketSummary {
        number: t.number,
        subject: t.subject.clone(),
        status: t.status,
        priority: Priority::from_number(t.priority as i64)
            .unwrap_or(Priority::of(Impact::Individual, Urgency::Inconvenience)),
        requester: t.requester_id.and_then(|id| names.get(&id).cloned()).unwrap_or_else(|| "Someone".into()),
        created_at: t.created_at,
        first_response_due_at: t.first_response_due_at,
        resolution_due_at: t.resolution_due_at,
        first_response_at: t.first_response_at,
        resolved_at: t.resolved_at,
    }
}

async fn names(db: &impl ConnectionTrait, ids: Vec<i64>) -> Result<HashMap<i64, (String, bool)>> {
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| {
            let staff = u.role.is_staff();
            (u.id, (u.display_name, staff))
        })
        .collect())
}

impl TenantScope {
    /// The tickets this viewer may see: a client_user only those they requested.
    fn visible_tickets(&self) -> Select<ticket::Entity> {
        let q = self.select::<ticket::Entity>();
        match self.viewer() {
            Some((user_id, Role::ClientUser)) => q.filter(ticket::Column::RequesterId.eq(user_id)),
            _ => q,
        }
    }

    /// The tickets this viewer may see, newest first (at most `limit`).
    pub async fn tickets(&self, filter: &TicketFilter, limit: u64) -> Result<Vec<TicketSummary>> {
        let mut q = self.visible_tickets();
        if let Some(s) = filter.status {
            q = q.filter(ticket::Column::Status.eq(s));
        }
        if filter.open_only {
            q = q.filter(ticket::Column::Status.is_not_in([TicketStatus::Resolved, TicketStatus::Closed]));
        }
        if let Some(p) = filter.priority {
            q = q.filter(ticket::Column::Priority.eq(p.number() as i16));
        }
        if let Some(n) = filter.before_number {
            q = q.filter(ticket::Column::Number.lt(n));
        }
        let rows = q
            .order_by_desc(ticket::Column::CreatedAt)
            .order_by_desc(ticket::Column::Id)
            .limit(limit.clamp(1, 500))
            .all(self.db())
            .await?;
        let names: HashMap<i64, String> = names(self.db(), rows.iter().filter_map(|t| t.requester_id).collect())
            .await?
            .into_iter()
            .map(|(id, (n, _))| (id, n))
            .collect();
        Ok(rows.iter().map(|t| summary(t, &names)).collect())
    }

    /// One ticket by its number, with its public thread and status history. A ticket this viewer
    /// may not see is `NotFound`, exactly like a number that does not exist.
    pub async fn ticket(&self, number: i64) -> Result<TicketDetail> {
        let t = self
            .visible_tickets()
            .filter(ticket::Column::Number.eq(number))
            .one(self.db())
            .await?
            .ok_or(DomainError::NotFound)?;
        let comments = self
            .select::<ticket_comment::Entity>()
            .filter(ticket_comment::Column::TicketId.eq(t.id))
            .filter(ticket_comment::Column::Visibility.eq(Visibility::Client))
            .order_by_asc(ticket_comment::Column::CreatedAt)
            .order_by_asc(ticket_comment::Column::Id)
            .all(self.db())
            .await?;
        let history = self
            .select::<ticket_status_change::Entity>()
            .filter(ticket_status_change::Column::TicketId.eq(t.id))
            .order_by_asc(ticket_status_change::Column::CreatedAt)
            .order_by_asc(ticket_status_change::Column::Id)
            .all(self.db())
            .await?;
        let mut ids: Vec<i64> = comments.iter().filter_map(|c| c.author_id).collect();
        ids.extend(t.requester_id);
        let people = names(self.db(), ids).await?;
        let plain: HashMap<i64, String> = people.iter().map(|(id, (n, _))| (*id, n.clone())).collect();
        let rating = self.rating_of(t.id).await?;
        let can_rate = !t.status.is_open() && self.viewer().is_some_and(|(v, _)| t.requester_id == Some(v));
        Ok(TicketDetail {
            rating,
            can_rate,
            summary: summary(&t, &plain),
            impact: t.impact,
            urgency: t.urgency,
            description: t.description,
            comments: comments
                .into_iter()
                .map(|c| {
                    let (author, from_staff) =
                        // No author: written by the MSP's tools through the API.
                        c.author_id.and_then(|id| people.get(&id).cloned()).unwrap_or(("Your IT team".into(), true));
                    Comment { author, from_staff, body: c.body, created_at: c.created_at }
                })
                .collect(),
            history: history
                .into_iter()
                .map(|h| StatusChange { from: h.from_status, to: h.to_status, at: h.created_at })
                .collect(),
        })
    }

    /// Files a ticket for the viewer. Its number is the tenant's next, taken in the same
    /// transaction (BEGIN IMMEDIATE on SQLite, a row lock on PostgreSQL), so numbers never repeat.
    pub async fn open_ticket(&self, new: NewTicket) -> Result<i64> {
        self.open_ticket_about(new, None).await
    }

    /// The same, saying it is about an open incident that concerns this client (another is
    /// refused in words, and nothing is filed).
    pub async fn open_ticket_about(&self, new: NewTicket, incident: Option<i64>) -> Result<i64> {
        let Some((requester, _)) = self.viewer() else {
            return Err(DomainError::Invalid("Only a client can open a ticket here.".into()));
        };
        let tx = crate::db::write(self.db()).await?;
        let (id, number) =
            insert_ticket(&tx, self.tenant_id(), Some(requester), &new, TicketSource::Portal, Some(requester)).await?;
        if incident.is_some() {
            let t = ticket::Entity::find_by_id(id).one(&tx).await?.ok_or(DomainError::NotFound)?;
            crate::incidents::link(&tx, &t, incident).await?;
        }
        tx.commit().await?;
        Ok(number)
    }

    /// Adds the viewer's public comment to a ticket they may see.
    pub async fn comment_on_ticket(&self, number: i64, body: &str) -> Result<()> {
        let Some((author, _)) = self.viewer() else {
            return Err(DomainError::Invalid("Only a client can comment here.".into()));
        };
        let body = body.trim();
        if body.is_empty() {
            return Err(DomainError::Invalid("Please write a comment first.".into()));
        }
        if body.chars().count() > 20_000 {
            return Err(DomainError::Invalid("Please keep the comment under 20,000 characters.".into()));
        }
        let t = self
            .visible_tickets()
            .filter(ticket::Column::Number.eq(number))
            .one(self.db())
            .await?
            .ok_or(DomainError::NotFound)?;
        ticket_comment::ActiveModel {
            tenant_id: Set(self.tenant_id()),
            ticket_id: Set(t.id),
            author_id: Set(Some(author)),
            body: Set(body.to_string()),
            visibility: Set(Visibility::Client),
            created_at: Set(now()),
            ..Default::default()
        }
        .insert(self.db())
        .await?;
        Ok(())
    }
}

/// Inserts a ticket in the caller's write transaction. Its number is the tenant's next, taken in
/// the same transaction (BEGIN IMMEDIATE on SQLite, a row lock on PostgreSQL), so numbers never
/// repeat. Answers its id and number.
pub(crate) async fn insert_ticket(
    tx: &impl ConnectionTrait,
    tenant_id: i64,
    requester: Option<i64>,
    new: &NewTicket,
    source: TicketSource,
    actor: Option<i64>,
) -> Result<(i64, i64)> {
    let priority = Priority::of(new.impact, new.urgency);
    let sla = priority.sla();
    let t = now();
    // Increment first: on PostgreSQL the UPDATE locks the tenant row until commit.
    tenant::Entity::update_many()
        .col_expr(tenant::Column::NextTicketNumber, Expr::col(tenant::Column::NextTicketNumber).add(1))
        .filter(tenant::Column::Id.eq(tenant_id))
        .exec(tx)
        .await?;
    let client = tenant::Entity::find_by_id(tenant_id).one(tx).await?.ok_or(DomainError::NotFound)?;
    let number = client.next_ticket_number - 1;
    let row = ticket::ActiveModel {
        tenant_id: Set(tenant_id),
        number: Set(number),
        subject: Set(new.subject.clone()),
        description: Set(new.description.clone()),
        requester_id: Set(requester),
        assignee_id: Set(None),
        status: Set(TicketStatus::New),
        impact: Set(new.impact),
        urgency: Set(new.urgency),
        priority: Set(priority.number() as i16),
        first_response_due_at: Set(t + Duration::minutes(sla.first_response_minutes as i64)),
        resolution_due_at: Set(t + Duration::minutes(sla.resolution_minutes as i64)),
        first_response_at: Set(None),
        resolved_at: Set(None),
        closed_at: Set(None),
        source: Set(source),
        created_at: Set(t),
        updated_at: Set(t),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    ticket_status_change::ActiveModel {
        tenant_id: Set(tenant_id),
        ticket_id: Set(row.id),
        changed_by: Set(actor),
        from_status: Set(None),
        to_status: Set(TicketStatus::New),
        created_at: Set(t),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    audit::record(tx, actor, Some(tenant_id), AuditAction::TicketOpened, &format!("#{number}"), None).await?;
    crate::webhooks::emit(
        tx,
        crate::webhooks::Notice {
            event: vocabulary::WebhookEvent::TicketCreated,
            text: format!("New {priority} ticket #{number} for {}: {}", client.name, new.subject),
            data: serde_json::json!({
                "client": client.slug, "number": number, "subject": new.subject,
                "priority": priority.number(), "status": TicketStatus::New, "source": source,
            }),
        },
    )
    .await?;
    if priority.number() == 1 {
        urgent_while_primary_away(tx, &client, number, &new.subject).await?;
    }
    Ok((row.id, number))
}

/// A new P1 for a client whose primary is away today (in the client's zone): the people who
/// cover may not be watching that client's queue, so the chat hears of it.
async fn urgent_while_primary_away(
    tx: &impl ConnectionTrait,
    client: &tenant::Model,
    number: i64,
    subject: &str,
) -> Result<()> {
    let tz: chrono_tz::Tz = client.time_zone.parse().unwrap_or(chrono_tz::UTC);
    let today = now().with_timezone(&tz).date_naive();
    let Some((primary, cover)) = crate::team::primary_away_on(tx, client.id, today).await? else {
        return Ok(());
    };
    let covering = match &cover {
        Some(c) => format!("{c} covers"),
        None => "nobody of the client's team is in".to_string(),
    };
    crate::webhooks::emit(
        tx,
        crate::webhooks::Notice {
            event: vocabulary::WebhookEvent::UrgentWhilePrimaryAway,
            text: format!("New P1 #{number} for {}: {subject}. {primary} is away; {covering}.", client.name),
            data: serde_json::json!({
                "client": client.slug, "number": number, "subject": subject,
                "primary_away": primary, "covering": cover,
            }),
        },
    )
    .await
}
