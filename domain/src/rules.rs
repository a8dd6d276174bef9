//! The product's rules as plain functions.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Timelike, Utc};
use chrono_tz::Tz;

/// A tenant's business hours, in its own time zone.
#[derive(Clone, Copy, Debug)]
pub struct BusinessHours {
    pub time_zone: Tz,
    /// Monday = bit 0 … Sunday = bit 6.
    pub days: u8,
    pub start_minute: u16,
    pub end_minute: u16,
}

impl BusinessHours {
    /// Open at this instant? Hours whose end is before their start run across midnight (a night
    /// shift, 22:00–06:00): the early-morning part belongs to the day the window opened, so a
    /// Friday-night window is open early on Saturday.
    pub fn is_open(&self, at: DateTime<Utc>) -> bool {
        let local = at.with_timezone(&self.time_zone);
        let weekday = local.weekday().num_days_from_monday();
        let opens_on = |day: u32| self.days & (1u8 << day) != 0;
        let minute = (local.hour() * 60 + local.minute()) as u16;
        if self.start_minute <= self.end_minute {
            opens_on(weekday) && minute >= self.start_minute && minute < self.end_minute
        } else {
            (opens_on(weekday) && minute >= self.start_minute)
                || (opens_on((weekday + 6) % 7) && minute < self.end_minute)
        }
    }
}

/// Today's date where the tenant is: time off, "who covers today" and gaps are counted in days of
/// the tenant's own calendar.
pub fn today_in(time_zone: Tz, at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&time_zone).date_naive()
}

/// Whole days off as inclusive ranges, merged: overlapping or touching ranges become one.
pub fn merge_days(mut ranges: Vec<(NaiveDate, NaiveDate)>) -> Vec<(NaiveDate, NaiveDate)> {
    ranges.sort();
    let mut merged: Vec<(NaiveDate, NaiveDate)> = Vec::with_capacity(ranges.len());
    for (first, last) in ranges {
        match merged.last_mut() {
            Some(prev) if first <= prev.1 + Duration::days(1) => prev.1 = prev.1.max(last),
            _ => merged.push((first, last)),
        }
    }
    merged
}

/// The days in `from..=to` on which nobody of a team is in: the primary and every backup away (or
/// nobody assigned at all). `away(user, day)` answers from the time-off calendar.
pub fn gap_days(
    primary: Option<i64>,
    backups: &[i64],
    from: NaiveDate,
    to: NaiveDate,
    away: impl Fn(i64, NaiveDate) -> bool,
) -> Vec<NaiveDate> {
    from.iter_days()
        .take_while(|d| *d <= to)
        .filter(|day| who_covers(primary, backups, |u| away(u, *day)) == Cover::Gap)
        .collect()
}

/// Work is after hours when any of it falls outside the tenant's business hours. Checked minute by
/// quarter hour across the span (and at its last minute), which is exact for hours on a
/// 15-minute grid.
pub fn after_hours(hours: &BusinessHours, start: DateTime<Utc>, duration_minutes: i32) -> bool {
    let duration = duration_minutes.max(1) as i64;
    let mut offset = 0;
    while offset < duration {
        if !hours.is_open(start + Duration::minutes(offset)) {
            return true;
        }
        offset += 15;
    }
    !hours.is_open(start + Duration::minutes(duration - 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn ny() -> BusinessHours {
        BusinessHours {
            time_zone: chrono_tz::America::New_York,
            days: 0b0011111,
            start_minute: 8 * 60,
            end_minute: 17 * 60,
        }
    }

    #[test]
    fn inside_and_outside() {
        // Tuesday 2026-11-17 10:00 in New York is 15:00 UTC.
        let at = Utc.with_ymd_and_hms(2026, 11, 17, 15, 0, 0).unwrap();
        assert!(!after_hours(&ny(), at, 60));
        // Running past 17:00 local.
        assert!(after_hours(&ny(), at + Duration::hours(6), 90));
        // 02:00 local.
        assert!(after_hours(&ny(), Utc.with_ymd_and_hms(2026, 11, 17, 7, 0, 0).unwrap(), 30));
        // Saturday.
        assert!(after_hours(&ny(), Utc.with_ymd_and_hms(2026, 11, 21, 15, 0, 0).unwrap(), 30));
    }

    #[test]
    fn the_last_open_minute_and_the_first_closed_one() {
        // Tuesday 16:30–17:00 local (EST, UTC-5) ends exactly at closing: inside.
        let at = Utc.with_ymd_and_hms(2026, 11, 17, 21, 30, 0).unwrap();
        assert!(!after_hours(&ny(), at, 30));
        assert!(after_hours(&ny(), at, 31));
        // Starting at 07:59 local is before opening.
        assert!(after_hours(&ny(), Utc.with_ymd_and_hms(2026, 11, 17, 12, 59, 0).unwrap(), 30));
    }

    #[test]
    fn daylight_saving_changes_move_the_hours_in_utc() {
        // 09:00 local on Friday 6 March 2026 (EST) is 14:00 UTC; on Monday 9 March (EDT, after the
        // change on Sunday 8 March) 09:00 local is 13:00 UTC.
        assert!(!after_hours(&ny(), Utc.with_ymd_and_hms(2026, 3, 6, 14, 0, 0).unwrap(), 30));
        assert!(!after_hours(&ny(), Utc.with_ymd_and_hms(2026, 3, 9, 13, 0, 0).unwrap(), 30));
        // 13:00 UTC on 6 March is 08:00 local (open); on 9 March 12:30 UTC is 08:30 local (open),
        // but 12:30 UTC on 6 March was 07:30 local (closed).
        assert!(after_hours(&ny(), Utc.with_ymd_and_hms(2026, 3, 6, 12, 30, 0).unwrap(), 15));
        assert!(!after_hours(&ny(), Utc.with_ymd_and_hms(2026, 3, 9, 12, 30, 0).unwrap(), 15));
        // Overnight work across the autumn change (1 Nov 2026, 02:00 EDT → 01:00 EST) is after hours.
        assert!(after_hours(&ny(), Utc.with_ymd_and_hms(2026, 11, 1, 5, 0, 0).unwrap(), 120));
    }

    #[test]
    fn hours_across_midnight() {
        // A night-shift client: Monday to Friday nights, 22:00 to 06:00, in London.
        let night = BusinessHours {
            time_zone: chrono_tz::Europe::London,
            days: 0b0011111,
            start_minute: 22 * 60,
            end_minute: 6 * 60,
        };
        // Tuesday 17 Nov 2026 23:00 London (= UTC in November): open.
        assert!(!after_hours(&night, Utc.with_ymd_and_hms(2026, 11, 17, 23, 0, 0).unwrap(), 60));
        // Across midnight into Wednesday 01:00: still the Tuesday window.
        assert!(!after_hours(&night, Utc.with_ymd_and_hms(2026, 11, 17, 23, 30, 0).unwrap(), 90));
        // Saturday 02:00 belongs to Friday night's window: open.
        assert!(!after_hours(&night, Utc.with_ymd_and_hms(2026, 11, 21, 2, 0, 0).unwrap(), 60));
        // Sunday 02:00 belongs to Saturday night, which is closed.
        assert!(after_hours(&night, Utc.with_ymd_and_hms(2026, 11, 22, 2, 0, 0).unwrap(), 60));
        // Midday is closed for a night shift.
        assert!(after_hours(&night, Utc.with_ymd_and_hms(2026, 11, 17, 12, 0, 0).unwrap(), 30));
        // Running past 06:00.
        assert!(after_hours(&night, Utc.with_ymd_and_hms(2026, 11, 18, 5, 30, 0).unwrap(), 60));
    }

    #[test]
    fn today_is_the_tenant_s_own_day() {
        // 03:00 UTC on Sunday 22 Nov is still Saturday evening in Los Angeles, Sunday in London.
        let at = Utc.with_ymd_and_hms(2026, 11, 22, 3, 0, 0).unwrap();
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        assert_eq!(today_in(chrono_tz::America::Los_Angeles, at), d(11, 21));
        assert_eq!(today_in(chrono_tz::Europe::London, at), d(11, 22));
        // Auckland is already on Sunday afternoon.
        assert_eq!(today_in(chrono_tz::Pacific::Auckland, at), d(11, 22));
    }

    #[test]
    fn days_off_merge_when_they_overlap_or_touch() {
        let d = |day| NaiveDate::from_ymd_opt(2026, 12, day).unwrap();
        assert_eq!(merge_days(vec![(d(1), d(3)), (d(2), d(5))]), vec![(d(1), d(5))]);
        assert_eq!(merge_days(vec![(d(6), d(7)), (d(1), d(5))]), vec![(d(1), d(7))]);
        assert_eq!(merge_days(vec![(d(1), d(2)), (d(4), d(5))]), vec![(d(1), d(2)), (d(4), d(5))]);
        assert_eq!(merge_days(vec![(d(1), d(9)), (d(3), d(4))]), vec![(d(1), d(9))]);
    }
}

/// Who looks after a tenant (or a system) right now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cover {
    /// The primary tech is in.
    Primary(i64),
    /// The primary is away; this backup (the first one in order who is not away) covers.
    Backup(i64),
    /// Nobody is available: a coverage gap.
    Gap,
}

/// SPEC "Who covers now": the primary unless away today; then the first backup, in order, who is
/// not away; else a gap. `away` answers for today in the tenant's time zone.
pub fn who_covers(primary: Option<i64>, backups_in_order: &[i64], away: impl Fn(i64) -> bool) -> Cover {
    match primary {
        Some(p) if !away(p) => Cover::Primary(p),
        _ => backups_in_order.iter().copied().find(|b| !away(*b)).map_or(Cover::Gap, Cover::Backup),
    }
}

/// Why a system is a single point of failure (SPEC "Single point of failure").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SystemRisk {
    /// Fewer than two techs can cover it (by recorded knowledge, or earned by recent work).
    FewerThanTwoCanCover,
    NoRunbook,
    /// Its runbook was last reviewed more than 180 days ago (or never).
    StaleRunbook,
}

/// How long knowledge earned by doing (or shadowing) work counts, and how long a runbook review
/// stays fresh.
pub const KNOWLEDGE_WINDOW_DAYS: i64 = 180;

pub fn system_risks(
    people_who_can_cover: usize,
    newest_runbook_review: Option<Option<DateTime<Utc>>>,
    now: DateTime<Utc>,
) -> Vec<SystemRisk> {
    let mut risks = Vec::new();
    if people_who_can_cover < 2 {
        risks.push(SystemRisk::FewerThanTwoCanCover);
    }
    match newest_runbook_review {
        None => risks.push(SystemRisk::NoRunbook),
        Some(reviewed) => {
            if reviewed.is_none_or(|r| now - r > Duration::days(KNOWLEDGE_WINDOW_DAYS)) {
                risks.push(SystemRisk::StaleRunbook);
            }
        }
    }
    risks
}

#[cfg(test)]
mod coverage_tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_primary_covers_unless_away() {
        assert_eq!(who_covers(Some(1), &[2, 3], |_| false), Cover::Primary(1));
        assert_eq!(who_covers(Some(1), &[2, 3], |u| u == 1), Cover::Backup(2));
        // The first backup who is not away, in order.
        assert_eq!(who_covers(Some(1), &[2, 3], |u| u != 3), Cover::Backup(3));
        // Everyone away: a gap.
        assert_eq!(who_covers(Some(1), &[2, 3], |_| true), Cover::Gap);
        // No primary assigned: the backups still cover; with none, a gap.
        assert_eq!(who_covers(None, &[2], |_| false), Cover::Backup(2));
        assert_eq!(who_covers(None, &[], |_| false), Cover::Gap);
        assert_eq!(who_covers(Some(1), &[], |_| true), Cover::Gap);
    }

    #[test]
    fn system_risk_edges() {
        let now = Utc.with_ymd_and_hms(2026, 11, 21, 12, 0, 0).unwrap();
        let fresh = Some(Some(now - Duration::days(180)));
        let stale = Some(Some(now - Duration::days(181)));
        assert!(system_risks(2, fresh, now).is_empty());
        assert_eq!(system_risks(1, fresh, now), vec![SystemRisk::FewerThanTwoCanCover]);
        assert_eq!(system_risks(2, stale, now), vec![SystemRisk::StaleRunbook]);
        assert_eq!(system_risks(2, Some(None), now), vec![SystemRisk::StaleRunbook]);
        assert_eq!(system_risks(0, None, now), vec![SystemRisk::FewerThanTwoCanCover, SystemRisk::NoRunbook]);
    }

    #[test]
    fn a_gap_is_a_day_on_which_everyone_is_away() {
        let d = |day| NaiveDate::from_ymd_opt(2026, 12, day).unwrap();
        // Primary 1 away 1–10 Dec, backup 2 away 5–6 Dec, backup 3 away 6–7 Dec.
        let away = |u: i64, day: NaiveDate| match u {
            1 => day >= d(1) && day <= d(10),
            2 => day >= d(5) && day <= d(6),
            3 => day >= d(6) && day <= d(7),
            _ => false,
        };
        assert_eq!(gap_days(Some(1), &[2, 3], d(1), d(10), away), vec![d(6)]);
        // With one backup only, both of its days off are gaps.
        assert_eq!(gap_days(Some(1), &[2], d(1), d(10), away), vec![d(5), d(6)]);
        // Nobody assigned: every day is a gap.
        assert_eq!(gap_days(None, &[], d(1), d(3), away).len(), 3);
    }
}
