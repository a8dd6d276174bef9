//! Server-side sessions. The cookie carries a random 256-bit token; the table keeps only its
//! SHA-256, so a copy of the database opens no session.

use crate::entities::{session, user};
use crate::error::Result;
use crate::time::now;
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};

/// How long a session lives.
#[derive(Clone, Copy, Debug)]
pub struct SessionPolicy {
    /// Ends a session nobody used for this long.
    pub idle: Duration,
    /// Ends every session this long after login, used or not.
    pub absolute: Duration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        SessionPolicy { idle: Duration::hours(8), absolute: Duration::days(7) }
    }
}

/// Last-seen is written at most this often, so that browsing is not a stream of writes.
const TOUCH_EVERY: i64 = 60;

pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub struct NewSession {
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

pub async fn create(
    db: &impl ConnectionTrait,
    user_id: i64,
    policy: SessionPolicy,
    user_agent: Option<String>,
    ip: Option<String>,
) -> Result<NewSession> {
    let token = new_token();
    let t = now();
    let expires_at = t + policy.absolute;
    session::ActiveModel {
        token_hash: Set(hash_token(&token)),
        user_id: Set(user_id),
        created_at: Set(t),
        last_seen_at: Set(t),
        expires_at: Set(expires_at),
        user_agent: Set(user_agent.map(|ua| ua.chars().take(400).collect())),
        ip: Set(ip),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(NewSession { token, expires_at })
}

/// The live session behind a token, with its user, or `None` when the token is unknown, expired
/// (idle or absolute) or its user was deactivated. Expired sessions are deleted on sight.
pub async fn lookup(
    db: &DatabaseConnection,
    token: &str,
    policy: SessionPolicy,
) -> Result<Option<(session::Model, user::Model)>> {
    let Some(s) = session::Entity::find().filter(session::Column::TokenHash.eq(hash_token(token))).one(db).await?
    else {
        return Ok(None);
    };
    let t = now();
    let Some(u) = user::Entity::find_by_id(s.user_id).one(db).await? else {
        return Ok(None);
    };
    if t >= s.expires_at || t >= s.last_seen_at + policy.idle || !u.active {
        session::Entity::delete_by_id(s.id).exec(db).await?;
        return Ok(None);
    }
    if (t - s.last_seen_at).num_seconds() >= TOUCH_EVERY {
        session::Entity::update_many()
            .col_expr(session::Column::LastSeenAt, sea_orm::sea_query::Expr::value(t))
            .filter(session::Column::Id.eq(s.id))
            .exec(db)
            .await?;
    }
    Ok(Some((s, u)))
}

/// Ends one session (logout).
pub async fn end(db: &impl ConnectionTrait, token: &str) -> Result<()> {
    session::Entity::delete_many().filter(session::Column::TokenHash.eq(hash_token(token))).exec(db).await?;
    Ok(())
}

/// Ends every session of a user (deactivation, password change).
pub async fn end_all_for_user(db: &impl ConnectionTrait, user_id: i64) -> Result<u64> {
    Ok(session::Entity::delete_many().filter(session::Column::UserId.eq(user_id)).exec(db).await?.rows_affected)
}

/// A live session, as its owner sees it in their account.
#[derive(Clone, Debug)]
pub struct SessionInfo {
    pub id: i64,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub user_agent: Option<String>,
    pub ip: Option<String>,
}

/// A user's live sessions, most recently used first.
pub async fn list_for_user(db: &impl ConnectionTrait, user_id: i64) -> Result<Vec<SessionInfo>> {
    use sea_orm::QueryOrder;
    Ok(session::Entity::find()
        .filter(session::Column::UserId.eq(user_id))
        .filter(session::Column::ExpiresAt.gt(now()))
        .order_by_desc(session::Column::LastSeenAt)
        .order_by_desc(session::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|s| SessionInfo {
            id: s.id,
            created_at: s.created_at,
            last_seen_at: s.last_seen_at,
            user_agent: s.user_agent,
            ip: s.ip,
        })
        .collect())
}

/// Ends one of a user's own sessions; `false` when the user has no such session (another
/// person's session id included).
pub async fn end_for_user(db: &impl ConnectionTrait, user_id: i64, session_id: i64) -> Result<bool> {
    let res = session::Entity::delete_many()
        .filter(session::Column::Id.eq(session_id))
        .filter(session::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}
