use crate::views::msp::SummaryRowView;
use domain::staff::summaries::SummaryRow;

pub fn summary_row(r: SummaryRow) -> SummaryRowView {
    SummaryRowView {
        id: r.id,
        tenant_name: r.tenant_name,
        period: format!("{} – {}", r.period_start.format("%-d %b"), r.period_end.format("%-d %b %Y")),
        sent: match r.sent_at {
            Some(at) => format!(
                "Sent {} · {} delivered{}",
                at.format("%-d %b %Y"),
                r.delivery.0,
                if r.delivery.1 > 0 { format!(", {} waiting", r.delivery.1) } else { String::new() }
            ),
            None => String::new(),
        },
        subject: r.subject,
        status: r.status,
    }
}
