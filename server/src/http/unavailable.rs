//! The answer when the database cannot be reached before a request gets anywhere (its session
//! could not be checked): 503 with `Retry-After`, in the caller's language. A person gets a calm
//! page, the API a problem document, a server function the error its caller decodes. Pages that
//! fail later, inside the app, answer the same way through `AppError::Unavailable`.

use axum::response::{IntoResponse, Response};
use http::{HeaderMap, HeaderValue, StatusCode, header};

/// Seconds to wait before trying again: long enough for a database restart.
pub const RETRY_AFTER: &str = "30";

const PAGE: &str = r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Back in a moment · Limelight</title>
<link rel="stylesheet" href="/pkg/limelight.css">
</head>
<body>
<main class="page narrow" id="main">
<h1>Back in a moment</h1>
<p>Limelight can't reach its records just now. Nothing you did caused this, and nothing was lost.</p>
<p>Please try again in a minute: <a href="">reload this page</a>.</p>
</main>
</body>
</html>
"#;

pub fn answer(path: &str, headers: &HeaderMap) -> Response {
    let wants_html =
        headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|accept| accept.contains("text/html"));
    let mut res = if path.starts_with("/api/v1/") {
        super::api_v1::problem::Problem::new(
            super::api_v1::problem::Code::Unavailable,
            "The database cannot be reached just now. Nothing was written; try again after Retry-After seconds.",
        )
        .into_response()
    } else if wants_html {
        (StatusCode::SERVICE_UNAVAILABLE, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], PAGE).into_response()
    } else {
        // A server function's caller decodes its error from the body.
        let body = serde_json::to_string(&app::error::AppError::Unavailable).expect("an error serialises");
        (
            StatusCode::SERVICE_UNAVAILABLE,
            [
                (header::CONTENT_TYPE, "application/json"),
                (http::HeaderName::from_static(leptos::server_fn::error::SERVER_FN_ERROR_HEADER), path),
            ],
            body,
        )
            .into_response()
    };
    res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static(RETRY_AFTER));
    res
}
