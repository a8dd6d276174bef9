//! Creating tenants (client companies).

use crate::audit;
use crate::entities::tenant;
use crate::error::{DomainError, Result};
use crate::input::{DisplayName, Slug, TimeZone};
use crate::scope::Unscoped;
use crate::time::now;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use vocabulary::{AuditAction, TenantStatus};

pub struct NewTenant {
    pub slug: Slug,
    pub name: DisplayName,
    pub time_zone: TimeZone,
}

impl NewTenant {
    pub fn parse(slug: &str, name: &str, time_zone: &str) -> Result<NewTenant> {
        Ok(NewTenant {
            slug: Slug::parse(slug)?,
            name: DisplayName::parse("client name", name)?,
            time_zone: TimeZone::parse(time_zone)?,
        })
    }
}

/// Inserts a tenant with default business hours (Monday to Friday, 08:00 to 17:00), inside the
/// caller's transaction.
pub(crate) async fn insert(
    db: &impl ConnectionTrait,
    new: &NewTenant,
    included_hours: Option<i32>,
) -> Result<tenant::Model, sea_orm::DbErr> {
    tenant::ActiveModel {
        slug: Set(new.slug.as_str().to_string()),
        name: Set(new.name.as_str().to_string()),
        time_zone: Set(new.time_zone.name().to_string()),
        business_days: Set(0b0011111),
        business_start_minute: Set(8 * 60),
        business_end_minute: Set(17 * 60),
        included_hours: Set(included_hours),
        status: Set(TenantStatus::Active),
        next_ticket_number: Set(1),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(db)
    .await
}

impl Unscoped {
    pub(crate) async fn add_tenant(&self, new: NewTenant, actor: Option<i64>) -> Result<tenant::Model> {
        let tx = crate::db::write(self.db()).await?;
        if tenant::Entity::find().filter(tenant::Column::Slug.eq(new.slug.as_str())).one(&tx).await?.is_some() {
            return Err(DomainError::Conflict(format!(
                "a client with the slug {:?} already exists",
                new.slug.as_str()
            )));
        }
        let t = insert(&tx, &new, None).await?;
        audit::record(&tx, actor, Some(t.id), AuditAction::TenantCreated, &t.slug, None).await?;
        tx.commit().await?;
        Ok(t)
    }

    pub async fn tenant_by_slug(&self, slug: &str) -> Result<Option<tenant::Model>> {
        Ok(tenant::Entity::find().filter(tenant::Column::Slug.eq(slug)).one(self.db()).await?)
    }
}
