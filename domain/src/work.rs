//! Work entries: the record of what was done, read through a scope.

use crate::entities::{system, tenant, work_entry, work_entry_system};
use crate::error::{DomainError, Result};
use crate::scope::{TenantScope, Unscoped};
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;
use vocabulary::{Category, TenantStatus, Visibility, WorkState};

/// A tenant as its own users see it.
#[derive(Clone, Debug)]
pub struct TenantInfo {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub time_zone: chrono_tz::Tz,
}

impl From<tenant::Model> for TenantInfo {
    fn from(t: tenant::Model) -> Self {
        TenantInfo { id: t.id, time_zone: t.time_zone.parse().unwrap_or(chrono_tz::UTC), slug: t.slug, name: t.name }
    }
}

/// A work entry with the names a page needs.
#[derive(Clone, Debug)]
pub struct WorkItem {
    pub id: i64,
    pub category: Category,
    pub title: String,
    pub details: String,
    pub why_it_matters: String,
    pub state: WorkState,
    pub visibility: Visibility,
    pub started_at: DateTime<Utc>,
    pub duration_minutes: i32,
    pub after_hours: bool,
    pub proactive: bool,
    pub performed_by: String,
    pub systems: Vec<String>,
    /// The systems' ids, in the order of `systems`.
    pub system_ids: Vec<i64>,
    /// The number of the ticket it answered, if any.
    pub ticket: Option<i64>,
    pub vendor_name: Option<String>,
    pub vendor_case_ref: Option<String>,
    /// Recorded by automation (a tool's events), not typed by a person.
    pub automated: bool,
}

/// Adds performer names and system names to a page of entries: two queries, whatever the page size.
pub(crate) async fn with_names(db: &impl ConnectionTrait, entries: Vec<work_entry::Model>) -> Result<Vec<WorkItem>> {
    let ids: Vec<i64> = entries.iter().map(|e| e.id).collect();
    let user_ids: Vec<i64> = entries.iter().map(|e| e.performed_by).collect();
    let names = crate::users::display_names(db, user_ids).await?;
    let links =
        work_entry_system::Entity::find().filter(work_entry_system::Column::WorkEntryId.is_in(ids)).all(db).await?;
    let systems: HashMap<i64, (String, i64)> = system::Entity::find()
        .filter(system::Column::Id.is_in(links.iter().map(|l| l.system_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, (s.name, s.id)))
        .collect();
    let ticket_ids: Vec<i64> = entries.iter().filter_map(|e| e.ticket_id).collect();
    let tickets: HashMap<i64, i64> = if ticket_ids.is_empty() {
        HashMap::new()
    } else {
        crate::entities::ticket::Entity::find()
            .filter(crate::entities::ticket::Column::Id.is_in(ticket_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|t| (t.id, t.number))
            .collect()
    };
    let mut by_entry: HashMap<i64, Vec<(String, i64)>> = HashMap::new();
    for l in links {
        if let Some(n) = systems.get(&l.system_id) {
            by_entry.entry(l.work_entry_id).or_default().push(n.clone());
        }
    }
    Ok(entries
        .into_iter()
        .map(|e| {
            let mut linked = by_entry.remove(&e.id).unwrap_or_default();
            linked.sort();
            let (systems, system_ids) = linked.into_iter().unzip();
            WorkItem {
                id: e.id,
                category: e.category,
                state: e.state,
                visibility: e.visibility,
                performed_by: names.get(&e.performed_by).cloned().unwrap_or_else(|| "Your IT team".into()),
                title: e.title,
                details: e.details,
                why_it_matters: e.why_it_matters,
                started_at: e.started_at,
                duration_minutes: e.duration_minutes,
                after_hours: e.after_hours,
                proactive: e.proactive,
                systems,
                system_ids,
                ticket: e.ticket_id.and_then(|t| tickets.get(&t).copied()),
                vendor_name: e.vendor_name,
                vendor_case_ref: e.vendor_case_ref,
                automated: e.automated,
            }
        })
        .collect())
}

impl TenantScope {
    /// The scope's own tenant.
    pub async fn tenant(&self) -> Result<TenantInfo> {
        tenant::Entity::find_by_id(self.tenant_id()).one(self.db()).await?.map(Into::into).ok_or(DomainError::NotFound)
    }

    /// The latest client-visible work that is done, newest first.
    pub async fn recent_work(&self, limit: u64) -> Result<Vec<WorkItem>> {
        let entries = self
            .client_work()
            .filter(work_entry::Column::State.eq(WorkState::Done))
            .order_by_desc(work_entry::Column::StartedAt)
            .order_by_desc(work_entry::Column::Id)
            .limit(limit)
            .all(self.db())
            .await?;
        with_names(self.db(), entries).await
    }

    /// One client-visible work entry. Another tenant's entry, or an internal one, is `NotFound`,
    /// exactly like an id that does not exist.
    pub async fn work_entry(&self, id: i64) -> Result<WorkItem> {
        let entry = self
            .client_work()
            .filter(work_entry::Column::Id.eq(id))
            .one(self.db())
            .await?
            .ok_or(DomainError::NotFound)?;
        Ok(with_names(self.db(), vec![entry]).await?.remove(0))
    }
}

/// A row of the staff's list of tenants.
#[derive(Clone, Debug)]
pub struct TenantRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub time_zone: String,
    pub status: TenantStatus,
}

impl Unscoped {
    pub async fn tenants(&self) -> Result<Vec<TenantRow>> {
        Ok(tenant::Entity::find()
            .order_by_asc(tenant::Column::Name)
            .order_by_asc(tenant::Column::Id)
            .all(self.db())
            .await?
            .into_iter()
            .map(|t| TenantRow { id: t.id, status: t.status, slug: t.slug, name: t.name, time_zone: t.time_zone })
            .collect())
    }
}

/// A system as a filter option.
#[derive(Clone, Debug)]
pub struct SystemName {
    pub id: i64,
    pub name: String,
}

impl TenantScope {
    /// The tenant's systems, by name.
    pub async fn system_names(&self) -> Result<Vec<SystemName>> {
        Ok(self
            .select::<system::Entity>()
            .order_by_asc(system::Column::Name)
            .order_by_asc(system::Column::Id)
            .all(self.db())
            .await?
            .into_iter()
            .map(|s| SystemName { id: s.id, name: s.name })
            .collect())
    }
}

impl Unscoped {
    /// Every tenant's systems by name, in one query (for the staff's work form).
    pub async fn systems_by_tenant(&self) -> Result<HashMap<i64, Vec<SystemName>>> {
        let mut out: HashMap<i64, Vec<SystemName>> = HashMap::new();
        for s in system::Entity::find()
            .order_by_asc(system::Column::TenantId)
            .order_by_asc(system::Column::Name)
            .order_by_asc(system::Column::Id)
            .all(self.db())
            .await?
        {
            out.entry(s.tenant_id).or_default().push(SystemName { id: s.id, name: s.name });
        }
        Ok(out)
    }
}

/// A system as its client sees it.
#[derive(Clone, Debug)]
pub struct SystemInfo {
    pub id: i64,
    pub name: String,
    pub kind: vocabulary::SystemKind,
    pub criticality: vocabulary::Criticality,
    pub vendor: Option<String>,
}

impl From<system::Model> for SystemInfo {
    fn from(s: system::Model) -> Self {
        SystemInfo { id: s.id, kind: s.kind, criticality: s.criticality, name: s.name, vendor: s.vendor }
    }
}

impl TenantScope {
    /// The tenant's systems, each with the latest client-visible work done on it.
    pub async fn systems_with_last_work(&self) -> Result<Vec<(SystemInfo, Option<WorkItem>)>> {
        let systems = self
            .select::<system::Entity>()
            .order_by_asc(system::Column::Name)
            .order_by_asc(system::Column::Id)
            .all(self.db())
            .await?;
        let mut out = Vec::with_capacity(systems.len());
        for s in systems {
            let filter = crate::history::WorkFilter { system_id: Some(s.id), ..Default::default() };
            let last = self.work_history(&filter, None, 1).await?.items.into_iter().next();
            out.push((s.into(), last));
        }
        Ok(out)
    }

    /// One of the tenant's systems; another tenant's is `NotFound`.
    pub async fn system(&self, id: i64) -> Result<SystemInfo> {
        self.select::<system::Entity>()
            .filter(system::Column::Id.eq(id))
            .one(self.db())
            .await?
            .map(Into::into)
            .ok_or(DomainError::NotFound)
    }
}
