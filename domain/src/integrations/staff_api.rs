//! The MSP's own records through the API: adding clients, who covers them, staff time off. Only
//! a token for every client reaches these (a client-scoped token is refused, as a client user is
//! on the staff pages). A wrong field is named ([`DomainError::Field`]).

use super::reads::{ApiReader, reached};
use super::writes::ApiWriter;
use crate::entities::{tenant, time_off, user};
use crate::error::{DomainError, Result};
use crate::input::{DisplayName, Slug, TimeZone};
use crate::scope::Unscoped;
use crate::staff::coverage::replace_team;
use crate::staff::time_off::add_days;
use crate::tenants::NewTenant;
use chrono::NaiveDate;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use vocabulary::Role;

fn staff_only(caller: &super::tokens::ApiCaller) -> Result<()> {
    if caller.is_staff_scoped() {
        Ok(())
    } else {
        Err(DomainError::Forbidden("This needs a token for every client.".into()))
    }
}

/// A stretch of a member of staff's time off.
#[derive(Clone, Debug)]
pub struct TimeOffRow {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub note: String,
}

/// Which time off to list.
#[derive(Clone, Debug, Default)]
pub struct TimeOffFilter {
    /// A member of staff's email.
    pub person: Option<String>,
    /// Stretches that reach this day or later.
    pub from: Option<NaiveDate>,
    /// Stretches that begin on this day or earlier.
    pub to: Option<NaiveDate>,
    /// The last row of the previous page: `(first_day, id)`.
    pub after: Option<(NaiveDate, i64)>,
}

/// A member of staff by email: active, of the MSP (not of a client).
async fn staff_by_email(db: &impl ConnectionTrait, field: &str, email: &str) -> Result<user::Model> {
    user::Entity::find()
        .filter(user::Column::Email.eq(email.trim().to_lowercase()))
        .filter(user::Column::TenantId.is_null())
        .one(db)
        .await?
        .filter(|u| u.active)
        .ok_or_else(|| DomainError::field(field, "the email of an active member of staff"))
}

fn row_of(t: time_off::Model, u: &user::Model) -> TimeOffRow {
    TimeOffRow {
        id: t.id,
        email: u.email.clone(),
        name: u.display_name.clone(),
        first_day: t.first_day,
        last_day: t.last_day,
        note: t.note,
    }
}

impl ApiReader {
    /// Staff time off by first day, a keyset page at a time (`limit + 1` rows tell whether more
    /// follow).
    pub async fn time_off(&self, filter: &TimeOffFilter, limit: u64) -> Result<Vec<TimeOffRow>> {
        staff_only(self.caller())?;
        let db = self.caller().db();
        let mut q = time_off::Entity::find()
            .order_by_asc(time_off::Column::FirstDay)
            .order_by_asc(time_off::Column::Id)
            .limit(limit);
        if let Some(email) = &filter.person {
            // An email that is nobody's (or a client user's) lists nothing, as a filter does.
            let mut people = sea_orm::sea_query::Query::select();
            people
                .column(user::Column::Id)
                .from(user::Entity)
                .and_where(Expr::col(user::Column::Email).eq(email.trim().to_lowercase()))
                .and_where(Expr::col(user::Column::TenantId).is_null());
            q = q.filter(time_off::Column::UserId.in_subquery(people.to_owned()));
        }
        if let Some(from) = filter.from {
            q = q.filter(time_off::Column::LastDay.gte(from));
        }
        if let Some(to) = filter.to {
            q = q.filter(time_off::Column::FirstDay.lte(to));
        }
        if let Some((day, id)) = filter.after {
            q = q.filter(
                Expr::tuple([
                    Expr::col((time_off::Entity, time_off::Column::FirstDay)),
                    Expr::col((time_off::Entity, time_off::Column::Id)),
                ])
                .gt(Expr::tuple([Expr::value(day), Expr::value(id)])),
            );
        }
        let rows = q.all(db).await?;
        let people: std::collections::HashMap<i64, user::Model> = user::Entity::find()
            .filter(user::Column::Id.is_in(rows.iter().map(|t| t.user_id).collect::<Vec<_>>()))
            .all(db)
            .await?
            .into_iter()
            .map(|u| (u.id, u))
            .collect();
        Ok(rows.into_iter().filter_map(|t| people.get(&t.user_id).map(|u| row_of(t, u))).collect())
    }
}

/// A client's team as a tool sends it: emails of staff.
#[derive(Clone, Debug, Default)]
pub struct TeamDraft {
    pub primary: Option<String>,
    /// In the order they cover.
    pub backups: Vec<String>,
    pub account_manager: Option<String>,
}

impl ApiWriter {
    /// Adds a client (business hours Monday to Friday, 08:00 to 17:00, as on the admin page).
    pub async fn add_client(&self, slug: &str, name: &str, time_zone: &str) -> Result<tenant::Model> {
        staff_only(self.caller())?;
        Slug::parse(slug).map_err(|e| DomainError::field("slug", e.0))?;
        DisplayName::parse("client name", name).map_err(|e| DomainError::field("name", e.0))?;
        TimeZone::parse(time_zone).map_err(|e| DomainError::field("time_zone", e.0))?;
        let new = NewTenant::parse(slug, name, time_zone)?;
        Unscoped::new(self.caller().db().clone()).add_tenant(new, None).await
    }

    /// Sets who covers a client: its primary, ordered backups and account manager.
    pub async fn set_team(&self, slug: &str, team: &TeamDraft) -> Result<()> {
        staff_only(self.caller())?;
        let client = reached(self.caller(), slug).await?;
        let tx = crate::db::write(self.caller().db()).await?;
        let tech = |u: user::Model, field: String| {
            if u.role.does_the_work() { Ok(u.id) } else { Err(DomainError::field(field, "a tech or MSP admin")) }
        };
        let primary = match &team.primary {
            Some(e) => Some(tech(staff_by_email(&tx, "primary", e).await?, "primary".into())?),
            None => None,
        };
        let mut backups = Vec::new();
        for (i, e) in team.backups.iter().enumerate() {
            let field = format!("backups[{i}]");
            let id = tech(staff_by_email(&tx, &field, e).await?, field.clone())?;
            if Some(id) == primary || backups.contains(&id) {
                return Err(DomainError::field(field, "each person covers once: not the primary, not twice"));
            }
            backups.push(id);
        }
        if primary.is_none() && !backups.is_empty() {
            return Err(DomainError::field("primary", "a primary is needed before backups"));
        }
        let account_manager = match &team.account_manager {
            Some(e) => {
                let u = staff_by_email(&tx, "account_manager", e).await?;
                if !matches!(u.role, Role::AccountManager | Role::MspAdmin) {
                    return Err(DomainError::field("account_manager", "an account manager or MSP admin"));
                }
                Some(u.id)
            }
            None => None,
        };
        let via = format!("token {}: ", self.caller().name);
        replace_team(&tx, &client, primary, &backups, account_manager, None, &via).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Adds days off for a member of staff, merged with the stretches they touch; answers the
    /// merged stretch.
    pub async fn add_time_off(
        &self,
        person: &str,
        first: NaiveDate,
        last: NaiveDate,
        note: &str,
    ) -> Result<TimeOffRow> {
        staff_only(self.caller())?;
        let db = self.caller().db();
        let u = staff_by_email(db, "person", person).await?;
        if note.trim().chars().count() > 200 || note.chars().any(char::is_control) {
            return Err(DomainError::field("note", "one line of at most 200 characters"));
        }
        let t = add_days(db, u.id, first, last, note).await?;
        Ok(row_of(t, &u))
    }

    /// Removes a stretch of time off.
    pub async fn remove_time_off(&self, id: i64) -> Result<()> {
        staff_only(self.caller())?;
        let deleted = time_off::Entity::delete_by_id(id).exec(self.caller().db()).await?;
        if deleted.rows_affected == 0 {
            return Err(DomainError::NotFound);
        }
        Ok(())
    }
}
