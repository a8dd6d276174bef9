//! A tenant's team: who looks after it, who covers today, and how ready each system's backup is.

use crate::entities::{coverage, knowledge, runbook, system, time_off, user, work_entry, work_entry_system};
use crate::error::Result;
use crate::rules::{Cover, KNOWLEDGE_WINDOW_DAYS, SystemRisk, system_risks, who_covers};
use crate::scope::TenantScope;
use crate::time::now;
use chrono::{Duration, NaiveDate};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::{HashMap, HashSet};
use vocabulary::{CoverageRole, Criticality, KnowledgeLevel, WorkState};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Person {
    pub id: i64,
    pub name: String,
    /// Away today: back after this day (the last day off).
    pub away_until: Option<NaiveDate>,
}

#[derive(Clone, Debug)]
pub struct Team {
    pub primary: Option<Person>,
    pub backups: Vec<Person>,
    pub account_manager: Option<Person>,
    pub cover: Cover,
    /// Today, in the tenant's time zone.
    pub today: NaiveDate,
}

impl Team {
    pub fn person(&self, id: i64) -> Option<&Person> {
        self.primary.iter().chain(self.backups.iter()).find(|p| p.id == id)
    }
}

#[derive(Clone, Debug)]
pub struct SystemReadiness {
    pub id: i64,
    pub name: String,
    pub criticality: Criticality,
    pub people_who_can_cover: usize,
    pub risks: Vec<SystemRisk>,
}

/// Who looks after a tenant (per-system overrides aside), in order: the one reading of the
/// coverage table for one tenant, shared by the team card and the summaries' backup days.
/// Deactivated people are left out, as if unassigned.
#[derive(Clone, Debug, Default)]
pub(crate) struct Roster {
    pub primary: Option<i64>,
    pub backups: Vec<i64>,
    pub account_manager: Option<i64>,
    pub names: HashMap<i64, String>,
}

impl Roster {
    fn people(&self) -> Vec<i64> {
        self.primary.iter().chain(&self.backups).copied().collect()
    }
}

/// The stretches of time off of these people that touch the days `from..=to`.
async fn time_off_between(
    db: &impl ConnectionTrait,
    people: Vec<i64>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<time_off::Model>> {
    Ok(time_off::Entity::find()
        .filter(time_off::Column::UserId.is_in(people))
        .filter(time_off::Column::FirstDay.lte(to))
        .filter(time_off::Column::LastDay.gte(from))
        .all(db)
        .await?)
}

/// A client's team (active people only), read on any connection (a write transaction too).
pub(crate) async fn roster_of(db: &impl ConnectionTrait, tenant_id: i64) -> Result<Roster> {
    let rows = coverage::Entity::find()
        .filter(coverage::Column::TenantId.eq(tenant_id))
        .filter(coverage::Column::SystemId.is_null())
        .order_by_asc(coverage::Column::Position)
        .order_by_asc(coverage::Column::Id)
        .all(db)
        .await?;
    let names: HashMap<i64, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(rows.iter().map(|r| r.user_id).collect::<Vec<_>>()))
        .filter(user::Column::Active.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    let of_role = |role: CoverageRole| -> Vec<i64> {
        rows.iter().filter(|r| r.role == role && names.contains_key(&r.user_id)).map(|r| r.user_id).collect()
    };
    Ok(Roster {
        primary: of_role(CoverageRole::Primary).first().copied(),
        backups: of_role(CoverageRole::Backup),
        account_manager: of_role(CoverageRole::AccountManager).first().copied(),
        names,
    })
}

/// When a client's primary is away on `day`: their name and who covers instead (if anyone).
pub(crate) async fn primary_away_on(
    db: &impl ConnectionTrait,
    tenant_id: i64,
    day: NaiveDate,
) -> Result<Option<(String, Option<String>)>> {
    let roster = roster_of(db, tenant_id).await?;
    let Some(primary) = roster.primary else { return Ok(None) };
    let off = time_off_between(db, roster.people(), day, day).await?;
    let away = |u: i64| off.iter().any(|o| o.user_id == u);
    if !away(primary) {
        return Ok(None);
    }
    let cover = match who_covers(roster.primary, &roster.backups, away) {
        Cover::Backup(b) => Some(roster.names[&b].clone()),
        _ => None,
    };
    Ok(Some((roster.names[&primary].clone(), cover)))
}

impl TenantScope {
    pub(crate) async fn roster(&self) -> Result<Roster> {
        roster_of(self.db(), self.tenant_id()).await
    }

    pub async fn team(&self) -> Result<Team> {
        let tz = self.tenant().await?.time_zone;
        let today = now().with_timezone(&tz).date_naive();
        let roster = self.roster().await?;
        let mut away: HashMap<i64, NaiveDate> = HashMap::new();
        let mut ids = roster.people();
        ids.extend(roster.account_manager);
        for t in time_off_between(self.db(), ids, today, today).await? {
            let until = away.entry(t.user_id).or_insert(t.last_day);
            *until = (*until).max(t.last_day);
        }
        let person = |id: i64| Person { id, name: roster.names[&id].clone(), away_until: away.get(&id).copied() };
        let cover = who_covers(roster.primary, &roster.backups, |id| away.contains_key(&id));
        Ok(Team {
            primary: roster.primary.map(person),
            backups: roster.backups.iter().copied().map(person).collect(),
            account_manager: roster.account_manager.map(person),
            cover,
            today,
        })
    }

    /// The days of `from..=to` on which the primary was away and a backup covered, and who.
    pub(crate) async fn backup_days(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<(NaiveDate, String)>> {
        let roster = self.roster().await?;
        if roster.primary.is_none() {
            return Ok(Vec::new());
        }
        let off = time_off_between(self.db(), roster.people(), from, to).await?;
        let away = |u: i64, d: NaiveDate| off.iter().any(|o| o.user_id == u && o.first_day <= d && d <= o.last_day);
        Ok(from
            .iter_days()
            .take_while(|d| *d <= to)
            .filter_map(|d| match who_covers(roster.primary, &roster.backups, |u| away(u, d)) {
                Cover::Backup(b) => Some((d, roster.names[&b].clone())),
                _ => None,
            })
            .collect())
    }

    /// The days of `from..=to` on which the primary is away: the primary's name, and who covers
    /// (`None`: nobody can, a coverage gap).
    pub(crate) async fn primary_away_days(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(NaiveDate, String, Option<String>)>> {
        let roster = self.roster().await?;
        let Some(primary) = roster.primary else { return Ok(Vec::new()) };
        let off = time_off_between(self.db(), roster.people(), from, to).await?;
        let away = |u: i64, d: NaiveDate| off.iter().any(|o| o.user_id == u && o.first_day <= d && d <= o.last_day);
        Ok(from
            .iter_days()
            .take_while(|d| *d <= to)
            .filter(|d| away(primary, *d))
            .map(|d| {
                let cover = match who_covers(roster.primary, &roster.backups, |u| away(u, d)) {
                    Cover::Backup(b) => Some(roster.names[&b].clone()),
                    _ => None,
                };
                (d, roster.names[&primary].clone(), cover)
            })
            .collect())
    }

    /// Each system with how many of the team can look after it and what puts it at risk.
    pub async fn system_readiness(&self) -> Result<Vec<SystemReadiness>> {
        Ok(readiness(self.db(), Some(self.tenant_id())).await?.into_iter().map(|(_, r)| r).collect())
    }
}

/// Who knows a system: levels recorded by hand, and knowledge earned by performing or shadowing
/// done work on it in the last 180 days.
#[derive(Clone, Debug, Default)]
pub struct KnowledgeMap {
    pub recorded: HashMap<(i64, i64), KnowledgeLevel>,
    pub earned: HashMap<i64, HashSet<i64>>,
}

impl KnowledgeMap {
    /// The people who can cover a system: `can_cover` or `expert`, or earned by recent work.
    pub fn can_cover(&self, system_id: i64) -> HashSet<i64> {
        let mut people: HashSet<i64> = self
            .recorded
            .iter()
            .filter(|((s, _), l)| *s == system_id && matches!(l, KnowledgeLevel::CanCover | KnowledgeLevel::Expert))
            .map(|((_, u), _)| *u)
            .collect();
        people.extend(self.earned.get(&system_id).into_iter().flatten().copied());
        people
    }
}

/// The knowledge map of one tenant, or of every tenant (`None`, for the staff's boards).
pub(crate) async fn knowledge_map(db: &impl ConnectionTrait, tenant: Option<i64>) -> Result<KnowledgeMap> {
    let t = now();
    let mut map = KnowledgeMap::default();
    let mut recorded = knowledge::Entity::find();
    if let Some(id) = tenant {
        recorded = recorded.filter(knowledge::Column::TenantId.eq(id));
    }
    for k in recorded.all(db).await? {
        map.recorded.insert((k.system_id, k.user_id), k.level);
    }
    // Earned: the links of recent done work, joined in SQL so only the pairs come back.
    let since = t - Duration::days(KNOWLEDGE_WINDOW_DAYS);
    let mut recent = work_entry_system::Entity::find()
        .select_only()
        .column(work_entry_system::Column::SystemId)
        .column(work_entry::Column::PerformedBy)
        .column(work_entry::Column::ShadowedBy)
        .join(
            sea_orm::JoinType::InnerJoin,
            work_entry_system::Entity::belongs_to(work_entry::Entity)
                .from(work_entry_system::Column::WorkEntryId)
                .to(work_entry::Column::Id)
                .into(),
        )
        .filter(work_entry::Column::StartedAt.gte(since))
        // A tool's run teaches nobody the system.
        .filter(work_entry::Column::Automated.eq(false))
        .filter(work_entry::Column::StartedAt.lte(t))
        .filter(work_entry::Column::State.eq(WorkState::Done));
    if let Some(id) = tenant {
        recent = recent.filter(work_entry_system::Column::TenantId.eq(id));
    }
    for (system_id, performer, shadow) in recent.into_tuple::<(i64, i64, Option<i64>)>().all(db).await? {
        let set = map.earned.entry(system_id).or_default();
        set.insert(performer);
        set.extend(shadow);
    }
    Ok(map)
}

/// Every system's readiness, with its tenant: one tenant's or everyone's.
pub(crate) async fn readiness(db: &impl ConnectionTrait, tenant: Option<i64>) -> Result<Vec<(i64, SystemReadiness)>> {
    let t = now();
    let mut systems = system::Entity::find().order_by_asc(system::Column::Name).order_by_asc(system::Column::Id);
    let mut runbooks = runbook::Entity::find().filter(runbook::Column::SystemId.is_not_null());
    if let Some(id) = tenant {
        systems = systems.filter(system::Column::TenantId.eq(id));
        runbooks = runbooks.filter(runbook::Column::TenantId.eq(id));
    }
    let systems = systems.all(db).await?;
    let knowledge = knowledge_map(db, tenant).await?;
    let mut review: HashMap<i64, Option<chrono::DateTime<chrono::Utc>>> = HashMap::new();
    for r in runbooks.all(db).await? {
        let id = r.system_id.expect("filtered");
        let newest = review.entry(id).or_insert(None);
        *newest = (*newest).max(r.reviewed_at);
    }
    Ok(systems
        .into_iter()
        .map(|s| {
            let people = knowledge.can_cover(s.id).len();
            (
                s.tenant_id,
                SystemReadiness {
                    id: s.id,
                    risks: system_risks(people, review.get(&s.id).copied(), t),
                    criticality: s.criticality,
                    name: s.name,
                    people_who_can_cover: people,
                },
            )
        })
        .collect())
}
