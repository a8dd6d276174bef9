use crate::views::{DashboardView, MemberView, ReadinessView, TeamView};
use domain::rules::{Cover, SystemRisk};
use domain::team::{Person, SystemReadiness, Team};

pub fn hours(minutes: i64) -> String {
    let h = minutes as f64 / 60.0;
    if (h - h.round()).abs() < 0.05 { format!("{}", h.round() as i64) } else { format!("{h:.1}") }
}

pub fn compared(now: i64, before: i64, noun: &str) -> String {
    match now - before {
        0 => format!("the same as last month ({before} {noun})"),
        d if d > 0 => format!("{d} more than last month"),
        d => format!("{} fewer than last month", -d),
    }
}

/// The dashboard of one tenant, as its clients see it: for the client's own portal and for the
/// staff's preview of it (through the same scope type, so internal rows cannot appear).
pub async fn dashboard(scope: &domain::scope::TenantScope) -> Result<DashboardView, domain::DomainError> {
    let tenant = scope.tenant().await?;
    let feed = scope.recent_work(10).await?;
    let team = scope.team().await?;
    let glance = scope.glance().await?;
    let months = scope.twelve_months().await?;
    let planned = scope.planned_work(5).await?;
    let open = domain::tickets::TicketFilter { open_only: true, ..Default::default() };
    let open_tickets = scope.tickets(&open, 5).await?;
    let notices = scope.current_notices().await?;
    let waiting = scope.waiting_for_my_decision().await?;
    Ok(DashboardView {
        approvals_waiting: waiting.iter().map(crate::presenters::approvals::item).collect(),
        notices: notices.iter().map(crate::presenters::incidents::notice).collect(),
        team: team_view(&team, Vec::new()),
        glance: glance_view(&glance),
        chart: chart_view(months),
        planned: planned.into_iter().map(|w| work_view(w, tenant.time_zone)).collect(),
        open_tickets: open_tickets.iter().map(|t| crate::presenters::tickets::row(t, tenant.time_zone)).collect(),
        time_zone: tenant.time_zone.name().to_string(),
        feed: feed.into_iter().map(|w| work_view(w, tenant.time_zone)).collect(),
        tenant_name: tenant.name,
    })
}

pub fn glance_view(g: &domain::figures::Glance) -> crate::views::GlanceView {
    use crate::views::{FigureView, GlanceView};
    use vocabulary::Category;
    let (t, l) = (&g.this_month, &g.last_month);
    let patches = |w: &domain::figures::WorkTotals| w.by_category.get(&Category::Patch).copied().unwrap_or(0);
    let proactive = if t.entries == 0 { 0 } else { t.proactive_entries * 100 / t.entries };
    let used = hours(t.minutes);
    let figures = vec![
        FigureView {
            label: "Pieces of work".into(),
            value: t.entries.to_string(),
            context: compared(t.entries, l.entries, "pieces"),
        },
        FigureView {
            label: "Hours of work".into(),
            value: used.clone(),
            context: format!("{} hours last month", hours(l.minutes)),
        },
        FigureView {
            label: "While you slept".into(),
            value: format!("{} h", hours(t.after_hours_minutes)),
            context: "of it outside your business hours".into(),
        },
        FigureView {
            label: "Proactive".into(),
            value: format!("{proactive}%"),
            context: "done before anything went wrong".into(),
        },
        FigureView {
            label: "Patches applied".into(),
            value: patches(t).to_string(),
            context: compared(patches(t), patches(l), "patches"),
        },
        FigureView {
            label: "Tickets".into(),
            value: format!("{} opened", g.tickets_opened),
            context: format!("{} resolved this month", g.tickets_resolved),
        },
    ];
    let percent_used = g.included_hours.filter(|h| *h > 0).map(|h| (t.minutes * 100 / (h as i64 * 60)) as u32);
    GlanceView {
        month: g.month.first_day.format("%B %Y").to_string(),
        figures,
        by_category: t.by_category.iter().map(|(c, n)| (*c, *n)).collect(),
        hours: match g.included_hours {
            Some(h) => format!("{used} of {h} hours"),
            None => format!("{used} hours"),
        },
        percent_used,
    }
}

pub fn chart_view(
    months: Vec<(domain::figures::Month, std::collections::BTreeMap<vocabulary::Category, i64>)>,
) -> crate::views::ChartView {
    use vocabulary::Category;
    crate::views::ChartView {
        months: months
            .iter()
            .map(|(m, _)| (m.first_day.format("%b").to_string(), m.first_day.format("%B %Y").to_string()))
            .collect(),
        series: Category::ALL
            .iter()
            .map(|c| (*c, months.iter().map(|(_, counts)| counts.get(c).copied().unwrap_or(0)).collect()))
            .filter(|(_, counts): &(Category, Vec<i64>)| counts.iter().any(|n| *n > 0))
            .collect(),
    }
}

pub fn member(p: &Person) -> MemberView {
    MemberView { name: p.name.clone(), away: p.away_until.map(|d| back_on(d)) }
}

pub fn back_on(last_day_off: chrono::NaiveDate) -> String {
    format!("back on {}", (last_day_off + chrono::Duration::days(1)).format("%a %-d %b"))
}

pub fn first_name(name: &str) -> &str {
    name.split_whitespace().next().unwrap_or(name)
}

pub fn team_view(team: &Team, systems: Vec<SystemReadiness>) -> TeamView {
    let (covering, today) = match team.cover {
        Cover::Primary(id) => {
            let p = team.person(id).expect("the cover is on the team");
            (Some(p.name.clone()), format!("{} is looking after you today.", first_name(&p.name)))
        }
        Cover::Backup(id) => {
            let b = team.person(id).expect("the cover is on the team");
            let why = match &team.primary {
                Some(p) => format!(
                    "{} is away ({}), so {} is covering.",
                    first_name(&p.name),
                    p.away_until.map(back_on).unwrap_or_default(),
                    b.name
                ),
                None => format!("{} is looking after you today.", b.name),
            };
            (Some(b.name.clone()), why)
        }
        Cover::Gap => (
            None,
            "Your usual team is away today. Open a ticket as usual: our service desk will pick it up.".to_string(),
        ),
    };
    TeamView {
        primary: team.primary.as_ref().map(member),
        backups: team.backups.iter().map(member).collect(),
        account_manager: team.account_manager.as_ref().map(member),
        covering,
        today,
        systems: systems
            .into_iter()
            .map(|s| ReadinessView {
                ready: s.risks.is_empty(),
                words: if s.risks.is_empty() {
                    vec![format!(
                        "Ready: {} people on our team can look after it, and how to is written down and up to date.",
                        s.people_who_can_cover
                    )]
                } else {
                    s.risks
                        .iter()
                        .map(|r| {
                            match r {
                                SystemRisk::FewerThanTwoCanCover => "We are training a second person to look after it.",
                                SystemRisk::NoRunbook => "We are writing down how to look after it.",
                                SystemRisk::StaleRunbook => "We are reviewing the written steps for it.",
                            }
                            .to_string()
                        })
                        .collect()
                },
                criticality: s.criticality.label().to_string(),
                name: s.name,
            })
            .collect(),
    }
}

use crate::views::{WorkQuery, WorkView};
use domain::history::{Cursor, WorkFilter};
use domain::work::WorkItem;

pub fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// The filters of a history request, or a message saying which one is wrong.
pub fn parse_filter(q: &WorkQuery) -> Result<(WorkFilter, Option<Cursor>), String> {
    let date = |v: &Option<String>, what: &str| -> Result<Option<chrono::NaiveDate>, String> {
        given(v)
            .map(|d| {
                chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
                    .map_err(|_| format!("The {what} date {d:?} is not a date like 2026-11-21."))
            })
            .transpose()
    };
    let filter = WorkFilter {
        category: given(&q.category)
            .map(|c| c.parse().map_err(|_| format!("There is no category {c:?}.")))
            .transpose()?,
        system_id: given(&q.system).map(|s| s.parse().map_err(|_| format!("There is no system {s:?}."))).transpose()?,
        from: date(&q.from, "from")?,
        to: date(&q.to, "to")?,
        after_hours_only: given(&q.after_hours).is_some_and(|v| matches!(v, "on" | "true" | "1" | "yes")),
        text: given(&q.q).map(|t| t.chars().take(200).collect()),
    };
    if let (Some(from), Some(to)) = (filter.from, filter.to) {
        if from > to {
            return Err("The \"from\" date is after the \"to\" date.".into());
        }
    }
    let cursor = given(&q.after)
        .map(|a| Cursor::decode(a).ok_or_else(|| "That page link is not valid any more.".to_string()))
        .transpose()?;
    Ok((filter, cursor))
}

pub fn work_view(w: WorkItem, tz: chrono_tz::Tz) -> WorkView {
    let local = w.started_at.with_timezone(&tz);
    let hours = w.duration_minutes / 60;
    let minutes = w.duration_minutes % 60;
    let duration = match (hours, minutes) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    };
    WorkView {
        id: w.id,
        category: w.category,
        title: w.title,
        why_it_matters: w.why_it_matters,
        systems: w.systems,
        when: local.format("%a %-d %b %Y, %H:%M").to_string(),
        when_iso: w.started_at.to_rfc3339(),
        duration,
        after_hours: w.after_hours,
        performed_by: if w.automated { AUTOMATED_BY.into() } else { w.performed_by },
        automated: w.automated,
        vendor: match (w.vendor_name, w.vendor_case_ref) {
            (Some(v), Some(c)) => Some(format!("{v} (case {c})")),
            (Some(v), None) => Some(v),
            _ => None,
        },
    }
}

/// Who did automated work, as a client reads it.
pub const AUTOMATED_BY: &str = "our automated tools";

/// The columns of the work history's CSV export.
pub const WORK_CSV_HEADER: [&str; 10] =
    ["Date", "Time", "Category", "Title", "Why it matters", "Systems", "Minutes", "After hours", "Done by", "Vendor"];

/// One work item as a row of the CSV export, in the client's time zone: what the history page
/// shows of it, as plain values.
pub fn work_csv_row(w: &WorkItem, tz: chrono_tz::Tz) -> [String; 10] {
    let local = w.started_at.with_timezone(&tz);
    let vendor = match (&w.vendor_name, &w.vendor_case_ref) {
        (Some(v), Some(c)) => format!("{v} (case {c})"),
        (Some(v), None) => v.clone(),
        _ => String::new(),
    };
    [
        local.format("%Y-%m-%d").to_string(),
        local.format("%H:%M").to_string(),
        w.category.label().to_string(),
        w.title.clone(),
        w.why_it_matters.clone(),
        w.systems.join("; "),
        w.duration_minutes.to_string(),
        if w.after_hours { "yes" } else { "no" }.to_string(),
        if w.automated { AUTOMATED_BY.to_string() } else { w.performed_by.clone() },
        vendor,
    ]
}
