//! Email: real multipart messages (plain text and HTML), sent over SMTP when an SMTP URL is
//! configured, otherwise written as `.eml` files to an outbox folder under the data directory.
//!
//! Every message goes through the `mail_queue` table first: [`MailQueue::send`] stores it and
//! wakes the worker, which sends it; a failed attempt is retried with backoff by [`MailQueue::deliver_due`] (the
//! server runs it every few seconds). Several server processes can share one queue: a message is
//! claimed by one conditional UPDATE before it is sent, so it is sent once.

use crate::entities::mail_queue;
use crate::time::now;
use chrono::Duration;
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Set,
};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use vocabulary::MailStatus;

/// One email to send.
#[derive(Clone, Debug)]
pub struct Email {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("bad address {0:?}")]
    Address(String),
    #[error("could not build the message: {0}")]
    Build(String),
    #[error("could not write to the outbox: {0}")]
    Io(#[from] std::io::Error),
    #[error("SMTP: {0}")]
    Smtp(String),
    #[error("the mail queue: {0}")]
    Database(#[from] sea_orm::DbErr),
    /// A queued message sealed with another key (the installation's key changed).
    #[error("a queued message does not open: {0}")]
    Sealed(String),
}

#[derive(Clone)]
enum Transport {
    Outbox(PathBuf),
    Smtp(Arc<AsyncSmtpTransport<Tokio1Executor>>),
}

/// Where mail goes: an SMTP server, or the outbox folder.
#[derive(Clone)]
pub struct Mailer {
    from: Mailbox,
    transport: Transport,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let to = match &self.transport {
            Transport::Outbox(dir) => format!("outbox {}", dir.display()),
            Transport::Smtp(_) => "SMTP".into(),
        };
        f.debug_struct("Mailer").field("from", &self.from.to_string()).field("to", &to).finish()
    }
}

/// How to reach an SMTP server: `smtp://host:25` (plain), `smtp://host:587?tls=required`
/// (STARTTLS), `smtps://host:465` (implicit TLS); credentials in the URL or given apart.
#[derive(Clone, Debug)]
pub struct SmtpSettings {
    pub url: String,
    pub user: Option<String>,
    pub password: Option<String>,
}

impl Mailer {
    pub fn outbox(from: &str, dir: &Path) -> Result<Mailer, MailError> {
        Ok(Mailer { from: parse_from(from)?, transport: Transport::Outbox(dir.to_path_buf()) })
    }

    pub fn smtp(from: &str, settings: &SmtpSettings) -> Result<Mailer, MailError> {
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(&settings.url)
            .map_err(|e| MailError::Smtp(format!("the SMTP URL: {e}")))?
            .timeout(Some(std::time::Duration::from_secs(30)));
        if let (Some(user), Some(password)) = (&settings.user, &settings.password) {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        Ok(Mailer { from: parse_from(from)?, transport: Transport::Smtp(Arc::new(builder.build())) })
    }

    /// Builds and delivers one message now.
    pub async fn deliver(&self, email: &Email) -> Result<(), MailError> {
        let to: Mailbox = email.to.parse().map_err(|_| MailError::Address(email.to.clone()))?;
        let message = lettre::Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(email.subject.clone())
            .multipart(MultiPart::alternative_plain_html(email.text.clone(), email.html.clone()))
            .map_err(|e| MailError::Build(e.to_string()))?;
        match &self.transport {
            Transport::Smtp(smtp) => smtp.send(message).await.map(|_| ()).map_err(|e| MailError::Smtp(e.to_string())),
            Transport::Outbox(dir) => {
                tokio::fs::create_dir_all(dir).await?;
                // Microseconds first, so the names sort in the order the messages were written.
                let name = format!(
                    "{}-{}.eml",
                    chrono::Utc::now().format("%Y%m%dT%H%M%S%.6fZ"),
                    &crate::auth::session::new_token()[..12]
                );
                let path = dir.join(name);
                // Written under a temporary name, then renamed: a reader never sees half a message.
                let partial = path.with_extension("partial");
                tokio::fs::write(&partial, message.formatted()).await?;
                tokio::fs::rename(&partial, &path).await?;
                Ok(())
            }
        }
    }
}

fn parse_from(from: &str) -> Result<Mailbox, MailError> {
    from.parse().map_err(|_| MailError::Address(from.into()))
}

/// The wait before the next attempt: 1, 2, 4 … minutes, at most 6 hours. Messages are never
/// given up on: a message that cannot be sent stays queued, with its last error, until it can.
pub fn backoff(attempts: i32) -> Duration {
    Duration::minutes(1i64 << attempts.clamp(0, 9)).min(Duration::hours(6))
}

/// Messages that may be tried at `t`: queued ones whose wait is over, and ones claimed by a
/// process that has not finished them in time (it stopped, or lost the database).
fn due_at(t: chrono::DateTime<chrono::Utc>) -> Condition {
    Condition::any()
        .add(
            Condition::all()
                .add(mail_queue::Column::Status.eq(MailStatus::Queued))
                .add(mail_queue::Column::NextAttemptAt.lte(t)),
        )
        .add(
            Condition::all()
                .add(mail_queue::Column::Status.eq(MailStatus::Sending))
                .add(mail_queue::Column::ClaimedUntil.lt(t)),
        )
}

/// How long a process may hold a message it is sending before another may take it over.
const CLAIM_SECONDS: i64 = 120;

/// The mail queue and the mailer that empties it.
#[derive(Clone, Debug)]
pub struct MailQueue {
    db: DatabaseConnection,
    mailer: Mailer,
    /// Seals a message that carries an acting link while it waits to be sent.
    key: crate::secrets::SecretKey,
    /// Wakes this process's worker when a message is queued.
    wake: std::sync::Arc<tokio::sync::Notify>,
}

/// What waits to be sent: how many messages, and when the oldest of them was queued.
pub async fn backlog(db: &DatabaseConnection) -> Result<(u64, Option<chrono::DateTime<chrono::Utc>>), sea_orm::DbErr> {
    let waiting = || mail_queue::Entity::find().filter(mail_queue::Column::Status.ne(MailStatus::Sent));
    let count = sea_orm::PaginatorTrait::count(waiting(), db).await?;
    let oldest = waiting().order_by_asc(mail_queue::Column::CreatedAt).one(db).await?.map(|m| m.created_at);
    Ok((count, oldest))
}

impl MailQueue {
    pub fn new(db: DatabaseConnection, mailer: Mailer, key: crate::secrets::SecretKey) -> Self {
        MailQueue { db, mailer, key, wake: Default::default() }
    }

    /// What `send` notifies: the job runner runs the mail job at once when it is.
    pub fn wakeup(&self) -> std::sync::Arc<tokio::sync::Notify> {
        self.wake.clone()
    }

    /// Stores a message (it is never lost from here on) and wakes the worker, which sends it. The
    /// request never talks to the mail server itself: its answer takes the same time whether or
    /// not it queued anything (no timing oracle), and a slow mail server slows no page.
    pub async fn send(&self, email: Email, topic: Option<&str>) -> Result<i64, MailError> {
        let id = self.enqueue(email, topic).await?;
        self.wake.notify_one();
        Ok(id)
    }

    /// Stores a message and tries it at once, in this request: for a sender who watches the
    /// delivery (an account manager sending a summary). A failed attempt is retried by the queue.
    pub async fn send_at_once(&self, email: Email, topic: Option<&str>) -> Result<i64, MailError> {
        let id = self.enqueue(email, topic).await?;
        self.attempt(id).await?;
        Ok(id)
    }

    pub async fn enqueue(&self, email: Email, topic: Option<&str>) -> Result<i64, MailError> {
        let t = now();
        let row = mail_queue::ActiveModel {
            text_body: Set(self.kept(&email.to, "text", email.text)),
            html_body: Set(self.kept(&email.to, "html", email.html)),
            to_address: Set(email.to),
            subject: Set(email.subject.chars().take(300).collect()),
            status: Set(MailStatus::Queued),
            attempts: Set(0),
            next_attempt_at: Set(t),
            claimed_until: Set(None),
            last_error: Set(None),
            sent_at: Set(None),
            topic: Set(topic.map(str::to_string)),
            created_at: Set(t),
            ..Default::default()
        }
        .insert(&self.db)
        .await?;
        Ok(row.id)
    }

    /// Sends every message that is due; answers how many were sent.
    pub async fn deliver_due(&self) -> Result<usize, MailError> {
        let t = now();
        let due: Vec<i64> = mail_queue::Entity::find()
            .select_only()
            .column(mail_queue::Column::Id)
            .filter(due_at(t))
            .order_by_asc(mail_queue::Column::NextAttemptAt)
            .limit(100)
            .into_tuple()
            .all(&self.db)
            .await?;
        let mut sent = 0;
        for id in due {
            if self.attempt(id).await? {
                sent += 1;
            }
        }
        Ok(sent)
    }

    /// One attempt at one message, if this process wins the claim on it. Answers whether it was
    /// sent by this attempt.
    async fn attempt(&self, id: i64) -> Result<bool, MailError> {
        let t = now();
        // The claim: one conditional UPDATE, so two processes never send the same message.
        let claimed = mail_queue::Entity::update_many()
            .col_expr(mail_queue::Column::Status, Expr::value(MailStatus::Sending))
            .col_expr(mail_queue::Column::ClaimedUntil, Expr::value(t + Duration::seconds(CLAIM_SECONDS)))
            .col_expr(mail_queue::Column::Attempts, Expr::col(mail_queue::Column::Attempts).add(1))
            .filter(mail_queue::Column::Id.eq(id))
            .filter(due_at(t))
            .exec(&self.db)
            .await?;
        if claimed.rows_affected != 1 {
            return Ok(false);
        }
        let row = mail_queue::Entity::find_by_id(id)
            .one(&self.db)
            .await?
            .ok_or(sea_orm::DbErr::RecordNotFound(format!("mail {id}")))?;
        let email = Email {
            to: row.to_address.clone(),
            subject: row.subject.clone(),
            text: self.opened(&row.to_address, "text", &row.text_body)?,
            html: self.opened(&row.to_address, "html", &row.html_body)?,
        };
        let result = self.mailer.deliver(&email).await;
        let mut update: mail_queue::ActiveModel = row.clone().into();
        update.claimed_until = Set(None);
        let sent = match result {
            Ok(()) => {
                update.status = Set(MailStatus::Sent);
                update.sent_at = Set(Some(now()));
                update.last_error = Set(None);
                // Delivered: a link that signs someone in or lets them choose a password is no
                // longer kept here, where backups and replicas would hold it working.
                update.text_body = Set(without_links(&email.text));
                update.html_body = Set(without_links(&email.html));
                true
            }
            Err(e) => {
                tracing::warn!(mail = id, attempts = row.attempts, error = %e, "sending an email failed; it will be retried");
                update.status = Set(MailStatus::Queued);
                update.next_attempt_at = Set(now() + backoff(row.attempts));
                update.last_error = Set(Some(e.to_string().chars().take(2000).collect()));
                false
            }
        };
        update.update(&self.db).await?;
        Ok(sent)
    }
}

/// Stored bodies that start with this are sealed (they carry an acting link, not yet sent).
const SEALED: &str = "sealed:";

impl MailQueue {
    /// A body as the queue keeps it: sealed with the installation's key when it carries a link
    /// that acts for its holder, so that the database (a backup, a replica) holds no working link
    /// even before the message is sent; as it is otherwise.
    fn kept(&self, to: &str, part: &str, body: String) -> String {
        if ACTING_LINKS.iter().any(|p| body.contains(p)) {
            format!("{SEALED}{}", self.key.seal(&format!("mail:{part}:{to}"), body.as_bytes()))
        } else {
            body
        }
    }

    /// A stored body, opened if it is sealed.
    fn opened(&self, to: &str, part: &str, stored: &str) -> Result<String, MailError> {
        match stored.strip_prefix(SEALED) {
            Some(sealed) => {
                let plain = self
                    .key
                    .open(&format!("mail:{part}:{to}"), sealed)
                    .map_err(|e| MailError::Sealed(e.to_string()))?;
                Ok(String::from_utf8_lossy(&plain).into_owned())
            }
            None => Ok(stored.to_string()),
        }
    }
}

/// The paths of links that act for their holder: a reset link, an invitation, a rating's answer.
const ACTING_LINKS: [&str; 3] = ["/reset/", "/invite/", "/rate/"];

/// The text with every acting link's token cut out (`/reset/…`), so that what is kept after
/// delivery opens nothing.
pub fn without_links(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some((at, path)) =
        ACTING_LINKS.iter().filter_map(|p| rest.find(p).map(|i| (i, *p))).min_by_key(|(i, _)| *i)
    {
        let after = at + path.len();
        out.push_str(&rest[..after]);
        let token_len = rest[after..].chars().take_while(char::is_ascii_alphanumeric).count();
        if token_len > 0 {
            out.push('…');
        }
        rest = &rest[after + token_len..];
    }
    out.push_str(rest);
    out
}

/// Escapes text for the HTML part.
pub fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delivered_links_are_cut_out() {
        let text =
            "Choose one here:\nhttp://x.test/reset/0a1b2c3d\nor <a href=\"http://x.test/invite/ffee99\">join</a>.";
        let kept = without_links(text);
        assert_eq!(kept, "Choose one here:\nhttp://x.test/reset/…\nor <a href=\"http://x.test/invite/…\">join</a>.");
        assert_eq!(without_links("no links /reset/ here"), "no links /reset/ here");
    }

    #[test]
    fn backoff_doubles_and_stops_growing_at_six_hours() {
        assert_eq!(backoff(1), Duration::minutes(2));
        assert_eq!(backoff(3), Duration::minutes(8));
        assert_eq!(backoff(9), Duration::hours(6));
        assert_eq!(backoff(500), Duration::hours(6));
    }
}
