use sea_orm::DbErr;
use std::panic::Location;

/// What can go wrong in the domain. `Invalid` and `Conflict` carry a message meant for the person
/// who typed the input; `NotFound` is an answer (there is no such thing for this caller), not a
/// failure; `Database` is a failure, logged once with its cause and where it happened, and shown
/// as an opaque one.
#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    #[error("{0}")]
    Invalid(String),
    /// Invalid input where a program sent it (the API): the field at fault, and why.
    #[error("{message}")]
    Field { field: String, message: String },
    #[error("{0}")]
    Conflict(String),
    /// Allowed to look, not to do this: a message for the person.
    #[error("{0}")]
    Forbidden(String),
    #[error("not found")]
    NotFound,
    /// Too much password work is queued: the person should try again in a moment (503).
    #[error("busy: try again in a moment")]
    Busy,
    /// Done too often in the last hour (a paced action): 429, try again in `retry_after` seconds.
    #[error("too many at once: try again in {retry_after} s")]
    TooMany { retry_after: u64 },
    #[error("database error at {at}: {source}")]
    Database { source: DbErr, at: &'static Location<'static> },
}

impl From<DbErr> for DomainError {
    /// `?` on a database call records the line of that `?`: the operation that failed.
    #[track_caller]
    fn from(source: DbErr) -> Self {
        DomainError::Database { source, at: Location::caller() }
    }
}

impl DomainError {
    /// Whether this is a failure on our side (to log and hide), not an answer for the person.
    pub fn is_internal(&self) -> bool {
        matches!(self, DomainError::Database { .. })
    }

    /// Whether the database could not be reached or written at all (`db::is_unavailable`): the
    /// person is asked to try again in a moment (503), not told that something broke.
    pub fn is_unavailable(&self) -> bool {
        matches!(self, DomainError::Database { source, .. } if crate::db::is_unavailable(source))
    }
}

tokio::task_local! {
    /// The request being answered, by its id: what a person quotes when they tell the MSP that a
    /// page failed, and what every log line of that request carries.
    static REFERENCE: String;
}

/// Runs `f` as the request `id` (the server wraps each request, and each task it spawns, in this).
pub async fn with_reference<F: Future>(id: String, f: F) -> F::Output {
    REFERENCE.scope(id, f).await
}

/// The id of the request being answered, if any.
pub fn reference() -> Option<String> {
    REFERENCE.try_with(Clone::clone).ok()
}

/// An error and its causes, outermost first: "a: b: c".
pub fn cause_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut next = e.source();
    while let Some(cause) = next {
        let line = cause.to_string();
        if !text.contains(&line) {
            text.push_str(": ");
            text.push_str(&line);
        }
        next = cause.source();
    }
    text
}

impl From<crate::input::InputError> for DomainError {
    fn from(e: crate::input::InputError) -> Self {
        DomainError::Invalid(e.0)
    }
}

impl From<crate::auth::password::Busy> for DomainError {
    fn from(_: crate::auth::password::Busy) -> Self {
        DomainError::Busy
    }
}

impl DomainError {
    /// `field` is wrong: `message` says how.
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> DomainError {
        DomainError::Field { field: field.into(), message: message.into() }
    }
}

pub type Result<T, E = DomainError> = std::result::Result<T, E>;

/// For a lookup of something the person chose: a missing one is their input to fix (`Invalid`,
/// with this message); any other failure stays what it was.
pub(crate) trait MissingIsInvalid<T> {
    fn missing_is_invalid(self, message: impl Into<String>) -> Result<T>;
}

impl<T> MissingIsInvalid<T> for Result<T> {
    fn missing_is_invalid(self, message: impl Into<String>) -> Result<T> {
        self.map_err(|e| match e {
            DomainError::NotFound => DomainError::Invalid(message.into()),
            other => other,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failing_lookup() -> Result<()> {
        Err(DbErr::Custom("connection reset".into()))?;
        Ok(())
    }

    #[test]
    fn a_database_failure_says_where_it_happened_and_why() {
        let e = failing_lookup().unwrap_err();
        let DomainError::Database { at, .. } = &e else { panic!("not a database failure: {e:?}") };
        assert!(at.file().ends_with("error.rs"), "{at}");
        assert_eq!(at.line(), line!() - 9, "the `?` that failed");
        let text = cause_chain(&e);
        assert!(text.contains("connection reset") && text.contains("error.rs"), "{text}");
        assert!(e.is_internal() && !DomainError::NotFound.is_internal());
    }
}
