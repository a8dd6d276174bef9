//! `POST /api/v1/events`: a batch of events from an RMM or backup tool.

use super::Caller;
use super::problem::{Code, Problem};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use domain::integrations::events::{EventBatch, IngestReport, MAX_BATCH};
use domain::integrations::idempotency::{Remembered, request_hash};
use http::{HeaderValue, StatusCode, header};

const IDEMPOTENCY_KEY: &str = "idempotency-key";

/// The header, as the OpenAPI document states it.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Header)]
#[allow(dead_code)]
struct IdempotencyKey {
    /// Replays the first answer to the same request for 24 hours.
    #[param(rename = "Idempotency-Key", pattern = r"^[!-~]{1,200}$")]
    idempotency_key: Option<String>,
}

/// Send events
///
/// Up to 500 events per request. Each is upserted on (client, source, external_id): the same
/// event sent again is `unchanged`, a changed one `updated`. One bad event is `rejected` with
/// its reason and never rejects the others. With an `Idempotency-Key`, the first answer is
/// replayed for a day for the same request (with `Idempotent-Replayed: true`).
#[utoipa::path(
    post,
    path = "/api/v1/events",
    tag = "events",
    request_body(content = EventBatch, content_type = "application/json"),
    params(IdempotencyKey),
    responses(
        (status = 200, description = "Each event's outcome, in the order sent", body = IngestReport),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the ingest permission", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The Idempotency-Key answered a different request", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a batch, or more than 500 events", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn post_events(Caller(caller): Caller, headers: HeaderMap, body: Result<Bytes, BytesRejection>) -> Response {
    match answer(caller, headers, body).await {
        Ok(res) => res,
        Err(p) => p.into_response(),
    }
}

fn json(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], body).into_response()
}

async fn answer(
    caller: domain::integrations::tokens::ApiCaller,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, Problem> {
    let ingest = match caller.ingest() {
        Some(i) => i,
        None => return Err(super::refuse(&caller, Problem::lacks("ingest")).await),
    };
    let body = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Problem::new(Code::PayloadTooLarge, format!("The body is larger than {} bytes.", super::MAX_BODY))
        } else {
            Problem::new(Code::InvalidRequest, "The body could not be read.")
        }
    })?;
    let key = match headers.get(IDEMPOTENCY_KEY) {
        None => None,
        Some(v) => {
            let k = v
                .to_str()
                .ok()
                .map(str::trim)
                .filter(|k| !k.is_empty() && k.len() <= 200 && k.bytes().all(|b| b.is_ascii_graphic()));
            let bad = || {
                Problem::new(Code::InvalidRequest, "The Idempotency-Key must be 1 to 200 visible ASCII characters.")
                    .field("Idempotency-Key", "1 to 200 visible ASCII characters")
            };
            Some(k.ok_or_else(bad)?.to_string())
        }
    };
    let hash = request_hash("POST", "/api/v1/events", &body);
    if let Some(k) = &key {
        match caller.remembered(k, &hash).await? {
            Remembered::New => {}
            Remembered::Replay { status, body } => {
                let mut res = json(StatusCode::from_u16(status).unwrap_or(StatusCode::OK), body);
                res.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
                return Ok(res);
            }
            Remembered::Conflict => {
                return Err(Problem::new(
                    Code::IdempotencyKeyReused,
                    "This Idempotency-Key was used for a different request.",
                ));
            }
        }
    }
    let batch: EventBatch = serde_json::from_slice(&body).map_err(|e| {
        Problem::new(Code::InvalidRequest, format!("The body must be {{\"events\": [...]}}: {e}"))
            .field("events", "an array of events")
    })?;
    if batch.events.len() > MAX_BATCH {
        return Err(Problem::new(
            Code::TooManyEvents,
            format!("At most {MAX_BATCH} events per request; this one has {}.", batch.events.len()),
        )
        .field("events", format!("at most {MAX_BATCH} events")));
    }
    let report: IngestReport = ingest.events(batch.events).await?;
    let text = serde_json::to_string(&report).expect("a report serialises");
    if let Some(k) = &key {
        caller.remember(k, &hash, 200, &text).await?;
    }
    Ok(json(StatusCode::OK, text))
}
