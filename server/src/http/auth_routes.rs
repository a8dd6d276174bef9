//! Signing in (the password, then the second step where there is one) and out: plain form posts,
//! so they work without JavaScript.

use super::return_to;
use crate::state::AppState;
use axum::Extension;
use axum::extract::State;
use axum::response::{AppendHeaders, IntoResponse, Redirect, Response};
use axum::{Form, http::HeaderMap};
use domain::auth::two_step::{self, Checked, Next};
use domain::auth::{self, Access, Client};
use domain::vocabulary::AuditAction;
use http::header::SET_COOKIE;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    /// The page asked for before signing in (see `return_to`).
    #[serde(default)]
    next: String,
}

/// `POST /login`. A right password leads to a new session (any old one ends) and 303 to the
/// role's home, or, for someone with a second step (or who must set one up), to that step with a
/// short-lived two-step cookie. Refusal: 303 back to the form, identical whether the email exists
/// or not. Too many recent failures (for the account at the address, from the address, or for the
/// account): 303 back with a request to wait.
pub async fn login(
    State(state): State<AppState>,
    Extension(client): Extension<Client>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let back = return_to::parse(&form.next);
    match auth::login(&state.two_step, &form.email, form.password, &client).await {
        Ok(auth::LoginOutcome::Passed(next)) => next_step(&state, &headers, next, back).await,
        Ok(auth::LoginOutcome::Refused) => {
            Redirect::to(&return_to::login_page("failed", back.as_deref())).into_response()
        }
        Ok(auth::LoginOutcome::Throttled) => {
            Redirect::to(&return_to::login_page("throttled", back.as_deref())).into_response()
        }
        Err(domain::DomainError::Busy) => busy(),
        Err(e) => internal(e, "login failed on our side"),
    }
}

/// Where a right password (or an emailed link) leads: a session (and the page asked for, `back`),
/// or the second step, with `back` kept in a cookie until it is done.
pub async fn next_step(state: &AppState, headers: &HeaderMap, next: Next, back: Option<String>) -> Response {
    let (c, to) = match next {
        Next::SignedIn(done) => return signed_in(state, headers, done, back).await,
        Next::Code(c) => (c, "/login/code"),
        Next::Setup(c) => (c, "/login/setup"),
    };
    match back {
        Some(path) => (
            AppendHeaders([
                (SET_COOKIE, state.cookies.challenge(&c.token, c.expires_at)),
                (SET_COOKIE, state.cookies.return_to(&path)),
            ]),
            Redirect::to(to),
        )
            .into_response(),
        // No page asked for: one left from an abandoned sign-in goes.
        None if state.cookies.return_to_path(headers).is_some() => (
            AppendHeaders([
                (SET_COOKIE, state.cookies.challenge(&c.token, c.expires_at)),
                (SET_COOKIE, state.cookies.return_to_cleared()),
            ]),
            Redirect::to(to),
        )
            .into_response(),
        None => challenge(state, c, to),
    }
}

fn challenge(state: &AppState, c: two_step::Challenge, to: &str) -> Response {
    ([(SET_COOKIE, state.cookies.challenge(&c.token, c.expires_at))], Redirect::to(to)).into_response()
}

/// Both steps passed: the new session's cookie (whatever session this browser had ends here),
/// the two-step and return cookies gone, and the page asked for if the role may have it, else home.
async fn signed_in(state: &AppState, headers: &HeaderMap, done: auth::LoggedIn, back: Option<String>) -> Response {
    if let Some(old) = state.cookies.token(headers) {
        if let Err(e) = auth::session::end(&state.db, &old).await {
            tracing::error!(error = %e, "could not end the previous session");
        }
    }
    let cookie = state.cookies.session(&done.token, Some(done.expires_at));
    let to = return_to::for_role(back, done.role).unwrap_or_else(|| done.role.home().to_string());
    (
        AppendHeaders([
            (SET_COOKIE, cookie),
            (SET_COOKIE, state.cookies.challenge_cleared()),
            (SET_COOKIE, state.cookies.return_to_cleared()),
        ]),
        Redirect::to(&to),
    )
        .into_response()
}

/// The browser's sign-in has no live second step (expired, used up, too many wrong codes, or
/// never started): back to the password.
fn start_again(state: &AppState) -> Response {
    let cleared = [(SET_COOKIE, state.cookies.challenge_cleared()), (SET_COOKIE, state.cookies.return_to_cleared())];
    (AppendHeaders(cleared), Redirect::to("/login?expired")).into_response()
}

/// A code that did not pass, answered on the page that asked for it: how many tries are left, a
/// request to wait, or (the sign-in being over) back to the password.
fn not_passed<T>(state: &AppState, page: &str, refusal: Checked<T>) -> Response {
    match refusal {
        Checked::Wrong { left } => Redirect::to(&format!("{page}?wrong={left}")).into_response(),
        Checked::Throttled => Redirect::to(&format!("{page}?throttled")).into_response(),
        Checked::Expired | Checked::Passed(_) => start_again(state),
    }
}

fn internal(e: domain::DomainError, what: &'static str) -> Response {
    tracing::error!(error = %domain::error::cause_chain(&e), "{what}");
    (http::StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong on our side. Please try again.").into_response()
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

/// `POST /login/code`: the code from the authenticator app, or a recovery code.
pub async fn code(
    State(state): State<AppState>,
    Extension(client): Extension<Client>,
    headers: HeaderMap,
    Form(form): Form<CodeForm>,
) -> Response {
    let Some(token) = state.cookies.challenge_token(&headers) else { return start_again(&state) };
    match state.two_step.verify(&token, &form.code, &client).await {
        Ok(Checked::Passed(done)) => {
            let back = state.cookies.return_to_path(&headers);
            signed_in(&state, &headers, done, back).await
        }
        Ok(refusal) => not_passed(&state, "/login/code", refusal),
        Err(e) => internal(e, "a second step failed on our side"),
    }
}

/// `POST /login/setup`: the first code from a newly added authenticator; next, the recovery codes.
pub async fn setup(
    State(state): State<AppState>,
    Extension(client): Extension<Client>,
    headers: HeaderMap,
    Form(form): Form<CodeForm>,
) -> Response {
    let Some(token) = state.cookies.challenge_token(&headers) else { return start_again(&state) };
    match state.two_step.confirm_setup(&token, &form.code, &client).await {
        Ok(Checked::Passed(())) => Redirect::to("/login/recovery-codes").into_response(),
        Ok(refusal) => not_passed(&state, "/login/setup", refusal),
        Err(e) => internal(e, "setting up a second step failed on our side"),
    }
}

/// `POST /login/recovery-codes`: the person has kept their codes; the session starts.
pub async fn recovery_codes_kept(
    State(state): State<AppState>,
    Extension(client): Extension<Client>,
    headers: HeaderMap,
) -> Response {
    let Some(token) = state.cookies.challenge_token(&headers) else { return start_again(&state) };
    match state.two_step.finish_setup(&token, &client).await {
        Ok(Checked::Passed(done)) => {
            let back = state.cookies.return_to_path(&headers);
            signed_in(&state, &headers, done, back).await
        }
        Ok(_) => start_again(&state),
        Err(e) => internal(e, "finishing a second step's setup failed on our side"),
    }
}

/// `POST /account/two-step`: a signed-in person sets up an authenticator (turning the second
/// step on, or replacing a lost one). Their session goes on until the setup is done.
pub async fn start_setup(
    State(state): State<AppState>,
    Extension(client): Extension<Client>,
    access: Option<Extension<Access>>,
) -> Response {
    let Some(Extension(access)) = access else { return Redirect::to("/login").into_response() };
    match state.two_step.start_setup(access.user(), &client).await {
        Ok(c) => challenge(&state, c, "/login/setup"),
        Err(e) => internal(e, "starting a second step's setup failed on our side"),
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
            let _ = domain::audit::by(&state.db, user, None, AuditAction::Logout, &user.email, None).await;
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
