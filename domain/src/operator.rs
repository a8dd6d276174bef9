//! Who may change every tenant without being a user: the installation's operator at the command
//! line (the audit log records no actor for it), and the server's background jobs. Each is a
//! named capability, so code that holds one says so in its types; nothing else outside this
//! crate reaches the database unscoped.

use crate::entities::{tenant, user};
use crate::error::Result;
use crate::figures::Month;
use crate::scope::Unscoped;
use crate::tenants::NewTenant;
use crate::users::NewUser;
use sea_orm::DatabaseConnection;

/// The person running `limelight` on the server: adds clients and users, deactivates users,
/// drafts summaries.
#[derive(Clone, Debug)]
pub struct Operator {
    all: Unscoped,
}

impl Operator {
    pub fn for_command_line(db: DatabaseConnection) -> Self {
        Operator { all: Unscoped::new(db) }
    }

    pub(crate) fn db(&self) -> &DatabaseConnection {
        self.all.db()
    }

    /// Every tenant's data, to read.
    pub fn unscoped(&self) -> Unscoped {
        self.all.clone()
    }

    pub async fn add_tenant(&self, new: NewTenant) -> Result<tenant::Model> {
        self.all.add_tenant(new, None).await
    }

    pub async fn add_user(&self, new: NewUser) -> Result<user::Model> {
        self.all.add_user(new, None).await
    }

    /// Deactivates a user and ends all of their sessions.
    pub async fn deactivate_user(&self, email: &str) -> Result<()> {
        self.all.deactivate_user(email, None).await
    }

    /// A draft summary for every active client for `month` (default: last month); answers how
    /// many were made (a client and month that has one already is left alone).
    pub async fn draft_month_for_all(&self, month: Option<Month>) -> Result<usize> {
        self.all.draft_month_for_all(month).await
    }
}

/// The server's hourly job: last month's summary drafts, made by whichever process gets there.
#[derive(Clone, Debug)]
pub struct MonthlyDrafts {
    all: Unscoped,
}

impl MonthlyDrafts {
    pub fn new(db: DatabaseConnection) -> Self {
        MonthlyDrafts { all: Unscoped::new(db) }
    }

    pub async fn run(&self) -> Result<usize> {
        self.all.draft_month_for_all(None).await
    }
}
