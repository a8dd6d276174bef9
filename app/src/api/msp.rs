//! The staff workspace's server functions.

use crate::error::AppError;
use crate::views::TenantListItem;
use leptos::prelude::*;

/// Every client company, for staff.
#[server(endpoint = "msp/tenants")]
pub async fn msp_tenants() -> Result<Vec<TenantListItem>, AppError> {
    use super::guard;
    let staff = guard::staff()?;
    let tenants = staff.unscoped().tenants().await.map_err(guard::domain)?;
    Ok(tenants
        .into_iter()
        .map(|t| TenantListItem { slug: t.slug, name: t.name, time_zone: t.time_zone, status: t.status })
        .collect())
}
