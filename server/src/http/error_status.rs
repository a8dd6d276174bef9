//! A server function that fails answers with the status its error stands for: 404, 401, 403,
//! 422 or 500, from the error's type, whatever the function did on its way out. (The framework
//! answers every failed server function with 500 unless told otherwise.) A plain form post is
//! redirected back to its page by the framework and keeps that redirect.

use app::error::AppError;
use axum::body::Body;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use leptos::server_fn::error::SERVER_FN_ERROR_HEADER;

/// Larger than any error this app writes; a larger body is not an error of ours.
const MAX_ERROR_BODY: usize = 64 * 1024;

pub async fn from_error_type(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    if res.status() != http::StatusCode::INTERNAL_SERVER_ERROR || !res.headers().contains_key(SERVER_FN_ERROR_HEADER) {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_ERROR_BODY).await else {
        return Response::from_parts(parts, Body::empty());
    };
    if let Ok(e) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = e.status();
        match e {
            AppError::Busy => {
                parts.headers.insert(http::header::RETRY_AFTER, http::HeaderValue::from_static("2"));
            }
            AppError::Unavailable => {
                parts
                    .headers
                    .insert(http::header::RETRY_AFTER, http::HeaderValue::from_static(super::unavailable::RETRY_AFTER));
            }
            AppError::TooMany(seconds) => {
                parts.headers.insert(http::header::RETRY_AFTER, http::HeaderValue::from(seconds));
            }
            _ => {}
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}
