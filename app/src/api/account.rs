//! The signed-in person's own account.

use crate::error::AppError;
use crate::views::{SessionView, Viewer};
use leptos::prelude::*;

/// Who is signed in, for the top bar; `None` without a session.
#[server(endpoint = "account/viewer")]
pub async fn current_viewer() -> Result<Option<Viewer>, AppError> {
    use super::guard;
    use domain::auth::Access;
    let Some(access) = guard::access() else {
        return Ok(None);
    };
    let tenant_name = match &access {
        Access::Client(c) => Some(c.scope.tenant().await?.name),
        Access::Staff(_) => None,
    };
    let user = access.user();
    Ok(Some(Viewer { name: user.display_name.clone(), role: user.role, tenant_name }))
}

/// Changes the signed-in person's password. Every session of theirs ends, this one included; the
/// browser that asked gets a fresh session so it stays signed in. `confirm_password`, when sent,
/// must repeat the new password.
#[server(endpoint = "account/password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
    #[server(default)] confirm_password: Option<String>,
) -> Result<(), AppError> {
    use super::guard;
    use crate::api::account::ssr::*;
    let access = guard::signed_in()?;
    if confirm_password.is_some_and(|c| c != new_password) {
        return Err(AppError::Invalid("The two new passwords are not the same.".into()));
    }
    let sessions = use_context::<SessionIssuer>().ok_or(AppError::Internal)?;
    sessions.change_password(access.user(), current_password, new_password, &request_client()).await?;
    // A plain form post (no JavaScript) lands back on the account page with the news.
    leptos_axum::redirect("/portal/account?changed");
    Ok(())
}

/// The signed-in person's live sessions, this browser's marked.
#[server(endpoint = "account/sessions")]
pub async fn account_sessions() -> Result<Vec<SessionView>, AppError> {
    use super::guard;
    use crate::api::account::ssr::*;
    use domain::auth::Access;
    let access = guard::signed_in()?;
    let sessions = use_context::<SessionIssuer>().ok_or(AppError::Internal)?;
    let tz = match &access {
        Access::Client(c) => c.scope.tenant().await?.time_zone,
        Access::Staff(_) => chrono_tz::UTC,
    };
    let current = access.user().session_id;
    let list = sessions.list(access.user()).await?;
    Ok(list
        .into_iter()
        .map(|s| SessionView {
            id: s.id,
            device: device(s.user_agent.as_deref().unwrap_or_default()),
            ip: s.ip.unwrap_or_else(|| "unknown".into()),
            signed_in: s.created_at.with_timezone(&tz).format("%a %-d %b %Y, %H:%M").to_string(),
            last_seen: s.last_seen_at.with_timezone(&tz).format("%a %-d %b %Y, %H:%M").to_string(),
            current: s.id == current,
        })
        .collect())
}

/// Ends one of the signed-in person's sessions (another person's session is 404). Ending this
/// browser's own session signs it out.
#[server(endpoint = "account/end-session")]
pub async fn end_session(id: i64) -> Result<(), AppError> {
    use super::guard;
    use crate::api::account::ssr::*;
    let access = guard::signed_in()?;
    let sessions = use_context::<SessionIssuer>().ok_or(AppError::Internal)?;
    if !sessions.end(access.user(), id).await? {
        return Err(AppError::NotFound);
    }
    leptos_axum::redirect(if id == access.user().session_id { "/login" } else { "/portal/account" });
    Ok(())
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use domain::DatabaseConnection;
    use domain::auth::{Client, SessionPolicy};
    use http::request::Parts;
    use leptos::prelude::*;
    use std::sync::Arc;

    /// Formats the Set-Cookie value for a session token and its expiry.
    pub type CookieFormat = Arc<dyn Fn(&str, Option<chrono::DateTime<chrono::Utc>>) -> String + Send + Sync>;

    /// Session changes a server function may make for the browser that called it. Provided by
    /// the server, which knows how cookies are named and flagged. Its fields are private: a
    /// server function gets these operations, not the database.
    #[derive(Clone)]
    pub struct SessionIssuer {
        db: DatabaseConnection,
        policy: SessionPolicy,
        cookie: CookieFormat,
    }

    impl SessionIssuer {
        pub fn new(db: DatabaseConnection, policy: SessionPolicy, cookie: CookieFormat) -> Self {
            SessionIssuer { db, policy, cookie }
        }

        /// Changes the password (ending every session of the user) and signs this browser in again.
        pub async fn change_password(
            &self,
            user: &domain::auth::CurrentUser,
            current: String,
            new: String,
            client: &Client,
        ) -> Result<(), domain::DomainError> {
            domain::auth::change_password(&self.db, user, current, new, client).await?;
            self.issue(user.id, client).await
        }

        pub async fn list(
            &self,
            user: &domain::auth::CurrentUser,
        ) -> Result<Vec<domain::auth::session::SessionInfo>, domain::DomainError> {
            domain::auth::session::list_for_user(&self.db, user.id).await
        }

        /// Ends one of the user's own sessions; `false` if they have no such session.
        pub async fn end(&self, user: &domain::auth::CurrentUser, id: i64) -> Result<bool, domain::DomainError> {
            let ended = domain::auth::session::end_for_user(&self.db, user.id, id).await?;
            if ended {
                let _ = domain::audit::record(
                    &self.db,
                    Some(user.id),
                    None,
                    domain::vocabulary::AuditAction::SessionEnded,
                    &user.email,
                    None,
                )
                .await;
            }
            Ok(ended)
        }

        /// Starts a session for this browser (after accepting an invitation).
        pub async fn sign_in(&self, user_id: i64, client: &Client) -> Result<(), domain::DomainError> {
            self.issue(user_id, client).await
        }

        async fn issue(&self, user_id: i64, client: &Client) -> Result<(), domain::DomainError> {
            let new = domain::auth::session::create(
                &self.db,
                user_id,
                self.policy,
                client.user_agent.clone(),
                client.ip.clone(),
            )
            .await?;
            if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
                let cookie = (self.cookie)(&new.token, Some(new.expires_at));
                if let Ok(v) = http::HeaderValue::from_str(&cookie) {
                    res.append_header(http::header::SET_COOKIE, v);
                }
            }
            Ok(())
        }
    }

    /// "Firefox on Windows", from a User-Agent header: enough to recognise one's own devices.
    pub fn device(ua: &str) -> String {
        let browser = [("Edg/", "Edge"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari")]
            .iter()
            .find(|(k, _)| ua.contains(k))
            .map_or("A browser", |(_, n)| n);
        let system = [
            ("Android", "Android"),
            ("iPhone", "iPhone"),
            ("iPad", "iPad"),
            ("Windows", "Windows"),
            ("Mac OS X", "macOS"),
            ("Linux", "Linux"),
        ]
        .iter()
        .find(|(k, _)| ua.contains(k))
        .map(|(_, n)| *n);
        match system {
            Some(s) => format!("{browser} on {s}"),
            None if ua.is_empty() => "An unknown device".to_string(),
            None => browser.to_string(),
        }
    }

    /// The caller's address and browser, as the server's session layer recorded them.
    pub fn request_client() -> Client {
        use_context::<Parts>().and_then(|p| p.extensions.get::<Client>().cloned()).unwrap_or_default()
    }
}

/// "Forgot your password?": emails a single-use link if the address has an account. The answer
/// is the same whether or not it has one.
#[server(endpoint = "account/forgot")]
pub async fn forgot_password(#[server(default)] email: String) -> Result<(), AppError> {
    use crate::api::account::ssr::request_client;
    use crate::api::users::ssr::Outgoing;
    let outgoing = use_context::<Outgoing>().ok_or(AppError::Internal)?;
    match outgoing.request_reset(&email, &request_client()).await {
        Ok(()) => {}
        // Even a failure answers the same: the person learns nothing about accounts from it.
        Err(e) => tracing::error!(error = %e, "could not handle a password reset request"),
    }
    leptos_axum::redirect("/login?reset=sent");
    Ok(())
}

/// The email a reset link is for; a used, expired or unknown link is 404.
#[server(endpoint = "reset/info")]
pub async fn reset_info(token: String) -> Result<String, AppError> {
    use crate::api::users::ssr::Outgoing;
    let outgoing = use_context::<Outgoing>().ok_or(AppError::Internal)?;
    outgoing.reset_email(&token).await.map_err(AppError::from)
}

/// Sets a new password with a reset link, ends every other session, and signs this browser in.
#[server(endpoint = "reset/complete")]
pub async fn complete_reset(
    token: String,
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
    let client = request_client();
    let user_id = outgoing.complete_reset(&token, password, &client).await?;
    sessions.sign_in(user_id, &client).await?;
    leptos_axum::redirect(outgoing.home_of(user_id).await);
    Ok(())
}
