use crate::views::SummaryListItem;
use domain::summaries::SentSummary;

/// A summary as its client reads it: the portal's page, and the staff's preview of a draft.
pub fn summary_view(s: &SentSummary, tz: chrono_tz::Tz) -> crate::views::SummaryView {
    use crate::views::FigureView;
    let c = &s.content;
    let hours = |m: i64| format!("{:.1}", m as f64 / 60.0);
    let proactive = if c.entries == 0 { 0 } else { c.proactive_entries * 100 / c.entries };
    let figure = |label: &str, value: String, context: String| FigureView { label: label.into(), value, context };
    let mut figures = vec![
        figure("Pieces of work", c.entries.to_string(), String::new()),
        figure(
            "Hours of work",
            hours(c.minutes),
            c.included_hours.map(|h| format!("of the {h} hours in your agreement")).unwrap_or_default(),
        ),
        figure("While you slept", format!("{} h", hours(c.after_hours_minutes)), "outside your business hours".into()),
        figure("Proactive", format!("{proactive}%"), "done before anything went wrong".into()),
        figure("Patches applied", c.patches.to_string(), format!("and {} upgrades", c.upgrades)),
        figure("Vendor cases", c.vendor_cases.to_string(), "handled with your suppliers for you".into()),
        figure("Tickets", format!("{} opened", c.tickets_opened), format!("{} resolved", c.tickets_resolved)),
    ];
    if let Some(p) = c.sla_met_percent {
        figures.push(figure("On time", format!("{p}%"), "of tickets resolved within our target".into()));
    }
    if let Some(m) = c.median_resolution_minutes {
        figures.push(figure("Typical fix", format!("{} h", hours(m)), "half of tickets were resolved faster".into()));
    }
    if c.tickets_rated > 0 {
        figures.push(figure(
            "Your ratings",
            format!("{} of {}", c.rated_good, c.tickets_rated),
            "tickets you rated were rated good".into(),
        ));
    }
    crate::views::SummaryView {
        item: item(s, tz),
        personal_note: s.personal_note.clone(),
        figures,
        by_category: c.by_category.iter().filter_map(|(w, n)| w.parse().ok().map(|cat| (cat, *n))).collect(),
        highlights: c
            .highlights
            .iter()
            .map(|h| (h.day.format("%a %-d %b").to_string(), h.title.clone(), h.why_it_matters.clone()))
            .collect(),
        looked_after_by: c.looked_after_by.clone(),
        backup_days: c.backup_days.iter().map(|(d, who)| format!("{}: {who}", d.format("%a %-d %b"))).collect(),
    }
}

pub fn item(s: &SentSummary, tz: chrono_tz::Tz) -> SummaryListItem {
    SummaryListItem {
        id: s.id,
        subject: s.subject.clone(),
        period: format!("{} – {}", s.period_start.format("%-d %b"), s.period_end.format("%-d %b %Y")),
        sent: s
            .sent_at
            .map(|t| t.with_timezone(&tz).format("%-d %b %Y").to_string())
            .unwrap_or_else(|| "not yet".into()),
    }
}
