//! Logging work: the form's fields parsed into a [`WorkInput`], then created, edited, marked done
//! or deleted by an [`Editor`]. After-hours is never typed: it is derived from the tenant's
//! business hours and time zone.

use super::{Editor, business_hours, optional_text, required_text, technician, tenant_by_slug, time_zone};
use crate::audit;
use crate::entities::{system, ticket, work_entry, work_entry_system};
use crate::error::{DomainError, MissingIsInvalid, Result};
use crate::mail::Email;
use crate::rules::after_hours;
use crate::scope::Unscoped;
use crate::time::now;
use chrono::{DateTime, Duration, NaiveDateTime, TimeZone, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use vocabulary::{AuditAction, Category, Visibility, WorkState};

/// The work form as typed (shared with the browser, which fills it in): text, parsed here.
pub use vocabulary::forms::WorkForm;

/// The longest single entry: a week.
const MAX_MINUTES: i32 = 7 * 24 * 60;

/// A local wall-clock time in a time zone; a time skipped by a clock change is refused, an hour
/// that happens twice means its first occurrence.
pub fn parse_local(text: &str, tz: chrono_tz::Tz) -> Result<DateTime<Utc>> {
    let naive = NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%d %H:%M"))
        .map_err(|_| DomainError::Invalid("Please give the start as a date and time (YYYY-MM-DD HH:MM).".into()))?;
    match tz.from_local_datetime(&naive) {
        chrono::LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        chrono::LocalResult::Ambiguous(first, _) => Ok(first.with_timezone(&Utc)),
        chrono::LocalResult::None => Err(DomainError::Invalid(format!(
            "{} does not exist in {} (the clocks change then). Please pick another time.",
            naive.format("%-d %b %Y %H:%M"),
            tz.name()
        ))),
    }
}

pub fn parse_duration(text: &str) -> Result<i32> {
    let t = text.trim();
    let minutes = match t.split_once(':') {
        Some((h, m)) => h
            .trim()
            .parse::<i32>()
            .ok()
            .zip(m.trim().parse::<i32>().ok())
            .filter(|(h, m)| *h >= 0 && (0..60).contains(m))
            .map(|(h, m)| h * 60 + m),
        None => t.parse::<i32>().ok(),
    };
    match minutes {
        Some(m) if (1..=MAX_MINUTES).contains(&m) => Ok(m),
        _ => Err(DomainError::Invalid("Please give the duration in minutes (1 minute to 7 days).".into())),
    }
}

/// A checked work entry, ready to save.
#[derive(Clone, Debug)]
struct WorkInput {
    tenant_id: i64,
    systems: Vec<i64>,
    category: Category,
    title: String,
    details: String,
    why_it_matters: String,
    state: WorkState,
    started_at: DateTime<Utc>,
    duration_minutes: i32,
    after_hours: bool,
    proactive: bool,
    visibility: Visibility,
    shadowed_by: Option<i64>,
    vendor_name: Option<String>,
    vendor_case_ref: Option<String>,
    ticket_id: Option<i64>,
    highlight: bool,
}

/// When the work started: as typed in the form (the client's local time), or an instant (the API).
#[derive(Clone, Copy, Debug)]
pub(crate) enum Start<'a> {
    Local(&'a str),
    At(DateTime<Utc>),
}

async fn check(db: &impl ConnectionTrait, form: &WorkForm, start: Start<'_>, performer: i64) -> Result<WorkInput> {
    let tenant = tenant_by_slug(db, form.client.trim()).await.missing_is_invalid("Please choose the client.")?;
    let category: Category =
        form.category.parse().map_err(|_| DomainError::Invalid("Please choose a category.".into()))?;
    let title = required_text(&form.title, "title", 200)?;
    let details = optional_text(&form.details, "details", 50_000)?.unwrap_or_default();
    let why_it_matters = optional_text(&form.why_it_matters, "“why it matters”", 500)?.unwrap_or_default();
    let state: WorkState =
        form.state.parse().map_err(|_| DomainError::Invalid("Please say whether it is planned or done.".into()))?;
    let started_at = match start {
        Start::Local(text) => parse_local(text, time_zone(&tenant))?,
        Start::At(at) => at,
    };
    let duration_minutes = parse_duration(&form.duration_minutes)?;
    if state == WorkState::Done && started_at > now() + Duration::minutes(5) {
        return Err(DomainError::Invalid("Work that is done cannot start in the future: is it planned?".into()));
    }
    let visibility: Visibility = form
        .visibility
        .parse()
        .map_err(|_| DomainError::Invalid("Please say whether the client sees this entry.".into()))?;
    let mut systems = form.systems.clone();
    systems.sort_unstable();
    systems.dedup();
    if !systems.is_empty() {
        let found = system::Entity::find()
            .filter(system::Column::TenantId.eq(tenant.id))
            .filter(system::Column::Id.is_in(systems.clone()))
            .count(db)
            .await?;
        if found != systems.len() as u64 {
            return Err(DomainError::Invalid(format!("Please choose systems of {} only.", tenant.name)));
        }
    }
    if let Some(s) = form.shadowed_by {
        technician(db, s, "person shadowing").await?;
        if s == performer {
            return Err(DomainError::Invalid("The person shadowing must be someone else.".into()));
        }
    }
    let ticket_id = match form.ticket.trim().trim_start_matches('#') {
        "" => None,
        n => {
            let number: i64 = n.parse().map_err(|_| DomainError::Invalid("Please give a ticket number.".into()))?;
            let t = ticket::Entity::find()
                .filter(ticket::Column::TenantId.eq(tenant.id))
                .filter(ticket::Column::Number.eq(number))
                .one(db)
                .await?
                .ok_or_else(|| DomainError::Invalid(format!("{} has no ticket #{number}.", tenant.name)))?;
            Some(t.id)
        }
    };
    Ok(WorkInput {
        tenant_id: tenant.id,
        systems,
        category,
        title,
        details,
        why_it_matters,
        state,
        after_hours: after_hours(&business_hours(&tenant), started_at, duration_minutes),
        started_at,
        duration_minutes,
        // Work that answers a ticket is reactive, whatever the box says.
        proactive: form.proactive && ticket_id.is_none(),
        visibility,
        shadowed_by: form.shadowed_by,
        vendor_name: optional_text(&form.vendor_name, "vendor name", 200)?,
        vendor_case_ref: optional_text(&form.vendor_case_ref, "vendor case reference", 200)?,
        ticket_id,
        highlight: form.highlight,
    })
}

/// What the form shows before saving: is this after hours for that client?
#[derive(Clone, Debug)]
pub struct AfterHoursCheck {
    pub after_hours: bool,
    /// e.g. "Tue 17 Nov 22:00–23:30 in America/New_York".
    pub local: String,
}

impl Unscoped {
    pub async fn after_hours_check(&self, client: &str, start: &str, duration: &str) -> Result<AfterHoursCheck> {
        let tenant = tenant_by_slug(self.db(), client.trim()).await.missing_is_invalid("Please choose the client.")?;
        let tz = time_zone(&tenant);
        let at = parse_local(start, tz)?;
        let minutes = parse_duration(duration)?;
        let end = at + Duration::minutes(minutes as i64);
        Ok(AfterHoursCheck {
            after_hours: after_hours(&business_hours(&tenant), at, minutes),
            local: format!(
                "{}–{} in {}",
                at.with_timezone(&tz).format("%a %-d %b %H:%M"),
                end.with_timezone(&tz).format("%H:%M"),
                tz.name()
            ),
        })
    }

    /// One entry as the edit form shows it.
    pub async fn work_for_edit(&self, id: i64) -> Result<(WorkForm, WorkState, String)> {
        let e = work_entry::Entity::find_by_id(id).one(self.db()).await?.ok_or(DomainError::NotFound)?;
        let tenant = crate::entities::tenant::Entity::find_by_id(e.tenant_id)
            .one(self.db())
            .await?
            .ok_or(DomainError::NotFound)?;
        let systems = systems_of(self.db(), id).await?;
        let ticket = match e.ticket_id {
            Some(t) => ticket::Entity::find_by_id(t).one(self.db()).await?.map(|t| t.number),
            None => None,
        };
        let state = e.state;
        Ok((form_of(&e, &tenant, systems, ticket), state, tenant.name))
    }

    /// The client this person logged work for last, for the form's default.
    pub async fn last_client_of(&self, user_id: i64) -> Result<Option<String>> {
        use sea_orm::QuerySelect;
        let Some(last) = work_entry::Entity::find()
            .filter(work_entry::Column::PerformedBy.eq(user_id))
            .order_by_desc(work_entry::Column::CreatedAt)
            .order_by_desc(work_entry::Column::Id)
            .limit(1)
            .one(self.db())
            .await?
        else {
            return Ok(None);
        };
        Ok(crate::entities::tenant::Entity::find_by_id(last.tenant_id).one(self.db()).await?.map(|t| t.slug))
    }
}

fn time_zone_of(name: &str) -> chrono_tz::Tz {
    name.parse().unwrap_or(chrono_tz::UTC)
}

async fn link_systems(db: &impl ConnectionTrait, tenant_id: i64, entry: i64, systems: &[i64]) -> Result<()> {
    work_entry_system::Entity::delete_many().filter(work_entry_system::Column::WorkEntryId.eq(entry)).exec(db).await?;
    for s in systems {
        work_entry_system::ActiveModel { tenant_id: Set(tenant_id), work_entry_id: Set(entry), system_id: Set(*s) }
            .insert(db)
            .await?;
    }
    Ok(())
}

/// Done and client-visible: what the client reads.
pub(crate) fn is_public(e: &work_entry::Model) -> bool {
    e.state == WorkState::Done && e.visibility == vocabulary::Visibility::Client
}

/// Tells the webhooks that a client can now read this entry (if it can).
pub(crate) async fn published(tx: &impl ConnectionTrait, e: &work_entry::Model) -> Result<()> {
    if !is_public(e) {
        return Ok(());
    }
    let client =
        crate::entities::tenant::Entity::find_by_id(e.tenant_id).one(tx).await?.ok_or(DomainError::NotFound)?;
    crate::webhooks::emit(
        tx,
        crate::webhooks::Notice {
            event: vocabulary::WebhookEvent::WorkPublished,
            text: format!("{}: {}", client.name, e.title),
            data: serde_json::json!({
                "client": client.slug, "id": e.id, "category": e.category, "title": e.title,
                "why_it_matters": e.why_it_matters, "started_at": e.started_at.to_rfc3339(),
                "after_hours": e.after_hours, "automated": e.automated,
            }),
        },
    )
    .await
}

/// What saving an entry came to: its id and its client.
#[derive(Clone, Debug)]
pub struct Saved {
    pub id: i64,
    pub tenant_id: i64,
    pub tenant_slug: String,
    pub after_hours: bool,
    /// The entry's title, for the audit log.
    pub title: String,
    /// What an edit changed, for the audit log (`None` for a new entry, or an edit that changed
    /// nothing).
    pub changes: Option<String>,
}

impl Saved {
    /// The entry as the audit log names it.
    pub fn target(&self) -> String {
        format!("work entry {}: {}", self.id, self.title)
    }
}

impl Editor {
    /// Logs a piece of work, performed by this editor.
    pub async fn log_work(&self, form: &WorkForm) -> Result<Saved> {
        let tx = crate::db::write(self.db()).await?;
        let saved = insert_work(&tx, form, Start::Local(&form.start), self.user.id).await?;
        audit::by(&tx, &self.user, Some(saved.tenant_id), AuditAction::WorkLogged, &saved.target(), None).await?;
        tx.commit().await?;
        Ok(saved)
    }

    /// Edits an entry (its performer stays who did it). The client may change: the entry moves.
    /// Answers the emails to MSP admins when it was marked done without the client's approval.
    pub async fn update_work(&self, id: i64, form: &WorkForm, base_url: &str) -> Result<(Saved, Vec<Email>)> {
        let tx = crate::db::write(self.db()).await?;
        let existing = work_entry::Entity::find_by_id(id).one(&tx).await?.ok_or(DomainError::NotFound)?;
        let saved = rewrite_work(&tx, existing, form, Start::Local(&form.start)).await?;
        let after = work_entry::Entity::find_by_id(id).one(&tx).await?.ok_or(DomainError::NotFound)?;
        let alerts = if after.state == WorkState::Done {
            crate::approvals::done_without_approval(&tx, &after, &self.user, base_url).await?
        } else {
            Vec::new()
        };
        audit::by(
            &tx,
            &self.user,
            Some(saved.tenant_id),
            AuditAction::WorkEdited,
            &saved.target(),
            saved.changes.clone(),
        )
        .await?;
        tx.commit().await?;
        Ok((saved, alerts))
    }

    /// Marks a planned entry done. Planned for later but done now: it started now. Answers the
    /// emails to MSP admins when the client had been asked to approve it and had not.
    pub async fn mark_done(&self, id: i64, base_url: &str) -> Result<Vec<Email>> {
        let tx = crate::db::write(self.db()).await?;
        let e = work_entry::Entity::find_by_id(id).one(&tx).await?.ok_or(DomainError::NotFound)?;
        if e.state == WorkState::Done {
            return Err(DomainError::Invalid("This work is already done.".into()));
        }
        let tenant =
            crate::entities::tenant::Entity::find_by_id(e.tenant_id).one(&tx).await?.ok_or(DomainError::NotFound)?;
        let t = now();
        let started = e.started_at.min(t);
        let mut row = e.clone().into_active_model();
        row.state = Set(WorkState::Done);
        row.started_at = Set(started);
        row.after_hours = Set(after_hours(&business_hours(&tenant), started, e.duration_minutes));
        row.updated_at = Set(t);
        let done = row.update(&tx).await?;
        let target = format!("work entry {}: {}", e.id, e.title);
        audit::by(&tx, &self.user, Some(e.tenant_id), AuditAction::WorkMarkedDone, &target, None).await?;
        let alerts = crate::approvals::done_without_approval(&tx, &done, &self.user, base_url).await?;
        tx.commit().await?;
        Ok(alerts)
    }

    /// Deletes an entry, and says so in the audit log.
    pub async fn delete_work(&self, id: i64) -> Result<String> {
        let tx = crate::db::write(self.db()).await?;
        let e = work_entry::Entity::find_by_id(id).one(&tx).await?.ok_or(DomainError::NotFound)?;
        let slug = super::slug_of(&tx, e.tenant_id).await?;
        remove_work(&tx, e, Some(&self.user), "").await?;
        tx.commit().await?;
        Ok(slug)
    }
}

/// Saves a new entry, performed by `performer`, inside the caller's transaction.
pub(crate) async fn insert_work(
    tx: &impl ConnectionTrait,
    form: &WorkForm,
    start: Start<'_>,
    performer: i64,
) -> Result<Saved> {
    let w = check(tx, form, start, performer).await?;
    let t = now();
    let row = work_entry::ActiveModel {
        tenant_id: Set(w.tenant_id),
        category: Set(w.category),
        title: Set(w.title),
        details: Set(w.details),
        why_it_matters: Set(w.why_it_matters),
        state: Set(w.state),
        started_at: Set(w.started_at),
        duration_minutes: Set(w.duration_minutes),
        after_hours: Set(w.after_hours),
        proactive: Set(w.proactive),
        visibility: Set(w.visibility),
        performed_by: Set(performer),
        shadowed_by: Set(w.shadowed_by),
        vendor_name: Set(w.vendor_name),
        vendor_case_ref: Set(w.vendor_case_ref),
        ticket_id: Set(w.ticket_id),
        highlight: Set(w.highlight),
        created_at: Set(t),
        updated_at: Set(t),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    link_systems(tx, w.tenant_id, row.id, &w.systems).await?;
    published(tx, &row).await?;
    Ok(Saved {
        id: row.id,
        tenant_id: row.tenant_id,
        tenant_slug: form.client.trim().to_string(),
        after_hours: w.after_hours,
        title: row.title.clone(),
        changes: None,
    })
}

/// Rewrites an entry from a form, inside the caller's transaction (its performer stays).
pub(crate) async fn rewrite_work(
    tx: &impl ConnectionTrait,
    existing: work_entry::Model,
    form: &WorkForm,
    start: Start<'_>,
) -> Result<Saved> {
    let id = existing.id;
    let was_public = is_public(&existing);
    let before = existing.clone();
    let systems_before = systems_of(tx, id).await?;
    let w = check(tx, form, start, existing.performed_by).await?;
    crate::approvals::check_edit(tx, &existing, w.tenant_id, w.visibility, w.state, w.started_at).await?;
    if w.tenant_id != existing.tenant_id {
        // The links belong to the old tenant: remove them before the row moves.
        link_systems(tx, existing.tenant_id, id, &[]).await?;
    }
    let mut row = existing.into_active_model();
    row.tenant_id = Set(w.tenant_id);
    row.category = Set(w.category);
    row.title = Set(w.title);
    row.details = Set(w.details);
    row.why_it_matters = Set(w.why_it_matters);
    row.state = Set(w.state);
    row.started_at = Set(w.started_at);
    row.duration_minutes = Set(w.duration_minutes);
    row.after_hours = Set(w.after_hours);
    row.proactive = Set(w.proactive);
    row.visibility = Set(w.visibility);
    row.shadowed_by = Set(w.shadowed_by);
    row.vendor_name = Set(w.vendor_name);
    row.vendor_case_ref = Set(w.vendor_case_ref);
    row.ticket_id = Set(w.ticket_id);
    row.highlight = Set(w.highlight);
    row.updated_at = Set(now());
    let saved = row.update(tx).await?;
    link_systems(tx, w.tenant_id, id, &w.systems).await?;
    let changes = changes(&before, &saved, &systems_before, &systems_of(tx, id).await?);
    if !was_public {
        published(tx, &saved).await?;
    }
    // Automated work a person (or a tool, by the API) has edited is kept: the tools' later events
    // leave it be.
    crate::entities::integration_run::Entity::update_many()
        .col_expr(crate::entities::integration_run::Column::KeptByStaff, sea_orm::sea_query::Expr::value(true))
        .filter(crate::entities::integration_run::Column::WorkEntryId.eq(id))
        .exec(tx)
        .await?;
    Ok(Saved {
        id,
        tenant_id: saved.tenant_id,
        tenant_slug: form.client.trim().to_string(),
        after_hours: w.after_hours,
        title: saved.title.clone(),
        changes,
    })
}

/// The systems an entry is linked to, in order.
async fn systems_of(tx: &impl ConnectionTrait, id: i64) -> Result<Vec<i64>> {
    let mut ids: Vec<i64> = work_entry_system::Entity::find()
        .filter(work_entry_system::Column::WorkEntryId.eq(id))
        .all(tx)
        .await?
        .into_iter()
        .map(|l| l.system_id)
        .collect();
    ids.sort_unstable();
    Ok(ids)
}

/// What an edit changed, as the audit log says it; a change that lets the client read an entry
/// they could not is said outright.
fn changes(
    before: &work_entry::Model,
    after: &work_entry::Model,
    systems_before: &[i64],
    systems_after: &[i64],
) -> Option<String> {
    let mut c = audit::Changes::default();
    c.field("client", &before.tenant_id, &after.tenant_id)
        .field("category", &before.category, &after.category)
        .field("title", &before.title, &after.title)
        .field("details", &before.details, &after.details)
        .field("why it matters", &before.why_it_matters, &after.why_it_matters)
        .field("state", &before.state, &after.state)
        .field("when", &before.started_at, &after.started_at)
        .field("duration", &before.duration_minutes, &after.duration_minutes)
        .field("visibility", &before.visibility, &after.visibility)
        .field("shadowed by", &before.shadowed_by, &after.shadowed_by)
        .field("vendor", &(&before.vendor_name, &before.vendor_case_ref), &(&after.vendor_name, &after.vendor_case_ref))
        .field("ticket", &before.ticket_id, &after.ticket_id)
        .field("highlight", &before.highlight, &after.highlight)
        .field("systems", &systems_before, &systems_after);
    let mut text = c.summary()?;
    if before.visibility != after.visibility {
        text.push_str(&format!("; visibility: {} → {}", before.visibility.as_str(), after.visibility.as_str()));
        if after.visibility == vocabulary::Visibility::Client {
            text.push_str(" (now shown to the client)");
        }
    }
    Some(text)
}

/// Deletes an entry and audits it (`via`: who, when no person did, e.g. "token ninja: ").
pub(crate) async fn remove_work(
    tx: &impl ConnectionTrait,
    e: work_entry::Model,
    person: Option<&crate::auth::CurrentUser>,
    via: &str,
) -> Result<()> {
    work_entry::Entity::delete_by_id(e.id).exec(tx).await?;
    let target = format!("{via}work entry {}: {}", e.id, e.title);
    match person {
        Some(who) => audit::by(tx, who, Some(e.tenant_id), AuditAction::WorkDeleted, &target, None).await?,
        None => audit::record(tx, None, Some(e.tenant_id), AuditAction::WorkDeleted, &target, None).await?,
    }
    Ok(())
}

/// A work entry's form, as the edit page fills it in (the API rewrites entries through it).
pub(crate) fn form_of(
    e: &work_entry::Model,
    client: &crate::entities::tenant::Model,
    systems: Vec<i64>,
    ticket: Option<i64>,
) -> WorkForm {
    WorkForm {
        client: client.slug.clone(),
        systems,
        category: e.category.as_str().into(),
        title: e.title.clone(),
        details: e.details.clone(),
        why_it_matters: e.why_it_matters.clone(),
        state: e.state.as_str().into(),
        start: e.started_at.with_timezone(&time_zone_of(&client.time_zone)).format("%Y-%m-%dT%H:%M").to_string(),
        duration_minutes: e.duration_minutes.to_string(),
        proactive: e.proactive,
        visibility: e.visibility.as_str().into(),
        shadowed_by: e.shadowed_by,
        vendor_name: e.vendor_name.clone().unwrap_or_default(),
        vendor_case_ref: e.vendor_case_ref.clone().unwrap_or_default(),
        ticket: ticket.map(|n| n.to_string()).unwrap_or_default(),
        highlight: e.highlight,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_times_across_clock_changes() {
        let ny = chrono_tz::America::New_York;
        // 02:30 on 8 March 2026 does not exist in New York.
        assert!(parse_local("2026-03-08T02:30", ny).is_err());
        // 01:30 on 1 November 2026 happens twice: the first (EDT, UTC-4) is meant.
        assert_eq!(parse_local("2026-11-01T01:30", ny).unwrap(), Utc.with_ymd_and_hms(2026, 11, 1, 5, 30, 0).unwrap());
        assert_eq!(parse_local("2026-11-17 22:00", ny).unwrap(), Utc.with_ymd_and_hms(2026, 11, 18, 3, 0, 0).unwrap());
        assert!(parse_local("yesterday", ny).is_err());
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("30").unwrap(), 30);
        assert_eq!(parse_duration("1:30").unwrap(), 90);
        assert!(parse_duration("0").is_err());
        assert!(parse_duration("-5").is_err());
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("1:-30").is_err());
        assert!(parse_duration("0:90").is_err());
        assert!(parse_duration(&(MAX_MINUTES + 1).to_string()).is_err());
    }
}
