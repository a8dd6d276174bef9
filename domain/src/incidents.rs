//! Incidents and notices: what the MSP tells its clients before they call.
//!
//! An incident is something wrong now for one, several or all clients ("Microsoft 365 is down, we
//! are on it"): its impact in plain words, a status, and a timeline of updates. Affected clients
//! see a banner on every portal page while it is open, its timeline on its page, and it stays in
//! their history; a client's ticket can say it is about one, so staff see how many clients are
//! affected. A notice is planned and calm ("Office move: phones off Friday 6–8 pm"), for one
//! client or all, shown until a day. Any member of staff posts both; clients only read, and only
//! what concerns them: another client's incident or notice is `NotFound`.

use crate::audit;
use crate::auth::StaffAccess;
use crate::emails;
use crate::entities::{incident, incident_client, incident_ticket, incident_update, notice, tenant, ticket, user};
use crate::error::{DomainError, Result};
use crate::mail::Email;
use crate::scope::{TenantScope, Unscoped};
use crate::time::now;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use std::collections::{BTreeMap, BTreeSet};
use vocabulary::{AuditAction, IncidentStatus, Role};

const TITLE_CHARS: usize = 200;
const TEXT_CHARS: usize = 5_000;

fn title(text: &str, what: &str) -> Result<String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(DomainError::Invalid(format!("Please give the {what} a short title.")));
    }
    if text.chars().any(char::is_control) {
        return Err(DomainError::Invalid("Please keep the title on one line.".into()));
    }
    if text.chars().count() > TITLE_CHARS {
        return Err(DomainError::Invalid(format!("Please keep the title under {TITLE_CHARS} characters.")));
    }
    Ok(text.to_string())
}

fn words(text: &str, empty: &str) -> Result<String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(DomainError::Invalid(empty.into()));
    }
    if text.chars().count() > TEXT_CHARS {
        return Err(DomainError::Invalid(format!("Please keep it under {TEXT_CHARS} characters.")));
    }
    Ok(text.to_string())
}

/// Which clients something is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Affected {
    All,
    /// These clients, by slug (at least one).
    Some(Vec<String>),
}

/// A new incident, checked.
#[derive(Clone, Debug)]
pub struct NewIncident {
    pub title: String,
    pub impact: String,
    pub status: IncidentStatus,
    pub affected: Affected,
    pub email_clients: bool,
}

impl NewIncident {
    pub fn parse(
        title_text: &str,
        impact: &str,
        status: &str,
        all_clients: bool,
        clients: Vec<String>,
        email_clients: bool,
    ) -> Result<NewIncident> {
        let title = title(title_text, "incident")?;
        let impact = words(impact, "Please say, in plain words, what clients will notice.")?;
        let status: IncidentStatus =
            status.trim().parse().map_err(|_| DomainError::Invalid("Please choose a status.".into()))?;
        if status == IncidentStatus::Resolved {
            return Err(DomainError::Invalid("An incident opens unresolved: choose where it stands now.".into()));
        }
        let clients: Vec<String> =
            clients.into_iter().map(|c| c.trim().to_string()).filter(|c| !c.is_empty()).collect();
        let affected = match (all_clients, clients.is_empty()) {
            (true, _) => Affected::All,
            (false, false) => Affected::Some(clients),
            (false, true) => {
                return Err(DomainError::Invalid("Please choose the clients affected, or all clients.".into()));
            }
        };
        Ok(NewIncident { title, impact, status, affected, email_clients })
    }
}

/// A new notice, checked.
#[derive(Clone, Debug)]
pub struct NewNotice {
    pub title: String,
    pub body: String,
    /// One client by slug, or every client.
    pub client: Option<String>,
    pub shown_until: NaiveDate,
}

impl NewNotice {
    pub fn parse(title_text: &str, body: &str, client: &str, shown_until: &str, today: NaiveDate) -> Result<NewNotice> {
        let title = title(title_text, "notice")?;
        let body = words(body, "Please write the message.")?;
        let shown_until = NaiveDate::parse_from_str(shown_until.trim(), "%Y-%m-%d")
            .map_err(|_| DomainError::Invalid("Please give the last day to show it, as a date.".into()))?;
        if shown_until < today {
            return Err(DomainError::Invalid("The last day to show it has passed: choose today or later.".into()));
        }
        let client = Some(client.trim().to_string()).filter(|c| !c.is_empty() && c != "all");
        Ok(NewNotice { title, body, client, shown_until })
    }
}

/// An incident as a list shows it.
#[derive(Clone, Debug)]
pub struct IncidentRow {
    pub id: i64,
    pub title: String,
    pub impact: String,
    pub status: IncidentStatus,
    pub all_clients: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
}

impl From<incident::Model> for IncidentRow {
    fn from(i: incident::Model) -> Self {
        IncidentRow {
            id: i.id,
            title: i.title,
            impact: i.impact,
            status: i.status,
            all_clients: i.all_clients,
            created_at: i.created_at,
            updated_at: i.updated_at,
            resolved_at: i.resolved_at,
        }
    }
}

/// One update of an incident's timeline.
#[derive(Clone, Debug)]
pub struct IncidentUpdate {
    pub status: IncidentStatus,
    pub body: String,
    pub author: Option<String>,
    pub at: DateTime<Utc>,
}

/// An incident with its timeline, as a client reads it.
#[derive(Clone, Debug)]
pub struct IncidentDetail {
    pub row: IncidentRow,
    /// Oldest first.
    pub updates: Vec<IncidentUpdate>,
}

/// An incident as the staff see it: which clients, and the tickets linked to it.
#[derive(Clone, Debug)]
pub struct StaffIncident {
    pub detail: IncidentDetail,
    pub email_clients: bool,
    /// Affected clients (name, slug); every client when `all_clients`.
    pub clients: Vec<(String, String)>,
    /// (ticket id, client name, number, subject)
    pub tickets: Vec<(i64, String, i64, String)>,
    /// How many different clients have linked a ticket to it.
    pub clients_with_tickets: usize,
}

/// A notice as shown.
#[derive(Clone, Debug)]
pub struct NoticeRow {
    pub id: i64,
    pub title: String,
    pub body: String,
    /// The client it is for (name), or `None` for every client.
    pub client: Option<String>,
    pub shown_until: NaiveDate,
}

/// The staff's page: open incidents, recently resolved ones, and the notices still shown.
#[derive(Clone, Debug, Default)]
pub struct IncidentBoard {
    /// (incident, clients affected: `None` for all, tickets linked)
    pub open: Vec<(IncidentRow, Option<usize>, u64)>,
    pub resolved: Vec<IncidentRow>,
    pub notices: Vec<NoticeRow>,
}

/// Incidents that concern a tenant: every-client ones and those naming it.
fn concerning(tenant_id: i64) -> Condition {
    Condition::any().add(incident::Column::AllClients.eq(true)).add(
        incident::Column::Id.in_subquery(
            Query::select()
                .column(incident_client::Column::IncidentId)
                .from(incident_client::Entity)
                .and_where(incident_client::Column::TenantId.eq(tenant_id))
                .to_owned(),
        ),
    )
}

async fn timeline(db: &impl ConnectionTrait, incident_id: i64) -> Result<Vec<IncidentUpdate>> {
    let rows = incident_update::Entity::find()
        .filter(incident_update::Column::IncidentId.eq(incident_id))
        .order_by_asc(incident_update::Column::CreatedAt)
        .order_by_asc(incident_update::Column::Id)
        .all(db)
        .await?;
    let names = crate::users::display_names(db, rows.iter().filter_map(|u| u.author_id).collect()).await?;
    Ok(rows
        .into_iter()
        .map(|u| IncidentUpdate {
            status: u.status,
            body: u.body,
            author: u.author_id.and_then(|a| names.get(&a).cloned()),
            at: u.created_at,
        })
        .collect())
}

/// The tenants an incident concerns.
async fn affected_tenants(db: &impl ConnectionTrait, i: &incident::Model) -> Result<Vec<tenant::Model>> {
    let q = tenant::Entity::find().order_by_asc(tenant::Column::Name).order_by_asc(tenant::Column::Id);
    Ok(if i.all_clients {
        q.filter(tenant::Column::Status.eq(vocabulary::TenantStatus::Active)).all(db).await?
    } else {
        let ids: Vec<i64> = incident_client::Entity::find()
            .filter(incident_client::Column::IncidentId.eq(i.id))
            .select_only()
            .column(incident_client::Column::TenantId)
            .into_tuple()
            .all(db)
            .await?;
        q.filter(tenant::Column::Id.is_in(ids)).all(db).await?
    })
}

/// The emails to the affected clients' admins about an incident that opened or was resolved.
async fn client_emails(db: &impl ConnectionTrait, i: &incident::Model, base_url: &str) -> Result<Vec<Email>> {
    let tenants = affected_tenants(db, i).await?;
    let admins = user::Entity::find()
        .filter(user::Column::TenantId.is_in(tenants.iter().map(|t| t.id).collect::<Vec<_>>()))
        .filter(user::Column::Role.eq(Role::ClientAdmin))
        .filter(user::Column::Active.eq(true))
        .all(db)
        .await?;
    let link = format!("{}/portal/incidents/{}", base_url.trim_end_matches('/'), i.id);
    Ok(admins
        .iter()
        .map(|a| emails::incident(&a.email, &a.display_name, &i.title, &i.impact, i.status, &link))
        .collect())
}

impl StaffAccess {
    /// Opens an incident with its first update; answers its id and, when asked for, the emails to
    /// the affected clients' admins (for the caller to queue once it is committed).
    pub async fn open_incident(&self, new: NewIncident, base_url: &str) -> Result<(i64, Vec<Email>)> {
        let db = self.unscoped().db().clone();
        let tx = crate::db::write(&db).await?;
        let tenant_ids = match &new.affected {
            Affected::All => Vec::new(),
            Affected::Some(slugs) => {
                let found = tenant::Entity::find().filter(tenant::Column::Slug.is_in(slugs.clone())).all(&tx).await?;
                if found.len() != slugs.iter().collect::<BTreeSet<_>>().len() {
                    return Err(DomainError::Invalid("One of the clients chosen does not exist.".into()));
                }
                found.into_iter().map(|t| t.id).collect()
            }
        };
        let at = now();
        let row = incident::ActiveModel {
            title: Set(new.title.clone()),
            impact: Set(new.impact.clone()),
            status: Set(new.status),
            all_clients: Set(new.affected == Affected::All),
            email_clients: Set(new.email_clients),
            author_id: Set(Some(self.user.id)),
            created_at: Set(at),
            updated_at: Set(at),
            resolved_at: Set(None),
            ..Default::default()
        }
        .insert(&tx)
        .await?;
        for tenant_id in &tenant_ids {
            incident_client::ActiveModel { incident_id: Set(row.id), tenant_id: Set(*tenant_id) }.insert(&tx).await?;
        }
        incident_update::ActiveModel {
            incident_id: Set(row.id),
            status: Set(new.status),
            body: Set(new.impact.clone()),
            author_id: Set(Some(self.user.id)),
            created_at: Set(at),
            ..Default::default()
        }
        .insert(&tx)
        .await?;
        let whom =
            if tenant_ids.is_empty() { "all clients".to_string() } else { format!("{} clients", tenant_ids.len()) };
        audit::by(
            &tx,
            &self.user,
            None,
            AuditAction::IncidentOpened,
            &format!("incident #{}", row.id),
            Some(format!("{}; {whom}", new.title)),
        )
        .await?;
        let emails = if new.email_clients { client_emails(&tx, &row, base_url).await? } else { Vec::new() };
        tx.commit().await?;
        Ok((row.id, emails))
    }

    /// Adds an update to an open incident (its status may change; resolving it ends the banner).
    /// Answers the emails to send when the incident was just resolved and clients were to hear.
    pub async fn update_incident(&self, id: i64, status: &str, body: &str, base_url: &str) -> Result<Vec<Email>> {
        let status: IncidentStatus =
            status.trim().parse().map_err(|_| DomainError::Invalid("Please choose a status.".into()))?;
        let body = words(body, "Please write what is new.")?;
        let db = self.unscoped().db().clone();
        let tx = crate::db::write(&db).await?;
        let i = incident::Entity::find_by_id(id).one(&tx).await?.ok_or(DomainError::NotFound)?;
        if i.status == IncidentStatus::Resolved {
            return Err(DomainError::Invalid("This incident is resolved: open a new one if it is back.".into()));
        }
        let at = now();
        incident_update::ActiveModel {
            incident_id: Set(i.id),
            status: Set(status),
            body: Set(body),
            author_id: Set(Some(self.user.id)),
            created_at: Set(at),
            ..Default::default()
        }
        .insert(&tx)
        .await?;
        let was = i.status;
        let mut row = i.into_active_model();
        row.status = Set(status);
        row.updated_at = Set(at);
        if status == IncidentStatus::Resolved {
            row.resolved_at = Set(Some(at));
        }
        let i = row.update(&tx).await?;
        let detail = format!("status: {} → {}", was.as_str(), status.as_str());
        audit::by(&tx, &self.user, None, AuditAction::IncidentUpdated, &format!("incident #{}", i.id), Some(detail))
            .await?;
        let emails = if status == IncidentStatus::Resolved && i.email_clients {
            client_emails(&tx, &i, base_url).await?
        } else {
            Vec::new()
        };
        tx.commit().await?;
        Ok(emails)
    }

    /// Posts a notice for one client or all.
    pub async fn post_notice(&self, new: NewNotice) -> Result<i64> {
        let db = self.unscoped().db().clone();
        let tx = crate::db::write(&db).await?;
        let tenant_id = match &new.client {
            Some(slug) => Some(
                crate::staff::tenant_by_slug(&tx, slug)
                    .await
                    .map_err(|_| DomainError::Invalid("The client chosen does not exist.".into()))?
                    .id,
            ),
            None => None,
        };
        let row = notice::ActiveModel {
            title: Set(new.title.clone()),
            body: Set(new.body),
            tenant_id: Set(tenant_id),
            shown_until: Set(new.shown_until),
            author_id: Set(Some(self.user.id)),
            created_at: Set(now()),
            ..Default::default()
        }
        .insert(&tx)
        .await?;
        audit::by(
            &tx,
            &self.user,
            tenant_id,
            AuditAction::NoticePosted,
            &format!("notice #{}", row.id),
            Some(new.title),
        )
        .await?;
        tx.commit().await?;
        Ok(row.id)
    }

    /// Links a ticket to an open incident that concerns its client (or unlinks it with `None`).
    pub async fn link_ticket(&self, ticket_id: i64, incident_id: Option<i64>) -> Result<()> {
        let db = self.unscoped().db().clone();
        let tx = crate::db::write(&db).await?;
        let t = ticket::Entity::find_by_id(ticket_id).one(&tx).await?.ok_or(DomainError::NotFound)?;
        link(&tx, &t, incident_id).await?;
        let detail = incident_id.map_or("unlinked".to_string(), |i| format!("incident #{i}"));
        audit::by(
            &tx,
            &self.user,
            Some(t.tenant_id),
            AuditAction::TicketLinkedToIncident,
            &format!("ticket #{}", t.number),
            Some(detail),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Links (or unlinks) a ticket in the caller's transaction. The incident must be open and concern
/// the ticket's client; otherwise the choice is refused in words.
pub(crate) async fn link(tx: &impl ConnectionTrait, t: &ticket::Model, incident_id: Option<i64>) -> Result<()> {
    incident_ticket::Entity::delete_many().filter(incident_ticket::Column::TicketId.eq(t.id)).exec(tx).await?;
    let Some(incident_id) = incident_id else { return Ok(()) };
    let open = incident::Entity::find_by_id(incident_id)
        .filter(concerning(t.tenant_id))
        .filter(incident::Column::ResolvedAt.is_null())
        .one(tx)
        .await?;
    if open.is_none() {
        return Err(DomainError::Invalid("That incident is not open for this client.".into()));
    }
    incident_ticket::ActiveModel {
        ticket_id: Set(t.id),
        tenant_id: Set(t.tenant_id),
        incident_id: Set(incident_id),
        created_at: Set(now()),
    }
    .insert(tx)
    .await?;
    Ok(())
}

impl Unscoped {
    /// Open incidents, the ten last resolved, and the notices still shown.
    pub async fn incident_board(&self, today: NaiveDate) -> Result<IncidentBoard> {
        let open = incident::Entity::find()
            .filter(incident::Column::ResolvedAt.is_null())
            .order_by_desc(incident::Column::CreatedAt)
            .all(self.db())
            .await?;
        let ids: Vec<i64> = open.iter().map(|i| i.id).collect();
        let named: Vec<(i64, i64)> = incident_client::Entity::find()
            .filter(incident_client::Column::IncidentId.is_in(ids.clone()))
            .select_only()
            .column(incident_client::Column::IncidentId)
            .column_as(incident_client::Column::TenantId.count(), "n")
            .group_by(incident_client::Column::IncidentId)
            .into_tuple()
            .all(self.db())
            .await?;
        let named: BTreeMap<i64, i64> = named.into_iter().collect();
        let linked: Vec<(i64, i64)> = incident_ticket::Entity::find()
            .filter(incident_ticket::Column::IncidentId.is_in(ids))
            .select_only()
            .column(incident_ticket::Column::IncidentId)
            .column_as(incident_ticket::Column::TicketId.count(), "n")
            .group_by(incident_ticket::Column::IncidentId)
            .into_tuple()
            .all(self.db())
            .await?;
        let linked: BTreeMap<i64, i64> = linked.into_iter().collect();
        let open = open
            .into_iter()
            .map(|i| {
                let clients = (!i.all_clients).then(|| named.get(&i.id).copied().unwrap_or(0) as usize);
                let tickets = linked.get(&i.id).copied().unwrap_or(0) as u64;
                (IncidentRow::from(i), clients, tickets)
            })
            .collect();
        let resolved = incident::Entity::find()
            .filter(incident::Column::ResolvedAt.is_not_null())
            .order_by_desc(incident::Column::ResolvedAt)
            .limit(10)
            .all(self.db())
            .await?
            .into_iter()
            .map(IncidentRow::from)
            .collect();
        let notices = notice::Entity::find()
            .filter(notice::Column::ShownUntil.gte(today - chrono::Duration::days(1)))
            .order_by_asc(notice::Column::ShownUntil)
            .all(self.db())
            .await?;
        let names: BTreeMap<i64, String> = tenant::Entity::find()
            .filter(tenant::Column::Id.is_in(notices.iter().filter_map(|n| n.tenant_id).collect::<Vec<_>>()))
            .all(self.db())
            .await?
            .into_iter()
            .map(|t| (t.id, t.name))
            .collect();
        let notices = notices
            .into_iter()
            .map(|n| NoticeRow {
                id: n.id,
                client: n.tenant_id.and_then(|t| names.get(&t).cloned()),
                title: n.title,
                body: n.body,
                shown_until: n.shown_until,
            })
            .collect();
        Ok(IncidentBoard { open, resolved, notices })
    }

    /// One incident with its clients, timeline and linked tickets.
    pub async fn staff_incident(&self, id: i64) -> Result<StaffIncident> {
        let i = incident::Entity::find_by_id(id).one(self.db()).await?.ok_or(DomainError::NotFound)?;
        let clients = affected_tenants(self.db(), &i).await?.into_iter().map(|t| (t.name, t.slug)).collect();
        let links = incident_ticket::Entity::find()
            .filter(incident_ticket::Column::IncidentId.eq(i.id))
            .order_by_asc(incident_ticket::Column::CreatedAt)
            .all(self.db())
            .await?;
        let tickets = ticket::Entity::find()
            .filter(ticket::Column::Id.is_in(links.iter().map(|l| l.ticket_id).collect::<Vec<_>>()))
            .all(self.db())
            .await?;
        let names: BTreeMap<i64, String> = tenant::Entity::find()
            .filter(tenant::Column::Id.is_in(tickets.iter().map(|t| t.tenant_id).collect::<Vec<_>>()))
            .all(self.db())
            .await?
            .into_iter()
            .map(|t| (t.id, t.name))
            .collect();
        let clients_with_tickets = tickets.iter().map(|t| t.tenant_id).collect::<BTreeSet<_>>().len();
        let tickets = tickets
            .into_iter()
            .map(|t| (t.id, names.get(&t.tenant_id).cloned().unwrap_or_default(), t.number, t.subject))
            .collect();
        let updates = timeline(self.db(), i.id).await?;
        Ok(StaffIncident {
            email_clients: i.email_clients,
            detail: IncidentDetail { row: i.into(), updates },
            clients,
            tickets,
            clients_with_tickets,
        })
    }

    /// The open incidents that concern a ticket's client, and the one it is linked to, if any.
    pub async fn incidents_for_ticket(&self, ticket_id: i64) -> Result<(Vec<IncidentRow>, Option<i64>)> {
        let t = ticket::Entity::find_by_id(ticket_id).one(self.db()).await?.ok_or(DomainError::NotFound)?;
        let scope = TenantScope::new(self.db().clone(), t.tenant_id, None);
        let linked = incident_ticket::Entity::find_by_id(t.id).one(self.db()).await?.map(|l| l.incident_id);
        Ok((scope.open_incidents().await?, linked))
    }
}

impl TenantScope {
    /// The open incidents that concern this client, newest first: the banner.
    pub async fn open_incidents(&self) -> Result<Vec<IncidentRow>> {
        Ok(incident::Entity::find()
            .filter(concerning(self.tenant_id()))
            .filter(incident::Column::ResolvedAt.is_null())
            .order_by_desc(incident::Column::CreatedAt)
            .limit(20)
            .all(self.db())
            .await?
            .into_iter()
            .map(IncidentRow::from)
            .collect())
    }

    /// Every incident that concerned this client, newest first (at most 100).
    pub async fn incident_history(&self) -> Result<Vec<IncidentRow>> {
        Ok(incident::Entity::find()
            .filter(concerning(self.tenant_id()))
            .order_by_desc(incident::Column::CreatedAt)
            .order_by_desc(incident::Column::Id)
            .limit(100)
            .all(self.db())
            .await?
            .into_iter()
            .map(IncidentRow::from)
            .collect())
    }

    /// One incident with its timeline; one that does not concern this client is `NotFound`.
    pub async fn incident(&self, id: i64) -> Result<IncidentDetail> {
        let i = incident::Entity::find_by_id(id)
            .filter(concerning(self.tenant_id()))
            .one(self.db())
            .await?
            .ok_or(DomainError::NotFound)?;
        let updates = timeline(self.db(), i.id).await?;
        Ok(IncidentDetail { row: i.into(), updates })
    }

    /// The notices for this client shown today (in its time zone).
    pub async fn current_notices(&self) -> Result<Vec<NoticeRow>> {
        let tz = self.tenant().await?.time_zone;
        let today = now().with_timezone(&tz).date_naive();
        Ok(notice::Entity::find()
            .filter(
                Condition::any()
                    .add(notice::Column::TenantId.is_null())
                    .add(notice::Column::TenantId.eq(self.tenant_id())),
            )
            .filter(notice::Column::ShownUntil.gte(today))
            .order_by_asc(notice::Column::ShownUntil)
            .limit(10)
            .all(self.db())
            .await?
            .into_iter()
            .map(|n| NoticeRow { id: n.id, title: n.title, body: n.body, client: None, shown_until: n.shown_until })
            .collect())
    }

    /// How many of this client's tickets are linked to an incident (for tests and the detail).
    pub async fn tickets_linked_to(&self, incident_id: i64) -> Result<u64> {
        Ok(incident_ticket::Entity::find()
            .filter(incident_ticket::Column::TenantId.eq(self.tenant_id()))
            .filter(incident_ticket::Column::IncidentId.eq(incident_id))
            .count(self.db())
            .await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_incident_needs_words_a_status_and_clients() {
        let ok = |all, clients: &[&str]| {
            NewIncident::parse(
                "Email is down",
                "You may not get email for an hour.",
                "investigating",
                all,
                clients.iter().map(|c| c.to_string()).collect(),
                false,
            )
        };
        assert_eq!(ok(true, &[]).unwrap().affected, Affected::All);
        assert_eq!(ok(false, &["acme", " "]).unwrap().affected, Affected::Some(vec!["acme".into()]));
        assert!(ok(false, &[]).is_err());
        assert!(NewIncident::parse(" ", "x", "investigating", true, vec![], false).is_err());
        assert!(NewIncident::parse("x", " ", "investigating", true, vec![], false).is_err());
        assert!(NewIncident::parse("x", "y", "resolved", true, vec![], false).is_err());
        assert!(NewIncident::parse("x", "y", "panicking", true, vec![], false).is_err());
    }

    #[test]
    fn a_notice_is_shown_until_a_day_not_passed() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        assert!(NewNotice::parse("Move", "Phones off", "all", "2026-12-04", today).unwrap().client.is_none());
        assert_eq!(NewNotice::parse("Move", "x", "acme", "2026-12-03", today).unwrap().client.as_deref(), Some("acme"));
        assert!(NewNotice::parse("Move", "x", "", "2026-12-02", today).is_err());
        assert!(NewNotice::parse("Move", "x", "", "next friday", today).is_err());
    }
}
