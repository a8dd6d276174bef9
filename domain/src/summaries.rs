//! Thank-you summaries as a client reads them: sent ones only, each a snapshot taken when it was
//! sent, so later edits of the work log never change it.

use crate::entities::{summary, work_entry};
use crate::error::{DomainError, Result};
use crate::history::local_midnight;
use crate::scope::TenantScope;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{ColumnTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use vocabulary::{SummaryStatus, WorkState};

/// A highlighted piece of work, as it stood when the summary was sent.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Highlight {
    pub title: String,
    pub why_it_matters: String,
    pub day: NaiveDate,
}

/// The figures and highlights of a period: what a sent summary keeps.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryContent {
    pub entries: i64,
    pub minutes: i64,
    pub after_hours_minutes: i64,
    pub proactive_entries: i64,
    /// (category word, entries), largest first.
    pub by_category: Vec<(String, i64)>,
    pub highlights: Vec<Highlight>,
    pub tickets_opened: u64,
    pub tickets_resolved: u64,
}

#[derive(Clone, Debug)]
pub struct SentSummary {
    pub id: i64,
    pub subject: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub sent_at: Option<DateTime<Utc>>,
    pub personal_note: String,
    pub content: SummaryContent,
}

impl TenantScope {
    /// Builds the content of a summary for the days `from..=to` (tenant time) from the work log.
    pub async fn summary_content(&self, from: NaiveDate, to: NaiveDate) -> Result<SummaryContent> {
        let tz = self.tenant().await?.time_zone;
        let (start, end) = (local_midnight(tz, from), local_midnight(tz, to + Duration::days(1)));
        let totals = self.work_totals(start, end).await?;
        let mut by_category: Vec<(String, i64)> =
            totals.by_category.iter().map(|(c, n)| (c.as_str().to_string(), *n)).collect();
        by_category.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let highlights = self
            .client_work()
            .filter(work_entry::Column::State.eq(WorkState::Done.as_str()))
            .filter(work_entry::Column::Highlight.eq(true))
            .filter(work_entry::Column::StartedAt.gte(start))
            .filter(work_entry::Column::StartedAt.lt(end))
            .order_by_asc(work_entry::Column::StartedAt)
            .limit(10)
            .all(self.db())
            .await?
            .into_iter()
            .map(|e| Highlight {
                day: e.started_at.with_timezone(&tz).date_naive(),
                title: e.title,
                why_it_matters: e.why_it_matters,
            })
            .collect();
        let (tickets_opened, tickets_resolved) = self.ticket_counts(start, end).await?;
        Ok(SummaryContent {
            entries: totals.entries,
            minutes: totals.minutes,
            after_hours_minutes: totals.after_hours_minutes,
            proactive_entries: totals.proactive_entries,
            by_category,
            highlights,
            tickets_opened,
            tickets_resolved,
        })
    }

    fn sent(&self) -> sea_orm::Select<summary::Entity> {
        self.select::<summary::Entity>().filter(summary::Column::Status.eq(SummaryStatus::Sent.as_str()))
    }

    /// The tenant's sent summaries, newest period first. Drafts never appear.
    pub async fn sent_summaries(&self) -> Result<Vec<SentSummary>> {
        let rows = self
            .sent()
            .order_by_desc(summary::Column::PeriodStart)
            .order_by_desc(summary::Column::Id)
            .limit(120)
            .all(self.db())
            .await?;
        Ok(rows.into_iter().map(sent_summary).collect())
    }

    /// One sent summary; a draft, or another tenant's, is `NotFound`.
    pub async fn sent_summary(&self, id: i64) -> Result<SentSummary> {
        self.sent()
            .filter(summary::Column::Id.eq(id))
            .one(self.db())
            .await?
            .map(sent_summary)
            .ok_or(DomainError::NotFound)
    }
}

fn sent_summary(s: summary::Model) -> SentSummary {
    SentSummary {
        id: s.id,
        // An unreadable snapshot shows as empty rather than failing the page.
        content: serde_json::from_str(&s.content).unwrap_or_default(),
        subject: s.subject,
        period_start: s.period_start,
        period_end: s.period_end,
        sent_at: s.sent_at,
        personal_note: s.personal_note,
    }
}
