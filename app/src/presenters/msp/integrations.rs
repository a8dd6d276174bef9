use crate::views::msp::{ApiTokenView, ClientAutomationView, NameMappingView, RawEventView, UnmatchedNameView};
use domain::integrations::events::RawEvent;
use domain::integrations::system_refs::ClientAutomation;
use domain::integrations::tokens::TokenRow;

fn when(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

pub fn api_token(t: TokenRow) -> ApiTokenView {
    ApiTokenView {
        live: t.is_live(),
        status: if t.revoked_at.is_some() {
            "Revoked".into()
        } else if t.is_live() {
            "Live".into()
        } else {
            "Expired".into()
        },
        last_day: t.last_day().map_or_else(|| "Until revoked".into(), |d| d.format("%-d %b %Y").to_string()),
        scope: t.client.as_ref().map_or_else(|| "All clients".into(), |c| c.1.clone()),
        permissions: t.permissions.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(", "),
        created: when(t.created_at),
        last_used: t.last_used_at.map_or_else(|| "Never".into(), when),
        last_used_from: t.last_used_ip.unwrap_or_default(),
        name: t.name,
        prefix: t.prefix,
    }
}

pub fn webhook(w: domain::webhooks::WebhookRow) -> crate::views::msp::WebhookView {
    crate::views::msp::WebhookView {
        id: w.id,
        url: w.url,
        event: w.event,
        format: w.format,
        deliveries: w
            .deliveries
            .into_iter()
            .map(|d| crate::views::msp::DeliveryView {
                created: when(d.created_at),
                status: d.status,
                attempts: d.attempts,
                last: match (d.last_status, d.last_error) {
                    (_, Some(e)) => e,
                    (Some(code), None) => format!("HTTP {code}"),
                    (None, None) => String::new(),
                },
            })
            .collect(),
    }
}

pub fn client_automation(a: ClientAutomation, tz: chrono_tz::Tz) -> ClientAutomationView {
    ClientAutomationView {
        external_ref: a.external_ref.unwrap_or_default(),
        events: a.events,
        unmatched: a
            .unmatched
            .into_iter()
            .map(|u| UnmatchedNameView {
                name: u.name,
                events: u.events,
                last_seen: u.last_seen.with_timezone(&tz).format("%-d %b %Y %H:%M").to_string(),
            })
            .collect(),
        mappings: a.mappings.into_iter().map(|m| NameMappingView { name: m.name, system: m.system }).collect(),
    }
}

pub fn raw_event(e: RawEvent, tz: chrono_tz::Tz) -> RawEventView {
    RawEventView {
        when: e.occurred_at.with_timezone(&tz).format("%a %-d %b %H:%M").to_string()
            + &e.duration_minutes.map(|m| format!(" ({m} min)")).unwrap_or_default(),
        source: e.source,
        external_id: e.external_id,
        system: e.system,
        kind: e.kind.label().to_string(),
        result: e.result,
        title: e.title.unwrap_or_default(),
    }
}

/// To the second: the mail and webhook jobs run every few seconds.
fn at(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

fn took(run: &domain::jobs::Run) -> String {
    match run.finished_at {
        Some(f) => format!("{} s", (f - run.started_at).num_seconds()),
        None => "…".into(),
    }
}

fn job_run(r: domain::jobs::Run) -> crate::views::msp::JobRunView {
    crate::views::msp::JobRunView {
        label: r.job.label().into(),
        started: at(r.started_at),
        took: took(&r),
        outcome: r.outcome,
        items: r.items,
        error: r.error.clone(),
        holder: r.holder,
    }
}

pub fn jobs(states: Vec<domain::jobs::JobState>, runs: Vec<domain::jobs::Run>) -> crate::views::msp::JobsView {
    let now = chrono::Utc::now();
    crate::views::msp::JobsView {
        jobs: states
            .into_iter()
            .map(|s| crate::views::msp::JobLineView {
                label: s.job.label().into(),
                state: match (&s.holder, s.lease_until) {
                    (Some(h), Some(until)) if until > now => format!("Running on {h}"),
                    _ => "Waiting".into(),
                },
                last_run: s.last.as_ref().map_or_else(|| "Never".into(), |r| at(r.started_at)),
                last_outcome: s.last.as_ref().map(|r| r.outcome),
                last_error: s.last.as_ref().and_then(|r| r.error.clone()),
                last_success: s.last_success.map_or_else(|| "Never".into(), at),
                failures: s.failures,
                next_run: match s.next_run_at {
                    Some(t) if t > now => at(t),
                    Some(_) => "Now".into(),
                    None => "When the server starts".into(),
                },
            })
            .collect(),
        runs: runs.into_iter().map(job_run).collect(),
    }
}
