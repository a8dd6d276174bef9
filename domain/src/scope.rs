//! The two ways to reach data.
//!
//! [`TenantScope`] is the only door client-facing code has: it is created by authentication from
//! the session (never from a URL or a form), its fields are private, and every query it builds
//! carries the tenant filter. [`Unscoped`] reaches every tenant; staff code gets it from
//! `StaffAccess::unscoped`, the command line and the background jobs through the capabilities of
//! [`crate::operator`]. Reads only: every change is a method of a capability.

use crate::entities::*;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Select};
use std::fmt;
use vocabulary::{Role, Visibility};

/// A tenant-owned table: one whose rows carry `tenant_id`.
pub trait TenantOwned: EntityTrait {
    fn tenant_column() -> Self::Column;
}

macro_rules! tenant_owned {
    ($($m:ident),*) => {$(
        impl TenantOwned for $m::Entity {
            fn tenant_column() -> Self::Column { $m::Column::TenantId }
        }
    )*};
}
tenant_owned!(
    system,
    ticket,
    work_entry,
    work_entry_system,
    work_day,
    ticket_comment,
    ticket_status_change,
    coverage,
    knowledge,
    runbook,
    summary,
    ticket_rating,
    incident_client,
    incident_ticket,
    approval,
    approval_window,
    approval_decision
);

/// One tenant's data, as its clients may see it.
#[derive(Clone)]
pub struct TenantScope {
    db: DatabaseConnection,
    tenant_id: i64,
    /// The client user looking, or `None` for staff previewing the portal.
    viewer: Option<(i64, Role)>,
}

impl fmt::Debug for TenantScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TenantScope").field("tenant_id", &self.tenant_id).field("viewer", &self.viewer).finish()
    }
}

impl TenantScope {
    pub(crate) fn new(db: DatabaseConnection, tenant_id: i64, viewer: Option<(i64, Role)>) -> Self {
        TenantScope { db, tenant_id, viewer }
    }

    pub(crate) fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    /// The scope's tenant (for logs; queries add it themselves).
    pub fn tenant_id(&self) -> i64 {
        self.tenant_id
    }

    /// The client user looking, if any (staff previews have none).
    pub fn viewer(&self) -> Option<(i64, Role)> {
        self.viewer
    }

    /// Every read of a tenant-owned table starts here.
    pub(crate) fn select<E: TenantOwned>(&self) -> Select<E> {
        E::find().filter(E::tenant_column().eq(self.tenant_id))
    }

    /// Work entries a client may see: this tenant's, client-visible only.
    pub(crate) fn client_work(&self) -> Select<work_entry::Entity> {
        self.select::<work_entry::Entity>().filter(work_entry::Column::Visibility.eq(Visibility::Client))
    }
}

/// Every tenant's data: for staff and the CLI only.
#[derive(Clone)]
pub struct Unscoped {
    db: DatabaseConnection,
}

impl fmt::Debug for Unscoped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Unscoped")
    }
}

impl Unscoped {
    pub(crate) fn new(db: DatabaseConnection) -> Self {
        Unscoped { db }
    }

    pub(crate) fn db(&self) -> &DatabaseConnection {
        &self.db
    }
}
