//! The audit log: who did what to which client's what, from where (address and browser), and for
//! an edit what changed. Append-only: nothing in the code updates or deletes an event.

use crate::auth::{Client, CurrentUser};
use crate::entities::audit_event;
use crate::time::now;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, Set};
use std::future::Future;
use vocabulary::AuditAction;

tokio::task_local! {
    /// Where the request being served came from. Events recorded while serving it carry its
    /// address and browser even where the code that records them was not handed them.
    static REQUEST: Client;
}

/// Serves `f` as the request from `from` (the server wraps every request in this).
pub async fn in_request<F: Future>(from: Client, f: F) -> F::Output {
    REQUEST.scope(from, f).await
}

/// An event whose caller knows at most the address: inside a request, the request's address and
/// browser fill in what it does not know; outside one (a command, a background job) there are
/// none.
pub async fn record(
    db: &impl ConnectionTrait,
    actor: Option<i64>,
    tenant: Option<i64>,
    action: AuditAction,
    target: &str,
    ip: Option<&str>,
) -> Result<(), DbErr> {
    let from = Client { ip: ip.map(str::to_string), user_agent: None };
    record_from(db, actor, tenant, action, target, &from, None).await
}

/// An event from a request: its address and user agent are kept.
pub async fn record_from(
    db: &impl ConnectionTrait,
    actor: Option<i64>,
    tenant: Option<i64>,
    action: AuditAction,
    target: &str,
    from: &Client,
    detail: Option<String>,
) -> Result<(), DbErr> {
    // What the caller knows first, else what the request being served says.
    let request = REQUEST.try_with(Client::clone).ok().unwrap_or_default();
    let ip = from.ip.clone().or(request.ip);
    let user_agent = from.user_agent.clone().or(request.user_agent);
    audit_event::ActiveModel {
        actor_id: Set(actor),
        tenant_id: Set(tenant),
        action: Set(action),
        target: Set(target.chars().take(300).collect()),
        ip: Set(ip),
        user_agent: Set(user_agent.map(|ua| ua.chars().take(400).collect())),
        detail: Set(detail),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .map(|_| ())
}

/// Something a signed-in person did, from the request they did it with.
pub async fn by(
    db: &impl ConnectionTrait,
    who: &CurrentUser,
    tenant: Option<i64>,
    action: AuditAction,
    target: &str,
    detail: Option<String>,
) -> Result<(), DbErr> {
    record_from(db, Some(who.id), tenant, action, target, &who.from, detail).await
}

/// What an edit changed, as the log says it: the names of the changed fields, in order.
#[derive(Default)]
pub struct Changes(Vec<String>);

impl Changes {
    pub fn field<T: PartialEq>(&mut self, name: &str, before: &T, after: &T) -> &mut Self {
        if before != after {
            self.0.push(name.to_string());
        }
        self
    }

    /// `None` when nothing changed.
    pub fn summary(&self) -> Option<String> {
        (!self.0.is_empty()).then(|| format!("changed: {}", self.0.join(", ")))
    }
}
