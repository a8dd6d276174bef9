//! Sign-in throttling. Attempts are counted under three keys: the account at one address, the
//! address, and the account from anywhere. A few attempts under a key are free; after them each
//! one waits twice as long as the last (2 s, 4 s, 8 s … at most the window), so a person typing
//! is never stopped for long, while a tool guessing gets a handful of tries an hour. Someone
//! failing against an account from their own address slows only themselves: the real owner,
//! elsewhere, signs in (the account-wide allowance is high, a bound on the total work a
//! distributed attacker can force, which the password gate bounds again).
//!
//! An attempt is reserved before its password is checked, in one write transaction per attempt
//! (SQLite's BEGIN IMMEDIATE; on PostgreSQL the upsert locks the row): parallel attempts queue
//! for the count, so no more slip through than the rule allows. An attempt that signs in is
//! refunded.

use crate::entities::throttle as throttle_row;
use crate::error::Result;
use crate::time::now;
use chrono::Duration;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use std::net::IpAddr;

/// The window attempts are counted in; a quiet window starts the count again.
pub const WINDOW_MINUTES: i64 = 15;
/// Attempts without a delay: the account at one address…
pub const PAIR_FREE: i32 = 5;
/// …one address (an office behind one NAT signs in many people)…
pub const ADDRESS_FREE: i32 = 50;
/// …the account from any address.
pub const ACCOUNT_FREE: i32 = 100;

/// The address attempts are counted under: an IPv4 address as it is, an IPv6 address by its /64
/// (one household or server usually holds a whole /64, so counting single addresses would let it
/// try 2^64 times).
pub fn address_key(ip: &str) -> String {
    match ip.parse::<IpAddr>() {
        Ok(IpAddr::V6(v6)) if v6.to_ipv4_mapped().is_none() => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        Ok(IpAddr::V6(v6)) => v6.to_ipv4_mapped().map(|v4| v4.to_string()).unwrap_or_else(|| ip.to_string()),
        _ => ip.to_string(),
    }
}

/// The keys of one attempt, each with its free allowance.
pub(crate) fn keys(email: &str, ip: Option<&str>) -> Vec<(String, i32)> {
    let mut keys = vec![(format!("account:{email}"), ACCOUNT_FREE)];
    if let Some(ip) = ip {
        let address = address_key(ip);
        keys.push((format!("pair:{email} {address}"), PAIR_FREE));
        keys.push((format!("address:{address}"), ADDRESS_FREE));
    }
    keys
}

/// The wait after the `over`-th attempt beyond the free ones: 2, 4, 8 … seconds, at most the
/// window.
fn delay(over: i32) -> Duration {
    let seconds = 1i64 << over.clamp(1, 20);
    Duration::seconds(seconds.min(WINDOW_MINUTES * 60))
}

/// Reserves an attempt under every key, or answers `false` when one of them must still wait (and
/// then counts nothing).
pub(crate) async fn reserve(db: &DatabaseConnection, keys: &[(String, i32)]) -> Result<bool> {
    let t = now();
    let tx = crate::db::write(db).await?;
    let mut rows = Vec::new();
    for (key, free) in keys {
        let mut row = locked_row(&tx, key, t).await?;
        if row.window_start < t - Duration::minutes(WINDOW_MINUTES) && row.next_allowed_at <= t {
            row.attempts = 0;
            row.window_start = t;
        }
        rows.push((row, *free));
    }
    if rows.iter().any(|(row, _)| row.next_allowed_at > t) {
        tx.commit().await?;
        return Ok(false);
    }
    for (row, free) in rows {
        let attempts = row.attempts + 1;
        let next_allowed_at = if attempts >= free { t + delay(attempts - free + 1) } else { t };
        let window_start = row.window_start;
        let mut am: throttle_row::ActiveModel = row.into();
        am.attempts = Set(attempts);
        am.next_allowed_at = Set(next_allowed_at);
        am.window_start = Set(window_start);
        am.update(&tx).await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// An attempt that signed in: the account at that address starts afresh, and the address and
/// the account get their attempt back.
pub(crate) async fn refund(db: &impl ConnectionTrait, keys: &[(String, i32)]) -> Result<()> {
    for (key, free) in keys {
        if key.starts_with("pair:") {
            throttle_row::Entity::delete_by_id(key.clone()).exec(db).await?;
            continue;
        }
        if let Some(row) = throttle_row::Entity::find_by_id(key.clone()).one(db).await? {
            let attempts = (row.attempts - 1).max(0);
            let mut am: throttle_row::ActiveModel = row.into();
            am.attempts = Set(attempts);
            if attempts < *free {
                am.next_allowed_at = Set(now());
            }
            am.update(db).await?;
        }
    }
    Ok(())
}

/// Actions that send email or make rows others must read, paced per person and per address so
/// that nobody (a script with a stolen session, say) can flood a team's queue or anyone's inbox.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Paced {
    Ticket,
    Comment,
    Invitation,
    ResetRequest,
    /// Turning one's second step off: each try checks a code, so it is paced like guessing.
    TwoStepChange,
}

/// The hour paced actions are counted in.
pub const PACE_WINDOW_MINUTES: i64 = 60;

impl Paced {
    fn word(self) -> &'static str {
        match self {
            Paced::Ticket => "ticket",
            Paced::Comment => "comment",
            Paced::Invitation => "invitation",
            Paced::ResetRequest => "reset",
            Paced::TwoStepChange => "two_step",
        }
    }

    /// At most this many an hour per person, and per address.
    pub fn limits(self) -> (i32, i32) {
        match self {
            Paced::Ticket => (30, 120),
            Paced::Comment => (120, 300),
            Paced::Invitation => (30, 60),
            Paced::ResetRequest => (0, 20),
            Paced::TwoStepChange => (10, 30),
        }
    }
}

/// Counts one `what` for this person and address, or refuses it (`TooMany`, with the seconds until
/// the window frees up) when either has had its hour's worth; a refused one is not counted.
pub async fn pace(db: &DatabaseConnection, what: Paced, user: Option<i64>, ip: Option<&str>) -> Result<()> {
    let (per_user, per_address) = what.limits();
    let mut keys = Vec::new();
    if let Some(u) = user {
        keys.push((format!("pace:{}:user:{u}", what.word()), per_user));
    }
    if let Some(ip) = ip {
        keys.push((format!("pace:{}:address:{}", what.word(), address_key(ip)), per_address));
    }
    pace_keys(db, keys).await
}

/// An API token's hour: a tool may do ten times what one person may (a help desk's integration
/// opens tickets for many people), and no more.
pub const TOKEN_FACTOR: i32 = 10;

/// Counts one `what` for an API token, or refuses it (`TooMany`) when the token has had its
/// hour's worth.
pub async fn pace_token(db: &DatabaseConnection, what: Paced, token_id: i64) -> Result<()> {
    let limit = what.limits().0 * TOKEN_FACTOR;
    pace_keys(db, vec![(format!("pace:{}:token:{token_id}", what.word()), limit)]).await
}

async fn pace_keys(db: &DatabaseConnection, keys: Vec<(String, i32)>) -> Result<()> {
    let t = now();
    let window = Duration::minutes(PACE_WINDOW_MINUTES);
    let tx = crate::db::write(db).await?;
    let mut rows = Vec::new();
    for (key, limit) in keys {
        let mut row = locked_row(&tx, &key, t).await?;
        if row.window_start <= t - window {
            row.attempts = 0;
            row.window_start = t;
        }
        if row.attempts >= limit {
            let wait = (row.window_start + window - t).num_seconds().max(1) as u64;
            return Err(crate::error::DomainError::TooMany { retry_after: wait });
        }
        rows.push(row);
    }
    for row in rows {
        let (attempts, window_start) = (row.attempts + 1, row.window_start);
        let mut am: throttle_row::ActiveModel = row.into();
        am.attempts = Set(attempts);
        am.window_start = Set(window_start);
        am.update(&tx).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The row of a key, made if missing and (on PostgreSQL) locked until the transaction ends.
async fn locked_row(
    tx: &impl ConnectionTrait,
    key: &str,
    t: chrono::DateTime<chrono::Utc>,
) -> Result<throttle_row::Model> {
    throttle_row::Entity::insert(throttle_row::ActiveModel {
        key: Set(key.to_string()),
        attempts: Set(0),
        window_start: Set(t),
        next_allowed_at: Set(t),
    })
    .on_conflict(OnConflict::column(throttle_row::Column::Key).update_column(throttle_row::Column::Key).to_owned())
    .exec_without_returning(tx)
    .await?;
    Ok(throttle_row::Entity::find_by_id(key.to_string())
        .one(tx)
        .await?
        .ok_or(sea_orm::DbErr::RecordNotFound(key.to_string()))?)
}

/// Forgets windows long over (the server's hourly round; the rows are tiny either way).
pub async fn forget_old(db: &impl ConnectionTrait) -> Result<()> {
    let t = now() - Duration::minutes(2 * WINDOW_MINUTES.max(PACE_WINDOW_MINUTES));
    throttle_row::Entity::delete_many()
        .filter(throttle_row::Column::WindowStart.lt(t))
        .filter(throttle_row::Column::NextAllowedAt.lt(t))
        .exec(db)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_counts_by_its_64() {
        assert_eq!(address_key("203.0.113.7"), "203.0.113.7");
        assert_eq!(address_key("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
        assert_eq!(address_key("2001:db8:1:2:bbbb:cccc:dddd:eeee"), "2001:db8:1:2::/64");
        assert_ne!(address_key("2001:db8:1:3::1"), address_key("2001:db8:1:2::1"));
        assert_eq!(address_key("::ffff:198.51.100.4"), "198.51.100.4");
    }

    #[test]
    fn delays_double_up_to_the_window() {
        assert_eq!(delay(1), Duration::seconds(2));
        assert_eq!(delay(2), Duration::seconds(4));
        assert_eq!(delay(5), Duration::seconds(32));
        assert_eq!(delay(30), Duration::minutes(WINDOW_MINUTES));
    }
}
