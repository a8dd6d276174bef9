//! Events from RMM and backup tools (`POST /api/v1/events`).
//!
//! An event is upserted on (client, source, external id): sending it again changes nothing, and a
//! changed one is updated. Events are grouped into *runs*, one per client, source and kind each
//! night (noon to noon in the client's time zone), and a run is read by the client as one work
//! entry in plain words ("Patched 14 computers overnight; 1 needed a second try"), marked as
//! recorded by automation. A run that ended with a failure is internal until a tech decides what
//! the client sees; once a person edits the entry, automation leaves its words and visibility
//! alone; once a person deletes it, automation does not bring it back. The events themselves stay
//! for staff.

use super::tokens::ApiCaller;
use crate::entities::{
    automation_wording, coverage, integration_event, integration_run, system, system_ref, tenant, user, work_entry,
    work_entry_system,
};
use crate::error::{DomainError, Result};
use crate::rules::after_hours;
use crate::staff::{business_hours, time_zone};
use crate::time::now;
use chrono::{DateTime, Duration, NaiveDate, Timelike, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use vocabulary::{ApiPermission, CoverageRole, EventKind, EventResult, Role, Visibility, WorkState};

/// At most this many events in one request.
pub const MAX_BATCH: usize = 500;
/// Longest stored title and details.
const MAX_TITLE: usize = 200;
const MAX_DETAILS: usize = 10_000;

/// One event as a tool sends it.
#[derive(Clone, Debug, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventIn {
    /// The tool that sent it, e.g. `ninjaone`; with `external_id`, the event's identity.
    #[schema(min_length = 1, max_length = 100, example = "ninjaone")]
    pub source: String,
    /// The tool's own id for this event.
    #[schema(min_length = 1, max_length = 200, example = "patch-run-8841-FS01")]
    pub external_id: String,
    /// The client's slug, or the reference it has in the MSP's tools.
    #[schema(min_length = 1, max_length = 100, example = "acme-dental")]
    pub client: String,
    /// The system as the tool knows it: an external ref, a hostname or a serial number.
    #[schema(min_length = 1, max_length = 200, example = "ACME-FS01")]
    pub system: String,
    pub kind: EventKind,
    /// When it happened (RFC 3339, with an offset).
    #[schema(example = "2026-12-02T02:14:00Z")]
    pub occurred_at: DateTime<Utc>,
    #[schema(minimum = 0, maximum = 1440)]
    pub duration_minutes: Option<i32>,
    pub result: EventResult,
    #[schema(max_length = 200)]
    pub title: Option<String>,
    #[schema(max_length = 10000)]
    pub details: Option<String>,
    /// A staff member's email, or `automation` (the default).
    #[schema(example = "automation")]
    pub actor: Option<String>,
    /// `internal` keeps the work from the client; `client` (the default) lets it show.
    pub visibility: Option<Visibility>,
}

/// What became of one event of the batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Created,
    Updated,
    Unchanged,
    Rejected,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ItemReport {
    /// The event's position in the request, from 0.
    pub index: usize,
    pub external_id: Option<String>,
    pub outcome: Outcome,
    /// For a rejected event: the field at fault, when one is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// For a rejected event: why, in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct IngestReport {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub rejected: usize,
    pub items: Vec<ItemReport>,
}

/// The batch as sent: each event is read on its own, so one malformed event is rejected alone.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
pub struct EventBatch {
    #[schema(value_type = Vec<EventIn>, max_items = 500)]
    pub events: Vec<serde_json::Value>,
}

/// The right to send events: a token with the `ingest` permission, within its scope.
#[derive(Clone, Debug)]
pub struct Ingest {
    caller: ApiCaller,
}

impl ApiCaller {
    pub fn ingest(&self) -> Option<Ingest> {
        self.may(ApiPermission::Ingest).then(|| Ingest { caller: self.clone() })
    }
}

/// A checked event, ready to store.
#[derive(Clone, Debug)]
struct Valid {
    tenant: i64,
    source: String,
    external_id: String,
    system_ref: String,
    system_id: Option<i64>,
    kind: EventKind,
    occurred_at: DateTime<Utc>,
    duration_minutes: Option<i32>,
    result: EventResult,
    title: Option<String>,
    details: String,
    actor: Option<i64>,
    visibility: Option<Visibility>,
    hash: String,
}

/// A rejection: the field and the reason.
struct Reject(Option<&'static str>, String);

fn reject(field: &'static str, reason: impl Into<String>) -> Reject {
    Reject(Some(field), reason.into())
}

/// Per-batch look-ups, so 500 events for one client cost a handful of queries.
#[derive(Default)]
struct Lookups {
    clients: HashMap<String, Option<tenant::Model>>,
    /// Per tenant: normalised name or ref → system.
    systems: HashMap<i64, HashMap<String, i64>>,
    actors: HashMap<String, Option<i64>>,
}

/// How refs and names are compared: trimmed, lower-case.
pub(crate) fn normalise(name: &str) -> String {
    name.trim().to_lowercase()
}

impl Lookups {
    async fn client(
        &mut self,
        db: &impl ConnectionTrait,
        caller: &ApiCaller,
        name: &str,
    ) -> Result<Option<tenant::Model>> {
        let key = name.trim().to_string();
        if !self.clients.contains_key(&key) {
            let found = tenant::Entity::find()
                .filter(
                    sea_orm::Condition::any()
                        .add(tenant::Column::Slug.eq(key.as_str()))
                        .add(tenant::Column::ExternalRef.eq(key.as_str())),
                )
                .filter(tenant::Column::Status.eq(vocabulary::TenantStatus::Active))
                .one(db)
                .await?;
            self.clients.insert(key.clone(), found);
        }
        // Outside the token's scope is the same as unknown.
        Ok(self.clients[&key].clone().filter(|t| caller.reaches(t.id)))
    }

    async fn system(&mut self, db: &impl ConnectionTrait, tenant_id: i64, name: &str) -> Result<Option<i64>> {
        if !self.systems.contains_key(&tenant_id) {
            let mut map = HashMap::new();
            for s in system::Entity::find().filter(system::Column::TenantId.eq(tenant_id)).all(db).await? {
                map.entry(normalise(&s.name)).or_insert(s.id);
            }
            // A mapping made by staff wins over a name that happens to match.
            for r in system_ref::Entity::find().filter(system_ref::Column::TenantId.eq(tenant_id)).all(db).await? {
                map.insert(r.ref_name, r.system_id);
            }
            self.systems.insert(tenant_id, map);
        }
        Ok(self.systems[&tenant_id].get(&normalise(name)).copied())
    }

    async fn actor(&mut self, db: &impl ConnectionTrait, email: &str) -> Result<Option<i64>> {
        let key = email.trim().to_lowercase();
        if !self.actors.contains_key(&key) {
            let found = user::Entity::find()
                .filter(user::Column::Email.eq(key.as_str()))
                .filter(user::Column::Active.eq(true))
                .one(db)
                .await?
                .filter(|u| u.role.does_the_work())
                .map(|u| u.id);
            self.actors.insert(key.clone(), found);
        }
        Ok(self.actors[&key])
    }
}

fn text_field(value: &str, field: &'static str, max: usize) -> std::result::Result<String, Reject> {
    let v = value.trim();
    if v.is_empty() {
        return Err(reject(field, format!("{field} is empty")));
    }
    if v.chars().count() > max {
        return Err(reject(field, format!("{field} is longer than {max} characters")));
    }
    if v.chars().any(char::is_control) {
        return Err(reject(field, format!("{field} contains control characters")));
    }
    Ok(v.to_string())
}

fn optional_text(
    value: &Option<String>,
    field: &'static str,
    max: usize,
) -> std::result::Result<Option<String>, Reject> {
    match value.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) if v.chars().count() > max => Err(reject(field, format!("{field} is longer than {max} characters"))),
        Some(v) => Ok(Some(v.to_string())),
    }
}

/// Reads and checks one event; database look-ups only read.
async fn check(
    db: &impl ConnectionTrait,
    caller: &ApiCaller,
    lookups: &mut Lookups,
    raw: serde_json::Value,
) -> Result<std::result::Result<Valid, Reject>> {
    let e: EventIn = match serde_json::from_value(raw) {
        Ok(e) => e,
        Err(err) => return Ok(Err(Reject(None, format!("not a valid event: {err}")))),
    };
    let parsed = (|| -> std::result::Result<_, Reject> {
        Ok((
            text_field(&e.source, "source", 100)?.to_lowercase(),
            text_field(&e.external_id, "external_id", 200)?,
            text_field(&e.system, "system", 200)?,
            optional_text(&e.title, "title", MAX_TITLE)?,
            optional_text(&e.details, "details", MAX_DETAILS)?.unwrap_or_default(),
        ))
    })();
    let (source, external_id, system_ref, title, details) = match parsed {
        Ok(p) => p,
        Err(r) => return Ok(Err(r)),
    };
    if let Some(d) = e.duration_minutes {
        if !(0..=1440).contains(&d) {
            return Ok(Err(reject("duration_minutes", "duration_minutes must be from 0 to 1440")));
        }
    }
    if e.occurred_at > now() + Duration::minutes(5) {
        return Ok(Err(reject("occurred_at", "occurred_at is in the future")));
    }
    let Some(client) = lookups.client(db, caller, &e.client).await? else {
        return Ok(Err(reject("client", format!("no client answers to {:?}", e.client.trim()))));
    };
    let actor = match e.actor.as_deref().map(str::trim) {
        None | Some("") | Some("automation") => None,
        Some(email) => match lookups.actor(db, email).await? {
            Some(id) => Some(id),
            None => return Ok(Err(reject("actor", "actor must be \"automation\" or the email of a tech"))),
        },
    };
    let system_id = lookups.system(db, client.id, &system_ref).await?;
    // The identity of what was said, to tell a repeat from a change.
    let hash = hex::encode(Sha256::digest(
        serde_json::json!([
            client.id,
            &system_ref,
            e.kind,
            e.occurred_at.to_rfc3339(),
            e.duration_minutes,
            e.result,
            &title,
            &details,
            actor,
            e.visibility
        ])
        .to_string(),
    ));
    Ok(Ok(Valid {
        tenant: client.id,
        source,
        external_id,
        system_ref,
        system_id,
        kind: e.kind,
        occurred_at: e.occurred_at,
        duration_minutes: e.duration_minutes,
        result: e.result,
        title,
        details,
        actor,
        visibility: e.visibility,
        hash,
    }))
}

/// The night an event belongs to: noon to noon in the client's time zone, named by its first day.
pub fn run_day(at: DateTime<Utc>, tz: chrono_tz::Tz) -> NaiveDate {
    (at.with_timezone(&tz) - Duration::hours(12)).date_naive()
}

impl Ingest {
    /// Stores a batch: each event checked on its own (a bad one is rejected with its reason and
    /// leaves nothing behind), the good ones upserted, and the runs they touch rewritten, all in
    /// one transaction.
    pub async fn events(&self, batch: Vec<serde_json::Value>) -> Result<IngestReport> {
        if batch.len() > MAX_BATCH {
            return Err(DomainError::Invalid(format!("at most {MAX_BATCH} events per request")));
        }
        let db = self.caller.db();
        let mut report = IngestReport::default();
        let mut lookups = Lookups::default();
        let mut checked = Vec::with_capacity(batch.len());
        for (index, raw) in batch.into_iter().enumerate() {
            let external_id = raw.get("external_id").and_then(|v| v.as_str()).map(str::to_string);
            checked.push((index, external_id, check(db, &self.caller, &mut lookups, raw).await?));
        }
        let tx = crate::db::write(db).await?;
        // The clients the batch named, as the checks read them.
        let tenants: HashMap<i64, tenant::Model> = lookups.clients.into_values().flatten().map(|t| (t.id, t)).collect();
        let mut touched: BTreeSet<i64> = BTreeSet::new();
        for (index, external_id, result) in checked {
            let outcome = match result {
                Err(Reject(field, reason)) => {
                    report.items.push(ItemReport {
                        index,
                        external_id,
                        outcome: Outcome::Rejected,
                        field: field.map(str::to_string),
                        reason: Some(reason),
                    });
                    report.rejected += 1;
                    continue;
                }
                Ok(v) => upsert(&tx, &tenants[&v.tenant], v, &mut touched).await?,
            };
            match outcome {
                Outcome::Created => report.created += 1,
                Outcome::Updated => report.updated += 1,
                _ => report.unchanged += 1,
            }
            report.items.push(ItemReport { index, external_id, outcome, field: None, reason: None });
        }
        for run in touched {
            rewrite_run(&tx, run).await?;
        }
        tx.commit().await?;
        Ok(report)
    }
}

async fn run_for(
    tx: &DatabaseTransaction,
    tenant: &tenant::Model,
    source: &str,
    kind: EventKind,
    day: NaiveDate,
) -> Result<i64> {
    let existing = integration_run::Entity::find()
        .filter(integration_run::Column::TenantId.eq(tenant.id))
        .filter(integration_run::Column::Source.eq(source))
        .filter(integration_run::Column::Kind.eq(kind))
        .filter(integration_run::Column::RunDay.eq(day))
        .one(tx)
        .await?;
    if let Some(r) = existing {
        return Ok(r.id);
    }
    let r = integration_run::ActiveModel {
        tenant_id: Set(tenant.id),
        source: Set(source.to_string()),
        kind: Set(kind),
        run_day: Set(day),
        work_entry_id: Set(None),
        generated_at: Set(None),
        kept_by_staff: Set(false),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    Ok(r.id)
}

async fn upsert(
    tx: &DatabaseTransaction,
    tenant: &tenant::Model,
    v: Valid,
    touched: &mut BTreeSet<i64>,
) -> Result<Outcome> {
    let existing = integration_event::Entity::find()
        .filter(integration_event::Column::TenantId.eq(v.tenant))
        .filter(integration_event::Column::Source.eq(v.source.as_str()))
        .filter(integration_event::Column::ExternalId.eq(v.external_id.as_str()))
        .one(tx)
        .await?;
    if existing.as_ref().is_some_and(|e| e.content_hash == v.hash) {
        return Ok(Outcome::Unchanged);
    }
    let run = run_for(tx, tenant, &v.source, v.kind, run_day(v.occurred_at, time_zone(tenant))).await?;
    touched.insert(run);
    let t = now();
    let outcome = if existing.is_some() { Outcome::Updated } else { Outcome::Created };
    let mut row = match existing {
        Some(e) => {
            touched.insert(e.run_id);
            e.into_active_model()
        }
        None => integration_event::ActiveModel {
            tenant_id: Set(v.tenant),
            source: Set(v.source),
            external_id: Set(v.external_id),
            received_at: Set(t),
            ..Default::default()
        },
    };
    row.run_id = Set(run);
    row.system_ref = Set(v.system_ref);
    row.system_id = Set(v.system_id);
    row.kind = Set(v.kind);
    row.occurred_at = Set(v.occurred_at);
    row.duration_minutes = Set(v.duration_minutes);
    row.result = Set(v.result);
    row.title = Set(v.title);
    row.details = Set(v.details);
    row.actor_id = Set(v.actor);
    row.visibility = Set(v.visibility);
    row.content_hash = Set(v.hash);
    row.updated_at = Set(t);
    row.save(tx).await?;
    Ok(outcome)
}

/// How one system fared in a run.
#[derive(Clone, Debug)]
struct SystemRun {
    name: String,
    system_id: Option<i64>,
    last: EventResult,
    /// Failed or partly done first, then succeeded.
    second_try: bool,
    title: Option<String>,
}

/// The work entry a run reads as, in the client's words.
#[derive(Clone, Debug, PartialEq)]
pub struct RunText {
    pub title: String,
    pub details: String,
    pub why_it_matters: String,
    pub visibility: Visibility,
}

/// The default *why it matters* of each kind of event, in a client's words.
pub fn why_it_matters(kind: EventKind) -> &'static str {
    match kind {
        EventKind::Patch => {
            "Patches close the security holes attackers use, so your computers stay safe without interrupting your day."
        }
        EventKind::BackupCheck => {
            "Checking that backups really ran means your data can be brought back if something goes wrong."
        }
        EventKind::Maintenance => {
            "Regular maintenance keeps your systems quick and reliable and catches problems before they stop your work."
        }
        EventKind::Upgrade => "Upgrades keep your systems supported by their makers, with the latest fixes.",
        EventKind::Security => "Security checks find weak spots before attackers do.",
        EventKind::Monitoring => "Watching your systems around the clock lets us fix problems before you notice them.",
        EventKind::Vendor => "We dealt with the vendor, so you didn't have to.",
    }
}

fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 { format!("1 {one}") } else { format!("{n} {many}") }
}

/// Words for a run: what was done, on how many systems, when, and what needed a second try.
fn run_text(kind: EventKind, source: &str, systems: &[SystemRun], when: &str, events_internal: bool) -> RunText {
    let n = systems.len();
    let what = if n == 1 {
        systems[0].name.clone()
    } else if kind == EventKind::Patch {
        count(n, "computer", "computers")
    } else {
        count(n, "system", "systems")
    };
    let mut title = match kind {
        EventKind::Patch => format!("Patched {what}"),
        EventKind::BackupCheck if n == 1 => format!("Checked the backup of {what}"),
        EventKind::BackupCheck => format!("Checked the backups of {what}"),
        EventKind::Maintenance => format!("Maintenance on {what}"),
        EventKind::Upgrade => format!("Upgraded {what}"),
        EventKind::Security => format!("Security checks on {what}"),
        EventKind::Monitoring => format!("Health checks on {what}"),
        EventKind::Vendor => format!("Vendor work on {what}"),
    };
    if !when.is_empty() {
        title.push(' ');
        title.push_str(when);
    }
    let retried = systems.iter().filter(|s| s.second_try && s.last == EventResult::Succeeded).count();
    let failed = systems.iter().filter(|s| s.last == EventResult::Failed).count();
    let partial = systems.iter().filter(|s| s.last == EventResult::Partial).count();
    // "1 needed a second try" of many; "it needed a second try" of one.
    let of = |k: usize| if n == 1 { "it".to_string() } else { k.to_string() };
    if retried > 0 {
        title.push_str(&format!("; {} needed a second try", of(retried)));
    }
    if failed > 0 {
        title.push_str(&format!("; {} failed", of(failed)));
    }
    if partial > 0 {
        title.push_str(&format!(
            "; {} {} only partly done",
            of(partial),
            if n == 1 || partial == 1 { "was" } else { "were" }
        ));
    }
    let mut details = format!("Recorded automatically by {source}.\n\n");
    for s in systems {
        let mut line = format!("- **{}**: {}", s.name, s.last.label().to_lowercase());
        if s.second_try && s.last == EventResult::Succeeded {
            line.push_str(" (on the second try)");
        }
        if let Some(t) = &s.title {
            line.push_str(&format!(" — {t}"));
        }
        details.push_str(&line);
        details.push('\n');
    }
    let visibility =
        if failed > 0 || partial > 0 || events_internal { Visibility::Internal } else { Visibility::Client };
    RunText {
        title: title.chars().take(MAX_TITLE).collect(),
        details,
        why_it_matters: why_it_matters(kind).to_string(),
        visibility,
    }
}

/// "overnight" when every event fell between 18:00 and 07:00 local time outside working hours,
/// "after hours" when the run was outside them otherwise, else nothing.
fn when_words(events: &[integration_event::Model], tz: chrono_tz::Tz, after_hours: bool) -> &'static str {
    if !after_hours {
        return "";
    }
    let night = events.iter().all(|e| {
        let h = e.occurred_at.with_timezone(&tz).hour();
        !(7..18).contains(&h)
    });
    if night { "overnight" } else { "after hours" }
}

/// Who the entry is recorded under: the person named by the events, else the client's primary
/// tech, else the first MSP admin. (The client reads "recorded by automation", not this name.)
async fn performer(tx: &DatabaseTransaction, tenant_id: i64, events: &[integration_event::Model]) -> Result<i64> {
    if let Some(a) = events.iter().rev().find_map(|e| e.actor_id) {
        return Ok(a);
    }
    let primary = coverage::Entity::find()
        .filter(coverage::Column::TenantId.eq(tenant_id))
        .filter(coverage::Column::SystemId.is_null())
        .filter(coverage::Column::Role.eq(CoverageRole::Primary))
        .one(tx)
        .await?;
    if let Some(p) = primary {
        return Ok(p.user_id);
    }
    let admin = user::Entity::find()
        .filter(user::Column::Role.eq(Role::MspAdmin))
        .order_by_asc(user::Column::Id)
        .one(tx)
        .await?;
    admin
        .map(|u| u.id)
        .ok_or_else(|| DomainError::Conflict("There is no MSP admin to record automated work under.".into()))
}

/// Rewrites the work entry of a run from its events.
pub(crate) async fn rewrite_run(tx: &DatabaseTransaction, run_id: i64) -> Result<()> {
    let Some(run) = integration_run::Entity::find_by_id(run_id).one(tx).await? else { return Ok(()) };
    let events = integration_event::Entity::find()
        .filter(integration_event::Column::RunId.eq(run.id))
        .order_by_asc(integration_event::Column::OccurredAt)
        .order_by_asc(integration_event::Column::Id)
        .all(tx)
        .await?;
    let entry = match run.work_entry_id {
        Some(id) => work_entry::Entity::find_by_id(id).one(tx).await?,
        None => None,
    };
    // Deleted by a person: their decision stands.
    if entry.is_none() && run.generated_at.is_some() {
        return Ok(());
    }
    if events.is_empty() {
        if let Some(e) = entry {
            if !run.kept_by_staff {
                work_entry::Entity::delete_by_id(e.id).exec(tx).await?;
            }
        }
        return Ok(());
    }
    let tenant = tenant::Entity::find_by_id(run.tenant_id).one(tx).await?.ok_or(DomainError::NotFound)?;
    let tz = time_zone(&tenant);
    let names: HashMap<i64, String> = system::Entity::find()
        .filter(system::Column::TenantId.eq(tenant.id))
        .all(tx)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    // One line per system, in the order they first appear.
    let mut systems: BTreeMap<String, (usize, SystemRun)> = BTreeMap::new();
    for (i, e) in events.iter().enumerate() {
        let key = e.system_id.map_or_else(|| format!("ref:{}", normalise(&e.system_ref)), |id| format!("id:{id}"));
        let name = e.system_id.and_then(|id| names.get(&id).cloned()).unwrap_or_else(|| e.system_ref.clone());
        let slot = systems
            .entry(key)
            .or_insert((i, SystemRun { name, system_id: e.system_id, last: e.result, second_try: false, title: None }));
        if slot.1.last != EventResult::Succeeded && e.result == EventResult::Succeeded && slot.0 != i {
            slot.1.second_try = true;
        }
        slot.1.last = e.result;
        if e.title.is_some() {
            slot.1.title = e.title.clone();
        }
    }
    let mut systems: Vec<(usize, SystemRun)> = systems.into_values().collect();
    systems.sort_by_key(|(first, _)| *first);
    let systems: Vec<SystemRun> = systems.into_iter().map(|(_, s)| s).collect();
    let started = events.iter().map(|e| e.occurred_at).min().expect("a run has events");
    let ended = events
        .iter()
        .map(|e| e.occurred_at + Duration::minutes(e.duration_minutes.unwrap_or(0) as i64))
        .max()
        .expect("a run has events");
    let minutes = ((ended - started).num_minutes()).clamp(1, 24 * 60) as i32;
    let late = after_hours(&business_hours(&tenant), started, minutes);
    let internal = events.iter().any(|e| e.visibility == Some(Visibility::Internal));
    let mut text = run_text(run.kind, &run.source, &systems, when_words(&events, tz, late), internal);
    if let Some(w) = automation_wording::Entity::find_by_id(run.kind.as_str()).one(tx).await? {
        text.why_it_matters = w.why_it_matters;
    }
    let system_ids: BTreeSet<i64> = systems.iter().filter_map(|s| s.system_id).collect();
    let by = performer(tx, tenant.id, &events).await?;
    let t = now();
    let id = match entry {
        Some(e) if run.kept_by_staff => {
            // A person has made this entry theirs: only the systems it links follow the events.
            link(tx, tenant.id, e.id, &system_ids).await?;
            return Ok(());
        }
        Some(e) => {
            let was_public = crate::staff::work_log::is_public(&e);
            let mut row = e.into_active_model();
            row.title = Set(text.title);
            row.details = Set(text.details);
            row.why_it_matters = Set(text.why_it_matters);
            row.visibility = Set(text.visibility);
            row.started_at = Set(started);
            row.duration_minutes = Set(minutes);
            row.after_hours = Set(late);
            row.performed_by = Set(by);
            row.updated_at = Set(t);
            let saved = row.update(tx).await?;
            if !was_public {
                crate::staff::work_log::published(tx, &saved).await?;
            }
            saved.id
        }
        None => {
            let inserted = work_entry::ActiveModel {
                tenant_id: Set(tenant.id),
                category: Set(run.kind.category()),
                title: Set(text.title),
                details: Set(text.details),
                why_it_matters: Set(text.why_it_matters),
                state: Set(WorkState::Done),
                started_at: Set(started),
                duration_minutes: Set(minutes),
                after_hours: Set(late),
                proactive: Set(true),
                visibility: Set(text.visibility),
                performed_by: Set(by),
                shadowed_by: Set(None),
                vendor_name: Set(None),
                vendor_case_ref: Set(None),
                ticket_id: Set(None),
                highlight: Set(false),
                automated: Set(true),
                created_at: Set(t),
                updated_at: Set(t),
                ..Default::default()
            }
            .insert(tx)
            .await?;
            crate::staff::work_log::published(tx, &inserted).await?;
            inserted.id
        }
    };
    link(tx, tenant.id, id, &system_ids).await?;
    let mut r = run.into_active_model();
    r.work_entry_id = Set(Some(id));
    r.generated_at = Set(Some(t));
    r.update(tx).await?;
    Ok(())
}

async fn link(tx: &DatabaseTransaction, tenant_id: i64, entry: i64, systems: &BTreeSet<i64>) -> Result<()> {
    work_entry_system::Entity::delete_many().filter(work_entry_system::Column::WorkEntryId.eq(entry)).exec(tx).await?;
    for s in systems {
        work_entry_system::ActiveModel { tenant_id: Set(tenant_id), work_entry_id: Set(entry), system_id: Set(*s) }
            .insert(tx)
            .await?;
    }
    Ok(())
}

/// What automated work of each kind tells the client about why it matters: the MSP's own words
/// where it changed them, else the default.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Wording {
    pub kind: EventKind,
    pub why_it_matters: String,
    pub is_default: bool,
}

pub(crate) async fn wordings(db: &impl ConnectionTrait) -> Result<Vec<Wording>> {
    let own: HashMap<EventKind, String> = automation_wording::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .filter_map(|w| Some((w.kind.parse().ok()?, w.why_it_matters)))
        .collect();
    Ok(EventKind::ALL
        .iter()
        .map(|k| match own.get(k) {
            Some(w) => Wording { kind: *k, why_it_matters: w.clone(), is_default: false },
            None => Wording { kind: *k, why_it_matters: why_it_matters(*k).to_string(), is_default: true },
        })
        .collect())
}

/// Sets the wording of a kind (empty: back to the default). Entries already written keep theirs.
pub(crate) async fn set_wording(
    db: &sea_orm::DatabaseConnection,
    kind: &str,
    text: &str,
    by: Option<i64>,
) -> Result<()> {
    let kind: EventKind = kind.parse().map_err(|e: vocabulary::UnknownWord| DomainError::Invalid(e.to_string()))?;
    let text = text.trim();
    if text.chars().count() > 500 {
        return Err(DomainError::Invalid("Please keep it to 500 characters: one or two plain sentences.".into()));
    }
    let tx = crate::db::write(db).await?;
    automation_wording::Entity::delete_by_id(kind.as_str()).exec(&tx).await?;
    if !text.is_empty() && text != why_it_matters(kind) {
        automation_wording::ActiveModel {
            kind: Set(kind.as_str().to_string()),
            why_it_matters: Set(text.to_string()),
            updated_by: Set(by),
            updated_at: Set(now()),
        }
        .insert(&tx)
        .await?;
    }
    crate::audit::record(&tx, by, None, vocabulary::AuditAction::AutomationWordingChanged, kind.as_str(), None).await?;
    tx.commit().await?;
    Ok(())
}

impl crate::staff::admin::Admin {
    pub async fn automation_wordings(&self) -> Result<Vec<Wording>> {
        wordings(self.db()).await
    }

    pub async fn set_automation_wording(&self, kind: &str, text: &str) -> Result<()> {
        set_wording(self.db(), kind, text, Some(self.user.id)).await
    }
}

/// A tool's event as staff read it, beside the entry it became.
#[derive(Clone, Debug)]
pub struct RawEvent {
    pub source: String,
    pub external_id: String,
    pub system: String,
    pub kind: EventKind,
    pub occurred_at: DateTime<Utc>,
    pub duration_minutes: Option<i32>,
    pub result: EventResult,
    pub title: Option<String>,
}

impl crate::scope::Unscoped {
    /// The events an automated entry was made from, in the order they happened.
    pub async fn events_of_entry(&self, entry_id: i64) -> Result<Vec<RawEvent>> {
        let runs: Vec<i64> = integration_run::Entity::find()
            .filter(integration_run::Column::WorkEntryId.eq(entry_id))
            .all(self.db())
            .await?
            .into_iter()
            .map(|r| r.id)
            .collect();
        if runs.is_empty() {
            return Ok(Vec::new());
        }
        Ok(integration_event::Entity::find()
            .filter(integration_event::Column::RunId.is_in(runs))
            .order_by_asc(integration_event::Column::OccurredAt)
            .order_by_asc(integration_event::Column::Id)
            .all(self.db())
            .await?
            .into_iter()
            .map(|e| RawEvent {
                source: e.source,
                external_id: e.external_id,
                system: e.system_ref,
                kind: e.kind,
                occurred_at: e.occurred_at,
                duration_minutes: e.duration_minutes,
                result: e.result,
                title: e.title,
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn sys(name: &str, last: EventResult, second_try: bool) -> SystemRun {
        SystemRun { name: name.into(), system_id: None, last, second_try, title: None }
    }

    #[test]
    fn nights_run_noon_to_noon_in_the_clients_zone() {
        let ny = chrono_tz::America::New_York;
        let day = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        // 22:00 on the 1st and 03:00 on the 2nd, New York time: one night.
        assert_eq!(run_day(Utc.with_ymd_and_hms(2026, 12, 2, 3, 0, 0).unwrap(), ny), day);
        assert_eq!(run_day(Utc.with_ymd_and_hms(2026, 12, 2, 8, 0, 0).unwrap(), ny), day);
        assert_eq!(run_day(Utc.with_ymd_and_hms(2026, 12, 2, 17, 30, 0).unwrap(), ny), day.succ_opt().unwrap());
    }

    #[test]
    fn a_run_in_plain_words() {
        let mut many: Vec<SystemRun> = (0..13).map(|i| sys(&format!("PC{i}"), EventResult::Succeeded, false)).collect();
        many.push(sys("PC13", EventResult::Succeeded, true));
        let t = run_text(EventKind::Patch, "ninjaone", &many, "overnight", false);
        assert_eq!(t.title, "Patched 14 computers overnight; 1 needed a second try");
        assert_eq!(t.visibility, Visibility::Client);
        assert!(t.details.contains("- **PC13**: succeeded (on the second try)"));

        let one = run_text(EventKind::BackupCheck, "veeam", &[sys("FS01", EventResult::Failed, false)], "", false);
        assert_eq!(one.title, "Checked the backup of FS01; it failed");
        assert_eq!(one.visibility, Visibility::Internal, "a failed run is internal until a tech decides");
        let asked = run_text(EventKind::Upgrade, "x", &[sys("FW", EventResult::Succeeded, false)], "after hours", true);
        assert_eq!(asked.title, "Upgraded FW after hours");
        assert_eq!(asked.visibility, Visibility::Internal);
    }
}
