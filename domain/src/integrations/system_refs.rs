//! What a tool calls a client's systems. An event whose system no name or mapping matches is kept
//! and listed for staff on the client's page, never dropped or invented; mapping the name links
//! its events (past and future) to the system and rewrites their runs.

use super::events::{normalise, rewrite_run};
use crate::audit;
use crate::entities::{integration_event, system, system_ref, tenant};
use crate::error::{DomainError, Result};
use crate::scope::Unscoped;
use crate::staff::{Editor, tenant_by_slug};
use crate::time::now;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use vocabulary::AuditAction;

/// A name a tool used for a system this client has no match for.
#[derive(Clone, Debug, PartialEq)]
pub struct Unmatched {
    pub name: String,
    pub events: usize,
    pub last_seen: DateTime<Utc>,
}

/// A mapping staff made.
#[derive(Clone, Debug, PartialEq)]
pub struct Mapping {
    pub name: String,
    pub system_id: i64,
    pub system: String,
}

/// A client's automation at a glance, for its staff page.
#[derive(Clone, Debug, Default)]
pub struct ClientAutomation {
    pub external_ref: Option<String>,
    pub unmatched: Vec<Unmatched>,
    pub mappings: Vec<Mapping>,
    pub events: usize,
}

impl Unscoped {
    pub async fn client_automation(&self, slug: &str) -> Result<ClientAutomation> {
        let t = tenant_by_slug(self.db(), slug).await?;
        let events = integration_event::Entity::find()
            .filter(integration_event::Column::TenantId.eq(t.id))
            .count(self.db())
            .await? as usize;
        // The unmatched names, counted in SQL (the `unmatched` index serves it): a client's page
        // costs the same with a hundred events as with a million.
        let groups: Vec<(String, i64, DateTime<Utc>)> = integration_event::Entity::find()
            .select_only()
            .column(integration_event::Column::SystemRef)
            .column_as(integration_event::Column::Id.count(), "events")
            .column_as(integration_event::Column::OccurredAt.max(), "last_seen")
            .filter(integration_event::Column::TenantId.eq(t.id))
            .filter(integration_event::Column::SystemId.is_null())
            .group_by(integration_event::Column::SystemRef)
            .into_tuple()
            .all(self.db())
            .await?;
        // Tools may spell one name in different cases: one row per name as compared.
        let mut unmatched: BTreeMap<String, Unmatched> = BTreeMap::new();
        for (name, count, last_seen) in groups {
            let u = unmatched.entry(normalise(&name)).or_insert(Unmatched { name, events: 0, last_seen });
            u.events += count as usize;
            u.last_seen = std::cmp::max(u.last_seen, last_seen);
        }
        let names: HashMap<i64, String> = system::Entity::find()
            .filter(system::Column::TenantId.eq(t.id))
            .all(self.db())
            .await?
            .into_iter()
            .map(|s| (s.id, s.name))
            .collect();
        let mappings = system_ref::Entity::find()
            .filter(system_ref::Column::TenantId.eq(t.id))
            .order_by_asc(system_ref::Column::RefName)
            .all(self.db())
            .await?
            .into_iter()
            .map(|r| Mapping {
                system: names.get(&r.system_id).cloned().unwrap_or_default(),
                name: r.ref_name,
                system_id: r.system_id,
            })
            .collect();
        Ok(ClientAutomation {
            external_ref: t.external_ref,
            unmatched: unmatched.into_values().collect(),
            mappings,
            events,
        })
    }
}

/// Re-resolves the client's events whose tool name is `name`, and rewrites their runs.
async fn relink(tx: &DatabaseTransaction, tenant_id: i64, name: &str, system_id: Option<i64>) -> Result<()> {
    // Names are stored trimmed: lower-casing in SQL compares them as `normalise` does.
    let events = integration_event::Entity::find()
        .filter(integration_event::Column::TenantId.eq(tenant_id))
        .filter(Expr::expr(Func::lower(Expr::col(integration_event::Column::SystemRef))).eq(name))
        .all(tx)
        .await?;
    if events.is_empty() {
        return Ok(());
    }
    let runs: BTreeSet<i64> = events.iter().map(|e| e.run_id).collect();
    integration_event::Entity::update_many()
        .col_expr(integration_event::Column::SystemId, Expr::value(system_id))
        .filter(integration_event::Column::Id.is_in(events.iter().map(|e| e.id)))
        .exec(tx)
        .await?;
    for run in runs {
        rewrite_run(tx, run).await?;
    }
    Ok(())
}

impl Editor {
    /// Maps a tool's name for a system to one of the client's systems (a name maps to one system;
    /// mapping it again moves it).
    pub async fn map_system_name(&self, slug: &str, name: &str, system_id: i64) -> Result<()> {
        let key = normalise(name);
        if key.is_empty() || key.chars().count() > 200 {
            return Err(DomainError::Invalid(
                "Please give the tool's name for the system (up to 200 characters).".into(),
            ));
        }
        let tx = crate::db::write(self.db()).await?;
        let t = tenant_by_slug(&tx, slug).await?;
        let s = system::Entity::find_by_id(system_id)
            .filter(system::Column::TenantId.eq(t.id))
            .one(&tx)
            .await?
            .ok_or_else(|| DomainError::Invalid("Please choose one of this client's systems.".into()))?;
        let existing = system_ref::Entity::find()
            .filter(system_ref::Column::TenantId.eq(t.id))
            .filter(system_ref::Column::RefName.eq(key.as_str()))
            .one(&tx)
            .await?;
        match existing {
            Some(r) => {
                let mut row: system_ref::ActiveModel = r.into();
                row.system_id = Set(s.id);
                row.update(&tx).await?;
            }
            None => {
                system_ref::ActiveModel {
                    tenant_id: Set(t.id),
                    ref_name: Set(key.clone()),
                    system_id: Set(s.id),
                    created_at: Set(now()),
                    ..Default::default()
                }
                .insert(&tx)
                .await?;
            }
        }
        relink(&tx, t.id, &key, Some(s.id)).await?;
        audit::by(&tx, &self.user, Some(t.id), AuditAction::SystemRefMapped, &format!("{key} → {}", s.name), None)
            .await?;
        tx.commit().await.map_err(Into::into)
    }

    /// Removes a mapping: the name's events fall back to a system of that name, or unmatched.
    pub async fn unmap_system_name(&self, slug: &str, name: &str) -> Result<()> {
        let key = normalise(name);
        let tx = crate::db::write(self.db()).await?;
        let t = tenant_by_slug(&tx, slug).await?;
        let r = system_ref::Entity::find()
            .filter(system_ref::Column::TenantId.eq(t.id))
            .filter(system_ref::Column::RefName.eq(key.as_str()))
            .one(&tx)
            .await?
            .ok_or(DomainError::NotFound)?;
        system_ref::Entity::delete_by_id(r.id).exec(&tx).await?;
        let by_name = system::Entity::find()
            .filter(system::Column::TenantId.eq(t.id))
            .all(&tx)
            .await?
            .into_iter()
            .find(|s| normalise(&s.name) == key)
            .map(|s| s.id);
        relink(&tx, t.id, &key, by_name).await?;
        audit::by(&tx, &self.user, Some(t.id), AuditAction::SystemRefRemoved, &key, None).await?;
        tx.commit().await.map_err(Into::into)
    }

    /// The name the client goes by in the MSP's tools (besides its slug); empty clears it.
    pub async fn set_client_ref(&self, slug: &str, external_ref: &str) -> Result<()> {
        let value = external_ref.trim();
        if value.chars().count() > 100 || value.chars().any(char::is_control) {
            return Err(DomainError::Invalid("The reference can be up to 100 characters.".into()));
        }
        let tx = crate::db::write(self.db()).await?;
        let t = tenant_by_slug(&tx, slug).await?;
        let value = (!value.is_empty()).then(|| value.to_string());
        if let Some(v) = &value {
            let taken = tenant::Entity::find()
                .filter(
                    sea_orm::Condition::any()
                        .add(tenant::Column::ExternalRef.eq(v.as_str()))
                        .add(tenant::Column::Slug.eq(v.as_str())),
                )
                .filter(tenant::Column::Id.ne(t.id))
                .one(&tx)
                .await?;
            if taken.is_some() {
                return Err(DomainError::Conflict("Another client goes by that name already.".into()));
            }
        }
        let id = t.id;
        let mut row: tenant::ActiveModel = t.into();
        row.external_ref = Set(value.clone());
        row.update(&tx).await?;
        audit::record(
            &tx,
            Some(self.user.id),
            Some(id),
            AuditAction::ClientRefChanged,
            value.as_deref().unwrap_or("(none)"),
            None,
        )
        .await?;
        tx.commit().await.map_err(Into::into)
    }
}
