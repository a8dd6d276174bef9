//! Approvals for planned work as pages show them: every time in the client's time zone.

use crate::views::{ApprovalDecisionView, ApprovalItemView, ApprovalView, ApprovalWindowView};
use chrono::{DateTime, Utc};
use domain::approvals::{ApprovalDetail, ApprovalRow};
use vocabulary::ApprovalAnswer;

fn when(at: DateTime<Utc>, tz: chrono_tz::Tz) -> String {
    at.with_timezone(&tz).format("%a %-d %b %Y, %H:%M").to_string()
}

pub fn item(r: &ApprovalRow) -> ApprovalItemView {
    let tz = r.time_zone;
    ApprovalItemView {
        id: r.id,
        client: r.tenant_name.clone(),
        client_slug: r.tenant_slug.clone(),
        work_entry_id: r.work_entry_id,
        title: r.title.clone(),
        status: r.status,
        overdue: r.overdue,
        asked_by: r.asked_by.clone(),
        asked: when(r.created_at, tz),
        when: r.when.map(|w| when(w, tz)),
        deadline: r.deadline.map(|d| when(d, tz)),
        done_without_approval: r.done_without_approval_at.map(|d| when(d, tz)),
    }
}

pub fn approval(d: &ApprovalDetail, can_decide: bool) -> ApprovalView {
    let tz = d.row.time_zone;
    let now = domain::time::now();
    ApprovalView {
        item: item(&d.row),
        details_html: domain::markdown::to_safe_html(&d.details),
        why_it_matters: d.why_it_matters.clone(),
        duration: crate::presenters::msp::duration(d.duration_minutes),
        downtime: d.downtime.clone(),
        risk: d.risk.clone(),
        rollback: d.rollback.clone(),
        approvals_needed: d.approvals_needed,
        windows: d
            .windows
            .iter()
            .map(|w| ApprovalWindowView {
                id: w.id,
                when: when(w.starts_at, tz),
                from_client: w.from_client,
                approvals: w.approvals,
                ahead: w.starts_at > now,
                approved: d.approved_window == Some(w.id),
            })
            .collect(),
        decisions: d
            .decisions
            .iter()
            .map(|x| ApprovalDecisionView {
                user_id: x.user_id,
                name: x.name.clone(),
                answer: x.answer,
                what: match x.answer {
                    ApprovalAnswer::Approve => {
                        format!("Approved {}", x.window_start.map(|s| when(s, tz)).unwrap_or_default())
                    }
                    ApprovalAnswer::Propose => {
                        format!("Proposed {}", x.proposed_start.map(|s| when(s, tz)).unwrap_or_default())
                    }
                    ApprovalAnswer::Decline => "Declined".into(),
                },
                note: x.note.clone(),
                when: when(x.at, tz),
            })
            .collect(),
        locked: d.locked,
        can_decide: can_decide && !d.locked,
        time_zone: tz.name().to_string(),
        now_local: now.with_timezone(&tz).format("%Y-%m-%dT%H:%M").to_string(),
    }
}
