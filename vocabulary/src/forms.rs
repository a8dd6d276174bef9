//! Forms as people fill them in: plain text, as typed, shared by the page that shows the form
//! (prefilled) and the server that parses it. One definition, so the two cannot drift apart.

use serde::{Deserialize, Serialize};

/// The work form: one entry of the work log, for one client and any of its systems.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkForm {
    /// The client's slug.
    pub client: String,
    pub systems: Vec<i64>,
    pub category: String,
    pub title: String,
    pub details: String,
    pub why_it_matters: String,
    pub state: String,
    /// `YYYY-MM-DDTHH:MM`, in the client's own time zone.
    pub start: String,
    pub duration_minutes: String,
    pub proactive: bool,
    pub visibility: String,
    pub shadowed_by: Option<i64>,
    pub vendor_name: String,
    pub vendor_case_ref: String,
    /// A ticket number of that client.
    pub ticket: String,
    pub highlight: bool,
}
