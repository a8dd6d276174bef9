//! `/metrics`, in Prometheus' text format, for the MSP's monitoring and never for its clients:
//! served only when `LIMELIGHT_METRICS_TOKEN` is set, and only to a request that bears it
//! (`Authorization: Bearer <token>`); anyone else gets the same 404 as a page that is not there.
//!
//! Counters and histograms are recorded where things happen (requests here, sign-ins and the
//! password gate in the domain, jobs in the job runner); the gauges of state (the pool, the mail
//! queue, the password gate) are read at each scrape.

use crate::state::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, StatusCode, header};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;

/// The process's recorder (one per process: the `metrics` facade has one global recorder).
pub fn recorder() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            PrometheusBuilder::new()
                .set_buckets_for_metric(
                    Matcher::Suffix("_seconds".into()),
                    &[0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0],
                )
                .expect("buckets are not empty")
                .install_recorder()
                .expect("no other metrics recorder in this process")
        })
        .clone()
}

/// The route a request matched (its pattern, such as `/portal/work/{id}`), carried out on the
/// response to the outer layer that counts it. Patterns, not paths: ids would make every request
/// a series of its own.
#[derive(Clone, Debug)]
pub struct RouteName(pub String);

/// A route layer: runs after routing, where the matched pattern is known.
pub async fn remember_route(req: Request, next: Next) -> Response {
    let route = req.extensions().get::<MatchedPath>().map(|p| p.as_str().to_string());
    let mut res = next.run(req).await;
    if let Some(route) = route {
        res.extensions_mut().insert(RouteName(route));
    }
    res
}

/// Counts a request answered, and how long it took.
pub fn record_request(method: &http::Method, response: &Response, started: std::time::Instant) {
    let route = response.extensions().get::<RouteName>().map_or_else(|| "other".to_string(), |r| r.0.clone());
    let labels =
        [("route", route), ("method", method.as_str().to_string()), ("status", response.status().as_u16().to_string())];
    metrics::counter!("limelight_http_requests_total", &labels).increment(1);
    metrics::histogram!("limelight_http_request_duration_seconds", &labels).record(started.elapsed().as_secs_f64());
}

/// The token a scrape must bear, when metrics are served at all.
#[derive(Clone, Debug)]
pub struct MetricsToken(pub String);

pub async fn serve(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(MetricsToken(token)) = &state.metrics_token else { return StatusCode::NOT_FOUND.into_response() };
    let offered = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    if !domain::secrets::same(offered.as_bytes(), token.as_bytes()) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let (open, idle) = domain::db::pool_use(&state.db);
    metrics::gauge!("limelight_db_connections", "state" => "in_use").set(open.saturating_sub(idle as u32) as f64);
    metrics::gauge!("limelight_db_connections", "state" => "idle").set(idle as f64);
    let (running, waiting) = domain::auth::password::queue();
    metrics::gauge!("limelight_password_checks", "state" => "running").set(running as f64);
    metrics::gauge!("limelight_password_checks", "state" => "waiting").set(waiting as f64);
    match domain::mail::backlog(&state.db).await {
        Ok((count, oldest)) => {
            metrics::gauge!("limelight_mail_queue_depth").set(count as f64);
            let age = oldest.map_or(0.0, |t| (chrono::Utc::now() - t).num_milliseconds().max(0) as f64 / 1000.0);
            metrics::gauge!("limelight_mail_queue_oldest_seconds").set(age);
            metrics::gauge!("limelight_database_up").set(1.0);
        }
        Err(e) => {
            // The scrape still answers: that the database is down is itself the news.
            tracing::warn!(error = %e, "the mail queue could not be measured");
            metrics::gauge!("limelight_database_up").set(0.0);
        }
    }
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], recorder().render()).into_response()
}
