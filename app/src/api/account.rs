//! The signed-in person's own account.

use crate::error::AppError;
use crate::views::Viewer;
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
        Access::Client(c) => Some(c.scope.tenant().await.map_err(guard::domain)?.name),
        Access::Staff(_) => None,
    };
    let user = access.user();
    Ok(Some(Viewer { name: user.display_name.clone(), role: user.role, tenant_name }))
}

/// Changes the signed-in person's password. Every session of theirs ends, this one included; the
/// browser that asked gets a fresh session so it stays signed in.
#[server(endpoint = "account/password")]
pub async fn change_password(current_password: String, new_password: String) -> Result<(), AppError> {
    use super::guard;
    use crate::api::account::ssr::*;
    let access = guard::signed_in()?;
    let sessions = use_context::<SessionIssuer>().ok_or(AppError::Internal)?;
    sessions
        .change_password(access.user(), current_password, new_password, &request_client())
        .await
        .map_err(guard::domain)
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

    /// The caller's address and browser, as the server's session layer recorded them.
    pub fn request_client() -> Client {
        use_context::<Parts>().and_then(|p| p.extensions.get::<Client>().cloned()).unwrap_or_default()
    }
}
