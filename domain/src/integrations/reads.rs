//! What a token with the `read` permission reads, within its scope: clients and their
//! client-visible work (a client-scoped token never sees an internal row).

use super::tokens::ApiCaller;
use crate::entities::tenant;
use crate::error::{DomainError, Result};
use crate::scope::TenantScope;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use vocabulary::ApiPermission;

/// The right to read: a token with the `read` permission.
#[derive(Clone, Debug)]
pub struct ApiReader {
    caller: ApiCaller,
}

impl ApiReader {
    pub(crate) fn new(caller: ApiCaller) -> ApiReader {
        ApiReader { caller }
    }
}

impl ApiCaller {
    pub fn reader(&self) -> Option<ApiReader> {
        self.may(ApiPermission::Read).then(|| ApiReader { caller: self.clone() })
    }
}

/// A client's portal as its administrator sees it, if the token reaches it (else not found).
pub(crate) async fn scope_of(caller: &ApiCaller, slug: &str) -> Result<TenantScope> {
    let t = reached(caller, slug).await?;
    Ok(TenantScope::new(caller.db().clone(), t.id, None))
}

/// A client by slug, if the token reaches it; one outside the scope is not found, like a
/// missing one.
pub(crate) async fn reached(caller: &ApiCaller, slug: &str) -> Result<tenant::Model> {
    tenant::Entity::find()
        .filter(tenant::Column::Slug.eq(slug))
        .one(caller.db())
        .await?
        .filter(|t| caller.reaches(t.id))
        .ok_or(DomainError::NotFound)
}

impl ApiReader {
    pub(crate) fn caller(&self) -> &ApiCaller {
        &self.caller
    }

    /// Clients in the token's scope by slug, `after` the given slug, at most `limit`.
    pub async fn clients(&self, after: Option<&str>, limit: u64) -> Result<Vec<tenant::Model>> {
        let mut q = tenant::Entity::find().order_by_asc(tenant::Column::Slug).limit(limit);
        if let super::tokens::TokenScope::Client(id) = self.caller.scope {
            q = q.filter(tenant::Column::Id.eq(id));
        }
        if let Some(a) = after {
            q = q.filter(tenant::Column::Slug.gt(a));
        }
        Ok(q.all(self.caller.db()).await?)
    }

    /// A client by slug; one outside the scope is not found, like a missing one.
    pub async fn client(&self, slug: &str) -> Result<tenant::Model> {
        reached(&self.caller, slug).await
    }

    /// A client's portal, as its client admin sees it (every ticket of the client, public
    /// comments only, client-visible work only).
    pub async fn client_view(&self, slug: &str) -> Result<TenantScope> {
        scope_of(&self.caller, slug).await
    }
}
