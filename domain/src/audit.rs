//! The audit log: security-relevant actions, who did them, from where.

use crate::entities::audit_event;
use crate::time::now;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, Set};
use vocabulary::AuditAction;

pub async fn record(
    db: &impl ConnectionTrait,
    actor: Option<i64>,
    tenant: Option<i64>,
    action: AuditAction,
    target: &str,
    ip: Option<&str>,
) -> Result<(), DbErr> {
    audit_event::ActiveModel {
        actor_id: Set(actor),
        tenant_id: Set(tenant),
        action: Set(action),
        target: Set(target.chars().take(300).collect()),
        ip: Set(ip.map(str::to_string)),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .map(|_| ())
}
