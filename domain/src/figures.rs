//! The dashboard's figures, as SQL aggregates over the daily totals the database keeps
//! (`work_day`) and, for the parts of days at a period's ends, over the entries: the cost follows
//! the number of categories and days shown, not the number of entries.

use crate::entities::{ticket, work_day, work_entry};
use crate::error::Result;
use crate::history::local_midnight;
use crate::scope::TenantScope;
use crate::time::now;
use crate::work::WorkItem;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use sea_orm::sea_query::{Alias, CaseStatement, Expr, ExprTrait};
use sea_orm::{ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
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

    /// Client-visible, done work between two instants.
    pub async fn work_totals(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<WorkTotals> {
        Ok(self.totals_by_period(&[(from, to)]).await?.remove(0))
    }

    /// Client-visible, done work in each period (`from..to`), in two statements whatever the
    /// number of periods and entries: the UTC days wholly inside a period are added up from the
    /// daily totals the database keeps (`work_day`, kept by triggers), and the parts of days at
    /// a period's ends (a client's midnight is rarely UTC's) from the entries themselves.
    pub async fn totals_by_period(&self, periods: &[(DateTime<Utc>, DateTime<Utc>)]) -> Result<Vec<WorkTotals>> {
        let mut out = vec![WorkTotals::default(); periods.len()];
        let split: Vec<Split> = periods.iter().map(|&(from, to)| Split::of(from, to)).collect();

        let mut days = CaseStatement::new();
        let mut any_days = false;
        let mut day_range = Condition::any();
        for (i, s) in split.iter().enumerate() {
            if let Some((first, end)) = s.days {
                any_days = true;
                let inside = Condition::all().add(work_day::Column::Day.gte(first)).add(work_day::Column::Day.lt(end));
                days = days.case(inside.clone(), Expr::val(i as i32));
                day_range = day_range.add(inside);
            }
        }
        if any_days {
            let rows: Vec<(i32, Category, Option<i64>, Option<i64>, Option<i64>, Option<i64>)> = self
                .select::<work_day::Entity>()
                .filter(day_range)
                .select_only()
                .column_as(Into::<Expr>::into(days.finally(Expr::val(-1))), "period")
                .column(work_day::Column::Category)
                .column_as(Expr::col(work_day::Column::Entries).sum(), "entries")
                .column_as(Expr::col(work_day::Column::Minutes).sum(), "minutes")
                .column_as(Expr::col(work_day::Column::AfterHoursMinutes).sum(), "after_hours_minutes")
                .column_as(Expr::col(work_day::Column::ProactiveEntries).sum(), "proactive_entries")
                .group_by(Expr::col(Alias::new("period")))
                .group_by(work_day::Column::Category)
                .into_tuple()
                .all(self.db())
                .await?;
            for (i, category, n, minutes, after_hours, proactive) in rows {
                let Some(t) = usize::try_from(i).ok().and_then(|i| out.get_mut(i)) else { continue };
                let n = n.unwrap_or(0);
                *t.by_category.entry(category).or_default() += n;
                t.entries += n;
                t.minutes += minutes.unwrap_or(0);
                t.after_hours_minutes += after_hours.unwrap_or(0);
                t.proactive_entries += proactive.unwrap_or(0);
            }
        }

        let mut edges = CaseStatement::new();
        let mut edge_range = Condition::any();
        for (i, s) in split.iter().enumerate() {
            for &(from, to) in &s.edges {
                // Each range names the tenant itself, so each can be read from the index on
                // (tenant_id, started_at).
                let inside = Condition::all()
                    .add(work_entry::Column::TenantId.eq(self.tenant_id()))
                    .add(work_entry::Column::StartedAt.gte(from))
                    .add(work_entry::Column::StartedAt.lt(to));
                edges = edges.case(inside.clone(), Expr::val(i as i32));
                edge_range = edge_range.add(inside);
            }
        }
        if split.iter().any(|s| !s.edges.is_empty()) {
            let rows: Vec<(i32, Category, bool, bool, i64, Option<i64>)> = self
                .client_work()
                .filter(work_entry::Column::State.eq(WorkState::Done))
                .filter(edge_range)
                .select_only()
                .column_as(Into::<Expr>::into(edges.finally(Expr::val(-1))), "period")
                .column(work_entry::Column::Category)
                .column(work_entry::Column::AfterHours)
                .column(work_entry::Column::Proactive)
                .column_as(Expr::col(work_entry::Column::Id).count(), "entries")
                .column_as(Expr::col(work_entry::Column::DurationMinutes).sum(), "minutes")
                .group_by(Expr::col(Alias::new("period")))
                .group_by(work_entry::Column::Category)
                .group_by(work_entry::Column::AfterHours)
                .group_by(work_entry::Column::Proactive)
                .into_tuple()
                .all(self.db())
                .await?;
            for (i, category, after_hours, proactive, n, minutes) in rows {
                let Some(t) = usize::try_from(i).ok().and_then(|i| out.get_mut(i)) else { continue };
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
        }
        // A category whose entries all moved away leaves a day row at zero.
        for t in &mut out {
            t.by_category.retain(|_, n| *n != 0);
        }
        Ok(out)
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
        let mut totals = self.totals_by_period(&[(from, to), (last_from, last_to)]).await?;
        let last_month = totals.pop().expect("two periods");
        Ok(Glance {
            month,
            this_month: totals.pop().expect("two periods"),
            last_month,
            tickets_opened,
            tickets_resolved,
            included_hours: tenant.included_hours,
        })
    }

    /// Entries per category for each of the last twelve months (oldest first): two statements,
    /// whatever the size of the log.
    pub async fn twelve_months(&self) -> Result<Vec<(Month, BTreeMap<Category, i64>)>> {
        let tz = self.tenant().await?.time_zone;
        let mut month = Month::containing(now().with_timezone(&tz).date_naive());
        let mut months = Vec::new();
        for _ in 0..12 {
            months.push(month);
            month = month.previous();
        }
        months.reverse();
        let periods: Vec<_> = months.iter().map(|&m| self.bounds(tz, m)).collect();
        let totals = self.totals_by_period(&periods).await?;
        Ok(months.into_iter().zip(totals).map(|(m, t)| (m, t.by_category)).collect())
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

/// A period cut at UTC midnights: the whole days inside it (`first..end`), and the parts of days
/// at its ends.
#[derive(Debug, PartialEq)]
struct Split {
    days: Option<(NaiveDate, NaiveDate)>,
    edges: Vec<(DateTime<Utc>, DateTime<Utc>)>,
}

impl Split {
    fn of(from: DateTime<Utc>, to: DateTime<Utc>) -> Split {
        let midnight = |d: NaiveDate| d.and_hms_opt(0, 0, 0).expect("midnight").and_utc();
        let first =
            if midnight(from.date_naive()) == from { from.date_naive() } else { from.date_naive() + Duration::days(1) };
        let end = to.date_naive();
        if first >= end {
            return Split { days: None, edges: if from < to { vec![(from, to)] } else { vec![] } };
        }
        let edges = [(from, midnight(first)), (midnight(end), to)].into_iter().filter(|(a, b)| a < b).collect();
        Split { days: Some((first, end)), edges }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_splits_into_whole_utc_days_and_the_hours_at_its_ends() {
        let at = |d: u32, h: u32| chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 11, d, h, 0, 0).unwrap();
        let day = |d: u32| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        // UTC's own month: whole days only.
        assert_eq!(Split::of(at(1, 0), at(30, 0)), Split { days: Some((day(1), day(30))), edges: vec![] });
        // New York's November (05:00 UTC to 05:00 UTC): whole days between, hours at both ends.
        assert_eq!(
            Split::of(at(1, 5), at(30, 5)),
            Split { days: Some((day(2), day(30))), edges: vec![(at(1, 5), at(2, 0)), (at(30, 0), at(30, 5))] }
        );
        // Within one UTC day, or across one midnight with no whole day: the entries alone.
        assert_eq!(Split::of(at(3, 5), at(3, 9)), Split { days: None, edges: vec![(at(3, 5), at(3, 9))] });
        assert_eq!(Split::of(at(3, 5), at(4, 5)), Split { days: None, edges: vec![(at(3, 5), at(4, 5))] });
        assert_eq!(Split::of(at(3, 5), at(3, 5)), Split { days: None, edges: vec![] });
    }

    #[test]
    fn months_step_across_years() {
        let dec = Month::containing(NaiveDate::from_ymd_opt(2026, 12, 31).unwrap());
        assert_eq!(dec.next().first_day, NaiveDate::from_ymd_opt(2027, 1, 1).unwrap());
        assert_eq!(dec.next().previous(), dec);
        let jan = Month::containing(NaiveDate::from_ymd_opt(2026, 1, 15).unwrap());
        assert_eq!(jan.previous().first_day, NaiveDate::from_ymd_opt(2025, 12, 1).unwrap());
    }
}
