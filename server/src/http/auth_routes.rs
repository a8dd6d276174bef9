//! Signing in and out: plain form posts, so they work without JavaScript.

use crate::state::AppState;
use axum::Extension;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, http::HeaderMap};
use domain::auth::{self, Access, Client};
use domain::vocabulary::AuditAction;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

/// `POST /login`. Success: a new session (any old one ends), and 303 to the role's home.
/// Refusal: 303 back to the form, identical whether the email exists or not. Too many recent
/// failures for the email (or from the address): 303 back with a request to wait.
pub async fn login(
    State(state): State<AppState>,
    Extension(client): Extension<Client>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    match auth::login(&state.db, &form.email, form.password, state.sessions, &client).await {
        Ok(auth::LoginOutcome::LoggedIn(done)) => {
            // A new token at every login: whatever session this browser had ends here.
            if let Some(old) = state.cookies.token(&headers) {
                if let Err(e) = auth::session::end(&state.db, &old).await {
                    tracing::error!(error = %e, "could not end the previous session");
                }
            }
            let cookie = state.cookies.session(&done.token, Some(done.expires_at));
            ([(http::header::SET_COOKIE, cookie)], Redirect::to(done.role.home())).into_response()
        }
        Ok(auth::LoginOutcome::Refused) => Redirect::to("/login?failed").into_response(),
        Ok(auth::LoginOutcome::Throttled) => Redirect::to("/login?throttled").into_response(),
        Err(domain::DomainError::Busy) => busy(),
        Err(e) => {
            tracing::error!(error = %e, "login failed on our side");
            (http::StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong on our side. Please try again.")
                .into_response()
        }
    }
}

/// `POST /logout`: ends this session and clears the cookie.
pub async fn logout(State(state): State<AppState>, access: Option<Extension<Access>>, headers: HeaderMap) -> Response {
    if let Some(token) = state.cookies.token(&headers) {
        if let Err(e) = auth::session::end(&state.db, &token).await {
            tracing::error!(error = %e, "could not end a session");
        }
        if let Some(Extension(a)) = access {
            let user = a.user();
            let _ = domain::audit::record(&state.db, Some(user.id), None, AuditAction::Logout, &user.email, None).await;
        }
    }
    ([(http::header::SET_COOKIE, state.cookies.cleared())], Redirect::to("/login")).into_response()
}

/// `/`: each role to its home; no session to the sign-in page.
pub async fn home(access: Option<Extension<Access>>) -> Redirect {
    match access {
        Some(Extension(a)) => Redirect::to(a.user().role.home()),
        None => Redirect::to("/login"),
    }
}

/// 503 with `Retry-After`: too many sign-ins are queued for password work right now.
pub fn busy() -> Response {
    (
        http::StatusCode::SERVICE_UNAVAILABLE,
        [(http::header::RETRY_AFTER, "2")],
        "Many people are signing in right now. Please try again in a moment.",
    )
        .into_response()
}
