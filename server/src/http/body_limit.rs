//! How large a request body may be: a form or an API call 1 MiB, the events endpoint 8 MiB, a
//! CSV upload 32 MiB. A body declared larger is refused before a byte of it is read, with 413 in
//! the caller's language (a page, a problem document, a server function's error); one that is
//! not declared (chunked) is cut off where it passes the limit. Without this, a server function
//! would read any body whole into memory: leptos reads them without axum's default limit.

use axum::body::Body;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{StatusCode, header};

/// Forms, server functions and API writes: far above any field's own limit.
pub const MAX_FORM: usize = 1024 * 1024;

fn limit_for(path: &str) -> usize {
    if path == "/api/v1/events" {
        super::api_v1::MAX_BODY
    } else if path.starts_with("/msp/clients/") && path.ends_with("/import") {
        super::import::MAX_UPLOAD
    } else {
        MAX_FORM
    }
}

pub async fn limit(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let limit = limit_for(&path);
    let declared =
        req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        let mut res = too_large(&path, req.headers(), limit);
        // The body is never read: the connection cannot carry another request after it.
        res.headers_mut().insert(header::CONNECTION, http::HeaderValue::from_static("close"));
        return res;
    }
    let req = req.map(|body| Body::new(http_body_util::Limited::new(body, limit)));
    next.run(req).await
}

fn too_large(path: &str, headers: &http::HeaderMap, limit: usize) -> Response {
    let megabytes = limit / (1024 * 1024);
    let wants_html =
        headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|accept| accept.contains("text/html"));
    if path.starts_with("/api/v1/") {
        super::api_v1::problem::Problem::new(
            super::api_v1::problem::Code::PayloadTooLarge,
            format!("The body is larger than {limit} bytes."),
        )
        .into_response()
    } else if wants_html {
        let page = format!(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Too large · Limelight</title>\
             <link rel=\"stylesheet\" href=\"/pkg/limelight.css\"></head><body><main class=\"page narrow\" id=\"main\">\
             <h1>That was too large</h1><p>Limelight accepts at most {megabytes} MB here. Nothing was saved: \
             go back, shorten it, and send it again.</p></main></body></html>"
        );
        (StatusCode::PAYLOAD_TOO_LARGE, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], page).into_response()
    } else {
        // A server function's caller decodes its error from the body.
        let error = app::error::AppError::Invalid(format!(
            "This is larger than Limelight accepts ({megabytes} MB). Nothing was saved."
        ));
        let body = serde_json::to_string(&error).expect("an error serialises");
        (
            StatusCode::PAYLOAD_TOO_LARGE,
            [
                (header::CONTENT_TYPE, "application/json"),
                (http::HeaderName::from_static(leptos::server_fn::error::SERVER_FN_ERROR_HEADER), path),
            ],
            body,
        )
            .into_response()
    }
}
