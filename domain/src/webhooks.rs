//! Outbound webhooks: an MSP admin registers a URL for an event (a ticket created, a ticket's
//! status changed, work published to a client). Each event is stored as one delivery per webhook
//! in the same transaction as the change itself, then sent by a worker through the same kind of
//! queue as email: claimed by one conditional UPDATE (so several processes send it once), retried
//! with backoff (1, 2, 4 … minutes, at most 6 hours), never dropped; the delivery log keeps the
//! last answer.
//!
//! Signing (JSON format): `X-Limelight-Signature: t=<unix seconds>,v1=<hex>` where the hex is
//! HMAC-SHA256 with the webhook's secret over `<unix seconds>.<body>`. A receiver recomputes it,
//! compares in constant time, and refuses a timestamp older than a few minutes.

use crate::audit;
use crate::entities::{webhook, webhook_delivery};
use crate::error::{DomainError, Result};
use crate::mail::backoff;
use crate::time::now;
use chrono::Duration;
use hmac::{Hmac, Mac};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use sha2::Sha256;
use vocabulary::{AuditAction, DeliveryStatus, WebhookEvent, WebhookFormat};

/// How long a process may hold a delivery it is sending before another may take it over.
const CLAIM_SECONDS: i64 = 60;
/// How long a receiver has to answer.
const TIMEOUT_SECONDS: u64 = 10;

/// The signature header's value for a body sent at `t` (unix seconds).
pub fn signature(secret: &str, t: i64, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key");
    mac.update(format!("{t}.{body}").as_bytes());
    format!("t={t},v1={}", hex::encode(mac.finalize().into_bytes()))
}

/// Something to tell the webhooks of one event: the JSON data and one line for chat.
pub struct Notice {
    pub event: WebhookEvent,
    pub data: serde_json::Value,
    pub text: String,
}

/// Stores a delivery for every webhook of the notice's event, in the caller's transaction: the
/// notice is sent if and only if the change is committed.
pub(crate) async fn emit(tx: &impl ConnectionTrait, notice: Notice) -> Result<()> {
    let hooks = webhook::Entity::find().filter(webhook::Column::Event.eq(notice.event)).all(tx).await?;
    let t = now();
    for h in hooks {
        let body = match h.format {
            WebhookFormat::Json => serde_json::json!({
                "event": notice.event,
                "occurred_at": t.to_rfc3339(),
                "data": notice.data,
            }),
            WebhookFormat::Chat => serde_json::json!({ "text": notice.text }),
        };
        webhook_delivery::ActiveModel {
            webhook_id: Set(h.id),
            event: Set(notice.event),
            body: Set(body.to_string()),
            status: Set(DeliveryStatus::Queued),
            attempts: Set(0),
            next_attempt_at: Set(t),
            claimed_until: Set(None),
            last_status: Set(None),
            last_error: Set(None),
            delivered_at: Set(None),
            created_at: Set(t),
            ..Default::default()
        }
        .insert(tx)
        .await?;
    }
    Ok(())
}

/// A webhook as the admin page lists it, with its latest deliveries.
#[derive(Clone, Debug)]
pub struct WebhookRow {
    pub id: i64,
    pub url: String,
    pub event: WebhookEvent,
    pub format: WebhookFormat,
    pub deliveries: Vec<webhook_delivery::Model>,
}

fn due_at(t: chrono::DateTime<chrono::Utc>) -> Condition {
    Condition::any()
        .add(
            Condition::all()
                .add(webhook_delivery::Column::Status.eq(DeliveryStatus::Queued))
                .add(webhook_delivery::Column::NextAttemptAt.lte(t)),
        )
        .add(
            Condition::all()
                .add(webhook_delivery::Column::Status.eq(DeliveryStatus::Sending))
                .add(webhook_delivery::Column::ClaimedUntil.lt(t)),
        )
}

/// The worker that sends what is due.
#[derive(Clone, Debug)]
pub struct WebhookQueue {
    db: DatabaseConnection,
    http: reqwest::Client,
}

impl WebhookQueue {
    pub fn new(db: DatabaseConnection) -> Self {
        let http = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(TIMEOUT_SECONDS))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent("Limelight-Webhooks/1")
            .build()
            .expect("an HTTP client");
        WebhookQueue { db, http }
    }

    /// Sends every delivery that is due; answers how many were delivered.
    pub async fn deliver_due(&self) -> Result<usize> {
        let due: Vec<i64> = webhook_delivery::Entity::find()
            .select_only()
            .column(webhook_delivery::Column::Id)
            .filter(due_at(now()))
            .order_by_asc(webhook_delivery::Column::NextAttemptAt)
            .limit(100)
            .into_tuple()
            .all(&self.db)
            .await?;
        let mut delivered = 0;
        for id in due {
            if self.attempt(id).await? {
                delivered += 1;
            }
        }
        Ok(delivered)
    }

    async fn attempt(&self, id: i64) -> Result<bool> {
        let t = now();
        let claimed = webhook_delivery::Entity::update_many()
            .col_expr(webhook_delivery::Column::Status, Expr::value(DeliveryStatus::Sending))
            .col_expr(webhook_delivery::Column::ClaimedUntil, Expr::value(t + Duration::seconds(CLAIM_SECONDS)))
            .col_expr(webhook_delivery::Column::Attempts, Expr::col(webhook_delivery::Column::Attempts).add(1))
            .filter(webhook_delivery::Column::Id.eq(id))
            .filter(due_at(t))
            .exec(&self.db)
            .await?;
        if claimed.rows_affected != 1 {
            return Ok(false);
        }
        let Some(d) = webhook_delivery::Entity::find_by_id(id).one(&self.db).await? else { return Ok(false) };
        let Some(hook) = webhook::Entity::find_by_id(d.webhook_id).one(&self.db).await? else { return Ok(false) };
        let stamp = now().timestamp();
        let mut req = self
            .http
            .post(&hook.url)
            .header("content-type", "application/json")
            .header("x-limelight-event", d.event.as_str())
            .header("x-limelight-delivery", d.id.to_string())
            .body(d.body.clone());
        if hook.format == WebhookFormat::Json {
            req = req.header("x-limelight-signature", signature(&hook.secret, stamp, &d.body));
        }
        let outcome = match req.send().await {
            Ok(res) if res.status().is_success() => Ok(res.status().as_u16()),
            Ok(res) => Err((Some(res.status().as_u16()), format!("the receiver answered {}", res.status()))),
            Err(e) => Err((None, crate::error::cause_chain(&e))),
        };
        let attempts = d.attempts;
        let mut row: webhook_delivery::ActiveModel = d.into();
        row.claimed_until = Set(None);
        let delivered = match outcome {
            Ok(code) => {
                row.status = Set(DeliveryStatus::Delivered);
                row.delivered_at = Set(Some(now()));
                row.last_status = Set(Some(code as i16));
                row.last_error = Set(None);
                true
            }
            Err((code, why)) => {
                tracing::warn!(delivery = id, attempts, error = %why, "a webhook delivery failed; it will be retried");
                row.status = Set(DeliveryStatus::Queued);
                row.next_attempt_at = Set(now() + backoff(attempts));
                row.last_status = Set(code.map(|c| c as i16));
                row.last_error = Set(Some(why.chars().take(1000).collect()));
                false
            }
        };
        row.update(&self.db).await?;
        Ok(delivered)
    }
}

/// A URL a webhook may post to: http or https, with a host.
fn check_url(url: &str) -> Result<String> {
    let url = url.trim();
    let ok = (url.starts_with("https://") || url.starts_with("http://"))
        && url.len() <= 2000
        && reqwest::Url::parse(url).ok().is_some_and(|u| u.host_str().is_some_and(|h| !h.is_empty()));
    if ok {
        Ok(url.to_string())
    } else {
        Err(DomainError::Invalid("Please give the receiver's address as an http(s) URL.".into()))
    }
}

impl crate::staff::admin::Admin {
    pub async fn webhooks(&self) -> Result<Vec<WebhookRow>> {
        let hooks = webhook::Entity::find().order_by_asc(webhook::Column::Id).all(self.db()).await?;
        let mut rows = Vec::new();
        for h in hooks {
            let deliveries = webhook_delivery::Entity::find()
                .filter(webhook_delivery::Column::WebhookId.eq(h.id))
                .order_by_desc(webhook_delivery::Column::Id)
                .limit(10)
                .all(self.db())
                .await?;
            rows.push(WebhookRow { id: h.id, url: h.url, event: h.event, format: h.format, deliveries });
        }
        Ok(rows)
    }

    /// Registers a webhook; answers its signing secret, shown this once.
    pub async fn add_webhook(&self, url: &str, event: &str, format: &str) -> Result<String> {
        let url = check_url(url)?;
        let event: WebhookEvent =
            event.parse().map_err(|e: vocabulary::UnknownWord| DomainError::Invalid(e.to_string()))?;
        let format: WebhookFormat =
            format.parse().map_err(|e: vocabulary::UnknownWord| DomainError::Invalid(e.to_string()))?;
        let secret = format!("whsec_{}", crate::auth::session::new_token());
        let tx = crate::db::write(self.db()).await?;
        webhook::ActiveModel {
            url: Set(url.clone()),
            event: Set(event),
            format: Set(format),
            secret: Set(secret.clone()),
            created_by: Set(Some(self.user.id)),
            created_at: Set(now()),
            ..Default::default()
        }
        .insert(&tx)
        .await?;
        audit::by(&tx, &self.user, None, AuditAction::WebhookAdded, &format!("{event}: {url}"), None).await?;
        tx.commit().await?;
        Ok(secret)
    }

    /// Removes a webhook and its delivery log (what is still queued is not sent).
    pub async fn remove_webhook(&self, id: i64) -> Result<()> {
        let tx = crate::db::write(self.db()).await?;
        let h = webhook::Entity::find_by_id(id).one(&tx).await?.ok_or(DomainError::NotFound)?;
        webhook::Entity::delete_by_id(id).exec(&tx).await?;
        audit::by(&tx, &self.user, None, AuditAction::WebhookRemoved, &format!("{}: {}", h.event, h.url), None).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// The hourly look ahead: every coverage gap within the horizon (days on which nobody of a
/// client's team is in) is announced once to the `coverage_gap_ahead` webhooks, a stretch of
/// consecutive days as one notice. Several processes may run it: the announcement's key is a
/// primary key, so only one of them announces.
#[derive(Clone, Debug)]
pub struct GapWatch {
    db: DatabaseConnection,
}

impl GapWatch {
    pub fn new(db: DatabaseConnection) -> Self {
        GapWatch { db }
    }

    /// Announces the gaps not announced yet; answers how many.
    pub async fn run(&self) -> Result<usize> {
        let listening = webhook::Entity::find()
            .filter(webhook::Column::Event.eq(WebhookEvent::CoverageGapAhead))
            .one(&self.db)
            .await?
            .is_some();
        if !listening {
            return Ok(0);
        }
        let mut announced = 0;
        for line in crate::staff::coverage::team_lines(&self.db, None).await? {
            let mut stretches: Vec<(chrono::NaiveDate, chrono::NaiveDate)> = Vec::new();
            for d in &line.team.gap_days {
                match stretches.last_mut() {
                    Some(s) if s.1 + Duration::days(1) == *d => s.1 = *d,
                    _ => stretches.push((*d, *d)),
                }
            }
            for (first, last) in stretches {
                let key = format!("gap:{}:{first}", line.tenant_id);
                let tx = crate::db::write(&self.db).await?;
                let fresh =
                    crate::entities::webhook_announced::Entity::find_by_id(key.clone()).one(&tx).await?.is_none();
                if fresh {
                    crate::entities::webhook_announced::ActiveModel { announcement: Set(key), created_at: Set(now()) }
                        .insert(&tx)
                        .await?;
                    let days = if first == last {
                        first.format("%a %-d %b").to_string()
                    } else {
                        format!("{} to {}", first.format("%a %-d %b"), last.format("%a %-d %b"))
                    };
                    emit(
                        &tx,
                        Notice {
                            event: WebhookEvent::CoverageGapAhead,
                            text: format!("Coverage gap ahead for {}: nobody of its team is in on {days}.", line.name),
                            data: serde_json::json!({
                                "client": line.slug, "first_day": first, "last_day": last,
                                "primary": line.team.primary.as_ref().map(|p| p.name.clone()),
                            }),
                        },
                    )
                    .await?;
                    announced += 1;
                }
                tx.commit().await?;
            }
        }
        Ok(announced)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_hmac_sha256_over_the_timestamp_and_body() {
        // Against an independently computed value (Python's hmac module:
        // hmac.new(b"whsec_x", b"1700000000.{}", "sha256").hexdigest()).
        assert_eq!(
            signature("whsec_x", 1_700_000_000, "{}"),
            "t=1700000000,v1=be8cb8325f2202445260a855532f967e30ad2a9394ce28da66ee02880ddcb661"
        );
    }
}
