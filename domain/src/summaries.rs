//! Thank-you summaries as a client reads them: sent ones only, each a snapshot taken when it was
//! sent, so later edits of the work log never change it.

use crate::entities::{summary, tenant, ticket, user, work_entry};
use crate::error::{DomainError, Result};
use crate::history::local_midnight;
use crate::scope::TenantScope;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use vocabulary::{SummaryStatus, WorkState};

/// A highlighted piece of work, as it stood when the summary was sent.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Highlight {
    /// The work entry (drafts choose highlights by it).
    #[serde(default)]
    pub id: i64,
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
    // Added after the first snapshots were taken: older ones read these as empty.
    #[serde(default)]
    pub patches: i64,
    #[serde(default)]
    pub upgrades: i64,
    /// Client-visible work with a vendor case reference.
    #[serde(default)]
    pub vendor_cases: i64,
    /// Of the tickets resolved in the period.
    #[serde(default)]
    pub median_resolution_minutes: Option<i64>,
    /// Of the tickets resolved in the period: resolved by their target.
    #[serde(default)]
    pub sla_met_percent: Option<i64>,
    /// The agreement's monthly hours, if any.
    #[serde(default)]
    pub included_hours: Option<i32>,
    /// Everyone who did client-visible work in the period, by name.
    #[serde(default)]
    pub looked_after_by: Vec<String>,
    /// Days the primary was away and a backup covered: (day, who).
    #[serde(default)]
    pub backup_days: Vec<(NaiveDate, String)>,
    /// Tickets the client rated in the period, and how many of them good.
    #[serde(default)]
    pub tickets_rated: i64,
    #[serde(default)]
    pub rated_good: i64,
}

/// The median of some durations (the mean of the middle two for an even count).
pub fn median(mut values: Vec<i64>) -> Option<i64> {
    values.sort_unstable();
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(values[n / 2]),
        _ => Some((values[n / 2 - 1] + values[n / 2]) / 2),
    }
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
    /// Builds the content of a summary for the days `from..=to` (tenant time) from the work log,
    /// with every highlighted entry.
    pub async fn summary_content(&self, from: NaiveDate, to: NaiveDate) -> Result<SummaryContent> {
        self.summary_content_with(from, to, None).await
    }

    /// The same, with only the chosen highlights (`None`: all of them).
    pub async fn summary_content_with(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        highlights: Option<&[i64]>,
    ) -> Result<SummaryContent> {
        let tz = self.tenant().await?.time_zone;
        let (start, end) = (local_midnight(tz, from), local_midnight(tz, to + Duration::days(1)));
        let totals = self.work_totals(start, end).await?;
        let mut by_category: Vec<(String, i64)> =
            totals.by_category.iter().map(|(c, n)| (c.as_str().to_string(), *n)).collect();
        by_category.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let highlights = self
            .highlight_candidates(from, to)
            .await?
            .into_iter()
            .filter(|h| highlights.is_none_or(|chosen| chosen.contains(&h.id)))
            .collect();
        let (tickets_opened, tickets_resolved) = self.ticket_counts(start, end).await?;
        let done_in_period = || {
            self.client_work()
                .filter(work_entry::Column::State.eq(WorkState::Done))
                .filter(work_entry::Column::StartedAt.gte(start))
                .filter(work_entry::Column::StartedAt.lt(end))
        };
        let vendor_cases =
            done_in_period().filter(work_entry::Column::VendorCaseRef.is_not_null()).count(self.db()).await?;
        let performers: Vec<i64> = done_in_period()
            .select_only()
            .column(work_entry::Column::PerformedBy)
            .distinct()
            .into_tuple()
            .all(self.db())
            .await?;
        let mut looked_after_by: Vec<String> = user::Entity::find()
            .filter(user::Column::Id.is_in(performers))
            .all(self.db())
            .await?
            .into_iter()
            .map(|u| u.display_name)
            .collect();
        looked_after_by.sort();
        // Tickets resolved in the period: their resolution times and targets (one period of one
        // client: a handful of rows).
        let resolved: Vec<(DateTime<Utc>, Option<DateTime<Utc>>, DateTime<Utc>)> = self
            .select::<ticket::Entity>()
            .filter(ticket::Column::ResolvedAt.gte(start))
            .filter(ticket::Column::ResolvedAt.lt(end))
            .select_only()
            .column(ticket::Column::CreatedAt)
            .column(ticket::Column::ResolvedAt)
            .column(ticket::Column::ResolutionDueAt)
            .into_tuple()
            .all(self.db())
            .await?;
        let resolved: Vec<(DateTime<Utc>, DateTime<Utc>, DateTime<Utc>)> =
            resolved.into_iter().filter_map(|(c, r, d)| Some((c, r?, d))).collect();
        let median_resolution_minutes = median(resolved.iter().map(|(c, r, _)| (*r - *c).num_minutes()).collect());
        let sla_met_percent = (!resolved.is_empty())
            .then(|| resolved.iter().filter(|(_, r, due)| r <= due).count() as i64 * 100 / resolved.len() as i64);
        let included_hours =
            tenant::Entity::find_by_id(self.tenant_id()).one(self.db()).await?.and_then(|t| t.included_hours);
        let backup_days = self.backup_days(from, to).await?;
        let ratings = self.ratings_between(start, end).await?;
        Ok(SummaryContent {
            tickets_rated: ratings.values().sum(),
            rated_good: ratings.get(&vocabulary::Rating::Good).copied().unwrap_or(0),
            patches: totals.by_category.get(&vocabulary::Category::Patch).copied().unwrap_or(0),
            upgrades: totals.by_category.get(&vocabulary::Category::Upgrade).copied().unwrap_or(0),
            vendor_cases: vendor_cases as i64,
            median_resolution_minutes,
            sla_met_percent,
            included_hours,
            looked_after_by,
            backup_days,
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

    /// Client-visible, done, highlighted work of the days `from..=to`: what a summary may feature.
    pub async fn highlight_candidates(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<Highlight>> {
        let tz = self.tenant().await?.time_zone;
        let (start, end) = (local_midnight(tz, from), local_midnight(tz, to + Duration::days(1)));
        Ok(self
            .client_work()
            .filter(work_entry::Column::State.eq(WorkState::Done))
            .filter(work_entry::Column::Highlight.eq(true))
            .filter(work_entry::Column::StartedAt.gte(start))
            .filter(work_entry::Column::StartedAt.lt(end))
            .order_by_asc(work_entry::Column::StartedAt)
            .limit(20)
            .all(self.db())
            .await?
            .into_iter()
            .map(|e| Highlight {
                id: e.id,
                day: e.started_at.with_timezone(&tz).date_naive(),
                title: e.title,
                why_it_matters: e.why_it_matters,
            })
            .collect())
    }

    fn sent(&self) -> sea_orm::Select<summary::Entity> {
        self.select::<summary::Entity>().filter(summary::Column::Status.eq(SummaryStatus::Sent))
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

#[cfg(test)]
mod tests {
    #[test]
    fn medians() {
        assert_eq!(super::median(vec![]), None);
        assert_eq!(super::median(vec![30]), Some(30));
        assert_eq!(super::median(vec![90, 10, 30]), Some(30));
        assert_eq!(super::median(vec![40, 10, 20, 30]), Some(25));
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
