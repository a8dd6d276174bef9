//! `/msp`: the day at a glance for staff. Today's and this week's work, coverage gaps and single
//! points of failure ranked by criticality, urgent tickets and SLA breaches, and who is away.

use super::coverage::{TeamLine, team_lines, time_off_between};
use super::tickets::{QueueFilter, QueueRow};
use crate::entities::{tenant, work_entry};
use crate::error::Result;
use crate::rules::Cover;
use crate::scope::Unscoped;
use crate::team::{SystemReadiness, readiness};
use crate::time::now;
use crate::work::{WorkItem, with_names};
use chrono::{Datelike, Duration, NaiveDate, TimeZone};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;
use vocabulary::{Criticality, Priority};

#[derive(Clone, Debug)]
pub struct StaffWork {
    pub tenant_slug: String,
    pub tenant_name: String,
    pub item: WorkItem,
}

#[derive(Clone, Debug)]
pub struct SystemAtRisk {
    pub tenant_slug: String,
    pub tenant_name: String,
    pub system: SystemReadiness,
}

/// Someone away today, and who covers their clients.
#[derive(Clone, Debug)]
pub struct AwayToday {
    pub user_id: i64,
    pub name: String,
    pub back_after: NaiveDate,
    /// (client, who covers it now; `None` is a gap) for each client they are primary of.
    pub clients: Vec<(String, Option<String>)>,
}

#[derive(Clone, Debug)]
pub struct Overview {
    pub today: NaiveDate,
    pub today_work: Vec<StaffWork>,
    /// The rest of this week (Monday to Sunday), planned and done.
    pub week_work: Vec<StaffWork>,
    /// Clients with nobody in today, or with gap days ahead.
    pub gaps: Vec<TeamLine>,
    /// Clients whose primary has no backup.
    pub without_backup: Vec<TeamLine>,
    pub risks: Vec<SystemAtRisk>,
    /// Open P1 and P2 tickets.
    pub urgent: Vec<QueueRow>,
    /// Open tickets past their next SLA target.
    pub breached: Vec<QueueRow>,
    pub away: Vec<AwayToday>,
}

fn rank(c: Criticality) -> u8 {
    match c {
        Criticality::High => 0,
        Criticality::Medium => 1,
        Criticality::Low => 2,
    }
}

impl Unscoped {
    async fn work_between(
        &self,
        from: chrono::DateTime<chrono::Utc>,
        to: chrono::DateTime<chrono::Utc>,
        limit: u64,
    ) -> Result<Vec<StaffWork>> {
        let entries = work_entry::Entity::find()
            .filter(work_entry::Column::StartedAt.gte(from))
            .filter(work_entry::Column::StartedAt.lt(to))
            .order_by_asc(work_entry::Column::StartedAt)
            .order_by_asc(work_entry::Column::Id)
            .limit(limit)
            .all(self.db())
            .await?;
        let tenant_of: HashMap<i64, i64> = entries.iter().map(|e| (e.id, e.tenant_id)).collect();
        let tenants: HashMap<i64, (String, String)> = tenant::Entity::find()
            .filter(tenant::Column::Id.is_in(entries.iter().map(|e| e.tenant_id)))
            .all(self.db())
            .await?
            .into_iter()
            .map(|t| (t.id, (t.slug, t.name)))
            .collect();
        Ok(with_names(self.db(), entries)
            .await?
            .into_iter()
            .map(|item| {
                let (slug, name) = tenant_of.get(&item.id).and_then(|t| tenants.get(t)).cloned().unwrap_or_default();
                StaffWork { tenant_slug: slug, tenant_name: name, item }
            })
            .collect())
    }

    /// The overview, with "today" and "this week" in the MSP's own time zone.
    pub async fn overview(&self, msp_time_zone: chrono_tz::Tz) -> Result<Overview> {
        let t = now();
        let today = t.with_timezone(&msp_time_zone).date_naive();
        let midnight = |d: NaiveDate| {
            msp_time_zone
                .from_local_datetime(&d.and_hms_opt(0, 0, 0).expect("midnight"))
                .earliest()
                .map(|l| l.with_timezone(&chrono::Utc))
                .unwrap_or_else(|| d.and_hms_opt(0, 0, 0).expect("midnight").and_utc())
        };
        let monday = today - Duration::days(today.weekday().num_days_from_monday() as i64);
        let today_work = self.work_between(midnight(today), midnight(today + Duration::days(1)), 100).await?;
        let week_work: Vec<StaffWork> = self
            .work_between(midnight(monday), midnight(monday + Duration::days(7)), 300)
            .await?
            .into_iter()
            .filter(|w| !today_work.iter().any(|d| d.item.id == w.item.id))
            .collect();
        let teams = team_lines(self.db(), None).await?;
        let gaps = teams.iter().filter(|t| !t.team.gap_days.is_empty()).cloned().collect();
        let without_backup = teams.iter().filter(|t| t.primary_without_backup()).cloned().collect();
        let names: HashMap<i64, (String, String)> =
            teams.iter().map(|t| (t.tenant_id, (t.slug.clone(), t.name.clone()))).collect();
        let mut risks: Vec<SystemAtRisk> = readiness(self.db(), None)
            .await?
            .into_iter()
            .filter(|(_, r)| !r.risks.is_empty())
            .filter_map(|(tenant_id, r)| {
                let (slug, name) = names.get(&tenant_id)?.clone();
                Some(SystemAtRisk { tenant_slug: slug, tenant_name: name, system: r })
            })
            .collect();
        risks.sort_by(|a, b| {
            rank(a.system.criticality)
                .cmp(&rank(b.system.criticality))
                .then(b.system.risks.len().cmp(&a.system.risks.len()))
                .then(a.tenant_name.cmp(&b.tenant_name))
                .then(a.system.name.cmp(&b.system.name))
        });
        let urgent = self
            .queue(&QueueFilter {
                priorities: vec![Priority::from_number(1).expect("P1"), Priority::from_number(2).expect("P2")],
                ..Default::default()
            })
            .await?;
        let breached = self.queue(&QueueFilter { breached: true, ..Default::default() }).await?;
        let mut away: Vec<AwayToday> = Vec::new();
        for off in time_off_between(self.db(), today, today).await? {
            if let Some(a) = away.iter_mut().find(|a| a.user_id == off.user_id) {
                a.back_after = a.back_after.max(off.last_day);
                continue;
            }
            let clients = teams
                .iter()
                .filter(|t| t.team.primary.as_ref().is_some_and(|p| p.id == off.user_id))
                .map(|t| {
                    let who = match t.team.cover {
                        Cover::Gap => None,
                        _ => t.team.covering().map(|p| p.name.clone()),
                    };
                    (t.name.clone(), who)
                })
                .collect();
            away.push(AwayToday { user_id: off.user_id, name: off.name, back_after: off.last_day, clients });
        }
        Ok(Overview { today, today_work, week_work, gaps, without_backup, risks, urgent, breached, away })
    }
}
