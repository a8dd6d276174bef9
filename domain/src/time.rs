use chrono::{DateTime, SubsecRound, Utc};

/// The current time, to the whole second. Stored times are whole seconds so that their text form
/// on SQLite sorts exactly like the instant it names.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(0)
}
