//! "Forgot your password?": a single-use link that expires. Asking never reveals whether an
//! account exists (the answer is the same, and an email goes out only for a real, active user);
//! using the link sets a new password and ends every session of that user.

use super::session::{self, hash_token, new_token};
use super::{Client, password};
use crate::audit;
use crate::entities::{password_reset, user};
use crate::error::{DomainError, Result};
use crate::input::{Email, Password};
use crate::time::now;
use chrono::Duration;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, Set,
};
use vocabulary::AuditAction;

/// How long a reset link works.
pub const RESET_MINUTES: i64 = 60;
/// At most this many links per email per hour: asking again and again sends nothing more.
const REQUESTS_PER_HOUR: u64 = 3;

/// A link to send: the token goes in the link, only its hash is stored.
#[derive(Debug)]
pub struct ResetRequested {
    pub token: String,
    pub email: String,
    pub name: String,
}

/// Creates a reset link for this email if it belongs to an active user (and it has not been asked
/// for too often). `None` otherwise; the caller answers the same either way.
pub async fn request(db: &DatabaseConnection, email: &str, from: &Client) -> Result<Option<ResetRequested>> {
    let Ok(email) = Email::parse(email) else { return Ok(None) };
    let since = now() - Duration::hours(1);
    let recent = crate::entities::audit_event::Entity::find()
        .filter(crate::entities::audit_event::Column::Action.eq(AuditAction::PasswordResetRequested))
        .filter(crate::entities::audit_event::Column::Target.eq(email.as_str()))
        .filter(crate::entities::audit_event::Column::CreatedAt.gte(since))
        .count(db)
        .await?;
    if recent >= REQUESTS_PER_HOUR {
        return Ok(None);
    }
    audit::record_from(db, None, None, AuditAction::PasswordResetRequested, email.as_str(), from, None).await?;
    let Some(u) = user::Entity::find()
        .filter(user::Column::Email.eq(email.as_str()))
        .filter(user::Column::Active.eq(true))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let token = new_token();
    password_reset::ActiveModel {
        token_hash: Set(hash_token(&token)),
        user_id: Set(u.id),
        expires_at: Set(now() + Duration::minutes(RESET_MINUTES)),
        used_at: Set(None),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(Some(ResetRequested { token, email: u.email, name: u.display_name }))
}

/// The open (unused, unexpired) reset for a token, and its user; anything else is `NotFound`.
async fn open(db: &impl sea_orm::ConnectionTrait, token: &str) -> Result<(password_reset::Model, user::Model)> {
    let r = password_reset::Entity::find()
        .filter(password_reset::Column::TokenHash.eq(hash_token(token)))
        .one(db)
        .await?
        .filter(|r| r.used_at.is_none() && r.expires_at > now())
        .ok_or(DomainError::NotFound)?;
    let u = user::Entity::find_by_id(r.user_id).one(db).await?.filter(|u| u.active).ok_or(DomainError::NotFound)?;
    Ok((r, u))
}

/// The email a working link is for (for the reset page).
pub async fn email_for(db: &DatabaseConnection, token: &str) -> Result<String> {
    Ok(open(db, token).await?.1.email)
}

/// Sets a new password with a link, once; ends every session of the user. Answers the user's id.
pub async fn complete(db: &DatabaseConnection, token: &str, new: String, from: &Client) -> Result<i64> {
    // A dead link costs no hashing.
    let (_, u) = open(db, token).await?;
    let new = Password::parse_for(new, &u.email, &u.display_name)?;
    let hash = password::hash(&new).await?;
    let tx = crate::db::write(db).await?;
    let (r, u) = open(&tx, token).await?;
    // Used up by one conditional UPDATE: of two uses of one link at once, on either database,
    // exactly one changes the row; the other finds it used. Every other open link of the user
    // dies with it.
    let t = now();
    let taken = password_reset::Entity::update_many()
        .col_expr(password_reset::Column::UsedAt, sea_orm::sea_query::Expr::value(Some(t)))
        .filter(password_reset::Column::Id.eq(r.id))
        .filter(password_reset::Column::UsedAt.is_null())
        .exec(&tx)
        .await?;
    if taken.rows_affected != 1 {
        return Err(DomainError::NotFound);
    }
    password_reset::Entity::update_many()
        .col_expr(password_reset::Column::UsedAt, sea_orm::sea_query::Expr::value(Some(t)))
        .filter(password_reset::Column::UserId.eq(u.id))
        .filter(password_reset::Column::UsedAt.is_null())
        .exec(&tx)
        .await?;
    let (user_id, tenant_id, email) = (u.id, u.tenant_id, u.email.clone());
    let mut account = u.into_active_model();
    account.password_hash = Set(Some(hash));
    account.update(&tx).await?;
    session::end_all_for_user(&tx, user_id).await?;
    audit::record_from(&tx, Some(user_id), tenant_id, AuditAction::PasswordReset, &email, from, None).await?;
    tx.commit().await?;
    Ok(user_id)
}
