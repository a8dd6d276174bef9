//! A client_admin's colleagues: list, invite (by email), deactivate. And the invitee's side:
//! `/invite/{token}`, where the link itself is the permission.

use crate::error::AppError;
use crate::views::{ColleagueView, InvitationView};
use leptos::prelude::*;

/// The tenant's users; for client_admins only (anyone else: 404).
#[server(endpoint = "portal/users")]
pub async fn portal_users() -> Result<Vec<ColleagueView>, AppError> {
    use super::guard;
    let client = guard::client()?;
    let tz = client.scope.tenant().await?.time_zone;
    let list = client.scope.colleagues().await?;
    Ok(list
        .into_iter()
        .map(|c| ColleagueView {
            is_me: c.id == client.user.id,
            id: c.id,
            name: c.name,
            email: c.email,
            role: c.role,
            active: c.active,
            last_login: c
                .last_login_at
                .map(|t| t.with_timezone(&tz).format("%-d %b %Y").to_string())
                .unwrap_or_else(|| "never".into()),
        })
        .collect())
}

/// Invites a colleague by email: a single-use link valid for a week.
#[server(endpoint = "portal/invite")]
pub async fn invite_colleague(
    #[server(default)] email: String,
    #[server(default)] role: String,
) -> Result<(), AppError> {
    use super::guard;
    use crate::api::users::ssr::Outgoing;
    let client = guard::client()?;
    let outgoing = use_context::<Outgoing>().ok_or(AppError::Internal)?;
    let invited = client.scope.invite(&email, &role).await?;
    outgoing.send_invitation(&invited, &client.user.display_name).await.map_err(|e| {
        tracing::error!(error = %e, "could not send an invitation");
        AppError::Internal
    })?;
    leptos_axum::redirect("/portal/users?invited");
    Ok(())
}

/// Deactivates a colleague; they are signed out everywhere.
#[server(endpoint = "portal/user-deactivate")]
pub async fn deactivate_colleague(id: i64) -> Result<(), AppError> {
    use super::guard;
    let client = guard::client()?;
    client.scope.deactivate_colleague(id).await?;
    leptos_axum::redirect("/portal/users");
    Ok(())
}

/// What an invitation link offers; an unknown, used or expired link is 404.
#[server(endpoint = "invite/info")]
pub async fn invitation_info(token: String) -> Result<InvitationView, AppError> {
    use crate::api::users::ssr::Outgoing;
    let outgoing = use_context::<Outgoing>().ok_or(AppError::Internal)?;
    let inv = outgoing.invitation(&token).await?;
    Ok(InvitationView { email: inv.email, tenant_name: inv.tenant_name })
}

/// Accepts an invitation: creates the account and signs this browser in.
#[server(endpoint = "invite/accept")]
pub async fn accept_invitation(
    token: String,
    #[server(default)] name: String,
    #[server(default)] password: String,
    #[server(default)] confirm_password: String,
) -> Result<(), AppError> {
    use crate::api::account::ssr::{SessionIssuer, request_client};
    use crate::api::users::ssr::Outgoing;
    if password != confirm_password {
        return Err(AppError::Invalid("The two passwords are not the same.".into()));
    }
    let outgoing = use_context::<Outgoing>().ok_or(AppError::Internal)?;
    let sessions = use_context::<SessionIssuer>().ok_or(AppError::Internal)?;
    let user_id = outgoing.accept(&token, &name, password).await?;
    sessions.sign_in(user_id, &request_client()).await?;
    // Home for the invitee's role: the portal for a client, the workspace for staff.
    leptos_axum::redirect(outgoing.home_of(user_id).await);
    Ok(())
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use domain::DatabaseConnection;
    use domain::invitations::{INVITATION_DAYS, Invited};
    use domain::mail::{Email, MailError, MailQueue, html_escape};

    /// Mail and the links in it, and the invitation links' own path (the link is the permission,
    /// so it needs the database without a session). Fields private: server functions get these
    /// operations, not the database.
    #[derive(Clone)]
    pub struct Outgoing {
        db: DatabaseConnection,
        mail: MailQueue,
        public_url: String,
    }

    impl Outgoing {
        pub fn new(db: DatabaseConnection, mail: MailQueue, public_url: String) -> Self {
            Outgoing { db, mail, public_url: public_url.trim_end_matches('/').to_string() }
        }

        /// Sends a summary draft through this mail queue.
        pub async fn send_summary(
            &self,
            writer: &domain::staff::summaries::SummaryWriter,
            id: i64,
        ) -> Result<Vec<i64>, domain::DomainError> {
            writer.send(id, &self.public_url, &self.mail).await
        }

        /// Where a user's role lives: their home after signing in from a link. (A redirect to
        /// `/` would be routed in the browser, where `/` is not a page.)
        pub async fn home_of(&self, user_id: i64) -> &'static str {
            domain::users::role_of(&self.db, user_id).await.ok().flatten().map_or("/login", vocabulary::Role::home)
        }

        pub fn public_url(&self) -> &str {
            &self.public_url
        }

        /// Queues an email and tries it at once (the queue retries a failure).
        pub async fn send(&self, email: Email, topic: Option<&str>) -> Result<i64, MailError> {
            self.mail.send(email, topic).await
        }

        pub async fn invitation(
            &self,
            token: &str,
        ) -> Result<domain::invitations::OpenInvitation, domain::DomainError> {
            domain::invitations::invitation(&self.db, token).await
        }

        pub async fn accept(&self, token: &str, name: &str, password: String) -> Result<i64, domain::DomainError> {
            domain::invitations::accept(&self.db, token, name, password).await
        }

        /// Sends a notice; a failure is logged, never shown to the person who acted (their action
        /// succeeded).
        async fn deliver(&self, notice: Result<Option<Email>, domain::DomainError>, what: &str) {
            match notice {
                Ok(Some(email)) => {
                    if let Err(e) = self.mail.send(email, Some(what)).await {
                        tracing::error!(error = %e, what, "could not send a notification");
                    }
                }
                Ok(None) => {}
                Err(e) => tracing::error!(error = %e, what, "could not compose a notification"),
            }
        }

        /// Emails whoever covers the ticket's client now about a new ticket.
        pub async fn notify_new_ticket(&self, staff: &domain::scope::Unscoped, ticket_id: i64) {
            self.deliver(staff.new_ticket_notice(ticket_id, &self.public_url).await, "new ticket").await
        }

        /// The same, for a ticket a client just opened through their scope.
        pub async fn notify_client_ticket(&self, scope: &domain::scope::TenantScope, number: i64) {
            self.deliver(scope.new_ticket_notice(number, &self.public_url).await, "new ticket").await
        }

        /// Emails the requester a public reply.
        pub async fn notify_public_reply(
            &self,
            staff: &domain::scope::Unscoped,
            ticket_id: i64,
            author: &str,
            body: &str,
        ) {
            self.deliver(staff.public_reply_notice(ticket_id, author, body, &self.public_url).await, "public reply")
                .await
        }

        /// Sends a reset link when the email has an account; nothing otherwise.
        pub async fn request_reset(&self, email: &str, from: &domain::auth::Client) -> Result<(), domain::DomainError> {
            use domain::auth::reset::{RESET_MINUTES, request};
            let Some(r) = request(&self.db, email, from).await? else { return Ok(()) };
            let link = format!("{}/reset/{}", self.public_url, r.token);
            let text = format!(
                "Hello {},\n\nSomeone (we hope you) asked to reset your Limelight password. Choose a new one \
                 here (the link works once, for {RESET_MINUTES} minutes):\n{link}\n\nIf it was not you, ignore \
                 this email: your password stays as it is.\n",
                r.name
            );
            let html = format!(
                "<p>Hello {},</p><p>Someone (we hope you) asked to reset your Limelight password. \
                 <a href=\"{}\">Choose a new password</a> (the link works once, for {RESET_MINUTES} minutes).</p>\
                 <p>If it was not you, ignore this email: your password stays as it is.</p>",
                html_escape(&r.name),
                html_escape(&link)
            );
            let email = Email { to: r.email, subject: "Reset your Limelight password".into(), text, html };
            if let Err(e) = self.mail.send(email, Some("password_reset")).await {
                tracing::error!(error = %e, "could not queue a password reset email");
            }
            Ok(())
        }

        pub async fn reset_email(&self, token: &str) -> Result<String, domain::DomainError> {
            domain::auth::reset::email_for(&self.db, token).await
        }

        pub async fn complete_reset(
            &self,
            token: &str,
            password: String,
            from: &domain::auth::Client,
        ) -> Result<i64, domain::DomainError> {
            domain::auth::reset::complete(&self.db, token, password, from).await
        }

        pub async fn send_invitation(&self, invited: &Invited, from_name: &str) -> Result<(), MailError> {
            let link = format!("{}/invite/{}", self.public_url, invited.token);
            let text = format!(
                "Hello,\n\n{from_name} has invited you to {}'s client portal, where you can see the work \
                 your IT team does for you, open tickets and follow them.\n\nSet your password here (the link \
                 works once, for {INVITATION_DAYS} days):\n{link}\n\nIf you were not expecting this, you can ignore it.\n",
                invited.tenant_name
            );
            let html = format!(
                "<p>Hello,</p><p>{} has invited you to {}'s client portal, where you can see the work your IT \
                 team does for you, open tickets and follow them.</p><p><a href=\"{}\">Set your password</a> \
                 (the link works once, for {INVITATION_DAYS} days).</p><p>If you were not expecting this, you \
                 can ignore it.</p>",
                html_escape(from_name),
                html_escape(&invited.tenant_name),
                html_escape(&link)
            );
            let subject = format!("You're invited to {}'s portal", invited.tenant_name);
            self.mail
                .send(Email { to: invited.email.clone(), subject, text, html }, Some("invitation"))
                .await
                .map(|_| ())
        }
    }
}
