//! Incidents and notices as pages show them.

use crate::views::{IncidentListItem, IncidentUpdateView, IncidentView, NoticeView};
use domain::incidents::{IncidentDetail, IncidentRow, NoticeRow};

fn when(at: chrono::DateTime<chrono::Utc>, tz: chrono_tz::Tz) -> String {
    at.with_timezone(&tz).format("%a %-d %b %Y, %H:%M").to_string()
}

pub fn item(i: &IncidentRow, tz: chrono_tz::Tz) -> IncidentListItem {
    IncidentListItem {
        id: i.id,
        title: i.title.clone(),
        status: i.status,
        opened: when(i.created_at, tz),
        resolved: i.resolved_at.map(|at| when(at, tz)),
    }
}

pub fn incident(d: &IncidentDetail, tz: chrono_tz::Tz) -> IncidentView {
    IncidentView {
        item: item(&d.row, tz),
        impact: d.row.impact.clone(),
        updates: d
            .updates
            .iter()
            .map(|u| IncidentUpdateView {
                status: u.status,
                body: u.body.clone(),
                author: u.author.clone(),
                when: when(u.at, tz),
            })
            .collect(),
    }
}

pub fn notice(n: &NoticeRow) -> NoticeView {
    NoticeView {
        title: n.title.clone(),
        body: n.body.clone(),
        until: format!("Until {}", n.shown_until.format("%a %-d %b")),
        client: n.client.clone().unwrap_or_else(|| "All clients".into()),
    }
}
