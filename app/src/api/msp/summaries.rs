//! Thank-you summaries from the MSP's side: list, draft, edit, preview and send. Account managers
//! and MSP admins write them; techs read.

use crate::error::AppError;
use crate::views::msp::{SummaryEditView, SummaryListView};
use leptos::prelude::*;

#[server(endpoint = "msp/summaries")]
pub async fn msp_summaries() -> Result<SummaryListView, AppError> {
    use super::super::guard;
    let staff = guard::staff().await?;
    let db = staff.unscoped();
    let rows = db.summary_rows().await?;
    Ok(SummaryListView {
        rows: rows.into_iter().map(crate::presenters::msp::summaries::summary_row).collect(),
        clients: crate::presenters::msp::client_options(&staff).await?,
        can_write: staff.summary_writer().is_some(),
    })
}

#[server(endpoint = "msp/summary")]
pub async fn msp_summary(id: i64) -> Result<SummaryEditView, AppError> {
    use super::super::guard;
    use domain::summaries::SentSummary;
    let staff = guard::staff().await?;
    let d = staff.unscoped().summary_detail(id).await?;
    let as_sent = SentSummary {
        id: d.id,
        subject: d.subject.clone(),
        period_start: d.period_start,
        period_end: d.period_end,
        sent_at: d.sent_at,
        personal_note: d.personal_note.clone(),
        content: d.content.clone(),
    };
    let link = format!("{}/portal/summaries/{id}", crate::services::services()?.notifier.public_url());
    let (email_text, email_html) =
        domain::emails::summary(&d.tenant_name, &d.subject, &d.personal_note, &d.content, &link);
    Ok(SummaryEditView {
        id: d.id,
        tenant_name: d.tenant_name.clone(),
        draft: d.status == vocabulary::SummaryStatus::Draft,
        subject: d.subject.clone(),
        personal_note: d.personal_note.clone(),
        highlights: d
            .candidates
            .iter()
            .map(|(h, chosen)| (h.id, format!("{}: {}", h.day.format("%a %-d %b"), h.title), *chosen))
            .collect(),
        recipients: d
            .recipients
            .iter()
            .map(|r| (r.id, format!("{} <{}> ({})", r.name, r.email, r.role.label()), r.chosen))
            .collect(),
        deliveries: d
            .deliveries
            .iter()
            .map(|m| (m.to.clone(), m.status, m.attempts, m.last_error.clone().unwrap_or_default()))
            .collect(),
        preview: crate::presenters::summaries::summary_view(&as_sent, d.time_zone),
        email_text,
        email_html,
        can_write: staff.summary_writer().is_some(),
    })
}

/// Drafts a summary for a client and a month (default: last month); an existing one of that
/// period is opened instead.
#[server(endpoint = "msp/summary-new")]
pub async fn msp_summary_new(
    #[server(default)] client: String,
    #[server(default)] month: String,
) -> Result<i64, AppError> {
    use super::super::guard;
    let writer = guard::summary_writer().await?;
    let id = writer.draft(&client, Some(&month)).await?;
    leptos_axum::redirect(&format!("/msp/summaries/{id}"));
    Ok(id)
}

#[server(endpoint = "msp/summary-save")]
pub async fn msp_summary_save(
    id: i64,
    #[server(default)] subject: String,
    #[server(default)] personal_note: String,
    #[server(default)] highlights: Vec<i64>,
    #[server(default)] recipients: Vec<i64>,
) -> Result<(), AppError> {
    use super::super::guard;
    let writer = guard::summary_writer().await?;
    writer.save(id, &subject, &personal_note, &highlights, &recipients).await?;
    leptos_axum::redirect(&format!("/msp/summaries/{id}?saved"));
    Ok(())
}

/// Sends a draft to its recipients: the snapshot is stored, one email per recipient is queued.
#[server(endpoint = "msp/summary-send")]
pub async fn msp_summary_send(id: i64) -> Result<(), AppError> {
    use super::super::guard;
    let writer = guard::summary_writer().await?;
    crate::services::services()?.notifier.send_summary(&writer, id).await?;
    leptos_axum::redirect(&format!("/msp/summaries/{id}"));
    Ok(())
}
