//! The client portal's thank-you summaries: sent ones only.

use crate::error::AppError;
use crate::views::{SummaryListItem, SummaryView};
use leptos::prelude::*;

#[server(endpoint = "portal/summaries")]
pub async fn portal_summaries() -> Result<Vec<SummaryListItem>, AppError> {
    use super::guard;
    let client = guard::client()?;
    let tz = client.scope.tenant().await.map_err(guard::domain)?.time_zone;
    let list = client.scope.sent_summaries().await.map_err(guard::domain)?;
    Ok(list.iter().map(|s| ssr::item(s, tz)).collect())
}

/// One sent summary; a draft, or another tenant's, is 404.
#[server(endpoint = "portal/summary")]
pub async fn portal_summary(id: i64) -> Result<SummaryView, AppError> {
    use super::guard;
    use crate::views::FigureView;
    let client = guard::client()?;
    let tz = client.scope.tenant().await.map_err(guard::domain)?.time_zone;
    let s = client.scope.sent_summary(id).await.map_err(guard::domain)?;
    let c = &s.content;
    let hours = |m: i64| format!("{:.1}", m as f64 / 60.0);
    let proactive = if c.entries == 0 { 0 } else { c.proactive_entries * 100 / c.entries };
    Ok(SummaryView {
        item: ssr::item(&s, tz),
        personal_note: s.personal_note.clone(),
        figures: vec![
            FigureView { label: "Pieces of work".into(), value: c.entries.to_string(), context: String::new() },
            FigureView { label: "Hours of work".into(), value: hours(c.minutes), context: String::new() },
            FigureView {
                label: "While you slept".into(),
                value: format!("{} h", hours(c.after_hours_minutes)),
                context: "outside your business hours".into(),
            },
            FigureView {
                label: "Proactive".into(),
                value: format!("{proactive}%"),
                context: "done before anything went wrong".into(),
            },
            FigureView {
                label: "Tickets".into(),
                value: format!("{} opened", c.tickets_opened),
                context: format!("{} resolved", c.tickets_resolved),
            },
        ],
        by_category: c.by_category.iter().filter_map(|(w, n)| w.parse().ok().map(|cat| (cat, *n))).collect(),
        highlights: c
            .highlights
            .iter()
            .map(|h| (h.day.format("%a %-d %b").to_string(), h.title.clone(), h.why_it_matters.clone()))
            .collect(),
    })
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use crate::views::SummaryListItem;
    use domain::summaries::SentSummary;

    pub fn item(s: &SentSummary, tz: chrono_tz::Tz) -> SummaryListItem {
        SummaryListItem {
            id: s.id,
            subject: s.subject.clone(),
            period: format!("{} – {}", s.period_start.format("%-d %b"), s.period_end.format("%-d %b %Y")),
            sent: s.sent_at.map(|t| t.with_timezone(&tz).format("%-d %b %Y").to_string()).unwrap_or_default(),
        }
    }
}
