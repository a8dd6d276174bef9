//! Coverage across every client: who is primary, who backs up, who covers today, the days ahead
//! on which nobody will be in (gaps), and who knows which system. Techs and MSP admins change the
//! assignments and knowledge levels here.

use super::{Editor, StaffMember, staff_members, technician, tenant_by_slug, time_zone};
use crate::entities::{coverage, knowledge, system, tenant, time_off, user};
use crate::error::{DomainError, Result};
use crate::rules::{Cover, gap_days, today_in, who_covers};
use crate::scope::Unscoped;
use crate::team::{SystemReadiness, knowledge_map, readiness};
use crate::time::now;
use chrono::{Duration, NaiveDate};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use std::collections::HashMap;
use vocabulary::{AuditAction, CoverageRole, KnowledgeLevel, TenantStatus};

/// How far ahead gaps are looked for.
pub const GAP_HORIZON_DAYS: i64 = 60;

/// A person in a team, by id and name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Named {
    pub id: i64,
    pub name: String,
}

/// Primary and ordered backups: of a tenant as a whole, or of one system with its own coverage.
#[derive(Clone, Debug)]
pub struct Assignment {
    pub primary: Option<Named>,
    pub backups: Vec<Named>,
    /// Who covers today, in the tenant's calendar.
    pub cover: Cover,
    /// Days within the horizon on which nobody of this assignment is in.
    pub gap_days: Vec<NaiveDate>,
}

impl Assignment {
    pub fn covering(&self) -> Option<&Named> {
        match self.cover {
            Cover::Primary(id) | Cover::Backup(id) => {
                self.primary.iter().chain(self.backups.iter()).find(|p| p.id == id)
            }
            Cover::Gap => None,
        }
    }
}

#[derive(Clone, Debug)]
pub struct SystemCover {
    pub system_id: i64,
    pub system: String,
    pub assignment: Assignment,
}

/// One client's coverage.
#[derive(Clone, Debug)]
pub struct TeamLine {
    pub tenant_id: i64,
    pub slug: String,
    pub name: String,
    pub today: NaiveDate,
    pub team: Assignment,
    pub account_manager: Option<Named>,
    /// Systems with coverage of their own.
    pub systems: Vec<SystemCover>,
}

impl TeamLine {
    /// SPEC: a tenant is at risk when its primary has no backup.
    pub fn primary_without_backup(&self) -> bool {
        self.team.primary.is_some() && self.team.backups.is_empty()
    }
}

/// One entry of the time-off calendar.
#[derive(Clone, Debug)]
pub struct TimeOffItem {
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub note: String,
}

/// Time off overlapping `from..=to`, by first day.
pub(crate) async fn time_off_between(
    db: &impl ConnectionTrait,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<TimeOffItem>> {
    let rows = time_off::Entity::find()
        .filter(time_off::Column::LastDay.gte(from))
        .filter(time_off::Column::FirstDay.lte(to))
        .order_by_asc(time_off::Column::FirstDay)
        .order_by_asc(time_off::Column::Id)
        .all(db)
        .await?;
    let names = crate::users::display_names(db, rows.iter().map(|r| r.user_id).collect()).await?;
    Ok(rows
        .into_iter()
        .map(|r| TimeOffItem {
            id: r.id,
            name: names.get(&r.user_id).cloned().unwrap_or_default(),
            user_id: r.user_id,
            first_day: r.first_day,
            last_day: r.last_day,
            note: r.note,
        })
        .collect())
}

/// Every active client's coverage (or one client's), today and over the horizon: a handful of
/// queries whatever the number of clients.
pub(crate) async fn team_lines(db: &impl ConnectionTrait, only: Option<i64>) -> Result<Vec<TeamLine>> {
    let t = now();
    let mut tenants = tenant::Entity::find()
        .filter(tenant::Column::Status.eq(TenantStatus::Active))
        .order_by_asc(tenant::Column::Name)
        .order_by_asc(tenant::Column::Id);
    let mut rows = coverage::Entity::find().order_by_asc(coverage::Column::Position).order_by_asc(coverage::Column::Id);
    let mut systems = system::Entity::find().filter(system::Column::Id.is_in(Vec::<i64>::new()));
    if let Some(id) = only {
        tenants = tenant::Entity::find().filter(tenant::Column::Id.eq(id));
        rows = rows.filter(coverage::Column::TenantId.eq(id));
    }
    let tenants = tenants.all(db).await?;
    let rows = rows.all(db).await?;
    let system_ids: Vec<i64> = rows.iter().filter_map(|r| r.system_id).collect();
    if !system_ids.is_empty() {
        systems = system::Entity::find().filter(system::Column::Id.is_in(system_ids));
    }
    let system_names: HashMap<i64, String> = systems.all(db).await?.into_iter().map(|s| (s.id, s.name)).collect();
    let names: HashMap<i64, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(rows.iter().map(|r| r.user_id)))
        .filter(user::Column::Active.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    // Every tenant's "today" lies within a day of UTC's.
    let utc_today = t.date_naive();
    let off =
        time_off_between(db, utc_today - Duration::days(1), utc_today + Duration::days(GAP_HORIZON_DAYS + 1)).await?;
    let away = |u: i64, day: NaiveDate| off.iter().any(|o| o.user_id == u && o.first_day <= day && day <= o.last_day);
    let named = |id: i64| names.get(&id).map(|n| Named { id, name: n.clone() });
    let assignment = |tenant_id: i64, system_id: Option<i64>, today: NaiveDate| {
        let of = |role: CoverageRole| {
            rows.iter()
                .filter(|r| r.tenant_id == tenant_id && r.system_id == system_id && r.role == role)
                .filter_map(|r| named(r.user_id))
                .collect::<Vec<_>>()
        };
        let primary = of(CoverageRole::Primary).into_iter().next();
        let backups = of(CoverageRole::Backup);
        let backup_ids: Vec<i64> = backups.iter().map(|b| b.id).collect();
        let primary_id = primary.as_ref().map(|p| p.id);
        Assignment {
            cover: who_covers(primary_id, &backup_ids, |u| away(u, today)),
            gap_days: gap_days(primary_id, &backup_ids, today, today + Duration::days(GAP_HORIZON_DAYS), &away),
            primary,
            backups,
        }
    };
    Ok(tenants
        .into_iter()
        .map(|tn| {
            let today = today_in(time_zone(&tn), t);
            let mut own: Vec<i64> =
                rows.iter().filter(|r| r.tenant_id == tn.id).filter_map(|r| r.system_id).collect::<Vec<_>>();
            own.sort_by_key(|id| (system_names.get(id).cloned(), *id));
            own.dedup();
            TeamLine {
                tenant_id: tn.id,
                team: assignment(tn.id, None, today),
                account_manager: rows
                    .iter()
                    .filter(|r| r.tenant_id == tn.id && r.system_id.is_none() && r.role == CoverageRole::AccountManager)
                    .find_map(|r| named(r.user_id)),
                systems: own
                    .into_iter()
                    .map(|s| SystemCover {
                        system_id: s,
                        system: system_names.get(&s).cloned().unwrap_or_default(),
                        assignment: assignment(tn.id, Some(s), today),
                    })
                    .collect(),
                today,
                slug: tn.slug,
                name: tn.name,
            }
        })
        .collect())
}

/// A system on the knowledge board: each tech's level, and what puts it at risk.
#[derive(Clone, Debug)]
pub struct SystemLine {
    pub tenant_slug: String,
    pub tenant_name: String,
    pub readiness: SystemReadiness,
    /// Per tech: the recorded level, and whether recent work earned them cover.
    pub levels: HashMap<i64, (Option<KnowledgeLevel>, bool)>,
}

/// `/msp/coverage`: teams, gaps, the knowledge board and the time-off calendar.
#[derive(Clone, Debug)]
pub struct CoverageBoard {
    pub techs: Vec<StaffMember>,
    pub teams: Vec<TeamLine>,
    pub systems: Vec<SystemLine>,
    pub time_off: Vec<TimeOffItem>,
}

impl Unscoped {
    pub async fn coverage_board(&self) -> Result<CoverageBoard> {
        let teams = team_lines(self.db(), None).await?;
        let techs: Vec<StaffMember> =
            staff_members(self.db()).await?.into_iter().filter(|s| s.role.does_the_work()).collect();
        let knowledge = knowledge_map(self.db(), None).await?;
        let tenants: HashMap<i64, (String, String)> =
            teams.iter().map(|t| (t.tenant_id, (t.slug.clone(), t.name.clone()))).collect();
        let mut systems: Vec<SystemLine> = readiness(self.db(), None)
            .await?
            .into_iter()
            .filter_map(|(tenant_id, r)| {
                let (slug, name) = tenants.get(&tenant_id)?.clone();
                let earned = knowledge.earned.get(&r.id);
                let levels = techs
                    .iter()
                    .map(|tech| {
                        let recorded = knowledge.recorded.get(&(r.id, tech.id)).copied();
                        (tech.id, (recorded, earned.is_some_and(|e| e.contains(&tech.id))))
                    })
                    .collect();
                Some(SystemLine { tenant_slug: slug, tenant_name: name, readiness: r, levels })
            })
            .collect();
        systems.sort_by(|a, b| a.tenant_name.cmp(&b.tenant_name).then(a.readiness.name.cmp(&b.readiness.name)));
        let today = now().date_naive();
        let time_off = time_off_between(self.db(), today - Duration::days(1), today + Duration::days(365)).await?;
        Ok(CoverageBoard { techs, teams, systems, time_off })
    }

    /// One client's coverage.
    pub async fn team_line(&self, client: &str) -> Result<TeamLine> {
        let tenant = tenant_by_slug(self.db(), client).await?;
        team_lines(self.db(), Some(tenant.id)).await?.into_iter().next().ok_or(DomainError::NotFound)
    }
}

/// Checks a primary and ordered backups: techs, each once.
async fn check_assignment(db: &impl ConnectionTrait, primary: Option<i64>, backups: &[i64]) -> Result<()> {
    if let Some(p) = primary {
        technician(db, p, "primary").await?;
    }
    for (i, b) in backups.iter().enumerate() {
        technician(db, *b, "backup").await?;
        if Some(*b) == primary {
            return Err(DomainError::Invalid("The primary cannot also be a backup.".into()));
        }
        if backups[..i].contains(b) {
            return Err(DomainError::Invalid("Each backup can be chosen once.".into()));
        }
    }
    if primary.is_none() && !backups.is_empty() {
        return Err(DomainError::Invalid("Please choose a primary before backups.".into()));
    }
    Ok(())
}

async fn replace(
    db: &impl ConnectionTrait,
    tenant_id: i64,
    system_id: Option<i64>,
    roles: &[CoverageRole],
    people: Vec<(CoverageRole, i64, i16)>,
) -> Result<()> {
    let mut q = coverage::Entity::delete_many()
        .filter(coverage::Column::TenantId.eq(tenant_id))
        .filter(coverage::Column::Role.is_in(roles.iter().map(|r| r.as_str())));
    q = match system_id {
        Some(s) => q.filter(coverage::Column::SystemId.eq(s)),
        None => q.filter(coverage::Column::SystemId.is_null()),
    };
    q.exec(db).await?;
    for (role, user_id, position) in people {
        coverage::ActiveModel {
            tenant_id: Set(tenant_id),
            system_id: Set(system_id),
            user_id: Set(user_id),
            role: Set(role),
            position: Set(position),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

fn people(primary: Option<i64>, backups: &[i64]) -> Vec<(CoverageRole, i64, i16)> {
    primary
        .map(|p| (CoverageRole::Primary, p, 0))
        .into_iter()
        .chain(backups.iter().enumerate().map(|(i, b)| (CoverageRole::Backup, *b, i as i16 + 1)))
        .collect()
}

impl Editor {
    /// Sets a client's primary, ordered backups and account manager.
    pub async fn set_team(
        &self,
        client: &str,
        primary: Option<i64>,
        backups: &[i64],
        account_manager: Option<i64>,
    ) -> Result<()> {
        let tx = crate::db::write(self.db()).await?;
        let tenant = tenant_by_slug(&tx, client).await?;
        replace_team(&tx, &tenant, primary, backups, account_manager, Some(self.user.id), "").await?;
        tx.commit().await?;
        Ok(())
    }

    /// Gives a system coverage of its own (no primary: it follows the client's team again).
    /// Answers the system's client slug.
    pub async fn set_system_cover(&self, system_id: i64, primary: Option<i64>, backups: &[i64]) -> Result<String> {
        let tx = crate::db::write(self.db()).await?;
        let s = system::Entity::find_by_id(system_id).one(&tx).await?.ok_or(DomainError::NotFound)?;
        check_assignment(&tx, primary, backups).await?;
        replace(&tx, s.tenant_id, Some(s.id), &[CoverageRole::Primary, CoverageRole::Backup], people(primary, backups))
            .await?;
        let slug = super::slug_of(&tx, s.tenant_id).await?;
        crate::audit::by(&tx, &self.user, Some(s.tenant_id), AuditAction::CoverageChanged, &s.name, None).await?;
        tx.commit().await?;
        Ok(slug)
    }

    /// Records (or, with `None`, clears) a tech's knowledge of a system.
    pub async fn set_knowledge(&self, system_id: i64, user_id: i64, level: Option<KnowledgeLevel>) -> Result<()> {
        let tx = crate::db::write(self.db()).await?;
        let s = system::Entity::find_by_id(system_id).one(&tx).await?.ok_or(DomainError::NotFound)?;
        technician(&tx, user_id, "person").await?;
        knowledge::Entity::delete_many()
            .filter(knowledge::Column::SystemId.eq(system_id))
            .filter(knowledge::Column::UserId.eq(user_id))
            .exec(&tx)
            .await?;
        if let Some(level) = level {
            knowledge::ActiveModel {
                tenant_id: Set(s.tenant_id),
                system_id: Set(system_id),
                user_id: Set(user_id),
                level: Set(level),
                updated_at: Set(now()),
                ..Default::default()
            }
            .insert(&tx)
            .await?;
        }
        let detail = format!("user {user_id}: {}", level.map_or("none", |l| l.as_str()));
        crate::audit::by(&tx, &self.user, Some(s.tenant_id), AuditAction::KnowledgeChanged, &s.name, Some(detail))
            .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Sets a client's primary, ordered backups and account manager inside the caller's transaction,
/// and audits it (`via`: who, when no person did, e.g. "token ninja: ").
pub(crate) async fn replace_team(
    tx: &impl ConnectionTrait,
    tenant: &crate::entities::tenant::Model,
    primary: Option<i64>,
    backups: &[i64],
    account_manager: Option<i64>,
    actor: Option<i64>,
    via: &str,
) -> Result<()> {
    check_assignment(tx, primary, backups).await?;
    if let Some(am) = account_manager {
        user::Entity::find_by_id(am)
            .one(tx)
            .await?
            .filter(|u| u.active && u.tenant_id.is_none() && u.role.manages_accounts())
            .ok_or_else(|| DomainError::Invalid("Please choose an account manager.".into()))?;
    }
    let mut all = people(primary, backups);
    all.extend(account_manager.map(|a| (CoverageRole::AccountManager, a, 0)));
    replace(tx, tenant.id, None, &[CoverageRole::Primary, CoverageRole::Backup, CoverageRole::AccountManager], all)
        .await?;
    crate::audit::record(
        tx,
        actor,
        Some(tenant.id),
        AuditAction::CoverageChanged,
        &format!("{via}{}", tenant.slug),
        None,
    )
    .await?;
    Ok(())
}
