//! Email: real multipart messages (plain text and HTML). Without an SMTP server configured they
//! are written as `.eml` files to an outbox folder under the data directory, so a fresh install
//! works and nothing is lost. (Sending over SMTP, with a retrying queue, is still to come.)

use lettre::message::{Mailbox, MultiPart};
use std::path::{Path, PathBuf};

/// One email to send.
#[derive(Clone, Debug)]
pub struct Email {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Where mail goes.
#[derive(Clone, Debug)]
pub struct Mailer {
    from: Mailbox,
    outbox: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("bad address {0:?}")]
    Address(String),
    #[error("could not build the message: {0}")]
    Build(String),
    #[error("could not write to the outbox: {0}")]
    Io(#[from] std::io::Error),
}

impl Mailer {
    pub fn outbox(from: &str, dir: &Path) -> Result<Mailer, MailError> {
        Ok(Mailer { from: from.parse().map_err(|_| MailError::Address(from.into()))?, outbox: dir.to_path_buf() })
    }

    pub fn outbox_dir(&self) -> &Path {
        &self.outbox
    }

    /// Delivers one message; answers where it went.
    pub async fn send(&self, email: Email) -> Result<PathBuf, MailError> {
        let to: Mailbox = email.to.parse().map_err(|_| MailError::Address(email.to.clone()))?;
        let message = lettre::Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(email.subject)
            .multipart(MultiPart::alternative_plain_html(email.text, email.html))
            .map_err(|e| MailError::Build(e.to_string()))?;
        tokio::fs::create_dir_all(&self.outbox).await?;
        let name =
            // Microseconds first, so the names sort in the order the messages were written.
            format!("{}-{}.eml", chrono::Utc::now().format("%Y%m%dT%H%M%S%.6fZ"), &crate::auth::session::new_token()[..12]);
        let path = self.outbox.join(name);
        // Written under a temporary name, then renamed: a reader never sees half a message.
        let partial = path.with_extension("partial");
        tokio::fs::write(&partial, message.formatted()).await?;
        tokio::fs::rename(&partial, &path).await?;
        Ok(path)
    }
}

/// Escapes text for the HTML part.
pub fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}
