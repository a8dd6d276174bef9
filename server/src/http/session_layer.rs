//! Resolves the session cookie once per request and records what it may reach (`Access`) and
//! where it came from (`Client`) in the request's extensions, where pages and server functions
//! find it. Also the coarse page guard: without a session, `/portal` and `/msp` go to `/login`;
//! with one, `/login` goes home.

use crate::state::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use domain::auth::{self, Client};

pub async fn resolve(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    // Static assets need no session: spare them the database round trip.
    if super::headers::is_static_asset(req.uri().path()) {
        return next.run(req).await;
    }
    // Made by the client-address layer, outside this one.
    let client = req.extensions().get::<Client>().cloned().unwrap_or_default();
    let access = match state.cookies.token(req.headers()) {
        Some(token) => match auth::authenticate(&state.db, &token, state.sessions, &client).await {
            Ok(a) => a,
            Err(e) => {
                tracing::error!(error = %domain::error::cause_chain(&e), "could not check a session");
                return super::unavailable::answer(req.uri().path(), req.headers());
            }
        },
        None => None,
    };
    let path = req.uri().path();
    let signed_in_area = ["/portal", "/msp"].iter().any(|p| path == *p || path.starts_with(&format!("{p}/")));
    if access.is_none() && signed_in_area && matches!(*req.method(), http::Method::GET | http::Method::HEAD) {
        // Back here once signed in (a link in an email, say); an area's home is where a sign-in
        // lands anyway.
        let asked = req.uri().path_and_query().map(|p| p.as_str()).unwrap_or(path);
        let back = super::return_to::parse(asked).filter(|p| p != "/portal" && p != "/msp");
        return Redirect::to(&super::return_to::login_page("", back.as_deref())).into_response();
    }
    // Already signed in: the sign-in page sends you home.
    if let Some(a) = &access {
        if path == "/login" && *req.method() == http::Method::GET {
            return Redirect::to(a.user().role.home()).into_response();
        }
    }
    // A sign-in waiting for its second step, for the pages of that step.
    if let Some(token) = state.cookies.challenge_token(req.headers()) {
        req.extensions_mut().insert(domain::auth::two_step::ChallengeCookie(token));
    }
    if let Some(a) = access {
        super::request_span::record_access(&a);
        req.extensions_mut().insert(a);
    }
    next.run(req).await
}
