//! `/api/v1`: the REST API for the MSP's tools. Bearer tokens only (no cookies are read, so there
//! is nothing to forge cross-site), JSON in and out, errors as `application/problem+json`.
//! The OpenAPI document is generated from these handlers (`docs.rs`).

pub mod clients;
pub mod docs;
pub mod events;
pub mod problem;
pub mod staff;
pub mod work;

use crate::state::AppState;
use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRequestParts};
use axum::routing::{get, post};
use domain::integrations::tokens::{ApiCaller, authenticate};
use http::request::Parts;
use problem::{Code, Problem};

/// The largest request body: 500 events with long details fit with room to spare.
pub const MAX_BODY: usize = 8 * 1024 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/events", post(events::post_events).layer(DefaultBodyLimit::max(MAX_BODY)))
        .route("/clients", get(clients::list_clients).post(staff::add_client))
        .route("/clients/{slug}", get(clients::get_client))
        .route("/clients/{slug}/work", get(clients::list_work).post(work::log_work))
        .route("/clients/{slug}/work/{id}", get(work::get_work).put(work::rewrite_work).delete(work::delete_work))
        .route("/clients/{slug}/systems", get(clients::list_systems).post(work::add_system))
        .route("/clients/{slug}/systems/{id}", get(work::get_system).put(work::edit_system))
        .route("/clients/{slug}/tickets", get(clients::list_tickets).post(clients::open_ticket))
        .route("/clients/{slug}/tickets/{number}", get(clients::get_ticket))
        .route("/clients/{slug}/tickets/{number}/comments", post(clients::comment_on_ticket))
        .route("/clients/{slug}/team", get(clients::get_team).put(staff::set_team))
        .route("/time-off", get(staff::list_time_off).post(staff::add_time_off))
        .route("/time-off/{id}", axum::routing::delete(staff::remove_time_off))
        .route("/openapi.json", get(docs::openapi_json))
        .route("/docs", get(docs::reference_page))
        .route_layer(axum::middleware::from_fn(crate::http::metrics::remember_route))
        .fallback(|| async { Problem::new(Code::NotFound, "No such API route.") })
}

/// The token a request carries, checked: the API's only door to data.
pub struct Caller(pub ApiCaller);

impl FromRequestParts<AppState> for Caller {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let presented = parts
            .headers
            .get(http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
            .map(str::trim)
            .ok_or_else(Problem::unauthorized)?;
        let ip = parts.extensions.get::<crate::http::client_addr::ClientAddr>().map(|c| c.0.to_string());
        // The whole path, as the caller sent it (this router is nested under /api/v1).
        let path = parts.extensions.get::<axum::extract::OriginalUri>().map_or(parts.uri.path(), |u| u.0.path());
        let what = format!("{} {path}", parts.method);
        match authenticate(&state.db, presented, ip.as_deref(), &what).await? {
            Some(caller) => {
                tracing::Span::current().record("user", tracing::field::display(format_args!("token:{}", caller.name)));
                Ok(Caller(caller))
            }
            None => Err(Problem::unauthorized()),
        }
    }
}

/// A query string's parameters, each given at most once (a repeated one is refused, naming it).
pub struct Params(std::collections::HashMap<String, String>);

impl Params {
    pub fn parse(raw: Option<&str>) -> Result<Params, Problem> {
        let mut map = std::collections::HashMap::new();
        for (k, v) in form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
            if map.insert(k.to_string(), v.to_string()).is_some() {
                return Err(Problem::new(Code::InvalidRequest, format!("{k} is given more than once."))
                    .field(&k, "at most once"));
            }
        }
        Ok(Params(map))
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }
}

/// A list's page size: `limit`, 1 to 100, default 50.
pub fn page_size(limit: Option<&str>) -> Result<u64, Problem> {
    match limit {
        None => Ok(50),
        Some(text) => match text.parse::<u64>() {
            Ok(n) if (1..=100).contains(&n) => Ok(n),
            _ => Err(Problem::new(Code::InvalidRequest, "limit must be a whole number from 1 to 100.")
                .field("limit", "a whole number from 1 to 100")),
        },
    }
}

/// Reads a JSON body, or says which field is wrong.
pub(crate) fn json_body<T: serde::de::DeserializeOwned>(
    body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<T, Problem> {
    let body = body.map_err(|e| match e.status() {
        http::StatusCode::PAYLOAD_TOO_LARGE => Problem::new(
            Code::PayloadTooLarge,
            format!("The body is larger than {} bytes.", crate::http::body_limit::MAX_FORM),
        ),
        _ => Problem::new(Code::InvalidRequest, "The body could not be read."),
    })?;
    serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_slice(&body)).map_err(|e| {
        let field = match e.path().to_string() {
            p if p == "." || p.is_empty() => "body".to_string(),
            p => p,
        };
        let why = e.inner().to_string();
        Problem::new(Code::InvalidRequest, format!("{field}: {why}")).field(&field, why)
    })
}

/// A request body, or why it could not be read.
pub(crate) type Body = Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>;

pub(crate) async fn reader(
    caller: &domain::integrations::tokens::ApiCaller,
) -> Result<domain::integrations::reads::ApiReader, Problem> {
    match caller.reader() {
        Some(r) => Ok(r),
        None => Err(refuse(caller, Problem::lacks("read")).await),
    }
}

/// Refuses a token what it may not do: the audit log keeps the refusal, and `problem` answers.
pub(crate) async fn refuse(caller: &domain::integrations::tokens::ApiCaller, problem: Problem) -> Problem {
    if let Err(e) = caller.refused(&problem.detail).await {
        tracing::error!(error = %domain::error::cause_chain(&e), "could not record a refused API request");
    }
    problem
}

pub(crate) async fn writer(
    caller: &domain::integrations::tokens::ApiCaller,
) -> Result<domain::integrations::writes::ApiWriter, Problem> {
    match caller.writer() {
        Some(w) => Ok(w),
        None => Err(refuse(caller, Problem::lacks("write")).await),
    }
}

/// A day in a query (`YYYY-MM-DD`), or a problem naming the parameter.
pub(crate) fn day(text: Option<&str>, field: &str) -> Result<Option<chrono::NaiveDate>, Problem> {
    match text {
        None => Ok(None),
        Some(t) => chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d").map(Some).map_err(|_| {
            Problem::new(Code::InvalidRequest, format!("{field} must be a day, YYYY-MM-DD.")).field(field, "YYYY-MM-DD")
        }),
    }
}
