//! Every request runs inside one tracing span: method, route, request id, and (once the session
//! is known) user and tenant. Whatever is logged while answering it, an internal error above all,
//! says which request it belongs to. The request id comes from an `X-Request-Id` header set by a
//! proxy in front, else a new one; the response carries it back, and a page that fails shows it
//! (`domain::error::reference`) for the person to quote.

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;
use domain::auth::Access;
use http::HeaderValue;
use tracing::Instrument;

const REQUEST_ID: &str = "x-request-id";

pub async fn span(req: Request, next: Next) -> Response {
    let id = req
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 64 && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        .map(str::to_string)
        .unwrap_or_else(|| format!("{:016x}", rand::random::<u64>()));
    let route = req.extensions().get::<MatchedPath>().map(|p| p.as_str().to_string());
    let (method, started) = (req.method().clone(), std::time::Instant::now());
    let span = tracing::info_span!(
        "request",
        method = %req.method(),
        route = %route.as_deref().unwrap_or(req.uri().path()),
        request_id = %id,
        user = tracing::field::Empty,
        tenant = tracing::field::Empty,
    );
    let mut res = domain::error::with_reference(id.clone(), next.run(req).instrument(span)).await;
    super::metrics::record_request(&method, &res, started);
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut().insert(REQUEST_ID, v);
    }
    res
}

/// Adds the session's user and tenant to the current request's span.
pub fn record_access(access: &Access) {
    let span = tracing::Span::current();
    span.record("user", access.user().id);
    if let Access::Client(c) = access {
        span.record("tenant", c.scope.tenant_id());
    }
}
