//! The API's errors: `application/problem+json` (RFC 9457) with a stable `code` a program can
//! branch on, and the field at fault when there is one.

use axum::response::{IntoResponse, Response};
use domain::DomainError;
use http::{HeaderValue, StatusCode, header};
use serde::Serialize;

/// Every code the API answers with, one per kind of failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Code {
    /// No token, or one that is unknown, expired or revoked (all alike).
    Unauthorized,
    /// The token lacks the permission this needs.
    Forbidden,
    /// No such thing, or not within the token's scope (alike).
    NotFound,
    /// The request is malformed or a field is wrong (`errors` names it).
    InvalidRequest,
    TooManyEvents,
    PayloadTooLarge,
    /// This `Idempotency-Key` answered a different request.
    IdempotencyKeyReused,
    Conflict,
    /// Done too often in the last hour; `Retry-After` says when to try again.
    TooManyRequests,
    /// The database cannot be reached just now; `Retry-After` says when to try again.
    Unavailable,
    /// Something failed on our side; it is logged with the request's id.
    Internal,
}

impl Code {
    fn status(self) -> StatusCode {
        match self {
            Code::Unauthorized => StatusCode::UNAUTHORIZED,
            Code::Forbidden => StatusCode::FORBIDDEN,
            Code::NotFound => StatusCode::NOT_FOUND,
            Code::InvalidRequest | Code::TooManyEvents => StatusCode::UNPROCESSABLE_ENTITY,
            Code::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            // The request conflicts with the one that key answered.
            Code::Conflict | Code::IdempotencyKeyReused => StatusCode::CONFLICT,
            Code::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            Code::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Code::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// An error answer.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// A URI reference naming the kind of problem (the reference page explains each).
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    pub code: Code,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// Seconds until trying again makes sense: sent as `Retry-After`.
    #[serde(skip)]
    pub retry_after: Option<u64>,
}

impl Problem {
    pub fn new(code: Code, detail: impl Into<String>) -> Problem {
        let status = code.status();
        let code_word =
            serde_json::to_value(code).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
        Problem {
            kind: format!("/api/v1/docs#problem-{code_word}"),
            title: status.canonical_reason().unwrap_or("Error").to_string(),
            status: status.as_u16(),
            detail: detail.into(),
            code,
            errors: Vec::new(),
            retry_after: None,
        }
    }

    pub fn field(mut self, field: &str, message: impl Into<String>) -> Problem {
        self.errors.push(FieldError { field: field.to_string(), message: message.into() });
        self
    }

    pub fn unauthorized() -> Problem {
        Problem::new(Code::Unauthorized, "Send a live API token as `Authorization: Bearer <token>`.")
    }

    pub fn not_found() -> Problem {
        Problem::new(Code::NotFound, "There is nothing here for this token.")
    }

    pub fn lacks(permission: &str) -> Problem {
        Problem::new(Code::Forbidden, format!("This token lacks the {permission} permission."))
    }
}

impl From<DomainError> for Problem {
    fn from(e: DomainError) -> Self {
        match e {
            DomainError::Invalid(m) => Problem::new(Code::InvalidRequest, m),
            DomainError::Field { field, message } => {
                Problem::new(Code::InvalidRequest, format!("{field}: {message}")).field(&field, message)
            }
            DomainError::Conflict(m) => Problem::new(Code::Conflict, m),
            DomainError::Forbidden(m) => Problem::new(Code::Forbidden, m),
            DomainError::NotFound => Problem::not_found(),
            DomainError::Busy => Problem::new(Code::Internal, "Busy: please try again in a moment."),
            DomainError::TooMany { retry_after } => Problem {
                retry_after: Some(retry_after),
                ..Problem::new(Code::TooManyRequests, format!("Too many at once: try again in {retry_after} s."))
            },
            e @ DomainError::Database { .. } if e.is_unavailable() => {
                tracing::error!(error = %domain::error::cause_chain(&e), "the database is unavailable");
                Problem::new(
                    Code::Unavailable,
                    "The database cannot be reached just now. Try again after Retry-After seconds.",
                )
            }
            e @ DomainError::Database { .. } => {
                // Logged once, in the request's span (which carries its id).
                tracing::error!(error = %domain::error::cause_chain(&e), "API request failed");
                Problem::new(Code::Internal, "Something went wrong on our side. It is logged; please try again.")
            }
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let unauthorized = self.code == Code::Unauthorized;
        let mut res = (status, serde_json::to_string(&self).expect("a problem serialises")).into_response();
        let h = res.headers_mut();
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        if unauthorized {
            h.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if let Some(seconds) = self.retry_after {
            h.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        } else if self.code == Code::Unavailable {
            h.insert(header::RETRY_AFTER, HeaderValue::from_static(crate::http::unavailable::RETRY_AFTER));
        }
        res
    }
}
