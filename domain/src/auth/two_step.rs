//! Two-step sign-in: a code from an authenticator app (TOTP, RFC 6238: SHA-1, six digits, 30 s)
//! after the password, or one of ten single-use recovery codes.
//!
//! Between the password and the session there is a *challenge*: a row found by the hash of a
//! random token that lives in an HttpOnly cookie of the browser that typed the password, for ten
//! minutes, with five wrong codes at most. It is not a session: nothing but the second step
//! accepts it. A session is made only when the second step passes (or, for someone who needs no
//! second step, at once).
//!
//! Staff always need the second step, and so does everyone at a client whose MSP requires it;
//! someone who needs it and has not set it up is taken through setting it up instead (and can do
//! nothing else). Others may turn it on from their account page.
//!
//! A code is accepted once: the newest accepted time step is kept with the user and a conditional
//! UPDATE moves it forward, so a replayed code (or an older one) is refused, on both databases and
//! across processes. Codes one step either side of now are accepted, for clocks that drift.

use super::{Client, CurrentUser, LoggedIn, SessionPolicy, session, throttle};
use crate::audit;
use crate::entities::{recovery_code, sign_in_challenge as challenge, tenant, user};
use crate::error::{DomainError, Result};
use crate::secrets::SecretKey;
use crate::time::now;
use chrono::{DateTime, Duration, Utc};
use rand::{Rng, RngCore};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel,
    QueryFilter, Set,
};
use totp_rs::{Algorithm, TOTP};
use vocabulary::{AuditAction, ChallengeStage};

/// How long the state between the password and the second step lives.
pub const CHALLENGE_MINUTES: i64 = 10;
/// Wrong codes one challenge takes before it ends (the person starts again with the password,
/// which the sign-in throttle counts too).
pub const MAX_FAILURES: i32 = 5;
/// Recovery codes made at setup.
pub const RECOVERY_CODES: usize = 10;
/// The TOTP time step.
const STEP_SECONDS: u64 = 30;
/// Who the authenticator app says the code is for.
const ISSUER: &str = "Limelight";

/// What comes after a correct password, or after an emailed link was used.
#[derive(Debug)]
pub enum Next {
    /// No second step for this person: here is the session.
    SignedIn(LoggedIn),
    /// Ask for a code: the challenge's token goes into the browser's two-step cookie.
    Code(Challenge),
    /// They must set up an authenticator first.
    Setup(Challenge),
}

/// The two-step cookie's token, as the server found it on a request.
#[derive(Clone, Debug)]
pub struct ChallengeCookie(pub String);

/// The token of a challenge, for the two-step cookie (only its hash is stored).
#[derive(Debug)]
pub struct Challenge {
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

/// What a second-step attempt came to.
#[derive(Debug)]
pub enum Checked<T> {
    Passed(T),
    /// Not the code (or a code already used); `left` more tries on this challenge.
    Wrong {
        left: i32,
    },
    /// Too many attempts for this account at this address (the sign-in throttle).
    Throttled,
    /// No live challenge in this browser: expired, used up, or never made. Start again.
    Expired,
}

/// What the setup page shows: the secret as a QR code and as text.
#[derive(Clone, Debug)]
pub struct SetupDetails {
    /// The secret in base32, in groups of four for typing.
    pub secret: String,
    /// The `otpauth://` URI the QR code carries.
    pub uri: String,
    /// The QR code as an SVG element (rendered here: no JavaScript, no image request).
    pub qr_svg: String,
    pub account: String,
}

/// Where someone's second step stands, for their account page.
#[derive(Clone, Debug)]
pub struct Status {
    pub on_since: Option<DateTime<Utc>>,
    /// Staff, or their client requires it: it cannot be turned off.
    pub required: bool,
    pub recovery_codes_left: u64,
}

/// The second step's operations, made once by the server.
#[derive(Clone)]
pub struct TwoStep {
    db: DatabaseConnection,
    key: SecretKey,
    policy: SessionPolicy,
    mail: crate::mail::MailQueue,
    public_url: String,
}

fn secret_purpose(user_id: i64) -> String {
    format!("totp:{user_id}")
}

fn pending_purpose(challenge_id: i64, what: &str) -> String {
    format!("challenge:{challenge_id}:{what}")
}

fn totp(secret: Vec<u8>, account: &str) -> Result<TOTP> {
    TOTP::new(Algorithm::SHA1, 6, 1, STEP_SECONDS, secret, Some(ISSUER.to_string()), account.to_string())
        .map_err(|e| DomainError::from(sea_orm::DbErr::Custom(format!("a TOTP secret is unusable: {e}"))))
}

/// Digits and letters that cannot be mistaken for each other (no 0/O, 1/I/L).
const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// A recovery code: ten characters of the alphabet above (about 50 bits), shown as `XXXXX-XXXXX`.
fn new_recovery_code() -> String {
    let mut rng = rand::rngs::OsRng;
    let chars: String = (0..10).map(|_| CODE_ALPHABET[rng.gen_range(0..CODE_ALPHABET.len())] as char).collect();
    format!("{}-{}", &chars[..5], &chars[5..])
}

/// A code as typed: spaces and dashes dropped, letters in capitals.
fn normalized(code: &str) -> String {
    code.chars().filter(|c| !c.is_whitespace() && *c != '-').collect::<String>().to_uppercase()
}

use crate::secrets::same;

/// Whether this user must use a second step: every staff role, and everyone at a client that
/// requires it.
pub async fn required_for(db: &impl ConnectionTrait, u: &user::Model) -> Result<bool> {
    if u.role.is_staff() {
        return Ok(true);
    }
    let Some(tenant_id) = u.tenant_id else { return Ok(false) };
    Ok(tenant::Entity::find_by_id(tenant_id).one(db).await?.is_some_and(|t| t.two_step_required))
}

impl TwoStep {
    pub fn new(
        db: DatabaseConnection,
        key: SecretKey,
        policy: SessionPolicy,
        mail: crate::mail::MailQueue,
        public_url: &str,
    ) -> Self {
        TwoStep { db, key, policy, mail, public_url: public_url.trim_end_matches('/').to_string() }
    }

    pub(crate) fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    /// The password (or an emailed link) is right: a session for someone without a second step,
    /// else a challenge for the code, or for setting one up when it is required and missing.
    pub async fn after_first_factor(&self, u: &user::Model, from: &Client) -> Result<Next> {
        if u.totp_enrolled_at.is_some() {
            return Ok(Next::Code(self.new_challenge(u.id, ChallengeStage::Code, from).await?));
        }
        if required_for(&self.db, u).await? {
            return Ok(Next::Setup(self.new_challenge(u.id, ChallengeStage::Setup, from).await?));
        }
        Ok(Next::SignedIn(self.sign_in(u, from).await?))
    }

    /// The same for a user known by id (an emailed link was used).
    pub async fn after_link(&self, user_id: i64, from: &Client) -> Result<Next> {
        let u = user::Entity::find_by_id(user_id).one(&self.db).await?.ok_or(DomainError::NotFound)?;
        self.after_first_factor(&u, from).await
    }

    /// A signed-in person who chose to turn the second step on (or set up a new authenticator).
    pub async fn start_setup(&self, who: &CurrentUser, from: &Client) -> Result<Challenge> {
        self.new_challenge(who.id, ChallengeStage::Setup, from).await
    }

    async fn new_challenge(&self, user_id: i64, stage: ChallengeStage, from: &Client) -> Result<Challenge> {
        let token = session::new_token();
        let t = now();
        let expires_at = t + Duration::minutes(CHALLENGE_MINUTES);
        let tx = crate::db::write(&self.db).await?;
        // One challenge per person at a time: a new sign-in replaces an unfinished one.
        challenge::Entity::delete_many().filter(challenge::Column::UserId.eq(user_id)).exec(&tx).await?;
        let row = challenge::ActiveModel {
            token_hash: Set(session::hash_token(&token)),
            user_id: Set(user_id),
            stage: Set(stage),
            failures: Set(0),
            created_at: Set(t),
            expires_at: Set(expires_at),
            ip: Set(from.ip.clone()),
            user_agent: Set(from.user_agent.as_ref().map(|ua| ua.chars().take(400).collect())),
            ..Default::default()
        }
        .insert(&tx)
        .await?;
        if stage == ChallengeStage::Setup {
            let mut secret = vec![0u8; 20];
            rand::rngs::OsRng.fill_bytes(&mut secret);
            let mut am = row.into_active_model();
            let id = *am.id.as_ref();
            am.pending_secret = Set(Some(self.key.seal(&pending_purpose(id, "secret"), &secret)));
            am.update(&tx).await?;
        }
        tx.commit().await?;
        Ok(Challenge { token, expires_at })
    }

    /// The live challenge behind a browser's token at this stage, with its user. An expired one
    /// is deleted on sight.
    async fn live(&self, token: &str, stage: ChallengeStage) -> Result<Option<(challenge::Model, user::Model)>> {
        let Some(c) = challenge::Entity::find()
            .filter(challenge::Column::TokenHash.eq(session::hash_token(token)))
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        if c.expires_at <= now() {
            challenge::Entity::delete_by_id(c.id).exec(&self.db).await?;
            return Ok(None);
        }
        if c.stage != stage {
            return Ok(None);
        }
        let Some(u) = user::Entity::find_by_id(c.user_id).one(&self.db).await?.filter(|u| u.active) else {
            return Ok(None);
        };
        Ok(Some((c, u)))
    }

    /// The secret being set up, as a QR code and as text; `NotFound` without a live setup.
    pub async fn setup_details(&self, token: &str) -> Result<SetupDetails> {
        let (c, u) = self.live(token, ChallengeStage::Setup).await?.ok_or(DomainError::NotFound)?;
        let secret = self.pending_secret(&c)?;
        let t = totp(secret, &u.email)?;
        let uri = t.get_url();
        let qr = qrcode::QrCode::new(uri.as_bytes())
            .map_err(|e| DomainError::from(sea_orm::DbErr::Custom(format!("the QR code could not be made: {e}"))))?;
        let svg = qr
            .render::<qrcode::render::svg::Color>()
            .min_dimensions(200, 200)
            .dark_color(qrcode::render::svg::Color("#000000"))
            .light_color(qrcode::render::svg::Color("#ffffff"))
            .quiet_zone(true)
            .build();
        // An element for the page, not a document: drop the XML declaration.
        let svg = match svg.find("<svg") {
            Some(at) => svg[at..].to_string(),
            None => svg,
        };
        let base32 = t.get_secret_base32();
        let grouped = base32.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>();
        Ok(SetupDetails { secret: grouped.join(" "), uri, qr_svg: svg, account: u.email })
    }

    fn pending_secret(&self, c: &challenge::Model) -> Result<Vec<u8>> {
        let sealed = c
            .pending_secret
            .as_deref()
            .ok_or_else(|| DomainError::from(sea_orm::DbErr::Custom("a setup challenge has no secret".into())))?;
        self.key.open(&pending_purpose(c.id, "secret"), sealed)
    }

    /// The first code from the new authenticator. Right: the secret becomes the person's, ten new
    /// recovery codes replace any old ones, every other session of theirs ends, and the challenge
    /// moves on to showing the codes once.
    pub async fn confirm_setup(&self, token: &str, code: &str, from: &Client) -> Result<Checked<()>> {
        let Some((c, u)) = self.live(token, ChallengeStage::Setup).await? else { return Ok(Checked::Expired) };
        let keys = throttle::keys(&u.email, from.ip.as_deref());
        if !throttle::reserve(&self.db, &keys).await? {
            return Ok(Checked::Throttled);
        }
        let secret = self.pending_secret(&c)?;
        let Some(step) = matching_step(&totp(secret.clone(), &u.email)?, code) else {
            return self.wrong(&c, &u, from).await;
        };
        let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| new_recovery_code()).collect();
        let t = now();
        let tx = crate::db::write(&self.db).await?;
        let taken = challenge::Entity::update_many()
            .col_expr(challenge::Column::Stage, Expr::value(ChallengeStage::RecoveryCodes.as_str()))
            .col_expr(challenge::Column::PendingSecret, Expr::value(Option::<String>::None))
            .col_expr(
                challenge::Column::PendingCodes,
                Expr::value(self.key.seal(&pending_purpose(c.id, "codes"), codes.join("\n").as_bytes())),
            )
            .filter(challenge::Column::Id.eq(c.id))
            .filter(challenge::Column::Stage.eq(ChallengeStage::Setup.as_str()))
            .exec(&tx)
            .await?;
        if taken.rows_affected != 1 {
            // Another request with the same cookie finished first.
            return Ok(Checked::Expired);
        }
        let mut am = u.clone().into_active_model();
        am.totp_secret = Set(Some(self.key.seal(&secret_purpose(u.id), &secret)));
        am.totp_enrolled_at = Set(Some(t));
        am.totp_last_step = Set(Some(step));
        am.update(&tx).await?;
        recovery_code::Entity::delete_many().filter(recovery_code::Column::UserId.eq(u.id)).exec(&tx).await?;
        for code in &codes {
            recovery_code::ActiveModel {
                user_id: Set(u.id),
                code_hash: Set(session::hash_token(&normalized(code))),
                used_at: Set(None),
                created_at: Set(t),
                ..Default::default()
            }
            .insert(&tx)
            .await?;
        }
        session::end_all_for_user(&tx, u.id).await?;
        audit::record_from(&tx, Some(u.id), u.tenant_id, AuditAction::TwoStepEnrolled, &u.email, from, None).await?;
        tx.commit().await?;
        throttle::refund(&self.db, &keys).await?;
        self.announce(&u, "Two-step sign-in was just turned on for your Limelight account", from).await;
        // The caller shows the codes next; the session comes when the person has kept them.
        Ok(Checked::Passed(()))
    }

    /// The recovery codes made at setup, while the challenge shows them; `NotFound` otherwise.
    pub async fn recovery_codes(&self, token: &str) -> Result<Vec<String>> {
        let (c, _) = self.live(token, ChallengeStage::RecoveryCodes).await?.ok_or(DomainError::NotFound)?;
        let sealed = c.pending_codes.as_deref().ok_or(DomainError::NotFound)?;
        let plain = self.key.open(&pending_purpose(c.id, "codes"), sealed)?;
        Ok(String::from_utf8_lossy(&plain).lines().map(str::to_string).collect())
    }

    /// The person has kept their recovery codes: the challenge ends (once) and the session starts.
    pub async fn finish_setup(&self, token: &str, from: &Client) -> Result<Checked<LoggedIn>> {
        let Some((c, u)) = self.live(token, ChallengeStage::RecoveryCodes).await? else {
            return Ok(Checked::Expired);
        };
        if !self.consume(&c).await? {
            return Ok(Checked::Expired);
        }
        Ok(Checked::Passed(self.sign_in(&u, from).await?))
    }

    /// A code from the authenticator app, or a recovery code, for a challenge at the code stage.
    pub async fn verify(&self, token: &str, code: &str, from: &Client) -> Result<Checked<LoggedIn>> {
        let Some((c, u)) = self.live(token, ChallengeStage::Code).await? else { return Ok(Checked::Expired) };
        let keys = throttle::keys(&u.email, from.ip.as_deref());
        if !throttle::reserve(&self.db, &keys).await? {
            audit::record_from(&self.db, Some(u.id), u.tenant_id, AuditAction::LoginThrottled, &u.email, from, None)
                .await?;
            return Ok(Checked::Throttled);
        }
        let passed = if is_totp_shape(code) {
            self.accept_totp(&u, code).await?
        } else {
            self.accept_recovery_code(&u, code, from).await?
        };
        if !passed {
            return self.wrong(&c, &u, from).await;
        }
        if !self.consume(&c).await? {
            return Ok(Checked::Expired);
        }
        throttle::refund(&self.db, &keys).await?;
        Ok(Checked::Passed(self.sign_in(&u, from).await?))
    }

    /// A TOTP code for the user's secret, in a step after the last one accepted: that step becomes
    /// the last accepted (a conditional UPDATE, so two requests with one code cannot both pass).
    async fn accept_totp(&self, u: &user::Model, code: &str) -> Result<bool> {
        let Some(sealed) = u.totp_secret.as_deref() else { return Ok(false) };
        let secret = self.key.open(&secret_purpose(u.id), sealed)?;
        let Some(step) = matching_step(&totp(secret, &u.email)?, code) else { return Ok(false) };
        let moved = user::Entity::update_many()
            .col_expr(user::Column::TotpLastStep, Expr::value(step))
            .filter(user::Column::Id.eq(u.id))
            .filter(Condition::any().add(user::Column::TotpLastStep.is_null()).add(user::Column::TotpLastStep.lt(step)))
            .exec(&self.db)
            .await?;
        Ok(moved.rows_affected == 1)
    }

    /// An unused recovery code of the user's, used up now (once, by a conditional UPDATE); its
    /// owner is emailed, with how many are left.
    async fn accept_recovery_code(&self, u: &user::Model, code: &str, from: &Client) -> Result<bool> {
        let wanted = session::hash_token(&normalized(code));
        let Some(row) = recovery_code::Entity::find()
            .filter(recovery_code::Column::UserId.eq(u.id))
            .filter(recovery_code::Column::CodeHash.eq(wanted))
            .filter(recovery_code::Column::UsedAt.is_null())
            .one(&self.db)
            .await?
        else {
            return Ok(false);
        };
        let used = recovery_code::Entity::update_many()
            .col_expr(recovery_code::Column::UsedAt, Expr::value(now()))
            .filter(recovery_code::Column::Id.eq(row.id))
            .filter(recovery_code::Column::UsedAt.is_null())
            .exec(&self.db)
            .await?;
        if used.rows_affected != 1 {
            return Ok(false);
        }
        audit::record_from(&self.db, Some(u.id), u.tenant_id, AuditAction::RecoveryCodeUsed, &u.email, from, None)
            .await?;
        let left = self.codes_left(u.id).await?;
        self.announce(
            u,
            &format!("A recovery code of your Limelight account was just used to sign in ({left} left)"),
            from,
        )
        .await;
        Ok(true)
    }

    async fn codes_left(&self, user_id: i64) -> Result<u64> {
        use sea_orm::PaginatorTrait;
        Ok(recovery_code::Entity::find()
            .filter(recovery_code::Column::UserId.eq(user_id))
            .filter(recovery_code::Column::UsedAt.is_null())
            .count(&self.db)
            .await?)
    }

    /// Ends a challenge; `false` when another request ended it first.
    async fn consume(&self, c: &challenge::Model) -> Result<bool> {
        Ok(challenge::Entity::delete_many().filter(challenge::Column::Id.eq(c.id)).exec(&self.db).await?.rows_affected
            == 1)
    }

    /// A wrong code: counted on the challenge, which ends at the last allowed one.
    async fn wrong<T>(&self, c: &challenge::Model, u: &user::Model, from: &Client) -> Result<Checked<T>> {
        audit::record_from(&self.db, Some(u.id), u.tenant_id, AuditAction::TwoStepFailed, &u.email, from, None).await?;
        let failures = c.failures + 1;
        if failures >= MAX_FAILURES {
            self.consume(c).await?;
            return Ok(Checked::Expired);
        }
        challenge::Entity::update_many()
            .col_expr(
                challenge::Column::Failures,
                sea_orm::sea_query::ExprTrait::add(Expr::col(challenge::Column::Failures), 1),
            )
            .filter(challenge::Column::Id.eq(c.id))
            .exec(&self.db)
            .await?;
        Ok(Checked::Wrong { left: MAX_FAILURES - failures })
    }

    /// Both steps passed (or only one was needed): a new session.
    async fn sign_in(&self, u: &user::Model, from: &Client) -> Result<LoggedIn> {
        let new = session::create(&self.db, u.id, self.policy, from.user_agent.clone(), from.ip.clone()).await?;
        user::Entity::update_many()
            .col_expr(user::Column::LastLoginAt, Expr::value(now()))
            .filter(user::Column::Id.eq(u.id))
            .exec(&self.db)
            .await?;
        audit::record_from(&self.db, Some(u.id), u.tenant_id, AuditAction::Login, &u.email, from, None).await?;
        Ok(LoggedIn { token: new.token, expires_at: new.expires_at, role: u.role })
    }

    /// Tells the owner that their second step changed: if it was not them, they know at once.
    async fn announce(&self, u: &user::Model, what: &str, from: &Client) {
        let email = crate::emails::two_step_changed(
            &u.email,
            &u.display_name,
            what,
            from.ip.as_deref(),
            &format!("{}/login", self.public_url),
        );
        if let Err(e) = self.mail.send(email, Some("two_step_changed")).await {
            tracing::error!(error = %e, "could not queue a two-step notice");
        }
    }

    /// Where the person's second step stands.
    pub async fn status(&self, who: &CurrentUser) -> Result<Status> {
        let u = user::Entity::find_by_id(who.id).one(&self.db).await?.ok_or(DomainError::NotFound)?;
        Ok(Status {
            on_since: u.totp_enrolled_at,
            required: required_for(&self.db, &u).await?,
            recovery_codes_left: self.codes_left(u.id).await?,
        })
    }

    /// Turns the second step off for someone who may do without it, after a current code from
    /// their authenticator or a recovery code (so that a session left open is not enough).
    pub async fn turn_off(&self, who: &CurrentUser, code: &str, from: &Client) -> Result<()> {
        let u = user::Entity::find_by_id(who.id).one(&self.db).await?.ok_or(DomainError::NotFound)?;
        if u.totp_enrolled_at.is_none() {
            return Err(DomainError::Invalid("Two-step sign-in is not on.".into()));
        }
        if required_for(&self.db, &u).await? {
            return Err(DomainError::Forbidden(
                "Two-step sign-in is required for your account, so it cannot be turned off.".into(),
            ));
        }
        throttle::pace(&self.db, throttle::Paced::TwoStepChange, Some(u.id), from.ip.as_deref()).await?;
        let passed = if is_totp_shape(code) {
            self.accept_totp(&u, code).await?
        } else {
            self.accept_recovery_code(&u, code, from).await?
        };
        if !passed {
            return Err(DomainError::Invalid(
                "That is not the current code from your authenticator app, nor an unused recovery code.".into(),
            ));
        }
        let tx = crate::db::write(&self.db).await?;
        forget(&tx, u.id).await?;
        audit::record_from(&tx, Some(u.id), u.tenant_id, AuditAction::TwoStepTurnedOff, &u.email, from, None).await?;
        tx.commit().await?;
        self.announce(&u, "Two-step sign-in was just turned off for your Limelight account", from).await;
        Ok(())
    }

    /// An MSP admin resets someone's second step (a lost phone): it is forgotten, their sessions
    /// end, and they set it up again at their next sign-in if it is required. They are emailed.
    pub async fn reset_by_admin(&self, admin: &crate::staff::admin::Admin, user_id: i64, from: &Client) -> Result<()> {
        let admin = &admin.user;
        let u = user::Entity::find_by_id(user_id).one(&self.db).await?.ok_or(DomainError::NotFound)?;
        if u.totp_enrolled_at.is_none() {
            return Err(DomainError::Invalid(format!("{} has not set up two-step sign-in.", u.display_name)));
        }
        let tx = crate::db::write(&self.db).await?;
        forget(&tx, u.id).await?;
        session::end_all_for_user(&tx, u.id).await?;
        audit::record_from(&tx, Some(admin.id), u.tenant_id, AuditAction::TwoStepReset, &u.email, from, None).await?;
        tx.commit().await?;
        self.announce(
            &u,
            &format!("Two-step sign-in of your Limelight account was just reset by {}", admin.display_name),
            from,
        )
        .await;
        Ok(())
    }
}

/// Forgets a user's second step: secret, last step, recovery codes and unfinished challenges.
async fn forget(db: &impl ConnectionTrait, user_id: i64) -> Result<()> {
    user::Entity::update_many()
        .col_expr(user::Column::TotpSecret, Expr::value(Option::<String>::None))
        .col_expr(user::Column::TotpEnrolledAt, Expr::value(Option::<DateTime<Utc>>::None))
        .col_expr(user::Column::TotpLastStep, Expr::value(Option::<i64>::None))
        .filter(user::Column::Id.eq(user_id))
        .exec(db)
        .await?;
    recovery_code::Entity::delete_many().filter(recovery_code::Column::UserId.eq(user_id)).exec(db).await?;
    challenge::Entity::delete_many().filter(challenge::Column::UserId.eq(user_id)).exec(db).await?;
    Ok(())
}

/// Six digits, as an authenticator app shows them (spaces allowed): anything else is taken for a
/// recovery code.
fn is_totp_shape(code: &str) -> bool {
    let digits: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    digits.len() == 6 && digits.chars().all(|c| c.is_ascii_digit())
}

/// The time step (now, or one either side) whose code this is.
fn matching_step(t: &TOTP, code: &str) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if !is_totp_shape(&code) {
        return None;
    }
    let current = (now().timestamp().max(0) as u64) / STEP_SECONDS;
    let mut found = None;
    // Every candidate is computed and compared, whichever matches.
    for step in [current.saturating_sub(1), current, current + 1] {
        if same(t.generate(step * STEP_SECONDS).as_bytes(), code.as_bytes()) {
            found = Some(step as i64);
        }
    }
    found
}

/// The code an authenticator shows for a secret at a moment: for tests and the demo's helpers.
pub fn code_at(secret_base32: &str, at: DateTime<Utc>) -> Option<String> {
    let bytes = totp_rs::Secret::Encoded(secret_base32.replace(' ', "")).to_bytes().ok()?;
    let t = TOTP::new_unchecked(Algorithm::SHA1, 6, 1, STEP_SECONDS, bytes, None, String::new());
    Some(t.generate(at.timestamp().max(0) as u64))
}

/// Requires (or stops requiring) a second step of everyone at a client. Requiring it ends the
/// sessions of those who have not set it up: they set it up at their next sign-in.
pub(crate) async fn require_for_client(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    tenant_id: i64,
    required: bool,
    from: &Client,
) -> Result<()> {
    let t = tenant::Entity::find_by_id(tenant_id).one(db).await?.ok_or(DomainError::NotFound)?;
    if t.two_step_required == required {
        return Ok(());
    }
    let tx = crate::db::write(db).await?;
    let slug = t.slug.clone();
    let mut am = t.into_active_model();
    am.two_step_required = Set(required);
    am.update(&tx).await?;
    if required {
        let without: Vec<i64> = user::Entity::find()
            .filter(user::Column::TenantId.eq(tenant_id))
            .filter(user::Column::TotpEnrolledAt.is_null())
            .all(&tx)
            .await?
            .into_iter()
            .map(|u| u.id)
            .collect();
        for id in without {
            session::end_all_for_user(&tx, id).await?;
        }
    }
    let target = format!("{slug}: {}", if required { "required" } else { "optional" });
    audit::record(
        &tx,
        Some(actor.id),
        Some(tenant_id),
        AuditAction::TwoStepRequirementChanged,
        &target,
        from.ip.as_deref(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_read_as_typed() {
        assert!(is_totp_shape("123 456"));
        assert!(!is_totp_shape("12345"));
        assert!(!is_totp_shape("ABCDE-FGHJK"));
        assert_eq!(normalized("abcde-fghjk "), "ABCDEFGHJK");
    }

    #[test]
    fn recovery_codes_are_unambiguous_and_distinct() {
        let codes: std::collections::HashSet<String> = (0..1000).map(|_| new_recovery_code()).collect();
        assert_eq!(codes.len(), 1000);
        for c in &codes {
            assert_eq!(c.len(), 11);
            assert!(c.chars().all(|ch| ch == '-' || CODE_ALPHABET.contains(&(ch as u8))), "{c}");
        }
    }

    #[test]
    fn the_rfc_6238_vector_for_sha1() {
        // RFC 6238 appendix B: the ASCII secret "12345678901234567890" at 59 s gives 94287082
        // (eight digits); its last six are the six-digit code.
        let secret = base32_of(b"12345678901234567890");
        let code = code_at(&secret, DateTime::from_timestamp(59, 0).unwrap()).unwrap();
        assert_eq!(code, "287082");
    }

    fn base32_of(bytes: &[u8]) -> String {
        totp_rs::Secret::Raw(bytes.to_vec()).to_encoded().to_string()
    }

    #[test]
    fn a_code_matches_only_its_own_steps() {
        let secret = vec![7u8; 20];
        let t = totp(secret.clone(), "a@b.test").unwrap();
        let now_step = (now().timestamp() as u64) / STEP_SECONDS;
        let current = t.generate(now_step * STEP_SECONDS);
        assert_eq!(matching_step(&t, &current), Some(now_step as i64));
        let before = t.generate((now_step - 1) * STEP_SECONDS);
        assert_eq!(matching_step(&t, &before), Some(now_step as i64 - 1));
        let long_ago = t.generate((now_step - 5) * STEP_SECONDS);
        if long_ago != current && long_ago != before {
            assert_eq!(matching_step(&t, &long_ago), None);
        }
    }
}
