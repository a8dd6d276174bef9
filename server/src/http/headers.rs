//! Security headers on every response. Pages rendered by leptos set their own CSP with a nonce for
//! their inline scripts; everything else gets a CSP that allows no script at all. Nothing but the
//! static bundle may be cached (pages, server functions, the API and feeds carry a person's or a
//! client's data), and HTTPS is made sticky (HSTS) when the portal's public address is HTTPS.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use http::{HeaderValue, header};

/// The built bundle, stylesheet and icon: the only responses a browser or proxy may keep, and
/// the only ones that need no session.
pub fn is_static_asset(path: &str) -> bool {
    path.starts_with("/pkg/") || path == "/favicon.svg"
}

pub async fn security_headers(
    axum::extract::State(https): axum::extract::State<ServedOverHttps>,
    req: Request,
    next: Next,
) -> Response {
    let cacheable = is_static_asset(req.uri().path());
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    if !cacheable {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if https.0 {
        h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    }
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    h.insert("permissions-policy", HeaderValue::from_static("camera=(), microphone=(), geolocation=()"));
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
            ),
        );
    }
    res
}

/// Whether the portal's public address is HTTPS (then every answer says to stay on it).
#[derive(Clone, Copy, Debug)]
pub struct ServedOverHttps(pub bool);
