//! A tenant's work history: filters and keyset pagination.
//!
//! Pages are keyed on `(started_at, id)` and fetched with a row-value comparison,
//! `(started_at, id) < (?, ?)`, which the `(tenant_id, visibility, started_at, id)` index serves
//! directly: page 1,000 costs what page 1 costs. (sea-orm's `cursor_by` writes the expanded
//! `a < x OR (a = x AND b < y)` form, which defeats the index.)

use crate::entities::{work_entry, work_entry_system};
use crate::error::Result;
use crate::scope::{TenantOwned, TenantScope};
use crate::work::{WorkItem, with_names};
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr, Query};
use sea_orm::{ColumnTrait, QueryFilter, QueryOrder, QuerySelect};
use vocabulary::{Category, WorkState};

/// What a client filters the history by. Dates are days in the tenant's time zone, both included.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorkFilter {
    pub category: Option<Category>,
    pub system_id: Option<i64>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub after_hours_only: bool,
    /// Words in the title (case-insensitive).
    pub text: Option<String>,
}

/// Where a page ends: the last row's `(started_at, id)`. Its text form, `<unix seconds>.<id>`,
/// travels in the "older" link.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cursor {
    pub started_at: DateTime<Utc>,
    pub id: i64,
}

impl Cursor {
    pub fn encode(&self) -> String {
        format!("{}.{}", self.started_at.timestamp(), self.id)
    }

    pub fn decode(text: &str) -> Option<Cursor> {
        let (secs, id) = text.split_once('.')?;
        Some(Cursor { started_at: Utc.timestamp_opt(secs.parse().ok()?, 0).single()?, id: id.parse().ok()? })
    }
}

pub struct Page {
    pub items: Vec<WorkItem>,
    /// Present when there are older rows.
    pub next: Option<Cursor>,
}

/// The most rows one page (or one batch of an export) holds.
pub const MAX_PAGE: u64 = 500;

/// `%text%` for LIKE, with the pattern's own wildcards escaped.
fn contains_pattern(text: &str) -> String {
    let mut p = String::from("%");
    for c in text.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '|') {
            p.push('|');
        }
        p.push(c);
    }
    p.push('%');
    p
}

/// The first instant of a local day in `tz` (the earliest, should midnight repeat or not exist).
pub(crate) fn local_midnight(tz: chrono_tz::Tz, day: NaiveDate) -> DateTime<Utc> {
    let mut t = day.and_hms_opt(0, 0, 0).expect("midnight exists");
    loop {
        if let Some(dt) = tz.from_local_datetime(&t).earliest() {
            return dt.with_timezone(&Utc);
        }
        t += Duration::minutes(30);
    }
}

impl TenantScope {
    /// One page of the client-visible, done work, newest first, after `cursor` if given.
    pub async fn work_history(&self, filter: &WorkFilter, cursor: Option<Cursor>, limit: u64) -> Result<Page> {
        let done = self.client_work().filter(work_entry::Column::State.eq(WorkState::Done));
        self.history_of(done, filter, cursor, limit).await
    }

    /// The same, as staff see it: internal entries and planned work too (with their state).
    pub(crate) async fn staff_work_history(
        &self,
        filter: &WorkFilter,
        cursor: Option<Cursor>,
        limit: u64,
    ) -> Result<Page> {
        self.history_of(self.select::<work_entry::Entity>(), filter, cursor, limit).await
    }

    async fn history_of(
        &self,
        mut q: sea_orm::Select<work_entry::Entity>,
        filter: &WorkFilter,
        cursor: Option<Cursor>,
        limit: u64,
    ) -> Result<Page> {
        let limit = limit.clamp(1, MAX_PAGE);
        let tz = self.tenant().await?.time_zone;
        if let Some(c) = filter.category {
            q = q.filter(work_entry::Column::Category.eq(c));
        }
        if let Some(system) = filter.system_id {
            let mut links = Query::select();
            links
                .column(work_entry_system::Column::WorkEntryId)
                .from(work_entry_system::Entity)
                .and_where(Expr::col(work_entry_system::Entity::tenant_column()).eq(self.tenant_id()))
                .and_where(Expr::col(work_entry_system::Column::SystemId).eq(system));
            q = q.filter(work_entry::Column::Id.in_subquery(links.to_owned()));
        }
        if let Some(from) = filter.from {
            q = q.filter(work_entry::Column::StartedAt.gte(local_midnight(tz, from)));
        }
        if let Some(to) = filter.to {
            q = q.filter(work_entry::Column::StartedAt.lt(local_midnight(tz, to + Duration::days(1))));
        }
        if filter.after_hours_only {
            q = q.filter(work_entry::Column::AfterHours.eq(true));
        }
        if let Some(text) = filter.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            q = q.filter(
                Expr::expr(Func::lower(Expr::col((work_entry::Entity, work_entry::Column::Title))))
                    .like(LikeExpr::new(contains_pattern(text)).escape('|')),
            );
        }
        if let Some(c) = cursor {
            q = q.filter(
                Expr::tuple([
                    Expr::col((work_entry::Entity, work_entry::Column::StartedAt)),
                    Expr::col((work_entry::Entity, work_entry::Column::Id)),
                ])
                .lt(Expr::tuple([Expr::value(c.started_at), Expr::value(c.id)])),
            );
        }
        let mut rows = q
            .order_by_desc(work_entry::Column::StartedAt)
            .order_by_desc(work_entry::Column::Id)
            .limit(limit + 1)
            .all(self.db())
            .await?;
        let more = rows.len() as u64 > limit;
        rows.truncate(limit as usize);
        let next = more.then(|| rows.last().map(|r| Cursor { started_at: r.started_at, id: r.id })).flatten();
        Ok(Page { items: with_names(self.db(), rows).await?, next })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_junk() {
        let c = Cursor { started_at: Utc.timestamp_opt(1_763_700_000, 0).unwrap(), id: 42 };
        assert_eq!(Cursor::decode(&c.encode()), Some(c));
        for junk in ["", "12", "a.b", "1.x", "x.1"] {
            assert_eq!(Cursor::decode(junk), None, "{junk}");
        }
    }

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(contains_pattern("50% Off_"), "%50|% off|_%");
    }

    #[test]
    fn local_days_start_at_local_midnight() {
        let tz: chrono_tz::Tz = "America/New_York".parse().unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
        assert_eq!(local_midnight(tz, day), Utc.with_ymd_and_hms(2026, 11, 21, 5, 0, 0).unwrap());
        // Midnight does not exist on this day in Santiago (the clock jumps from 00:00 to 01:00).
        let santiago: chrono_tz::Tz = "America/Santiago".parse().unwrap();
        let gap = NaiveDate::from_ymd_opt(2026, 9, 6).unwrap();
        let start = local_midnight(santiago, gap);
        assert_eq!(start.with_timezone(&santiago).date_naive(), gap);
    }
}
