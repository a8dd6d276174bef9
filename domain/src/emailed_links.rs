//! The flows where an emailed link is the permission: invitations (a colleague's or an MSP
//! admin's) and password resets. The link's token is all the caller has, so these reach the
//! database without a session; created once by the server.

use crate::auth::Client;
use crate::auth::reset::{self, RESET_MINUTES};
use crate::emails;
use crate::error::Result;
use crate::invitations::{self, INVITATION_DAYS, Invited, OpenInvitation};
use crate::mail::{MailError, MailQueue};
use sea_orm::{DatabaseConnection, EntityTrait};

/// Who a used link stands for (the password step of their sign-in: the second step, where they
/// have or need one, comes next).
#[derive(Clone, Copy, Debug)]
pub struct LinkUsed {
    pub user_id: i64,
}

#[derive(Clone)]
pub struct EmailedLinks {
    db: DatabaseConnection,
    mail: MailQueue,
    public_url: String,
}

impl EmailedLinks {
    pub fn new(db: DatabaseConnection, mail: MailQueue, public_url: &str) -> Self {
        EmailedLinks { db, mail, public_url: public_url.trim_end_matches('/').to_string() }
    }

    /// Emails an invitation that was just made.
    pub async fn send_invitation(&self, invited: &Invited, from_name: &str) -> Result<(), MailError> {
        let email = match &invited.token {
            Some(token) => {
                let link = format!("{}/invite/{}", self.public_url, token);
                emails::invitation(&invited.email, from_name, &invited.tenant_name, &link, INVITATION_DAYS)
            }
            None => {
                let sign_in = format!("{}/login", self.public_url);
                emails::invitation_to_an_account(&invited.email, from_name, &invited.tenant_name, &sign_in)
            }
        };
        self.mail.send(email, Some("invitation")).await.map(|_| ())
    }

    /// What an open invitation offers; a used, expired or unknown one is `NotFound`.
    pub async fn invitation(&self, token: &str) -> Result<OpenInvitation> {
        invitations::invitation(&self.db, token).await
    }

    /// Creates the invitee's account.
    pub async fn accept(&self, token: &str, name: &str, password: String) -> Result<LinkUsed> {
        let user_id = invitations::accept(&self.db, token, name, password).await?;
        Ok(LinkUsed { user_id })
    }

    /// Counts a reset request from this address (whatever the email: the answer says nothing about
    /// accounts), or refuses it when the address has asked too often this hour.
    pub async fn pace_reset(&self, from: &Client) -> Result<()> {
        crate::auth::throttle::pace(&self.db, crate::auth::throttle::Paced::ResetRequest, None, from.ip.as_deref())
            .await
    }

    /// Sends a reset link when the email has an account; nothing otherwise (the answer is the
    /// same either way). A link that could not be queued is logged, not shown.
    pub async fn request_reset(&self, email: &str, from: &Client) -> Result<()> {
        let Some(r) = reset::request(&self.db, email, from).await? else { return Ok(()) };
        let link = format!("{}/reset/{}", self.public_url, r.token);
        if let Err(e) = self
            .mail
            .send(emails::password_reset(&r.email, &r.name, &link, RESET_MINUTES), Some("password_reset"))
            .await
        {
            tracing::error!(error = %e, "could not queue a password reset email");
        }
        Ok(())
    }

    /// The email a reset link is for; a used, expired or unknown link is `NotFound`.
    pub async fn reset_email(&self, token: &str) -> Result<String> {
        reset::email_for(&self.db, token).await
    }

    /// Sets the new password and ends every session of the person.
    pub async fn complete_reset(&self, token: &str, password: String, from: &Client) -> Result<LinkUsed> {
        let user_id = reset::complete(&self.db, token, password, from).await?;
        if let Some(u) = crate::entities::user::Entity::find_by_id(user_id).one(&self.db).await? {
            emails::announce_password_change(
                &self.mail,
                &self.public_url,
                &u.email,
                &u.display_name,
                from.ip.as_deref(),
            )
            .await;
        }
        Ok(LinkUsed { user_id })
    }
}
