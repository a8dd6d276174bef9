//! Private calendar feeds (iCalendar, RFC 5545): a link with a token in it that a calendar app
//! polls. A client's feed has its planned maintenance and who covers on the days its primary tech
//! is away ("Sam away, Alex covering"); a member of staff's has their own time off, their own
//! planned work and the rest of the team's absences. One live link a person: a new one replaces
//! it, and turning it off ends it. Only the token's SHA-256 is stored.

use crate::auth::CurrentUser;
use crate::auth::session::{hash_token, new_token};
use crate::entities::{calendar_feed, tenant, time_off, user, work_entry};
use crate::error::{DomainError, Result};
use crate::scope::TenantScope;
use crate::time::now;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use icalendar::{Calendar, Component, Event, EventLike};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set};
use std::collections::HashMap;
use vocabulary::{Visibility, WorkState};

/// Every feed link starts with this.
pub const FEED_PREFIX: &str = "llc_";
/// How far back and ahead a feed looks.
const DAYS_BACK: i64 = 30;
const DAYS_AHEAD: i64 = 180;

/// A person's feed link as the account page shows it (the link itself only when just made).
#[derive(Clone, Debug)]
pub struct FeedInfo {
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub last_fetched_at: Option<DateTime<Utc>>,
}

/// The feeds, for the signed-in person's own link.
#[derive(Clone, Debug)]
pub struct CalendarFeeds {
    db: DatabaseConnection,
}

impl CalendarFeeds {
    pub fn new(db: DatabaseConnection) -> Self {
        CalendarFeeds { db }
    }

    pub async fn of(&self, user: &CurrentUser) -> Result<Option<FeedInfo>> {
        Ok(calendar_feed::Entity::find()
            .filter(calendar_feed::Column::UserId.eq(user.id))
            .one(&self.db)
            .await?
            .map(|f| FeedInfo { prefix: f.prefix, created_at: f.created_at, last_fetched_at: f.last_fetched_at }))
    }

    /// A new link (the old one, if any, stops working): answers its token, shown this once.
    pub async fn renew(&self, user: &CurrentUser) -> Result<String> {
        let token = format!("{FEED_PREFIX}{}", new_token());
        let tx = crate::db::write(&self.db).await?;
        calendar_feed::Entity::delete_many().filter(calendar_feed::Column::UserId.eq(user.id)).exec(&tx).await?;
        calendar_feed::ActiveModel {
            user_id: Set(user.id),
            token_hash: Set(hash_token(&token)),
            prefix: Set(token.chars().take(FEED_PREFIX.len() + 6).collect()),
            created_at: Set(now()),
            last_fetched_at: Set(None),
            ..Default::default()
        }
        .insert(&tx)
        .await?;
        tx.commit().await?;
        Ok(token)
    }

    pub async fn turn_off(&self, user: &CurrentUser) -> Result<()> {
        calendar_feed::Entity::delete_many().filter(calendar_feed::Column::UserId.eq(user.id)).exec(&self.db).await?;
        Ok(())
    }

    /// The feed a link stands for, as iCalendar text; `None` for a link that is not (or no
    /// longer) live, or whose person is deactivated.
    pub async fn render(&self, token: &str) -> Result<Option<String>> {
        if !token.starts_with(FEED_PREFIX) || token.len() > 100 {
            return Ok(None);
        }
        let Some(feed) = calendar_feed::Entity::find()
            .filter(calendar_feed::Column::TokenHash.eq(hash_token(token)))
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        let Some(person) = user::Entity::find_by_id(feed.user_id).one(&self.db).await?.filter(|u| u.active) else {
            return Ok(None);
        };
        // Polled often: the last fetch is noted at most hourly.
        let t = now();
        if feed.last_fetched_at.is_none_or(|f| t - f > Duration::hours(1)) {
            calendar_feed::Entity::update_many()
                .col_expr(calendar_feed::Column::LastFetchedAt, Expr::value(t))
                .filter(calendar_feed::Column::Id.eq(feed.id))
                .exec(&self.db)
                .await?;
        }
        let calendar = match person.tenant_id {
            Some(tenant_id) => self.client_feed(tenant_id).await?,
            None => self.staff_feed(&person).await?,
        };
        Ok(Some(calendar.to_string()))
    }

    async fn client_feed(&self, tenant_id: i64) -> Result<Calendar> {
        let t = tenant::Entity::find_by_id(tenant_id).one(&self.db).await?.ok_or(DomainError::NotFound)?;
        let today = now().with_timezone(&crate::staff::time_zone(&t)).date_naive();
        let (from, to) = (today - Duration::days(DAYS_BACK), today + Duration::days(DAYS_AHEAD));
        let mut cal = Calendar::new();
        cal.name(&format!("{}: planned IT work and cover", t.name));
        let planned = planned_work()
            .filter(work_entry::Column::TenantId.eq(t.id))
            .filter(work_entry::Column::Visibility.eq(Visibility::Client))
            // A time the client has not approved is not a plan yet.
            .filter(crate::approvals::approved_or_never_asked())
            .all(&self.db)
            .await?;
        for w in planned {
            cal.push(work_event(&w, &format!("Planned: {}", w.title)));
        }
        let scope = TenantScope::new(self.db.clone(), t.id, None);
        for (first, last, primary, cover) in stretches(scope.primary_away_days(from, to).await?) {
            let summary = match &cover {
                Some(c) => format!("{primary} away, {c} covering"),
                None => format!("{primary} away: call the help desk"),
            };
            cal.push(all_day(&format!("cover-{}-{first}@limelight", t.slug), first, last, &summary));
        }
        Ok(cal.done())
    }

    async fn staff_feed(&self, person: &user::Model) -> Result<Calendar> {
        let today = now().date_naive();
        let (from, to) = (today - Duration::days(DAYS_BACK), today + Duration::days(DAYS_AHEAD));
        let mut cal = Calendar::new();
        cal.name(&format!("{}: time off, planned work and the team's absences", person.display_name));
        let names: HashMap<i64, String> = user::Entity::find()
            .filter(user::Column::TenantId.is_null())
            .all(&self.db)
            .await?
            .into_iter()
            .map(|u| (u.id, u.display_name))
            .collect();
        let off = time_off::Entity::find()
            .filter(time_off::Column::FirstDay.lte(to))
            .filter(time_off::Column::LastDay.gte(from))
            .order_by_asc(time_off::Column::FirstDay)
            .all(&self.db)
            .await?;
        for o in off {
            let summary = if o.user_id == person.id {
                if o.note.is_empty() { "Time off".to_string() } else { format!("Time off: {}", o.note) }
            } else {
                format!("{} away", names.get(&o.user_id).map(String::as_str).unwrap_or("A colleague"))
            };
            cal.push(all_day(&format!("time-off-{}@limelight", o.id), o.first_day, o.last_day, &summary));
        }
        let planned = planned_work().filter(work_entry::Column::PerformedBy.eq(person.id)).all(&self.db).await?;
        let clients: HashMap<i64, String> = tenant::Entity::find()
            .filter(tenant::Column::Id.is_in(planned.iter().map(|w| w.tenant_id).collect::<Vec<_>>()))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|t| (t.id, t.name))
            .collect();
        for w in planned {
            let client = clients.get(&w.tenant_id).map(String::as_str).unwrap_or("A client");
            cal.push(work_event(&w, &format!("{client}: {}", w.title)));
        }
        Ok(cal.done())
    }
}

/// Planned work within the feed's window, soonest first.
fn planned_work() -> sea_orm::Select<work_entry::Entity> {
    let t = now();
    work_entry::Entity::find()
        .filter(work_entry::Column::State.eq(WorkState::Planned))
        .filter(work_entry::Column::StartedAt.gte(t - Duration::days(DAYS_BACK)))
        .filter(work_entry::Column::StartedAt.lte(t + Duration::days(DAYS_AHEAD)))
        .order_by_asc(work_entry::Column::StartedAt)
}

/// Planned work at its instant (UTC), for its duration.
fn work_event(w: &work_entry::Model, summary: &str) -> Event {
    Event::new()
        .uid(&format!("work-{}@limelight", w.id))
        .summary(summary)
        .description(&w.why_it_matters)
        .starts(w.started_at)
        .ends(w.started_at + Duration::minutes(w.duration_minutes.max(1) as i64))
        .done()
}

/// Whole days `first..=last` (iCalendar's end date is the day after).
fn all_day(uid: &str, first: NaiveDate, last: NaiveDate, summary: &str) -> Event {
    Event::new().uid(uid).summary(summary).starts(first).ends(last + Duration::days(1)).done()
}

/// Consecutive days with the same primary and cover, as (first, last, primary, cover).
fn stretches(days: Vec<(NaiveDate, String, Option<String>)>) -> Vec<(NaiveDate, NaiveDate, String, Option<String>)> {
    let mut out: Vec<(NaiveDate, NaiveDate, String, Option<String>)> = Vec::new();
    for (d, primary, cover) in days {
        match out.last_mut() {
            Some(s) if s.1 + Duration::days(1) == d && s.2 == primary && s.3 == cover => s.1 = d,
            _ => out.push((d, d, primary, cover)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_merge_into_stretches_while_the_cover_stays() {
        let d = |n| NaiveDate::from_ymd_opt(2026, 12, n).unwrap();
        let sam = || "Sam".to_string();
        let alex = Some("Alex".to_string());
        let got = stretches(vec![
            (d(1), sam(), alex.clone()),
            (d(2), sam(), alex.clone()),
            (d(3), sam(), None),
            (d(5), sam(), alex.clone()),
        ]);
        assert_eq!(got, vec![(d(1), d(2), sam(), alex.clone()), (d(3), d(3), sam(), None), (d(5), d(5), sam(), alex)]);
    }

    #[test]
    fn an_all_day_stretch_ends_the_day_after() {
        let d = |n| NaiveDate::from_ymd_opt(2026, 12, n).unwrap();
        let text = Calendar::new().push(all_day("x@limelight", d(1), d(2), "Sam away")).done().to_string();
        assert!(text.contains("DTSTART;VALUE=DATE:20261201"), "{text}");
        assert!(text.contains("DTEND;VALUE=DATE:20261203"), "{text}");
    }
}
