//! Adding and editing a client's systems.

use super::{Editor, optional_text, required_text, tenant_by_slug};
use crate::entities::system;
use crate::error::{DomainError, Result};
use crate::time::now;
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};
use vocabulary::{Criticality, SystemKind};

/// The system form as typed.
#[derive(Clone, Debug, Default)]
pub struct SystemForm {
    pub name: String,
    pub kind: String,
    pub criticality: String,
    pub vendor: String,
    pub notes: String,
}

struct SystemInput {
    name: String,
    kind: SystemKind,
    criticality: Criticality,
    vendor: Option<String>,
    notes: String,
}

fn check(form: &SystemForm) -> Result<SystemInput> {
    Ok(SystemInput {
        name: required_text(&form.name, "system name", 200)?,
        kind: form.kind.parse().map_err(|_| DomainError::Invalid("Please choose what kind of system it is.".into()))?,
        criticality: form
            .criticality
            .parse()
            .map_err(|_| DomainError::Invalid("Please choose how critical the system is.".into()))?,
        vendor: optional_text(&form.vendor, "vendor", 200)?,
        notes: optional_text(&form.notes, "notes", 20_000)?.unwrap_or_default(),
    })
}

impl Editor {
    pub async fn add_system(&self, client: &str, form: &SystemForm) -> Result<i64> {
        let tenant = tenant_by_slug(self.db(), client).await?;
        let s = save_system(self.db(), tenant.id, None, form).await?;
        let target = format!("system {}: {}", s.id, s.name);
        crate::audit::by(self.db(), &self.user, Some(tenant.id), vocabulary::AuditAction::SystemAdded, &target, None)
            .await?;
        Ok(s.id)
    }

    /// Edits a system; answers its client's slug.
    pub async fn edit_system(&self, id: i64, form: &SystemForm) -> Result<String> {
        let s = system::Entity::find_by_id(id).one(self.db()).await?.ok_or(DomainError::NotFound)?;
        let tenant_id = s.tenant_id;
        let before = s.clone();
        let after = save_system(self.db(), tenant_id, Some(s), form).await?;
        let mut changed = crate::audit::Changes::default();
        changed
            .field("name", &before.name, &after.name)
            .field("kind", &before.kind, &after.kind)
            .field("criticality", &before.criticality, &after.criticality)
            .field("vendor", &before.vendor, &after.vendor)
            .field("notes", &before.notes, &after.notes);
        let target = format!("system {}: {}", after.id, after.name);
        crate::audit::by(
            self.db(),
            &self.user,
            Some(tenant_id),
            vocabulary::AuditAction::SystemEdited,
            &target,
            changed.summary(),
        )
        .await?;
        super::slug_of(self.db(), tenant_id).await
    }
}

/// Adds a system to a tenant, or (given the `existing` row, of that tenant) rewrites it.
pub(crate) async fn save_system(
    db: &impl sea_orm::ConnectionTrait,
    tenant_id: i64,
    existing: Option<system::Model>,
    form: &SystemForm,
) -> Result<system::Model> {
    let input = check(form)?;
    let is_new = existing.is_none();
    let mut row = match existing {
        Some(s) => s.into_active_model(),
        None => system::ActiveModel { tenant_id: Set(tenant_id), created_at: Set(now()), ..Default::default() },
    };
    row.name = Set(input.name);
    row.kind = Set(input.kind);
    row.criticality = Set(input.criticality);
    row.vendor = Set(input.vendor);
    row.notes = Set(input.notes);
    Ok(if is_new { row.insert(db).await? } else { row.update(db).await? })
}
