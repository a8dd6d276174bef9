//! API tokens. A token is shown once, stored as its SHA-256, limited to one client or all of
//! them and to the permissions it was given, and stops working when it expires or is revoked.
//! Every use is audited and recorded on the token (when, from which address).

use crate::audit;
use crate::auth::session::{hash_token, new_token};
use crate::entities::{api_token, tenant};
use crate::error::{DomainError, Result};
use crate::time::now;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set};
use std::collections::BTreeSet;
use vocabulary::{ApiPermission, AuditAction};

/// Every token starts with this, so a leaked one is recognisable (by secret scanners too).
pub const TOKEN_PREFIX: &str = "llt_";

/// Which clients a token reaches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenScope {
    AllClients,
    Client(i64),
}

/// A token request as typed, checked: a name, a scope (a client's slug or "all"), permissions,
/// an optional last day.
#[derive(Clone, Debug)]
pub struct NewToken {
    pub name: String,
    /// `None`: every client.
    pub client: Option<String>,
    pub permissions: BTreeSet<ApiPermission>,
    pub expires_on: Option<NaiveDate>,
}

impl NewToken {
    pub fn parse(name: &str, scope: &str, permissions: &[String], expires_on: &str) -> Result<NewToken> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(DomainError::Invalid("Please give the token a name of 1 to 100 characters.".into()));
        }
        if name.chars().any(char::is_control) {
            return Err(DomainError::Invalid("A token's name cannot contain control characters.".into()));
        }
        let scope = scope.trim();
        let client = match scope {
            "" => return Err(DomainError::Invalid("Please choose the token's scope: one client, or all.".into())),
            "all" => None,
            slug => Some(slug.to_string()),
        };
        let mut set = BTreeSet::new();
        for p in permissions.iter().flat_map(|p| p.split(',')).map(str::trim).filter(|p| !p.is_empty()) {
            set.insert(p.parse::<ApiPermission>().map_err(|e| DomainError::Invalid(e.to_string()))?);
        }
        if set.is_empty() {
            return Err(DomainError::Invalid(
                "Please give the token at least one permission: ingest, read or write.".into(),
            ));
        }
        let expires_on = match expires_on.trim() {
            "" => None,
            text => {
                let day = NaiveDate::parse_from_str(text, "%Y-%m-%d")
                    .map_err(|_| DomainError::Invalid("Please give the expiry as YYYY-MM-DD.".into()))?;
                if day < now().date_naive() {
                    return Err(DomainError::Invalid("The expiry date has passed already.".into()));
                }
                Some(day)
            }
        };
        Ok(NewToken { name: name.to_string(), client, permissions: set, expires_on })
    }
}

/// A token as lists show it (never the token itself).
#[derive(Clone, Debug)]
pub struct TokenRow {
    pub name: String,
    pub prefix: String,
    /// The client's slug and name, or `None` for every client.
    pub client: Option<(String, String)>,
    pub permissions: Vec<ApiPermission>,
    pub expires_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub last_used_ip: Option<String>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl TokenRow {
    /// The last day the token works (it expires at the end of it, UTC).
    pub fn last_day(&self) -> Option<NaiveDate> {
        self.expires_at.map(|e| (e - chrono::Duration::days(1)).date_naive())
    }

    pub fn is_live(&self) -> bool {
        self.revoked_at.is_none() && self.expires_at.is_none_or(|e| e > now())
    }
}

fn permissions_of(t: &api_token::Model) -> Vec<ApiPermission> {
    [(t.may_ingest, ApiPermission::Ingest), (t.may_read, ApiPermission::Read), (t.may_write, ApiPermission::Write)]
        .into_iter()
        .filter_map(|(has, p)| has.then_some(p))
        .collect()
}

/// Issues a token: answers it (to be shown once) with its stored row.
pub(crate) async fn issue(db: &DatabaseConnection, new: &NewToken, by: Option<i64>) -> Result<(String, TokenRow)> {
    let tx = crate::db::write(db).await?;
    let tenant = match &new.client {
        None => None,
        Some(slug) => Some(
            tenant::Entity::find()
                .filter(tenant::Column::Slug.eq(slug.as_str()))
                .one(&tx)
                .await?
                .ok_or_else(|| DomainError::Invalid(format!("No client has the slug {slug:?}.")))?,
        ),
    };
    if api_token::Entity::find().filter(api_token::Column::Name.eq(new.name.as_str())).one(&tx).await?.is_some() {
        return Err(DomainError::Conflict(format!("A token named {:?} exists already.", new.name)));
    }
    let secret = format!("{TOKEN_PREFIX}{}", new_token());
    let has = |p| new.permissions.contains(&p);
    let row = api_token::ActiveModel {
        name: Set(new.name.clone()),
        prefix: Set(secret.chars().take(TOKEN_PREFIX.len() + 6).collect()),
        token_hash: Set(hash_token(&secret)),
        tenant_id: Set(tenant.as_ref().map(|t| t.id)),
        may_ingest: Set(has(ApiPermission::Ingest)),
        may_read: Set(has(ApiPermission::Read)),
        may_write: Set(has(ApiPermission::Write)),
        // Valid through its last day (UTC).
        expires_at: Set(new
            .expires_on
            .map(|d| (d + chrono::Duration::days(1)).and_hms_opt(0, 0, 0).unwrap().and_utc())),
        created_by: Set(by),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    let scope = tenant.as_ref().map_or("all clients".to_string(), |t| format!("client {}", t.slug));
    let what = permissions_of(&row).iter().map(|p| p.as_str()).collect::<Vec<_>>().join(",");
    audit::record(
        &tx,
        by,
        tenant.as_ref().map(|t| t.id),
        AuditAction::ApiTokenCreated,
        &format!("token {} ({scope}; {what})", row.name),
        None,
    )
    .await?;
    tx.commit().await?;
    let listed = row_of(row, tenant.map(|t| (t.slug, t.name)));
    Ok((secret, listed))
}

fn row_of(t: api_token::Model, client: Option<(String, String)>) -> TokenRow {
    TokenRow {
        permissions: permissions_of(&t),
        name: t.name,
        prefix: t.prefix,
        client,
        expires_at: t.expires_at,
        created_at: t.created_at,
        last_used_at: t.last_used_at,
        last_used_ip: t.last_used_ip,
        revoked_at: t.revoked_at,
    }
}

/// Every token, newest first.
pub(crate) async fn list(db: &DatabaseConnection) -> Result<Vec<TokenRow>> {
    let tokens = api_token::Entity::find().order_by_desc(api_token::Column::Id).all(db).await?;
    let tenants: std::collections::HashMap<i64, tenant::Model> =
        tenant::Entity::find().all(db).await?.into_iter().map(|t| (t.id, t)).collect();
    Ok(tokens
        .into_iter()
        .map(|t| {
            let client = t.tenant_id.and_then(|id| tenants.get(&id)).map(|c| (c.slug.clone(), c.name.clone()));
            row_of(t, client)
        })
        .collect())
}

/// Revokes a token by name; revoking a revoked token changes nothing.
pub(crate) async fn revoke(db: &DatabaseConnection, name: &str, by: Option<i64>) -> Result<()> {
    let tx = crate::db::write(db).await?;
    let t = api_token::Entity::find()
        .filter(api_token::Column::Name.eq(name.trim()))
        .one(&tx)
        .await?
        .ok_or(DomainError::NotFound)?;
    if t.revoked_at.is_none() {
        let (id, tenant, name) = (t.id, t.tenant_id, t.name.clone());
        let mut row: api_token::ActiveModel = t.into();
        row.revoked_at = Set(Some(now()));
        row.update(&tx).await?;
        audit::record(&tx, by, tenant, AuditAction::ApiTokenRevoked, &format!("token {name} (#{id})"), None).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A live token, presented: what it may reach and do. The only way to one is [`authenticate`].
#[derive(Clone, Debug)]
pub struct ApiCaller {
    pub token_id: i64,
    pub name: String,
    pub scope: TokenScope,
    /// The request it makes ("PUT /api/v1/…"), for the audit log.
    pub what: String,
    may_ingest: bool,
    may_read: bool,
    may_write: bool,
    db: DatabaseConnection,
}

impl ApiCaller {
    pub fn may(&self, p: ApiPermission) -> bool {
        match p {
            ApiPermission::Ingest => self.may_ingest,
            ApiPermission::Read => self.may_read,
            ApiPermission::Write => self.may_write,
        }
    }

    pub(crate) fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    /// Whether this token reaches the tenant.
    pub fn reaches(&self, tenant_id: i64) -> bool {
        match self.scope {
            TokenScope::AllClients => true,
            TokenScope::Client(id) => id == tenant_id,
        }
    }

    /// Records that this token asked for what its permissions or scope do not allow.
    pub async fn refused(&self, why: &str) -> Result<()> {
        let tenant = match self.scope {
            TokenScope::Client(t) => Some(t),
            TokenScope::AllClients => None,
        };
        let target = format!("token {}: {}", self.name, self.what);
        let detail = Some(why.to_string());
        let from = crate::auth::Client::default();
        Ok(audit::record_from(&self.db, None, tenant, AuditAction::AccessRefused, &target, &from, detail).await?)
    }

    /// Staff-scoped (every client): may see internal rows, as staff do.
    pub fn is_staff_scoped(&self) -> bool {
        self.scope == TokenScope::AllClients
    }
}

/// The caller a bearer token stands for, or `None` for a token that is unknown, expired or
/// revoked (all alike). Records the use: on the token (time, address) and in the audit log.
pub async fn authenticate(
    db: &DatabaseConnection,
    presented: &str,
    ip: Option<&str>,
    what: &str,
) -> Result<Option<ApiCaller>> {
    if !presented.starts_with(TOKEN_PREFIX) || presented.len() > 200 {
        return Ok(None);
    }
    let t = now();
    let Some(token) = api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(hash_token(presented)))
        .one(db)
        .await?
        .filter(|k| k.revoked_at.is_none() && k.expires_at.is_none_or(|e| e > t))
    else {
        return Ok(None);
    };
    let tx = crate::db::write(db).await?;
    api_token::Entity::update_many()
        .col_expr(api_token::Column::LastUsedAt, sea_orm::sea_query::Expr::value(t))
        .col_expr(api_token::Column::LastUsedIp, sea_orm::sea_query::Expr::value(ip.map(str::to_string)))
        .filter(api_token::Column::Id.eq(token.id))
        .exec(&tx)
        .await?;
    audit::record(&tx, None, token.tenant_id, AuditAction::ApiTokenUsed, &format!("token {}: {what}", token.name), ip)
        .await?;
    tx.commit().await?;
    Ok(Some(ApiCaller {
        what: what.to_string(),
        token_id: token.id,
        scope: token.tenant_id.map_or(TokenScope::AllClients, TokenScope::Client),
        name: token.name,
        may_ingest: token.may_ingest,
        may_read: token.may_read,
        may_write: token.may_write,
        db: db.clone(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_requests() {
        let p = |s: &str| vec![s.to_string()];
        let t = NewToken::parse(" ninja ", "all", &p("ingest, read"), "").unwrap();
        assert_eq!(t.name, "ninja");
        assert_eq!(t.client, None);
        assert_eq!(t.permissions.into_iter().collect::<Vec<_>>(), vec![ApiPermission::Ingest, ApiPermission::Read]);
        assert_eq!(NewToken::parse("x", "acme", &p("write"), "").unwrap().client.as_deref(), Some("acme"));
        assert!(NewToken::parse("", "all", &p("read"), "").is_err());
        assert!(NewToken::parse("x", "", &p("read"), "").is_err());
        assert!(NewToken::parse("x", "all", &p(""), "").is_err());
        assert!(NewToken::parse("x", "all", &p("delete"), "").is_err());
        assert!(NewToken::parse("x", "all", &p("read"), "2020-01-01").is_err());
        assert!(NewToken::parse("x", "all", &p("read"), "next week").is_err());
    }
}

impl crate::staff::admin::Admin {
    pub async fn api_tokens(&self) -> Result<Vec<TokenRow>> {
        list(self.db()).await
    }

    /// Issues a token; the answer holds the token itself, to be shown this once.
    pub async fn create_api_token(&self, new: &NewToken) -> Result<(String, TokenRow)> {
        issue(self.db(), new, Some(self.user.id)).await
    }

    pub async fn revoke_api_token(&self, name: &str) -> Result<()> {
        revoke(self.db(), name, Some(self.user.id)).await
    }
}

impl crate::operator::Operator {
    pub async fn api_tokens(&self) -> Result<Vec<TokenRow>> {
        list(self.db()).await
    }

    pub async fn create_api_token(&self, new: &NewToken) -> Result<(String, TokenRow)> {
        issue(self.db(), new, None).await
    }

    pub async fn revoke_api_token(&self, name: &str) -> Result<()> {
        revoke(self.db(), name, None).await
    }
}
