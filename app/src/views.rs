//! What pages receive: plain, serialisable, safe for the browser build. Never entities.

use serde::{Deserialize, Serialize};
use vocabulary::{Category, Role, TenantStatus};

/// The person signed in, for the top bar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    pub name: String,
    pub role: Role,
    /// The client company, for client roles.
    pub tenant_name: Option<String>,
}

/// One piece of work as a client reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkView {
    pub id: i64,
    pub category: Category,
    pub title: String,
    pub why_it_matters: String,
    pub details: String,
    pub systems: Vec<String>,
    /// Local to the tenant, e.g. "Tue 17 Nov 2026, 22:00".
    pub when: String,
    /// Machine-readable instant for `<time datetime>`.
    pub when_iso: String,
    pub duration: String,
    pub after_hours: bool,
    pub performed_by: String,
    pub vendor: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardView {
    pub tenant_name: String,
    pub time_zone: String,
    pub feed: Vec<WorkView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantListItem {
    pub slug: String,
    pub name: String,
    pub time_zone: String,
    pub status: TenantStatus,
}
