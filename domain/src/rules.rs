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
