//! Administration server functions: MSP admins only; anyone else gets 404.

use crate::error::AppError;
use crate::views::msp::{AdminClientView, AdminUsersView, AuditView};
use leptos::prelude::*;

#[server(endpoint = "msp/admin/clients")]
pub async fn admin_clients() -> Result<Vec<AdminClientView>, AppError> {
    use super::super::guard;
    let admin = guard::admin().await?;
    Ok(admin.clients().await?.into_iter().map(crate::presenters::msp::admin::admin_client).collect())
}

#[server(endpoint = "msp/admin/client-new")]
pub async fn admin_client_new(
    #[server(default)] slug: String,
    #[server(default)] name: String,
    #[server(default)] time_zone: String,
) -> Result<(), AppError> {
    use super::super::guard;
    let admin = guard::admin().await?;
    let slug = admin.create_client(&slug, &name, &time_zone).await?;
    leptos_axum::redirect(&format!("/msp/admin/clients#client-{slug}"));
    Ok(())
}

#[server(endpoint = "msp/admin/client-edit")]
pub async fn admin_client_edit(
    slug: String,
    #[server(default)] name: String,
    #[server(default)] time_zone: String,
    #[server(default)] days: Vec<u8>,
    #[server(default)] start: String,
    #[server(default)] end: String,
    #[server(default)] included_hours: String,
) -> Result<(), AppError> {
    use super::super::guard;
    use domain::staff::admin::ClientForm;
    let admin = guard::admin().await?;
    let form = ClientForm { name, time_zone, days, start, end, included_hours };
    admin.edit_client(&slug, &form).await?;
    leptos_axum::redirect(&format!("/msp/admin/clients#client-{slug}"));
    Ok(())
}

#[server(endpoint = "msp/admin/client-status")]
pub async fn admin_client_status(slug: String, #[server(default)] status: String) -> Result<(), AppError> {
    use super::super::guard;
    let admin = guard::admin().await?;
    let status = status.parse().map_err(|_| AppError::Invalid("Please choose a status.".into()))?;
    admin.set_client_status(&slug, status).await?;
    leptos_axum::redirect("/msp/admin/clients");
    Ok(())
}

#[server(endpoint = "msp/admin/users")]
pub async fn admin_users() -> Result<AdminUsersView, AppError> {
    use super::super::guard;
    let admin = guard::admin().await?;
    let me = admin.user.id;
    let clients = crate::presenters::msp::admin::active_client_options(admin.clients().await?);
    Ok(AdminUsersView {
        users: admin.users().await?.into_iter().map(|u| crate::presenters::msp::admin::admin_user(u, me)).collect(),
        clients,
    })
}

/// Invites a person by email: staff (no client) or a user of a client.
#[server(endpoint = "msp/admin/invite")]
pub async fn admin_invite(
    #[server(default)] email: String,
    #[server(default)] role: String,
    #[server(default)] client: String,
) -> Result<(), AppError> {
    use super::super::guard;
    let admin = guard::admin().await?;
    let links = crate::services::services()?.links;
    admin.pace(domain::auth::throttle::Paced::Invitation, &guard::request_client()).await?;
    let invited = admin.invite(&email, &role, &client).await?;
    links.send_invitation(&invited, &admin.user.display_name).await.map_err(|e| {
        tracing::error!(error = %e, "could not queue an invitation");
        AppError::internal()
    })?;
    leptos_axum::redirect("/msp/admin/users?invited");
    Ok(())
}

#[server(endpoint = "msp/admin/user-role")]
pub async fn admin_user_role(id: i64, #[server(default)] role: String) -> Result<(), AppError> {
    use super::super::guard;
    let admin = guard::admin().await?;
    admin.change_role(id, &role).await?;
    leptos_axum::redirect("/msp/admin/users");
    Ok(())
}

/// Deactivates (ending every session) or reactivates a user.
#[server(endpoint = "msp/admin/user-active")]
pub async fn admin_user_active(id: i64, #[server(default)] active: String) -> Result<(), AppError> {
    use super::super::guard;
    let admin = guard::admin().await?;
    admin.set_active(id, active == "true").await?;
    leptos_axum::redirect("/msp/admin/users");
    Ok(())
}

/// Forgets a person's second step (a lost phone): their sessions end, they are emailed, and they
/// set it up again at their next sign-in where it is required.
#[server(endpoint = "msp/admin/user-two-step-reset")]
pub async fn admin_user_two_step_reset(id: i64) -> Result<(), AppError> {
    use super::super::guard;
    let admin = guard::admin().await?;
    crate::services::services()?.two_step.reset_by_admin(&admin, id, &guard::request_client()).await?;
    leptos_axum::redirect("/msp/admin/users?two-step-reset");
    Ok(())
}

/// Requires two-step sign-in of everyone at a client (`required` = "true"), or stops requiring it.
#[server(endpoint = "msp/admin/client-two-step")]
pub async fn admin_client_two_step(slug: String, #[server(default)] required: String) -> Result<(), AppError> {
    use super::super::guard;
    let admin = guard::admin().await?;
    admin.require_two_step(&slug, required == "true", &guard::request_client()).await?;
    leptos_axum::redirect(&format!("/msp/admin/clients#client-{slug}"));
    Ok(())
}

#[server(endpoint = "msp/audit")]
pub async fn admin_audit(
    #[server(default)] action: Option<String>,
    #[server(default)] client: Option<String>,
    #[server(default)] from: Option<String>,
    #[server(default)] to: Option<String>,
    #[server(default)] before: Option<String>,
) -> Result<AuditView, AppError> {
    use super::super::guard;
    use domain::staff::admin::AuditFilter;
    let admin = guard::admin().await?;
    let given = |v: &Option<String>| v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_string);
    let bad = |m: &str| AppError::Invalid(m.to_string());
    let day = |v: &Option<String>| -> Result<Option<chrono::NaiveDate>, AppError> {
        given(v)
            .map(|d| {
                chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").map_err(|_| bad("Please give dates as YYYY-MM-DD."))
            })
            .transpose()
    };
    let filter = AuditFilter {
        action: given(&action)
            .map(|a| a.parse().map_err(|_| bad(&format!("There is no action {a:?} in the audit log."))))
            .transpose()?,
        client: given(&client),
        from: day(&from)?,
        to: day(&to)?,
        before: given(&before).map(|b| b.parse().map_err(|_| bad("That page link is not valid."))).transpose()?,
    };
    let rows = admin.audit(&filter).await?;
    let next = (rows.len() == 100).then(|| rows.last().map(|r| r.id)).flatten();
    Ok(AuditView {
        rows: rows.into_iter().map(crate::presenters::msp::admin::audit_row).collect(),
        actions: admin.audit_actions().await?,
        clients: admin.clients().await?.into_iter().map(|c| (c.slug, c.name)).collect(),
        next,
    })
}
