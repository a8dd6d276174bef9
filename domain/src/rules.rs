//! The product's rules as plain functions.

use chrono::{DateTime, Datelike, Duration, Timelike, Utc};
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
    fn is_open(&self, at: DateTime<Utc>) -> bool {
        let local = at.with_timezone(&self.time_zone);
        let day_bit = 1u8 << local.weekday().num_days_from_monday();
        let minute = (local.hour() * 60 + local.minute()) as u16;
        self.days & day_bit != 0 && minute >= self.start_minute && minute < self.end_minute
    }
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
}
