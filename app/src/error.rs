//! The errors a page or a server function can show.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// What went wrong, in words fit for the person looking. Database and other internal failures are
/// logged on the server with their cause and reach the browser only as `Internal`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("We couldn't find that page.")]
    NotFound,
    #[error("Please sign in again.")]
    Unauthorized,
    #[error("{0}")]
    Invalid(String),
    /// Signed in and allowed to look, not to change this (an account manager editing work).
    #[error("{0}")]
    Forbidden(String),
    /// A failure on our side, with the request's id for the person to quote (it is in the log).
    #[error("Something went wrong on our side. Please try again in a moment.")]
    Internal(Option<String>),
    /// The database cannot be reached just now: 503 with `Retry-After`; it passes on its own.
    #[error(
        "Limelight can't reach its records just now. Nothing you did caused this, and nothing was lost: please try again in a minute."
    )]
    Unavailable,
    /// Too many requests at once (password work is queued full): 503 with `Retry-After`.
    #[error("Many people are signing in right now. Please try again in a moment.")]
    Busy,
    /// Done too often in the last hour: 429 with `Retry-After` (seconds).
    #[error("You have done this many times in the last hour. Please try again in {} minutes.", .0.div_ceil(60))]
    TooMany(u64),
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // The request's own arguments could not be read: the caller's input, not our failure.
            ServerFnErrorErr::Args(msg)
            | ServerFnErrorErr::MissingArg(msg)
            | ServerFnErrorErr::Deserialization(msg) => AppError::Invalid(msg),
            _ => AppError::Internal(None),
        }
    }
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::AppError;
    use domain::DomainError;
    use http::StatusCode;

    impl AppError {
        /// A failure on our side, logged already, named by the request it happened in.
        pub fn internal() -> AppError {
            AppError::Internal(domain::error::reference())
        }

        pub fn status(&self) -> StatusCode {
            match self {
                AppError::NotFound => StatusCode::NOT_FOUND,
                AppError::Unauthorized => StatusCode::UNAUTHORIZED,
                AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
                AppError::Forbidden(_) => StatusCode::FORBIDDEN,
                AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
                AppError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
                AppError::Busy => StatusCode::SERVICE_UNAVAILABLE,
                AppError::TooMany(_) => StatusCode::TOO_MANY_REQUESTS,
            }
        }
    }

    impl From<DomainError> for AppError {
        fn from(e: DomainError) -> Self {
            match e {
                DomainError::NotFound => AppError::NotFound,
                DomainError::Busy => AppError::Busy,
                DomainError::TooMany { retry_after } => AppError::TooMany(retry_after),
                DomainError::Invalid(m) | DomainError::Conflict(m) => AppError::Invalid(m),
                e @ DomainError::Field { .. } => AppError::Invalid(e.to_string()),
                DomainError::Forbidden(m) => AppError::Forbidden(m),
                e @ DomainError::Database { .. } if e.is_unavailable() => {
                    tracing::error!(error = %domain::error::cause_chain(&e), "the database is unavailable");
                    AppError::Unavailable
                }
                e @ DomainError::Database { .. } => {
                    // Logged here, once, inside the request's span (route, user, tenant, request
                    // id); the person sees only that it failed.
                    tracing::error!(error = %domain::error::cause_chain(&e), "internal error");
                    AppError::internal()
                }
            }
        }
    }
}
