//! The audit log: who did what to which client's what, from where (address and browser), and for
//! an edit what changed. Append-only: nothing in the code updates or deletes an event.

use crate::auth::{Client, CurrentUser};
use crate::entities::audit_event;
use crate::time::now;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, Set};
use vocabulary::AuditAction;

/// An event with no browser to name (a command, a background job, an API token's call) or whose
/// caller records its own address.
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
    audit_event::ActiveModel {
        actor_id: Set(actor),
        tenant_id: Set(tenant),
        action: Set(action),
        target: Set(target.chars().take(300).collect()),
        ip: Set(from.ip.clone()),
        user_agent: Set(from.user_agent.as_ref().map(|ua| ua.chars().take(400).collect())),
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
