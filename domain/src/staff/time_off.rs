//! Time off: staff add and remove their own (MSP admins anyone's). Overlapping or touching
//! entries of one person merge into one.

use super::coverage::{TeamLine, TimeOffItem, team_lines, time_off_between};
use super::optional_text;
use crate::auth::StaffAccess;
use crate::entities::{time_off, user};
use crate::error::{DomainError, Result};
use crate::rules::merge_days;
use crate::time::now;
use chrono::{Duration, NaiveDate};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use vocabulary::Role;

/// The longest single stretch of time off that can be entered at once.
const MAX_DAYS: i64 = 366;

pub fn parse_day(text: &str, what: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| DomainError::Invalid(format!("Please give the {what} as a date (YYYY-MM-DD).")))
}

/// `/msp/time-off`: the calendar ahead, and the clients it leaves without anyone.
#[derive(Clone, Debug)]
pub struct TimeOffCalendar {
    pub entries: Vec<TimeOffItem>,
    /// Clients with a gap in the days ahead.
    pub gaps: Vec<TeamLine>,
}

/// Permission to keep time off: every member of staff their own, MSP admins anyone's. Created
/// by `StaffAccess::time_off_book`.
#[derive(Clone, Debug)]
pub struct TimeOffBook {
    user: crate::auth::CurrentUser,
    db: sea_orm::DatabaseConnection,
}

impl StaffAccess {
    /// Every member of staff keeps their own time off (MSP admins anyone's).
    pub fn time_off_book(&self) -> TimeOffBook {
        TimeOffBook { user: self.user.clone(), db: self.unscoped().db().clone() }
    }

    /// Who is away in the weeks ahead, and the clients that will have nobody covering.
    pub async fn time_off_calendar(&self) -> Result<TimeOffCalendar> {
        let db = self.unscoped();
        let today = now().date_naive();
        let entries = time_off_between(db.db(), today - Duration::days(1), today + Duration::days(MAX_DAYS)).await?;
        let gaps = team_lines(db.db(), None).await?.into_iter().filter(|t| !t.team.gap_days.is_empty()).collect();
        Ok(TimeOffCalendar { entries, gaps })
    }
}

impl TimeOffBook {
    /// Whether this person may add or remove `user_id`'s time off: their own, or anyone's for an
    /// MSP admin.
    pub fn may_keep(&self, user_id: i64) -> bool {
        user_id == self.user.id || self.user.role == Role::MspAdmin
    }

    fn may_manage(&self, user_id: i64) -> Result<()> {
        if self.may_keep(user_id) {
            Ok(())
        } else {
            Err(DomainError::Forbidden("You can add and remove only your own time off.".into()))
        }
    }

    /// Adds days off for `user_id` (default: oneself); answers the merged stretch.
    pub async fn add_time_off(
        &self,
        user_id: Option<i64>,
        first: &str,
        last: &str,
        note: &str,
    ) -> Result<(NaiveDate, NaiveDate)> {
        let user_id = user_id.unwrap_or(self.user.id);
        self.may_manage(user_id)?;
        let first = parse_day(first, "first day")?;
        let last = if last.trim().is_empty() { first } else { parse_day(last, "last day")? };
        let t = add_days(&self.db, user_id, first, last, note).await?;
        let target = format!("user {user_id}: {} to {}", t.first_day, t.last_day);
        crate::audit::by(&self.db, &self.user, None, vocabulary::AuditAction::TimeOffAdded, &target, None).await?;
        Ok((t.first_day, t.last_day))
    }

    pub async fn remove_time_off(&self, id: i64) -> Result<()> {
        let t = time_off::Entity::find_by_id(id).one(&self.db).await?.ok_or(DomainError::NotFound)?;
        self.may_manage(t.user_id)?;
        time_off::Entity::delete_by_id(id).exec(&self.db).await?;
        let target = format!("user {}: {} to {}", t.user_id, t.first_day, t.last_day);
        crate::audit::by(&self.db, &self.user, None, vocabulary::AuditAction::TimeOffRemoved, &target, None).await?;
        Ok(())
    }
}

/// Checks a stretch of days off for a member of staff and adds it, merged with the entries it
/// overlaps or touches; answers the merged stretch.
pub(crate) async fn add_days(
    db: &sea_orm::DatabaseConnection,
    user_id: i64,
    first: NaiveDate,
    last: NaiveDate,
    note: &str,
) -> Result<time_off::Model> {
    if last < first {
        return Err(DomainError::field("last_day", "The last day cannot be before the first."));
    }
    if (last - first).num_days() >= MAX_DAYS {
        return Err(DomainError::field("last_day", "Please enter at most a year at a time."));
    }
    if last < now().date_naive() - Duration::days(1) {
        return Err(DomainError::field("last_day", "That time off is already over."));
    }
    let note = optional_text(note, "note", 200)?.unwrap_or_default();
    let tx = crate::db::write(db).await?;
    user::Entity::find_by_id(user_id)
        .one(&tx)
        .await?
        .filter(|u| u.active && u.tenant_id.is_none())
        .ok_or_else(|| DomainError::Invalid("Please choose a member of staff.".into()))?;
    // Entries that overlap or touch the new one merge with it.
    let near = time_off::Entity::find()
        .filter(time_off::Column::UserId.eq(user_id))
        .filter(time_off::Column::LastDay.gte(first - Duration::days(1)))
        .filter(time_off::Column::FirstDay.lte(last + Duration::days(1)))
        .all(&tx)
        .await?;
    let mut ranges: Vec<(NaiveDate, NaiveDate)> = near.iter().map(|t| (t.first_day, t.last_day)).collect();
    ranges.push((first, last));
    let merged = merge_days(ranges);
    let (first, last) = merged[0];
    let mut notes: Vec<String> = near.iter().map(|t| t.note.clone()).filter(|n| !n.is_empty()).collect();
    if !note.is_empty() && !notes.contains(&note) {
        notes.push(note);
    }
    time_off::Entity::delete_many().filter(time_off::Column::Id.is_in(near.iter().map(|t| t.id))).exec(&tx).await?;
    let row = time_off::ActiveModel {
        user_id: Set(user_id),
        first_day: Set(first),
        last_day: Set(last),
        note: Set(notes.join("; ").chars().take(200).collect()),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    tx.commit().await?;
    Ok(row)
}
