//! The staff's view of clients: the list with today's cover, and one client's page (work with
//! internal entries, tickets, systems with their risks, team, runbooks).

use super::coverage::{TeamLine, team_lines};
use super::runbooks::RunbookItem;
use super::tickets::QueueRow;
use super::{business_hours, tenant_by_slug, time_zone};
use crate::entities::{system, ticket, work_entry};
use crate::error::Result;
use crate::rules::BusinessHours;
use crate::scope::Unscoped;
use crate::team::{SystemReadiness, readiness};
use crate::work::{WorkItem, with_names};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;
use vocabulary::{Criticality, SystemKind, TenantStatus, TicketStatus};

#[derive(Clone, Debug)]
pub struct ClientRow {
    pub slug: String,
    pub name: String,
    pub time_zone: String,
    pub status: TenantStatus,
    pub team: Option<TeamLine>,
    pub open_tickets: i64,
}

/// "Mon–Fri 08:00–17:00".
pub fn hours_in_words(h: &BusinessHours) -> String {
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let open: Vec<usize> = (0..7).filter(|d| h.days & (1 << d) != 0).collect();
    let days = match (open.first(), open.last()) {
        (Some(a), Some(b)) if b - a + 1 == open.len() && open.len() > 1 => format!("{}–{}", DAYS[*a], DAYS[*b]),
        _ => open.iter().map(|d| DAYS[*d]).collect::<Vec<_>>().join(", "),
    };
    let hm = |m: u16| format!("{:02}:{:02}", m / 60, m % 60);
    format!("{days} {}–{}", hm(h.start_minute), hm(h.end_minute))
}

#[derive(Clone, Debug)]
pub struct StaffSystem {
    pub id: i64,
    pub name: String,
    pub kind: SystemKind,
    pub criticality: Criticality,
    pub vendor: Option<String>,
    pub notes: String,
    pub readiness: Option<SystemReadiness>,
}

#[derive(Clone, Debug)]
pub struct ClientDetail {
    pub slug: String,
    pub name: String,
    pub time_zone: chrono_tz::Tz,
    pub hours: String,
    pub included_hours: Option<i32>,
    pub status: TenantStatus,
    pub team: TeamLine,
    pub systems: Vec<StaffSystem>,
    /// The latest work, internal entries included.
    pub work: Vec<WorkItem>,
    pub tickets: Vec<QueueRow>,
    pub runbooks: Vec<RunbookItem>,
}

impl Unscoped {
    pub async fn client_rows(&self) -> Result<Vec<ClientRow>> {
        let tenants = self.tenants().await?;
        let teams: HashMap<i64, TeamLine> =
            team_lines(self.db(), None).await?.into_iter().map(|t| (t.tenant_id, t)).collect();
        let open: HashMap<i64, i64> = ticket::Entity::find()
            .select_only()
            .column(ticket::Column::TenantId)
            .expr(Expr::col(ticket::Column::Id).count())
            .filter(ticket::Column::Status.is_not_in([TicketStatus::Resolved, TicketStatus::Closed]))
            .group_by(ticket::Column::TenantId)
            .into_tuple::<(i64, i64)>()
            .all(self.db())
            .await?
            .into_iter()
            .collect();
        Ok(tenants
            .into_iter()
            .map(|t| ClientRow {
                team: teams.get(&t.id).cloned(),
                open_tickets: open.get(&t.id).copied().unwrap_or(0),
                slug: t.slug,
                name: t.name,
                time_zone: t.time_zone,
                status: t.status,
            })
            .collect())
    }

    pub async fn client_detail(&self, slug: &str) -> Result<ClientDetail> {
        let tenant = tenant_by_slug(self.db(), slug).await?;
        let team =
            team_lines(self.db(), Some(tenant.id)).await?.into_iter().next().ok_or(crate::DomainError::NotFound)?;
        let mut ready: HashMap<i64, SystemReadiness> =
            readiness(self.db(), Some(tenant.id)).await?.into_iter().map(|(_, r)| (r.id, r)).collect();
        let systems = system::Entity::find()
            .filter(system::Column::TenantId.eq(tenant.id))
            .order_by_asc(system::Column::Name)
            .order_by_asc(system::Column::Id)
            .all(self.db())
            .await?
            .into_iter()
            .map(|s| StaffSystem {
                readiness: ready.remove(&s.id),
                id: s.id,
                kind: s.kind,
                criticality: s.criticality,
                name: s.name,
                vendor: s.vendor,
                notes: s.notes,
            })
            .collect();
        let entries = work_entry::Entity::find()
            .filter(work_entry::Column::TenantId.eq(tenant.id))
            .order_by_desc(work_entry::Column::StartedAt)
            .order_by_desc(work_entry::Column::Id)
            .limit(30)
            .all(self.db())
            .await?;
        Ok(ClientDetail {
            work: with_names(self.db(), entries).await?,
            tickets: self.client_tickets(slug, 20).await?,
            runbooks: self.runbooks(slug).await?,
            hours: hours_in_words(&business_hours(&tenant)),
            time_zone: time_zone(&tenant),
            included_hours: tenant.included_hours,
            status: tenant.status,
            team,
            systems,
            slug: tenant.slug,
            name: tenant.name,
        })
    }

    /// A client's portal as its clients see it: the scope staff previews go through.
    pub async fn tenant_id_of(&self, slug: &str) -> Result<i64> {
        Ok(tenant_by_slug(self.db(), slug).await?.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn business_hours_in_words() {
        let h =
            |days, start, end| BusinessHours { time_zone: chrono_tz::UTC, days, start_minute: start, end_minute: end };
        assert_eq!(hours_in_words(&h(0b0011111, 480, 1020)), "Mon–Fri 08:00–17:00");
        assert_eq!(hours_in_words(&h(0b1000001, 1320, 360)), "Mon, Sun 22:00–06:00");
    }
}
