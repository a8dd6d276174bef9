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
    pub session_cookie: SessionCookie,
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
        AppError::Internal
    })
}

impl Services {
    /// Signs the calling browser in as the person who just used an emailed link (an invitation
    /// or a password reset) and sends it to their home: the portal for a client, the workspace
    /// for staff.
    pub async fn sign_in_by_link(&self, used: LinkUsed) -> Result<(), AppError> {
        let session = self.sessions.start(used.user_id, &crate::api::guard::request_client()).await?;
        self.set_session_cookie(&session);
        leptos_axum::redirect(used.home);
        Ok(())
    }

    /// A new password and its repetition must match.
    pub fn same_passwords(password: &str, again: &str) -> Result<(), AppError> {
        if password == again { Ok(()) } else { Err(AppError::Invalid("The two passwords are not the same.".into())) }
    }

    /// Signs the calling browser in to a session that was just started.
    pub fn set_session_cookie(&self, session: &NewSession) {
        if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
            let cookie = (self.session_cookie)(&session.token, Some(session.expires_at));
            if let Ok(v) = http::HeaderValue::from_str(&cookie) {
                res.append_header(http::header::SET_COOKIE, v);
            }
        }
    }
}
