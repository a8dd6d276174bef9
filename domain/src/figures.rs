//! The dashboard's figures, as SQL aggregates over indexed columns: the cost follows the number of
//! categories and months shown, not the number of entries.

use crate::entities::{ticket, work_entry};
use crate::error::Result;
use crate::history::local_midnight;
use crate::scope::TenantScope;
use crate::time::now;
use crate::work::WorkItem;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::BTreeMap;
use vocabulary::{Category, WorkState};

/// A calendar month in the tenant's time zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Month {
    pub first_day: NaiveDate,
}

impl Month {
    pub fn containing(day: NaiveDate) -> Month {
        Month { first_day: day.with_day(1).expect("day 1 exists") }
    }

    pub fn next(self) -> Month {
        let d = self.first_day;
        let (y, m) = if d.month() == 12 { (d.year() + 1, 1) } else { (d.year(), d.month() + 1) };
        Month { first_day: NaiveDate::from_ymd_opt(y, m, 1).expect("valid") }
    }

    pub fn previous(self) -> Month {
        let d = self.first_day;
        let (y, m) = if d.month() == 1 { (d.year() - 1, 12) } else { (d.year(), d.month() - 1) };
        Month { first_day: NaiveDate::from_ymd_opt(y, m, 1).expect("valid") }
    }
}

/// Work totals for one period.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorkTotals {
    pub by_category: BTreeMap<Category, i64>,
    pub entries: i64,
    pub minutes: i64,
    pub after_hours_minutes: i64,
    pub proactive_entries: i64,
}

#[derive(Clone, Debug)]
pub struct Glance {
    pub month: Month,
    pub this_month: WorkTotals,
    pub last_month: WorkTotals,
    pub tickets_opened: u64,
    pub tickets_resolved: u64,
    pub included_hours: Option<i32>,
}

impl TenantScope {
    fn bounds(&self, tz: chrono_tz::Tz, month: Month) -> (DateTime<Utc>, DateTime<Utc>) {
        (local_midnight(tz, month.first_day), local_midnight(tz, month.next().first_day))
    }

    /// Client-visible, done work between two instants, grouped in SQL.
    pub async fn work_totals(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<WorkTotals> {
        let rows: Vec<(Category, bool, bool, i64, Option<i64>)> = self
            .client_work()
            .filter(work_entry::Column::State.eq(WorkState::Done))
            .filter(work_entry::Column::StartedAt.gte(from))
            .filter(work_entry::Column::StartedAt.lt(to))
            .select_only()
            .column(work_entry::Column::Category)
            .column(work_entry::Column::AfterHours)
            .column(work_entry::Column::Proactive)
            .column_as(Expr::col(work_entry::Column::Id).count(), "entries")
            .column_as(Expr::col(work_entry::Column::DurationMinutes).sum(), "minutes")
            .group_by(work_entry::Column::Category)
            .group_by(work_entry::Column::AfterHours)
            .group_by(work_entry::Column::Proactive)
            .into_tuple()
            .all(self.db())
            .await?;
        let mut t = WorkTotals::default();
        for (category, after_hours, proactive, n, minutes) in rows {
            let minutes = minutes.unwrap_or(0);
            *t.by_category.entry(category).or_default() += n;
            t.entries += n;
            t.minutes += minutes;
            if after_hours {
                t.after_hours_minutes += minutes;
            }
            if proactive {
                t.proactive_entries += n;
            }
        }
        Ok(t)
    }

    /// Tickets opened, and tickets resolved, between two instants.
    pub async fn ticket_counts(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<(u64, u64)> {
        let tickets = || self.select::<ticket::Entity>();
        let opened = tickets()
            .filter(ticket::Column::CreatedAt.gte(from))
            .filter(ticket::Column::CreatedAt.lt(to))
            .count(self.db())
            .await?;
        let resolved = tickets()
            .filter(ticket::Column::ResolvedAt.gte(from))
            .filter(ticket::Column::ResolvedAt.lt(to))
            .count(self.db())
            .await?;
        Ok((opened, resolved))
    }

    /// This month at a glance, with last month beside it for context.
    pub async fn glance(&self) -> Result<Glance> {
        let tenant = crate::entities::tenant::Entity::find_by_id(self.tenant_id())
            .one(self.db())
            .await?
            .ok_or(crate::DomainError::NotFound)?;
        let tz: chrono_tz::Tz = tenant.time_zone.parse().unwrap_or(chrono_tz::UTC);
        let month = Month::containing(now().with_timezone(&tz).date_naive());
        let (from, to) = self.bounds(tz, month);
        let (last_from, last_to) = self.bounds(tz, month.previous());
        let (tickets_opened, tickets_resolved) = self.ticket_counts(from, to).await?;
        Ok(Glance {
            month,
            this_month: self.work_totals(from, to).await?,
            last_month: self.work_totals(last_from, last_to).await?,
            tickets_opened,
            tickets_resolved,
            included_hours: tenant.included_hours,
        })
    }

    /// Entries per category for each of the last twelve months (oldest first): twelve small
    /// aggregates, whatever the size of the log.
    pub async fn twelve_months(&self) -> Result<Vec<(Month, BTreeMap<Category, i64>)>> {
        let tz = self.tenant().await?.time_zone;
        let mut month = Month::containing(now().with_timezone(&tz).date_naive());
        let mut months = Vec::new();
        for _ in 0..12 {
            months.push(month);
            month = month.previous();
        }
        months.reverse();
        let mut out = Vec::new();
        for m in months {
            let (from, to) = self.bounds(tz, m);
            out.push((m, self.work_totals(from, to).await?.by_category));
        }
        Ok(out)
    }

    /// Client-visible work planned from now on, soonest first.
    pub async fn planned_work(&self, limit: u64) -> Result<Vec<WorkItem>> {
        let rows = self
            .client_work()
            .filter(work_entry::Column::State.eq(WorkState::Planned))
            .filter(work_entry::Column::StartedAt.gte(now()))
            .filter(crate::approvals::approved_or_never_asked())
            .order_by_asc(work_entry::Column::StartedAt)
            .order_by_asc(work_entry::Column::Id)
            .limit(limit)
            .all(self.db())
            .await?;
        crate::work::with_names(self.db(), rows).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_step_across_years() {
        let dec = Month::containing(NaiveDate::from_ymd_opt(2026, 12, 31).unwrap());
        assert_eq!(dec.next().first_day, NaiveDate::from_ymd_opt(2027, 1, 1).unwrap());
        assert_eq!(dec.next().previous(), dec);
        let jan = Month::containing(NaiveDate::from_ymd_opt(2026, 1, 15).unwrap());
        assert_eq!(jan.previous().first_day, NaiveDate::from_ymd_opt(2025, 12, 1).unwrap());
    }
}
