//! Thank-you summaries from the MSP's side: drafts for a client and a period (by hand, by the
//! monthly job, or by `limelight summaries draft`), edited by an account manager (subject, note,
//! which highlights, which recipients), previewed, and sent. Sending stores an immutable snapshot
//! and queues one email per recipient.

use super::tenant_by_slug;
use crate::audit;
use crate::auth::{CurrentUser, StaffAccess};
use crate::emails;
use crate::entities::{mail_queue, summary, tenant, user};
use crate::error::{DomainError, MissingIsInvalid, Result};
use crate::figures::Month;
use crate::mail::Email;
use crate::scope::{TenantScope, Unscoped};
use crate::summaries::{Highlight, SummaryContent};
use crate::time::now;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use vocabulary::{AuditAction, MailStatus, Role, SummaryStatus, TenantStatus};

/// Permission to draft, edit and send summaries: account managers and MSP admins.
#[derive(Clone, Debug)]
pub struct SummaryWriter {
    pub user: CurrentUser,
    db: DatabaseConnection,
}

impl StaffAccess {
    pub fn summary_writer(&self) -> Option<SummaryWriter> {
        self.user
            .role
            .manages_accounts()
            .then(|| SummaryWriter { user: self.user.clone(), db: self.unscoped().db().clone() })
    }
}

/// What a draft remembers until it is sent (in the `content` column; a sent summary's is the
/// snapshot instead).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct DraftChoices {
    /// Highlighted entries left out (new highlights are in by default).
    left_out: Vec<i64>,
    /// Users chosen to receive it (empty: the client's admins).
    recipients: Vec<i64>,
}

/// A row of `/msp/summaries`.
#[derive(Clone, Debug)]
pub struct SummaryRow {
    pub id: i64,
    pub tenant_name: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub subject: String,
    pub status: SummaryStatus,
    pub sent_at: Option<DateTime<Utc>>,
    /// Emails of a sent summary: (sent, still waiting).
    pub delivery: (i64, i64),
}

/// A person who may receive a summary.
#[derive(Clone, Debug)]
pub struct Recipient {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub chosen: bool,
}

/// One email of a sent summary, and where it stands.
#[derive(Clone, Debug)]
pub struct Delivery {
    pub to: String,
    pub status: MailStatus,
    pub attempts: i32,
    pub last_error: Option<String>,
}

#[derive(Clone, Debug)]
pub struct SummaryDetail {
    pub id: i64,
    pub tenant_slug: String,
    pub tenant_name: String,
    pub time_zone: chrono_tz::Tz,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub subject: String,
    pub personal_note: String,
    pub status: SummaryStatus,
    pub sent_at: Option<DateTime<Utc>>,
    /// A draft's live figures (with its chosen highlights), or a sent one's snapshot.
    pub content: SummaryContent,
    /// A draft's highlight choices: every candidate, and whether it is in.
    pub candidates: Vec<(Highlight, bool)>,
    pub recipients: Vec<Recipient>,
    pub deliveries: Vec<Delivery>,
}

fn topic(id: i64) -> String {
    format!("summary:{id}")
}

/// The last calendar month before today in this time zone.
pub fn last_month(tz: chrono_tz::Tz, at: DateTime<Utc>) -> Month {
    Month::containing(at.with_timezone(&tz).date_naive()).previous()
}

/// "2026-10" → that month.
pub fn parse_month(text: &str) -> Result<Month> {
    NaiveDate::parse_from_str(&format!("{}-01", text.trim()), "%Y-%m-%d")
        .map(Month::containing)
        .map_err(|_| DomainError::Invalid("Please give the month as YYYY-MM.".into()))
}

fn month_end(m: Month) -> NaiveDate {
    m.next().first_day - Duration::days(1)
}

/// Inserts a draft unless the client already has a summary for the period; answers its id either
/// way. Safe to run concurrently: the unique (tenant, period) index decides.
async fn ensure_draft(db: &DatabaseConnection, t: &tenant::Model, month: Month, author: Option<i64>) -> Result<i64> {
    let (start, end) = (month.first_day, month_end(month));
    let existing = || {
        summary::Entity::find()
            .filter(summary::Column::TenantId.eq(t.id))
            .filter(summary::Column::PeriodStart.eq(start))
            .filter(summary::Column::PeriodEnd.eq(end))
    };
    if let Some(s) = existing().one(db).await? {
        return Ok(s.id);
    }
    let inserted = summary::ActiveModel {
        tenant_id: Set(t.id),
        period_start: Set(start),
        period_end: Set(end),
        author_id: Set(author),
        subject: Set(format!("Thank you, {}: your IT in {}", t.name, start.format("%B %Y"))),
        personal_note: Set(String::new()),
        content: Set(serde_json::to_string(&DraftChoices::default()).expect("serialisable")),
        status: Set(SummaryStatus::Draft),
        sent_at: Set(None),
        recipients: Set("[]".into()),
        created_at: Set(now()),
        updated_at: Set(now()),
        ..Default::default()
    }
    .insert(db)
    .await;
    match inserted {
        Ok(s) => Ok(s.id),
        // Another process drafted it a moment ago.
        Err(e) => existing().one(db).await?.map(|s| s.id).ok_or_else(|| e.into()),
    }
}

impl Unscoped {
    /// A draft of `month` (default: last month in each client's time zone) for every active
    /// client that has no summary for it yet: the monthly job and `limelight summaries draft`.
    /// Answers how many drafts exist for the period afterwards (new or not).
    pub(crate) async fn draft_month_for_all(&self, month: Option<Month>) -> Result<usize> {
        let tenants =
            tenant::Entity::find().filter(tenant::Column::Status.eq(TenantStatus::Active)).all(self.db()).await?;
        for t in &tenants {
            let m = month.unwrap_or_else(|| last_month(t.time_zone.parse().unwrap_or(chrono_tz::UTC), now()));
            ensure_draft(self.db(), t, m, None).await?;
        }
        Ok(tenants.len())
    }

    /// Every summary, newest period first, with its emails' delivery.
    pub async fn summary_rows(&self) -> Result<Vec<SummaryRow>> {
        let rows = summary::Entity::find()
            .order_by_desc(summary::Column::PeriodStart)
            .order_by_asc(summary::Column::TenantId)
            .limit(500)
            .all(self.db())
            .await?;
        let names: std::collections::HashMap<i64, String> = tenant::Entity::find()
            .filter(tenant::Column::Id.is_in(rows.iter().map(|r| r.tenant_id)))
            .all(self.db())
            .await?
            .into_iter()
            .map(|t| (t.id, t.name))
            .collect();
        let topics: Vec<String> = rows.iter().map(|r| topic(r.id)).collect();
        let mail: Vec<(Option<String>, MailStatus)> = mail_queue::Entity::find()
            .select_only()
            .column(mail_queue::Column::Topic)
            .column(mail_queue::Column::Status)
            .filter(mail_queue::Column::Topic.is_in(topics))
            .into_tuple()
            .all(self.db())
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let t = topic(r.id);
                let mine = mail.iter().filter(|(tp, _)| tp.as_deref() == Some(t.as_str()));
                let sent = mine.clone().filter(|(_, s)| *s == MailStatus::Sent).count() as i64;
                let waiting = mine.filter(|(_, s)| *s != MailStatus::Sent).count() as i64;
                SummaryRow {
                    id: r.id,
                    tenant_name: names.get(&r.tenant_id).cloned().unwrap_or_default(),
                    period_start: r.period_start,
                    period_end: r.period_end,
                    subject: r.subject,
                    status: r.status,
                    sent_at: r.sent_at,
                    delivery: (sent, waiting),
                }
            })
            .collect())
    }

    pub async fn summary_detail(&self, id: i64) -> Result<SummaryDetail> {
        let s = summary::Entity::find_by_id(id).one(self.db()).await?.ok_or(DomainError::NotFound)?;
        let t = tenant::Entity::find_by_id(s.tenant_id).one(self.db()).await?.ok_or(DomainError::NotFound)?;
        let scope = TenantScope::new(self.db().clone(), t.id, None);
        let status: SummaryStatus = s.status;
        let users = user::Entity::find()
            .filter(user::Column::TenantId.eq(t.id))
            .filter(user::Column::Active.eq(true))
            .order_by_asc(user::Column::DisplayName)
            .all(self.db())
            .await?;
        let (content, candidates, chosen_ids): (SummaryContent, Vec<(Highlight, bool)>, Vec<i64>) = match status {
            SummaryStatus::Draft => {
                let choices: DraftChoices = serde_json::from_str(&s.content).unwrap_or_default();
                let candidates = scope.highlight_candidates(s.period_start, s.period_end).await?;
                let chosen: Vec<i64> =
                    candidates.iter().map(|h| h.id).filter(|id| !choices.left_out.contains(id)).collect();
                let content = scope.summary_content_with(s.period_start, s.period_end, Some(&chosen)).await?;
                let candidates = candidates.into_iter().map(|h| (h.clone(), chosen.contains(&h.id))).collect();
                let recipients = if choices.recipients.is_empty() {
                    users.iter().filter(|u| u.role == Role::ClientAdmin).map(|u| u.id).collect()
                } else {
                    choices.recipients
                };
                (content, candidates, recipients)
            }
            SummaryStatus::Sent => {
                let sent_to: Vec<String> = serde_json::from_str(&s.recipients).unwrap_or_default();
                let ids = users.iter().filter(|u| sent_to.contains(&u.email)).map(|u| u.id).collect();
                (serde_json::from_str(&s.content).unwrap_or_default(), Vec::new(), ids)
            }
        };
        let deliveries = mail_queue::Entity::find()
            .filter(mail_queue::Column::Topic.eq(topic(id)))
            .order_by_asc(mail_queue::Column::Id)
            .all(self.db())
            .await?
            .into_iter()
            .map(|m| Delivery { to: m.to_address, status: m.status, attempts: m.attempts, last_error: m.last_error })
            .collect();
        Ok(SummaryDetail {
            id,
            time_zone: t.time_zone.parse().unwrap_or(chrono_tz::UTC),
            tenant_slug: t.slug,
            tenant_name: t.name,
            period_start: s.period_start,
            period_end: s.period_end,
            subject: s.subject,
            personal_note: s.personal_note,
            status,
            sent_at: s.sent_at,
            content,
            candidates,
            recipients: users
                .into_iter()
                .map(|u| Recipient {
                    chosen: chosen_ids.contains(&u.id),
                    id: u.id,
                    role: u.role,
                    name: u.display_name,
                    email: u.email,
                })
                .collect(),
            deliveries,
        })
    }
}

async fn draft_row(db: &impl ConnectionTrait, id: i64) -> Result<summary::Model> {
    let s = summary::Entity::find_by_id(id).one(db).await?.ok_or(DomainError::NotFound)?;
    if s.status != SummaryStatus::Draft {
        return Err(DomainError::Invalid("This summary has been sent: it can no longer change.".into()));
    }
    Ok(s)
}

impl SummaryWriter {
    /// A draft for a client and a month (default: last month in its time zone). An existing
    /// summary of that period is answered instead of a second one.
    pub async fn draft(&self, client: &str, month: Option<&str>) -> Result<i64> {
        let t = tenant_by_slug(&self.db, client).await.missing_is_invalid("Please choose the client.")?;
        let month = match month.map(str::trim).filter(|m| !m.is_empty()) {
            Some(m) => parse_month(m)?,
            None => last_month(t.time_zone.parse().unwrap_or(chrono_tz::UTC), now()),
        };
        ensure_draft(&self.db, &t, month, Some(self.user.id)).await
    }

    /// Saves a draft's subject, note, highlights (the ones kept) and recipients.
    pub async fn save(
        &self,
        id: i64,
        subject: &str,
        note: &str,
        keep_highlights: &[i64],
        recipients: &[i64],
    ) -> Result<()> {
        let subject = super::required_text(subject, "subject", 200)?;
        if subject.chars().any(char::is_control) {
            return Err(DomainError::Invalid("Please keep the subject on one line.".into()));
        }
        let note = super::optional_text(note, "note", 5_000)?.unwrap_or_default();
        let mut recipients = recipients.to_vec();
        recipients.sort_unstable();
        recipients.dedup();
        let tx = crate::db::write(&self.db).await?;
        let s = draft_row(&tx, id).await?;
        let scope = TenantScope::new(self.db.clone(), s.tenant_id, None);
        let candidates = scope.highlight_candidates(s.period_start, s.period_end).await?;
        let valid_recipients = user::Entity::find()
            .filter(user::Column::TenantId.eq(s.tenant_id))
            .filter(user::Column::Active.eq(true))
            .filter(user::Column::Id.is_in(recipients.clone()))
            .count(&tx)
            .await?;
        if valid_recipients != recipients.len() as u64 {
            return Err(DomainError::Invalid("Please choose recipients among the client's users.".into()));
        }
        let choices = DraftChoices {
            left_out: candidates.iter().map(|h| h.id).filter(|id| !keep_highlights.contains(id)).collect(),
            recipients,
        };
        let mut changed = crate::audit::Changes::default();
        changed.field("subject", &s.subject, &subject).field("note", &s.personal_note, &note);
        let (tenant_id, target) = (s.tenant_id, format!("summary {}: {subject}", s.id));
        let mut row = s.into_active_model();
        row.subject = Set(subject);
        row.personal_note = Set(note);
        row.content = Set(serde_json::to_string(&choices).expect("serialisable"));
        row.author_id = Set(Some(self.user.id));
        row.updated_at = Set(now());
        row.update(&tx).await?;
        audit::by(&tx, &self.user, Some(tenant_id), AuditAction::SummaryEdited, &target, changed.summary()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sends a draft: stores its snapshot and recipients, then queues one email per recipient.
    /// Answers the queued emails' ids.
    pub async fn send(&self, id: i64, base_url: &str, mail: &crate::mail::MailQueue) -> Result<Vec<i64>> {
        let detail = Unscoped::new(self.db.clone()).summary_detail(id).await?;
        if detail.status != SummaryStatus::Draft {
            return Err(DomainError::Invalid("This summary has been sent already.".into()));
        }
        let to: Vec<String> = detail.recipients.iter().filter(|r| r.chosen).map(|r| r.email.clone()).collect();
        if to.is_empty() {
            return Err(DomainError::Invalid("Please choose at least one recipient.".into()));
        }
        let tx = crate::db::write(&self.db).await?;
        let s = draft_row(&tx, id).await?;
        let tenant_id = s.tenant_id;
        let mut row = s.into_active_model();
        row.content = Set(serde_json::to_string(&detail.content).expect("serialisable"));
        row.status = Set(SummaryStatus::Sent);
        row.sent_at = Set(Some(now()));
        row.recipients = Set(serde_json::to_string(&to).expect("serialisable"));
        row.author_id = Set(Some(self.user.id));
        row.updated_at = Set(now());
        row.update(&tx).await?;
        audit::by(&tx, &self.user, Some(tenant_id), AuditAction::SummarySent, &detail.subject, None).await?;
        tx.commit().await?;
        let link = format!("{}/portal/summaries/{id}", base_url.trim_end_matches('/'));
        let (text, html) =
            emails::summary(&detail.tenant_name, &detail.subject, &detail.personal_note, &detail.content, &link);
        let mut queued = Vec::new();
        for address in to {
            let email = Email { to: address, subject: detail.subject.clone(), text: text.clone(), html: html.clone() };
            match mail.send_at_once(email, Some(&topic(id))).await {
                Ok(mail_id) => queued.push(mail_id),
                Err(e) => tracing::error!(error = %e, summary = id, "could not queue a summary email"),
            }
        }
        Ok(queued)
    }
}
