//! The staff workspace: what MSP staff read across every client, and what techs and MSP admins
//! change. Reads live on [`Unscoped`](crate::scope::Unscoped); every change is a method of
//! [`Editor`], a capability only techs and MSP admins get (account managers read).

pub mod admin;
pub mod clients;
pub mod coverage;
pub mod overview;
pub mod runbooks;
pub mod summaries;
pub mod systems;
pub mod tickets;
pub mod time_off;
pub mod work_log;

use crate::auth::CurrentUser;
use crate::entities::{tenant, user};
use crate::error::{DomainError, Result};
use crate::rules::BusinessHours;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use vocabulary::Role;

/// Permission to change work, systems, runbooks, knowledge, coverage and tickets: techs and MSP
/// admins. Created only by `StaffAccess::editor`.
#[derive(Clone, Debug)]
pub struct Editor {
    pub user: CurrentUser,
    db: DatabaseConnection,
}

impl Editor {
    pub(crate) fn new(user: CurrentUser, db: DatabaseConnection) -> Self {
        Editor { user, db }
    }

    pub(crate) fn db(&self) -> &DatabaseConnection {
        &self.db
    }
}

/// A tenant by its slug; an unknown slug is `NotFound`.
pub(crate) async fn tenant_by_slug(db: &impl ConnectionTrait, slug: &str) -> Result<tenant::Model> {
    tenant::Entity::find().filter(tenant::Column::Slug.eq(slug)).one(db).await?.ok_or(DomainError::NotFound)
}

/// A tenant's slug, for sending the browser back to its client page.
pub(crate) async fn slug_of(db: &impl ConnectionTrait, tenant_id: i64) -> Result<String> {
    tenant::Entity::find_by_id(tenant_id).one(db).await?.map(|t| t.slug).ok_or(DomainError::NotFound)
}

pub(crate) fn time_zone(t: &tenant::Model) -> chrono_tz::Tz {
    t.time_zone.parse().unwrap_or(chrono_tz::UTC)
}

pub(crate) fn business_hours(t: &tenant::Model) -> BusinessHours {
    BusinessHours {
        time_zone: time_zone(t),
        days: t.business_days as u8,
        start_minute: t.business_start_minute as u16,
        end_minute: t.business_end_minute as u16,
    }
}

/// A member of staff, as a choice in a form.
#[derive(Clone, Debug)]
pub struct StaffMember {
    pub id: i64,
    pub name: String,
    pub role: Role,
}

/// Active staff, by name.
pub(crate) async fn staff_members(db: &impl ConnectionTrait) -> Result<Vec<StaffMember>> {
    Ok(user::Entity::find()
        .filter(user::Column::TenantId.is_null())
        .filter(user::Column::Active.eq(true))
        .order_by_asc(user::Column::DisplayName)
        .order_by_asc(user::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|u| StaffMember { role: u.role, id: u.id, name: u.display_name })
        .collect())
}

/// An active tech or MSP admin (someone who can do the work or cover a client).
pub(crate) async fn technician(db: &impl ConnectionTrait, id: i64, what: &str) -> Result<user::Model> {
    user::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|u| u.active && u.tenant_id.is_none() && u.role.does_the_work())
        .ok_or_else(|| DomainError::Invalid(format!("Please choose a tech as the {what}.")))
}

impl crate::scope::Unscoped {
    /// Active staff, by name (for the workspace's choices).
    pub async fn staff_members(&self) -> Result<Vec<StaffMember>> {
        staff_members(self.db()).await
    }
}

/// Trims a text field and checks its length; empty is `None`.
pub(crate) fn optional_text(value: &str, what: &str, max: usize) -> Result<Option<String>> {
    let v = value.trim();
    if v.chars().count() > max {
        return Err(DomainError::Invalid(format!("Please keep the {what} under {max} characters.")));
    }
    Ok((!v.is_empty()).then(|| v.to_string()))
}

pub(crate) fn required_text(value: &str, what: &str, max: usize) -> Result<String> {
    optional_text(value, what, max)?.ok_or_else(|| DomainError::Invalid(format!("Please give a {what}.")))
}
