use crate::error::AppError;
use crate::views::msp::{
    AssignmentView, PersonView, QueueRowView, RunbookView, StaffOption, StaffWorkView, SystemCoverView, TeamLineView,
};
use domain::auth::StaffAccess;
use domain::rules::{Cover, SystemRisk};
use domain::staff::coverage::{Assignment, Named, TeamLine};
use domain::staff::overview::StaffWork;
use domain::staff::tickets::QueueRow;
use domain::team::SystemReadiness;
use std::collections::HashMap;

pub async fn tenant_zones(staff: &StaffAccess) -> Result<HashMap<String, chrono_tz::Tz>, AppError> {
    Ok(staff
        .unscoped()
        .tenants()
        .await?
        .into_iter()
        .map(|t| (t.slug, t.time_zone.parse().unwrap_or(chrono_tz::UTC)))
        .collect())
}

/// Active clients as (slug, name), for a form's choice of client.
pub async fn client_options(staff: &StaffAccess) -> Result<Vec<(String, String)>, AppError> {
    Ok(staff
        .unscoped()
        .tenants()
        .await?
        .into_iter()
        .filter(|t| t.status == vocabulary::TenantStatus::Active)
        .map(|t| (t.slug, t.name))
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

pub fn person(n: &Named) -> PersonView {
    PersonView { id: n.id, name: n.name.clone() }
}

pub fn day(d: chrono::NaiveDate) -> String {
    d.format("%a %-d %b").to_string()
}

pub fn assignment(a: &Assignment) -> AssignmentView {
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
        automated: i.automated,
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

pub fn capitalise(s: &str) -> String {
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

pub mod admin;
pub mod clients;
pub mod coverage;
pub mod integrations;
pub mod summaries;

/// Good, okay and poor, with the share of good answers.
pub fn tally(t: domain::ratings::Tally) -> crate::views::msp::TallyView {
    let share = match t.total() {
        0 => "—".to_string(),
        n => format!("{}% good", t.good * 100 / n),
    };
    crate::views::msp::TallyView { good: t.good, okay: t.okay, poor: t.poor, share }
}

/// The ratings board on `/msp`.
pub fn ratings_board(b: domain::ratings::RatingsBoard) -> crate::views::msp::RatingsBoardView {
    crate::views::msp::RatingsBoardView {
        months: b.months.into_iter().map(|(m, t)| (m.first_day.format("%b %Y").to_string(), tally(t))).collect(),
        by_tech: b.by_tech.into_iter().map(|(n, t)| (n, tally(t))).collect(),
        by_client: b.by_client.into_iter().map(|(n, slug, t)| (n, slug, tally(t))).collect(),
        recent_poor: b
            .recent_poor
            .into_iter()
            .map(|(client, id, number, subject, comment)| (client, id, format!("#{number} {subject}"), comment))
            .collect(),
    }
}
