//! Creating users and ending their access.

use crate::audit;
use crate::auth::{password, session};
use crate::entities::{tenant, user};
use crate::error::{DomainError, Result};
use crate::input::{DisplayName, Email, Password};
use crate::scope::Unscoped;
use crate::time::now;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};
use vocabulary::{AuditAction, Role};

/// A user to create, already checked: a client role has a tenant, a staff role has none.
pub struct NewUser {
    pub email: Email,
    pub name: DisplayName,
    pub role: Role,
    pub tenant_slug: Option<String>,
    pub password: Password,
}

impl NewUser {
    pub fn parse(
        email: &str,
        role: &str,
        tenant: Option<&str>,
        name: Option<&str>,
        password: String,
    ) -> Result<NewUser> {
        let email = Email::parse(email)?;
        let role: Role = role.parse().map_err(|e: vocabulary::UnknownWord| DomainError::Invalid(e.to_string()))?;
        match (role.is_client(), tenant) {
            (true, None) => {
                return Err(DomainError::Invalid(format!(
                    "a {} belongs to a client: give --tenant <slug>",
                    role.as_str()
                )));
            }
            (false, Some(_)) => {
                return Err(DomainError::Invalid(format!(
                    "a {} is MSP staff and belongs to no client: leave out --tenant",
                    role.as_str()
                )));
            }
            _ => {}
        }
        let default_name = email.as_str().split('@').next().unwrap_or_default().to_string();
        let name = DisplayName::parse("name", name.unwrap_or(&default_name))?;
        let password = Password::parse_for(password, email.as_str(), name.as_str())?;
        Ok(NewUser { email, name, role, tenant_slug: tenant.map(str::to_string), password })
    }
}

/// Inserts an active user inside the caller's transaction (the checks are the caller's).
pub(crate) async fn insert(
    db: &impl ConnectionTrait,
    email: &Email,
    name: &DisplayName,
    role: Role,
    tenant_id: Option<i64>,
    hash: String,
) -> Result<user::Model, sea_orm::DbErr> {
    user::ActiveModel {
        email: Set(email.as_str().to_string()),
        display_name: Set(name.as_str().to_string()),
        password_hash: Set(Some(hash)),
        role: Set(role),
        tenant_id: Set(tenant_id),
        active: Set(true),
        last_login_at: Set(None),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(db)
    .await
}

impl Unscoped {
    /// Creates a user; nothing is written when any check fails.
    pub(crate) async fn add_user(&self, new: NewUser, actor: Option<i64>) -> Result<user::Model> {
        let hash = password::hash(&new.password).await?;
        self.add_user_with_hash(new.email, new.name, new.role, new.tenant_slug.as_deref(), hash, actor).await
    }

    pub(crate) async fn add_user_with_hash(
        &self,
        email: Email,
        name: DisplayName,
        role: Role,
        tenant_slug: Option<&str>,
        hash: String,
        actor: Option<i64>,
    ) -> Result<user::Model> {
        let tx = crate::db::write(self.db()).await?;
        let tenant_id = match tenant_slug {
            Some(slug) => Some(
                tenant::Entity::find()
                    .filter(tenant::Column::Slug.eq(slug))
                    .one(&tx)
                    .await?
                    .ok_or_else(|| DomainError::Invalid(format!("there is no client with the slug {slug:?}")))?
                    .id,
            ),
            None => None,
        };
        if user::Entity::find().filter(user::Column::Email.eq(email.as_str())).one(&tx).await?.is_some() {
            return Err(DomainError::Conflict(format!("a user with the email {:?} already exists", email.as_str())));
        }
        let u = insert(&tx, &email, &name, role, tenant_id, hash).await?;
        audit::record(
            &tx,
            actor,
            tenant_id,
            AuditAction::UserCreated,
            &format!("{} ({})", u.email, role.as_str()),
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(u)
    }

    /// Deactivates a user and ends all of their sessions.
    pub(crate) async fn deactivate_user(&self, email: &str, actor: Option<i64>) -> Result<()> {
        let email = Email::parse(email)?;
        let tx = crate::db::write(self.db()).await?;
        let u = user::Entity::find()
            .filter(user::Column::Email.eq(email.as_str()))
            .one(&tx)
            .await?
            .ok_or_else(|| DomainError::Invalid(format!("there is no user with the email {:?}", email.as_str())))?;
        let (id, tenant_id) = (u.id, u.tenant_id);
        let mut active = u.into_active_model();
        active.active = Set(false);
        active.update(&tx).await?;
        let ended = session::end_all_for_user(&tx, id).await?;
        audit::record(
            &tx,
            actor,
            tenant_id,
            AuditAction::UserDeactivated,
            &format!("{} ({ended} sessions ended)", email.as_str()),
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// A user's role (`None` for an unknown user or an unreadable role).
pub async fn role_of(db: &sea_orm::DatabaseConnection, user_id: i64) -> Result<Option<Role>> {
    Ok(user::Entity::find_by_id(user_id).one(db).await?.map(|u| u.role))
}

/// The display names of these people, by id: one query, whatever their number (a missing id is
/// simply absent).
pub(crate) async fn display_names(
    db: &impl ConnectionTrait,
    ids: Vec<i64>,
) -> Result<std::collections::HashMap<i64, String>> {
    if ids.is_empty() {
        return Ok(Default::default());
    }
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect())
}
