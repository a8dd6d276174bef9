//! The staff workspace's server functions. Each asks [`guard::staff`](super::guard::staff) (any
//! member of staff may read) or [`guard::editor`](super::guard::editor) (techs and MSP admins
//! change things); clients get 404.

pub mod admin;
pub mod coverage;
pub mod summaries;
pub mod tickets;
pub mod work;

use crate::error::AppError;
use crate::views::DashboardView;
use crate::views::msp::{ClientDetailView, ClientRowView, OverviewView};
use leptos::prelude::*;

/// `/msp`: the day at a glance.
#[server(endpoint = "msp/overview")]
pub async fn msp_overview() -> Result<OverviewView, AppError> {
    use super::guard;
    let staff = guard::staff()?;
    let tz = use_context::<ssr::MspClock>().map(|c| c.0).unwrap_or(chrono_tz::UTC);
    let o = staff.unscoped().overview(tz).await?;
    let tzs = ssr::tenant_zones(&staff).await?;
    let day = |d: chrono::NaiveDate| d.format("%a %-d %b").to_string();
    Ok(OverviewView {
        today: o.today.format("%A %-d %B %Y").to_string(),
        today_work: o.today_work.into_iter().map(|w| ssr::staff_work(w, &tzs)).collect(),
        week_work: o.week_work.into_iter().map(|w| ssr::staff_work(w, &tzs)).collect(),
        gaps: o.gaps.iter().map(ssr::team_line).collect(),
        without_backup: o.without_backup.iter().map(ssr::team_line).collect(),
        risks: o
            .risks
            .into_iter()
            .map(|r| crate::views::msp::RiskView {
                tenant_slug: r.tenant_slug,
                tenant_name: r.tenant_name,
                criticality: r.system.criticality,
                risks: ssr::risk_words(&r.system),
                system: r.system.name,
            })
            .collect(),
        urgent: o.urgent.iter().map(|r| ssr::queue_row(r, &tzs)).collect(),
        breached: o.breached.iter().map(|r| ssr::queue_row(r, &tzs)).collect(),
        away: o
            .away
            .into_iter()
            .map(|a| crate::views::msp::AwayView { name: a.name, back: day(a.back_after), clients: a.clients })
            .collect(),
    })
}

/// `/msp/clients`: every client with its cover today.
#[server(endpoint = "msp/clients")]
pub async fn msp_clients() -> Result<Vec<ClientRowView>, AppError> {
    use super::guard;
    let staff = guard::staff()?;
    let rows = staff.unscoped().client_rows().await?;
    Ok(rows
        .into_iter()
        .map(|r| ClientRowView {
            primary: r.team.as_ref().and_then(|t| t.team.primary.as_ref().map(|p| p.name.clone())),
            covering: r.team.as_ref().and_then(|t| t.team.covering().map(|p| p.name.clone())),
            gap_today: r.team.as_ref().is_some_and(|t| t.team.cover == domain::rules::Cover::Gap),
            slug: r.slug,
            name: r.name,
            time_zone: r.time_zone,
            status: r.status,
            open_tickets: r.open_tickets,
        })
        .collect())
}

/// `/msp/clients/{slug}`: one client's work (internal entries included), tickets, systems, team
/// and runbooks.
#[server(endpoint = "msp/client")]
pub async fn msp_client(slug: String) -> Result<ClientDetailView, AppError> {
    use super::guard;
    use crate::views::msp::StaffSystemView;
    let staff = guard::staff()?;
    let d = staff.unscoped().client_detail(&slug).await?;
    let tzs: std::collections::HashMap<String, chrono_tz::Tz> = [(d.slug.clone(), d.time_zone)].into();
    Ok(ClientDetailView {
        time_zone: d.time_zone.name().to_string(),
        hours: d.hours,
        included_hours: d.included_hours,
        status: d.status,
        team: ssr::team_line(&d.team),
        systems: d
            .systems
            .into_iter()
            .map(|s| StaffSystemView {
                people_who_can_cover: s.readiness.as_ref().map_or(0, |r| r.people_who_can_cover),
                risks: s.readiness.as_ref().map(ssr::risk_words).unwrap_or_default(),
                id: s.id,
                name: s.name,
                kind: s.kind,
                criticality: s.criticality,
                vendor: s.vendor.unwrap_or_default(),
                notes: s.notes,
            })
            .collect(),
        work: d
            .work
            .into_iter()
            .map(|item| {
                ssr::staff_work(
                    domain::staff::overview::StaffWork {
                        tenant_slug: d.slug.clone(),
                        tenant_name: d.name.clone(),
                        item,
                    },
                    &tzs,
                )
            })
            .collect(),
        tickets: d.tickets.iter().map(|r| ssr::queue_row(r, &tzs)).collect(),
        runbooks: d.runbooks.into_iter().map(|r| ssr::runbook_view(r, d.time_zone)).collect(),
        staff: ssr::staff_options(&staff).await?,
        can_edit: staff.editor().is_some(),
        slug: d.slug,
        name: d.name,
    })
}

/// `/msp/clients/{slug}/preview`: the client's dashboard exactly as its users see it, built by
/// the portal's own code through a client-view scope (internal entries cannot appear).
#[server(endpoint = "msp/preview")]
pub async fn msp_preview(slug: String) -> Result<DashboardView, AppError> {
    use super::guard;
    let staff = guard::staff()?;
    let tenant_id = staff.unscoped().tenant_id_of(&slug).await?;
    crate::api::portal::ssr::dashboard(&staff.client_view_of(tenant_id)).await.map_err(AppError::from)
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use crate::error::AppError;
    use crate::views::msp::{
        AssignmentView, PersonView, QueueRowView, RunbookView, StaffOption, StaffWorkView, SystemCoverView,
        TeamLineView,
    };
    use domain::auth::StaffAccess;
    use domain::rules::{Cover, SystemRisk};
    use domain::staff::coverage::{Assignment, Named, TeamLine};
    use domain::staff::overview::StaffWork;
    use domain::staff::queue::QueueRow;
    use domain::team::SystemReadiness;
    use std::collections::HashMap;

    /// The MSP's own time zone (`LIMELIGHT_TIME_ZONE`): what "today" means on the overview.
    #[derive(Clone, Copy, Debug)]
    pub struct MspClock(pub chrono_tz::Tz);

    pub async fn tenant_zones(staff: &StaffAccess) -> Result<HashMap<String, chrono_tz::Tz>, AppError> {
        Ok(staff
            .unscoped()
            .tenants()
            .await?
            .into_iter()
            .map(|t| (t.slug, t.time_zone.parse().unwrap_or(chrono_tz::UTC)))
            .collect())
    }

    pub async fn staff_options(staff: &StaffAccess) -> Result<Vec<StaffOption>, AppError> {
        Ok(staff
            .unscoped()
            .staff_members()
            .await?
            .into_iter()
            .map(|s| StaffOption { id: s.id, name: s.name, role: s.role })
            .collect())
    }

    fn person(n: &Named) -> PersonView {
        PersonView { id: n.id, name: n.name.clone() }
    }

    pub fn day(d: chrono::NaiveDate) -> String {
        d.format("%a %-d %b").to_string()
    }

    fn assignment(a: &Assignment) -> AssignmentView {
        AssignmentView {
            primary: a.primary.as_ref().map(person),
            backups: a.backups.iter().map(person).collect(),
            covering: a.covering().map(|p| p.name.clone()),
            backup_covering: matches!(a.cover, Cover::Backup(_)) && a.primary.is_some(),
            gap_days: a.gap_days.iter().map(|d| day(*d)).collect(),
        }
    }

    pub fn team_line(t: &TeamLine) -> TeamLineView {
        TeamLineView {
            slug: t.slug.clone(),
            name: t.name.clone(),
            team: assignment(&t.team),
            account_manager: t.account_manager.as_ref().map(person),
            without_backup: t.primary_without_backup(),
            systems: t
                .systems
                .iter()
                .map(|s| SystemCoverView {
                    system_id: s.system_id,
                    system: s.system.clone(),
                    assignment: assignment(&s.assignment),
                })
                .collect(),
        }
    }

    /// A system's risks in the staff's words.
    pub fn risk_words(r: &SystemReadiness) -> Vec<String> {
        r.risks
            .iter()
            .map(|risk| match risk {
                SystemRisk::FewerThanTwoCanCover => format!("only {} can cover", r.people_who_can_cover),
                SystemRisk::NoRunbook => "no runbook".to_string(),
                SystemRisk::StaleRunbook => "runbook not reviewed in 180 days".to_string(),
            })
            .collect()
    }

    pub fn duration(minutes: i32) -> String {
        match (minutes / 60, minutes % 60) {
            (0, m) => format!("{m} min"),
            (h, 0) => format!("{h} h"),
            (h, m) => format!("{h} h {m} min"),
        }
    }

    pub fn staff_work(w: StaffWork, zones: &HashMap<String, chrono_tz::Tz>) -> StaffWorkView {
        let tz = zones.get(&w.tenant_slug).copied().unwrap_or(chrono_tz::UTC);
        let i = w.item;
        StaffWorkView {
            id: i.id,
            tenant_slug: w.tenant_slug,
            tenant_name: w.tenant_name,
            category: i.category,
            title: i.title,
            systems: i.systems,
            when: i.started_at.with_timezone(&tz).format("%a %-d %b %H:%M").to_string(),
            duration: duration(i.duration_minutes),
            after_hours: i.after_hours,
            performed_by: i.performed_by,
            state: i.state,
            visibility: i.visibility,
        }
    }

    pub fn queue_row(r: &QueueRow, zones: &HashMap<String, chrono_tz::Tz>) -> QueueRowView {
        let tz = zones.get(&r.tenant_slug).copied().unwrap_or(chrono_tz::UTC);
        let fmt = |at: chrono::DateTime<chrono::Utc>| at.with_timezone(&tz).format("%a %-d %b %H:%M").to_string();
        QueueRowView {
            id: r.id,
            tenant_slug: r.tenant_slug.clone(),
            tenant_name: r.tenant_name.clone(),
            number: r.number,
            subject: r.subject.clone(),
            status: r.status,
            priority: r.priority.number(),
            assignee: r.assignee.clone(),
            requester: r.requester.clone(),
            opened: fmt(r.created_at),
            due: r.due.map(|(what, at)| format!("{} due {}", capitalise(what), fmt(at))),
            breached: r.breached,
        }
    }

    fn capitalise(s: &str) -> String {
        let mut c = s.chars();
        c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
    }

    pub fn ago(at: chrono::DateTime<chrono::Utc>) -> String {
        match (domain::time::now() - at).num_days() {
            0 => "today".into(),
            1 => "yesterday".into(),
            n => format!("{n} days ago"),
        }
    }

    pub fn runbook_view(r: domain::staff::runbooks::RunbookItem, tz: chrono_tz::Tz) -> RunbookView {
        RunbookView {
            id: r.id,
            system_id: r.system_id,
            system: r.system,
            body_html: domain::markdown::to_safe_html(&r.body),
            body: r.body,
            title: r.title,
            author: r.author,
            updated: r.updated_at.with_timezone(&tz).format("%-d %b %Y").to_string(),
            review: match (r.reviewed_at, r.reviewed_by) {
                (Some(at), Some(by)) => format!("Reviewed {} by {by}", ago(at)),
                (Some(at), None) => format!("Reviewed {}", ago(at)),
                _ => "Never reviewed".into(),
            },
            stale: r.stale,
        }
    }

    /// An optional id from a form's select ("" is none).
    pub fn optional_id(text: &str, what: &str) -> Result<Option<i64>, AppError> {
        match text.trim() {
            "" => Ok(None),
            t => t.parse().map(Some).map_err(|_| AppError::Invalid(format!("Please choose a {what}."))),
        }
    }
}
