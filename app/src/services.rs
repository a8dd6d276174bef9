//! What server functions reach besides the caller's own access: the operations the server wires
//! up once at start (the person's sessions, the emailed-link flows, notices), how the session
//! cookie is written, and the MSP's own time zone. The server provides one [`Services`] value to
//! every request; [`services`] fetches it and fails loudly (logged, 500) should it be missing,
//! instead of quietly skipping what it would have done.

use crate::error::AppError;
use chrono::{DateTime, Utc};
use domain::auth::Sessions;
use domain::auth::session::NewSession;
use domain::emailed_links::{EmailedLinks, LinkUsed};
use domain::notifications::Notifier;
use leptos::prelude::use_context;
use std::sync::Arc;

/// Writes the Set-Cookie value for a session token and its expiry (the server knows the cookie's
/// name and flags).
pub type SessionCookie = Arc<dyn Fn(&str, Option<DateTime<Utc>>) -> String + Send + Sync>;

#[derive(Clone)]
pub struct Services {
    pub sessions: Sessions,
    pub links: EmailedLinks,
    pub notifier: Notifier,
    /// Asking requesters to rate resolved tickets, and telling account managers of poor ratings.
    pub ratings: domain::ratings::Ratings,
    pub session_cookie: SessionCookie,
    /// Writes the two-step cookie (a sign-in between its password and its second step).
    pub challenge_cookie: SessionCookie,
    /// The second step of signing in.
    pub two_step: domain::auth::two_step::TwoStep,
    /// `LIMELIGHT_TIME_ZONE`: what "today" means on the staff overview.
    pub msp_time_zone: chrono_tz::Tz,
    /// The person's own calendar feed link.
    pub calendar: domain::calendar::CalendarFeeds,
    /// `LIMELIGHT_PUBLIC_URL`: the portal's address, for links people copy elsewhere.
    pub public_url: String,
}

pub fn services() -> Result<Services, AppError> {
    use_context::<Services>().ok_or_else(|| {
        tracing::error!("this request has no services: the server did not provide them");
        AppError::internal()
    })
}

impl Services {
    /// Signs the calling browser in as the person who just used an emailed link (an invitation
    /// or a password reset) and sends it to their home: the portal for a client, the workspace
    /// for staff. The link stands for the password only: someone with a second step (or who must
    /// set one up) is taken to it first.
    pub async fn sign_in_by_link(&self, used: LinkUsed) -> Result<(), AppError> {
        use domain::auth::two_step::Next;
        match self.two_step.after_link(used.user_id, &crate::api::guard::request_client()).await? {
            Next::SignedIn(done) => {
                self.set_session_cookie(&NewSession { token: done.token, expires_at: done.expires_at });
                leptos_axum::redirect(done.role.home());
            }
            Next::Code(c) => {
                self.set_cookie(&self.challenge_cookie, &c.token, c.expires_at);
                leptos_axum::redirect("/login/code");
            }
            Next::Setup(c) => {
                self.set_cookie(&self.challenge_cookie, &c.token, c.expires_at);
                leptos_axum::redirect("/login/setup");
            }
        }
        Ok(())
    }

    /// A new password and its repetition must match.
    pub fn same_passwords(password: &str, again: &str) -> Result<(), AppError> {
        if password == again { Ok(()) } else { Err(AppError::Invalid("The two passwords are not the same.".into())) }
    }

    /// Signs the calling browser in to a session that was just started.
    pub fn set_session_cookie(&self, session: &NewSession) {
        self.set_cookie(&self.session_cookie, &session.token, session.expires_at);
    }

    fn set_cookie(&self, write: &SessionCookie, token: &str, expires: DateTime<Utc>) {
        if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
            if let Ok(v) = http::HeaderValue::from_str(&write(token, Some(expires))) {
                res.append_header(http::header::SET_COOKIE, v);
            }
        }
    }
}
