use sea_orm::DbErr;

/// What can go wrong in the domain. `Invalid` and `Conflict` carry a message meant for the person
/// who typed the input; `Database` is logged and shown as an opaque failure.
#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Conflict(String),
    /// Allowed to look, not to do this: a message for the person.
    #[error("{0}")]
    Forbidden(String),
    #[error("not found")]
    NotFound,
    #[error("database error: {0}")]
    Database(#[from] DbErr),
}

impl From<crate::input::InputError> for DomainError {
    fn from(e: crate::input::InputError) -> Self {
        DomainError::Invalid(e.0)
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
