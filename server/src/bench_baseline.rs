//! `limelight bench-baseline`: the benchmark's floor, served beside the app on the same database
//! and pool settings. A bare axum handler per page reads what the page must (the session, then the
//! rows: `domain::bench::baseline`) and writes plain HTML: no framework, no layers, no
//! rendering. The benchmark reports each page's figures as a ratio to these.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use domain::DatabaseConnection;
use domain::bench::baseline;
use std::collections::HashMap;

pub fn router(db: DatabaseConnection) -> axum::Router {
    axum::Router::new().route("/portal", get(dashboard)).route("/portal/work", get(history)).with_state(db)
}

/// The session cookie's token, as the app's cookie names it on plain HTTP.
fn token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix("limelight_session=").map(str::to_string))
}

fn failed(e: domain::DomainError) -> Response {
    tracing::error!("baseline: {}", domain::error::cause_chain(&e));
    StatusCode::INTERNAL_SERVER_ERROR.into_response()
}

async fn dashboard(State(db): State<DatabaseConnection>, headers: HeaderMap) -> Response {
    let Some(token) = token(&headers) else { return StatusCode::UNAUTHORIZED.into_response() };
    match baseline::signed_in(&db, &token).await {
        Ok(Some((tenant, tz, name))) => match baseline::dashboard(&db, tenant, tz, &name).await {
            Ok(html) => Html(html).into_response(),
            Err(e) => failed(e),
        },
        Ok(None) => StatusCode::UNAUTHORIZED.into_response(),
        Err(e) => failed(e),
    }
}

async fn history(
    State(db): State<DatabaseConnection>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let Some(token) = token(&headers) else { return StatusCode::UNAUTHORIZED.into_response() };
    match baseline::signed_in(&db, &token).await {
        Ok(Some((tenant, _, name))) => {
            match baseline::history(&db, tenant, &name, query.get("after").map(String::as_str)).await {
                Ok(html) => Html(html).into_response(),
                Err(e) => failed(e),
            }
        }
        Ok(None) => StatusCode::UNAUTHORIZED.into_response(),
        Err(e) => failed(e),
    }
}
