use crate::views::msp::{AdminClientView, AdminUserView, AuditRowView};
use domain::staff::admin::{AdminClient, AdminUser, AuditRow};

pub fn admin_client(c: AdminClient) -> AdminClientView {
    AdminClientView {
        slug: c.slug,
        name: c.name,
        time_zone: c.time_zone,
        days: c.days,
        start: c.start,
        end: c.end,
        included_hours: c.included_hours.map(|h| h.to_string()).unwrap_or_default(),
        status: c.status,
        two_step_required: c.two_step_required,
    }
}

/// Active clients as (slug, name), for a form's choice of client.
pub fn active_client_options(clients: Vec<AdminClient>) -> Vec<(String, String)> {
    clients.into_iter().filter(|c| c.status == vocabulary::TenantStatus::Active).map(|c| (c.slug, c.name)).collect()
}

pub fn admin_user(u: AdminUser, me: i64) -> AdminUserView {
    AdminUserView {
        me: u.id == me,
        id: u.id,
        email: u.email,
        name: u.name,
        role: u.role,
        client: u.tenant.unwrap_or_else(|| "MSP staff".into()),
        active: u.active,
        two_step: u.two_step,
        last_login: u.last_login_at.map(|t| t.format("%-d %b %Y").to_string()).unwrap_or_else(|| "never".into()),
    }
}

pub fn audit_row(r: AuditRow) -> AuditRowView {
    AuditRowView {
        id: r.id,
        at: r.at.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
        actor: r.actor.unwrap_or_else(|| "—".into()),
        client: r.tenant.unwrap_or_default(),
        action: r.action,
        target: r.target,
        ip: r.ip.unwrap_or_default(),
        user_agent: r.user_agent.unwrap_or_default(),
        detail: r.detail.unwrap_or_default(),
    }
}
