//! A client_admin's colleagues: listing them, inviting new ones by email (a single-use link that
//! expires), and deactivating them. Only client roles of the admin's own tenant, ever.

use crate::audit;
use crate::auth::session;
use crate::entities::{invitation, tenant, user};
use crate::error::{DomainError, Result};
use crate::input::{DisplayName, Email, Password};
use crate::scope::TenantScope;
use crate::time::now;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set,
};
use vocabulary::{AuditAction, Role};

/// How long an invitation link works.
pub const INVITATION_DAYS: i64 = 7;

#[derive(Clone, Debug)]
pub struct Colleague {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub active: bool,
    pub last_login_at: Option<DateTime<Utc>>,
    /// Named to decide on planned work (admins always may).
    pub approver: bool,
}

/// A new invitation: the token goes in the link, only its hash is stored.
pub struct Invited {
    /// The link's token; `None` when the email has an account already (it is told so by email;
    /// the one who invited is not).
    pub token: Option<String>,
    pub email: String,
    pub tenant_name: String,
}

impl TenantScope {
    /// Only a client_admin manages the tenant's users.
    fn admin(&self) -> Result<i64> {
        match self.viewer() {
            Some((id, Role::ClientAdmin)) => Ok(id),
            _ => Err(DomainError::NotFound),
        }
    }

    pub async fn colleagues(&self) -> Result<Vec<Colleague>> {
        self.admin()?;
        Ok(user::Entity::find()
            .filter(user::Column::TenantId.eq(self.tenant_id()))
            .order_by_asc(user::Column::DisplayName)
            .order_by_asc(user::Column::Id)
            .all(self.db())
            .await?
            .into_iter()
            .map(|u| Colleague {
                id: u.id,
                role: u.role,
                name: u.display_name,
                email: u.email,
                active: u.active,
                last_login_at: u.last_login_at,
                approver: u.approver,
            })
            .collect())
    }

    /// Invites someone to this tenant as a client role.
    pub async fn invite(&self, email: &str, role: &str) -> Result<Invited> {
        let admin = self.admin()?;
        let email =
            Email::parse(email).map_err(|_| DomainError::Invalid(format!("{email:?} is not an email address.")))?;
        let role: Role = role.parse().map_err(|_| DomainError::Invalid("Please choose a role.".into()))?;
        if !role.is_client() {
            return Err(DomainError::Invalid("Only your own colleagues can be invited here.".into()));
        }
        let tenant_name = self.tenant().await?.name;
        // An email with an account anywhere (another client's, staff's) answers like any other:
        // the account's owner hears of it by email, the one inviting learns nothing.
        if user::Entity::find().filter(user::Column::Email.eq(email.as_str())).one(self.db()).await?.is_some() {
            audit::record(
                self.db(),
                Some(admin),
                Some(self.tenant_id()),
                AuditAction::InvitationSent,
                &format!("{} (has an account)", email.as_str()),
                None,
            )
            .await?;
            return Ok(Invited { token: None, email: email.as_str().to_string(), tenant_name });
        }
        let token = session::new_token();
        let tx = crate::db::write(self.db()).await?;
        invitation::ActiveModel {
            token_hash: Set(session::hash_token(&token)),
            email: Set(email.as_str().to_string()),
            tenant_id: Set(Some(self.tenant_id())),
            role: Set(role),
            invited_by: Set(Some(admin)),
            expires_at: Set(now() + Duration::days(INVITATION_DAYS)),
            used_at: Set(None),
            created_at: Set(now()),
            ..Default::default()
        }
        .insert(&tx)
        .await?;
        audit::record(&tx, Some(admin), Some(self.tenant_id()), AuditAction::InvitationSent, email.as_str(), None)
            .await?;
        tx.commit().await?;
        Ok(Invited { token: Some(token), email: email.as_str().to_string(), tenant_name })
    }

    /// Deactivates a colleague of this tenant (never oneself) and ends their sessions.
    pub async fn deactivate_colleague(&self, user_id: i64) -> Result<()> {
        let admin = self.admin()?;
        if user_id == admin {
            return Err(DomainError::Invalid("You cannot deactivate your own account.".into()));
        }
        let tx = crate::db::write(self.db()).await?;
        let u = user::Entity::find_by_id(user_id)
            .filter(user::Column::TenantId.eq(self.tenant_id()))
            .one(&tx)
            .await?
            .ok_or(DomainError::NotFound)?;
        let email = u.email.clone();
        let mut am = u.into_active_model();
        am.active = Set(false);
        am.update(&tx).await?;
        session::end_all_for_user(&tx, user_id).await?;
        audit::record(&tx, Some(admin), Some(self.tenant_id()), AuditAction::UserDeactivated, &email, None).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// An invitation a link still opens: for the page that asks the invitee for a name and password.
pub struct OpenInvitation {
    pub email: String,
    pub tenant_name: String,
}

async fn open_invitation(db: &DatabaseConnection, token: &str) -> Result<invitation::Model> {
    invitation::Entity::find()
        .filter(invitation::Column::TokenHash.eq(session::hash_token(token)))
        .filter(invitation::Column::UsedAt.is_null())
        .filter(invitation::Column::ExpiresAt.gt(now()))
        .one(db)
        .await?
        .ok_or(DomainError::NotFound)
}

/// What an invitation link offers, or `NotFound` when it is unknown, used or expired.
pub async fn invitation(db: &DatabaseConnection, token: &str) -> Result<OpenInvitation> {
    let inv = open_invitation(db, token).await?;
    let tenant_name = match inv.tenant_id {
        Some(t) => tenant::Entity::find_by_id(t).one(db).await?.map(|t| t.name).unwrap_or_default(),
        None => "Limelight".into(),
    };
    Ok(OpenInvitation { email: inv.email, tenant_name })
}

/// Accepts an invitation: creates the user with the invited email, tenant and role, and uses the
/// invitation up. Answers the new user's id.
pub async fn accept(db: &DatabaseConnection, token: &str, name: &str, password: String) -> Result<i64> {
    let name = DisplayName::parse("name", name)?;
    // The link first: without one that opens, no argon2 work is done for anybody.
    let inv = open_invitation(db, token).await?;
    let password = Password::parse_for(password, &inv.email, name.as_str())?;
    let hash = crate::auth::password::hash(&password).await?;
    let tx = crate::db::write(db).await?;
    // Re-read inside the write transaction: two tabs accepting at once make one account.
    let inv = invitation::Entity::find()
        .filter(invitation::Column::TokenHash.eq(session::hash_token(token)))
        .filter(invitation::Column::UsedAt.is_null())
        .filter(invitation::Column::ExpiresAt.gt(now()))
        .one(&tx)
        .await?
        .ok_or(DomainError::NotFound)?;
    if user::Entity::find().filter(user::Column::Email.eq(inv.email.as_str())).one(&tx).await?.is_some() {
        return Err(DomainError::Conflict("This email already has an account: sign in instead.".into()));
    }
    // Used up by one conditional UPDATE first: of two acceptances at once (two tabs, on either
    // database) exactly one goes on.
    let taken = invitation::Entity::update_many()
        .col_expr(invitation::Column::UsedAt, sea_orm::sea_query::Expr::value(Some(now())))
        .filter(invitation::Column::Id.eq(inv.id))
        .filter(invitation::Column::UsedAt.is_null())
        .exec(&tx)
        .await?;
    if taken.rows_affected != 1 {
        return Err(DomainError::NotFound);
    }
    let role = inv.role;
    let email = Email::parse(&inv.email)?;
    let u = crate::users::insert(&tx, &email, &name, role, inv.tenant_id, hash).await?;
    let tenant_id = inv.tenant_id;
    audit::record(&tx, Some(u.id), tenant_id, AuditAction::InvitationAccepted, &u.email, None).await?;
    tx.commit().await?;
    Ok(u.id)
}
