//! Who is asking, and what they may reach.
//!
//! A request's session becomes an [`Access`]: a client gets a [`TenantScope`] for its own tenant
//! (the only way client-facing code reaches data), staff get [`StaffAccess`]. Capabilities are
//! types: code that takes a `&StaffAccess` cannot be called for a client.

pub mod password;
pub mod reset;
pub mod session;
pub mod throttle;
pub mod two_step;

use crate::audit;
use crate::entities::user;
use crate::error::{DomainError, Result};
use crate::input::{Email, Password};
use crate::scope::{TenantScope, Unscoped};
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter, Set};
pub use session::SessionPolicy;
use vocabulary::{AuditAction, Role};

/// The person behind a live session.
#[derive(Clone, Debug)]
pub struct CurrentUser {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub session_id: i64,
    /// Where this request came from (for the audit log).
    pub from: Client,
}

/// What a live session may reach.
#[derive(Clone, Debug)]
pub enum Access {
    Client(ClientAccess),
    Staff(StaffAccess),
}

impl Access {
    pub fn user(&self) -> &CurrentUser {
        match self {
            Access::Client(c) => &c.user,
            Access::Staff(s) => &s.user,
        }
    }

    /// Records that this person asked for `what` (a path) and their role may not have it.
    pub async fn refused(&self, what: &str) -> Result<()> {
        let (db, tenant) = match self {
            Access::Client(c) => (c.scope.db(), Some(c.scope.tenant_id())),
            Access::Staff(s) => (&s.db, None),
        };
        Ok(audit::by(db, self.user(), tenant, AuditAction::AccessRefused, what, None).await?)
    }
}

/// A client user: everything they reach goes through the scope of their own tenant.
#[derive(Clone, Debug)]
pub struct ClientAccess {
    pub user: CurrentUser,
    pub scope: TenantScope,
}

/// An MSP staff member.
#[derive(Clone, Debug)]
pub struct StaffAccess {
    pub user: CurrentUser,
    db: DatabaseConnection,
}

impl ClientAccess {
    /// Adds the person's public comment to a ticket they may see, and audits it.
    pub async fn comment_on_ticket(&self, number: i64, body: &str) -> Result<()> {
        self.scope.comment_on_ticket(number, body).await?;
        let target = format!("ticket #{number} (client comment)");
        audit::by(
            self.scope.db(),
            &self.user,
            Some(self.scope.tenant_id()),
            AuditAction::TicketCommented,
            &target,
            None,
        )
        .await?;
        Ok(())
    }

    /// Records something this person did that changes nothing but must be known (an export).
    pub async fn audit(&self, action: AuditAction, target: &str, detail: Option<String>) -> Result<()> {
        Ok(audit::by(self.scope.db(), &self.user, Some(self.scope.tenant_id()), action, target, detail).await?)
    }

    /// Counts one paced action (a ticket, a comment, an invitation) for this person at this
    /// address, or refuses it when they have had their hour's worth.
    pub async fn pace(&self, what: throttle::Paced, from: &Client) -> Result<()> {
        throttle::pace(self.scope.db(), what, Some(self.user.id), from.ip.as_deref()).await
    }
}

impl StaffAccess {
    /// The same for staff (public replies, tickets opened for clients).
    pub async fn pace(&self, what: throttle::Paced, from: &Client) -> Result<()> {
        throttle::pace(&self.db, what, Some(self.user.id), from.ip.as_deref()).await
    }

    /// Staff see every tenant: their queries are unscoped, and say so.
    pub fn unscoped(&self) -> Unscoped {
        Unscoped::new(self.db.clone())
    }

    /// Techs and MSP admins change work, systems, runbooks, knowledge, coverage and tickets;
    /// account managers only read (`None`).
    pub fn editor(&self) -> Option<crate::staff::Editor> {
        self.user.role.does_the_work().then(|| crate::staff::Editor::new(self.user.clone(), self.db.clone()))
    }

    /// A tenant's portal exactly as its clients see it (internal rows excluded), for previews.
    pub fn client_view_of(&self, tenant_id: i64) -> TenantScope {
        TenantScope::new(self.db.clone(), tenant_id, None)
    }
}

/// Turns a session token into what it may reach, or `None` for no live session. `from` is the
/// request's address and browser, which the audit log keeps with what the person does.
pub async fn authenticate(
    db: &DatabaseConnection,
    token: &str,
    policy: SessionPolicy,
    from: &Client,
) -> Result<Option<Access>> {
    let Some((s, u)) = session::lookup(db, token, policy).await? else {
        return Ok(None);
    };
    // Staff sign in with two steps: a staff session from before that rule (or one made any other
    // way) for someone without a second step is no session.
    if u.role.is_staff() && u.totp_enrolled_at.is_none() {
        session::end(db, token).await?;
        return Ok(None);
    }
    let role = u.role;
    let current = CurrentUser {
        id: u.id,
        email: u.email,
        display_name: u.display_name,
        role,
        session_id: s.id,
        from: from.clone(),
    };
    Ok(match (role.is_client(), u.tenant_id) {
        (true, Some(tenant_id)) => Some(Access::Client(ClientAccess {
            scope: TenantScope::new(db.clone(), tenant_id, Some((current.id, role))),
            user: current,
        })),
        (false, None) => Some(Access::Staff(StaffAccess { user: current, db: db.clone() })),
        _ => {
            tracing::error!(user = u.id, "user's role and tenant disagree; refusing the session");
            None
        }
    })
}

/// A successful login: the new session's token for the cookie.
#[derive(Debug)]
pub struct LoggedIn {
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub role: Role,
}

/// Where a request came from, for sessions and the audit log.
#[derive(Clone, Debug, Default)]
pub struct Client {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// What a login attempt came to.
#[derive(Debug)]
pub enum LoginOutcome {
    /// The password is right: a session, or the second step next.
    Passed(two_step::Next),
    /// Wrong email or password: the same for both.
    Refused,
    /// Too many recent attempts for this account at this address, from this address, or for
    /// this account: not even checked ([`throttle`] says the rule).
    Throttled,
}

/// Checks an email and password. Every refusal looks the same and costs the same: an unknown email,
/// a deactivated user and a wrong password each run one argon2 verification and answer `Refused`.
/// A right password leads on to the second step where the person has or needs one.
pub async fn login(two_step: &two_step::TwoStep, email: &str, password: String, from: &Client) -> Result<LoginOutcome> {
    let db = two_step.db();
    let target = email.trim().chars().take(254).collect::<String>().to_lowercase();
    let keys = throttle::keys(&target, from.ip.as_deref());
    if !throttle::reserve(db, &keys).await? {
        audit::record_from(db, None, None, AuditAction::LoginThrottled, &target, from, None).await?;
        metrics::counter!("limelight_sign_ins_total", "outcome" => "throttled").increment(1);
        return Ok(LoginOutcome::Throttled);
    }
    let found = match Email::parse(email) {
        Ok(e) => user::Entity::find().filter(user::Column::Email.eq(e.as_str())).one(db).await?,
        Err(_) => None,
    };
    let usable = found.as_ref().filter(|u| u.active).and_then(|u| u.password_hash.clone());
    let ok = password::verify(password, usable).await?;
    let Some(u) = found.filter(|_| ok) else {
        audit::record_from(db, None, None, AuditAction::LoginFailed, &target, from, None).await?;
        metrics::counter!("limelight_sign_ins_total", "outcome" => "refused").increment(1);
        return Ok(LoginOutcome::Refused);
    };
    let next = two_step.after_first_factor(&u, from).await?;
    // Signed in: the attempt is refunded. Waiting for a second step, it stays counted until that
    // step passes, so that a stolen password does not buy unlimited guesses at the code.
    if matches!(next, two_step::Next::SignedIn(_)) {
        throttle::refund(db, &keys).await?;
    }
    metrics::counter!("limelight_sign_ins_total", "outcome" => "password_passed").increment(1);
    Ok(LoginOutcome::Passed(next))
}

/// Changes a user's password after checking the current one, and ends all of the user's sessions.
pub async fn change_password(
    db: &DatabaseConnection,
    user: &CurrentUser,
    current: String,
    new: String,
    from: &Client,
) -> Result<()> {
    let new = Password::parse_for(new, &user.email, &user.display_name)?;
    let u = user::Entity::find_by_id(user.id).one(db).await?.ok_or(DomainError::NotFound)?;
    if !password::verify(current, u.password_hash.clone()).await? {
        return Err(DomainError::Invalid("the current password is not correct".into()));
    }
    let hash = password::hash(&new).await?;
    let tx = crate::db::write(db).await?;
    let tenant_id = u.tenant_id;
    let mut active = u.into_active_model();
    active.password_hash = Set(Some(hash));
    active.update(&tx).await?;
    session::end_all_for_user(&tx, user.id).await?;
    audit::record_from(&tx, Some(user.id), tenant_id, AuditAction::PasswordChanged, &user.email, from, None).await?;
    tx.commit().await?;
    Ok(())
}

/// The signed-in person's own sessions: what their account page does with them. Created once by
/// the server; server functions get these operations, never the database.
#[derive(Clone)]
pub struct Sessions {
    db: DatabaseConnection,
    policy: SessionPolicy,
    mail: crate::mail::MailQueue,
    public_url: String,
}

impl Sessions {
    pub fn new(db: DatabaseConnection, policy: SessionPolicy, mail: crate::mail::MailQueue, public_url: &str) -> Self {
        Sessions { db, policy, mail, public_url: public_url.trim_end_matches('/').to_string() }
    }

    /// Changes the password (ending every session of the user) and starts a new session for the
    /// browser that asked, so it stays signed in.
    pub async fn change_password(
        &self,
        user: &CurrentUser,
        current: String,
        new: String,
        from: &Client,
    ) -> Result<session::NewSession> {
        change_password(&self.db, user, current, new, from).await?;
        crate::emails::announce_password_change(
            &self.mail,
            &self.public_url,
            &user.email,
            &user.display_name,
            from.ip.as_deref(),
        )
        .await;
        self.start(user.id, from).await
    }

    pub async fn list(&self, user: &CurrentUser) -> Result<Vec<session::SessionInfo>> {
        session::list_for_user(&self.db, user.id).await
    }

    /// Ends one of the user's own sessions; `false` if they have no such session.
    pub async fn end(&self, user: &CurrentUser, id: i64) -> Result<bool> {
        let ended = session::end_for_user(&self.db, user.id, id).await?;
        // The session has ended either way: a failed audit record is logged, not shown.
        if ended
            && let Err(e) =
                audit::by(&self.db, user, None, vocabulary::AuditAction::SessionEnded, &user.email, None).await
        {
            tracing::error!(error = %crate::error::cause_chain(&e), "could not record an ended session");
        }
        Ok(ended)
    }

    /// A new session for a browser (after a password change, an accepted invitation or a reset).
    pub async fn start(&self, user_id: i64, from: &Client) -> Result<session::NewSession> {
        session::create(&self.db, user_id, self.policy, from.user_agent.clone(), from.ip.clone()).await
    }
}
