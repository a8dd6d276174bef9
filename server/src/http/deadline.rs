//! A request's deadline: an answer must be on its way within `request_timeout` (30 s), or the
//! request gets 408 and its connection closes, so a client that trickles a body (or a handler
//! stuck on something) cannot hold a connection forever. Uploads (the CSV import, an events
//! batch) get longer, as a large file over a slow line needs it. A streamed answer (the CSV
//! export) is bounded until its first byte; its body then flows at the client's pace.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::time::Duration;

/// What the deadlines are.
#[derive(Clone, Copy, Debug)]
pub struct Deadlines {
    pub request: Duration,
    pub upload: Duration,
}

impl Deadlines {
    /// Uploads: the CSV import and the events API, whose bodies may be megabytes.
    fn for_path(&self, path: &str) -> Duration {
        let upload = (path.starts_with("/msp/clients/") && path.ends_with("/import")) || path == "/api/v1/events";
        if upload { self.upload } else { self.request }
    }
}

pub async fn limit(State(deadlines): State<Deadlines>, req: Request, next: Next) -> Response {
    let allowed = deadlines.for_path(req.uri().path());
    match tokio::time::timeout(allowed, next.run(req)).await {
        Ok(res) => res,
        Err(_) => {
            tracing::warn!(seconds = allowed.as_secs(), "a request ran out of time");
            (
                http::StatusCode::REQUEST_TIMEOUT,
                [(http::header::CONNECTION, "close")],
                "The request took too long. Please try again.",
            )
                .into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uploads_get_the_longer_deadline() {
        let d = Deadlines { request: Duration::from_secs(30), upload: Duration::from_secs(600) };
        assert_eq!(d.for_path("/msp/clients/acme-dental/import"), d.upload);
        assert_eq!(d.for_path("/api/v1/events"), d.upload);
        assert_eq!(d.for_path("/login"), d.request);
        assert_eq!(d.for_path("/api/v1/clients/acme-dental/work"), d.request);
    }
}
