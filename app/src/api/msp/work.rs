//! Logging work: the form, the after-hours check, saving, marking done, deleting.

use crate::error::AppError;
use crate::views::msp::WorkFormView;
use leptos::prelude::*;

/// The work form: a new entry (defaults: the client last logged for, now, 30 minutes) or an
/// existing one to edit.
#[server(endpoint = "msp/work-form")]
pub async fn msp_work_form(
    #[server(default)] id: Option<i64>,
    #[server(default)] client: Option<String>,
) -> Result<WorkFormView, AppError> {
    use super::super::guard;
    use crate::views::SystemOption;
    use crate::views::msp::ClientSystems;
    use vocabulary::forms::WorkForm;
    let staff = guard::staff().await?;
    let db = staff.unscoped();
    let editing = match id {
        Some(id) => Some(db.work_for_edit(id).await?),
        None => None,
    };
    let mut clients = Vec::new();
    let mut systems_of = db.systems_by_tenant().await?;
    for t in db.tenants().await? {
        // Archived clients take no new work; an entry of one can still be edited.
        let own = editing.as_ref().is_some_and(|(f, _, _)| f.client == t.slug);
        if t.status != vocabulary::TenantStatus::Active && !own {
            continue;
        }
        let systems = systems_of.remove(&t.id).unwrap_or_default();
        clients.push(ClientSystems {
            systems: systems.into_iter().map(|s| SystemOption { id: s.id, name: s.name }).collect(),
            slug: t.slug,
            name: t.name,
            time_zone: t.time_zone,
        });
    }
    let techs =
        crate::presenters::msp::staff_options(&staff).await?.into_iter().filter(|s| s.role.does_the_work()).collect();
    let (values, planned) = match editing {
        Some((f, state, _)) => (f, state == vocabulary::WorkState::Planned),
        None => {
            let last = db.last_client_of(staff.user.id).await?;
            let known = |c: &String| clients.iter().any(|x| &x.slug == c);
            let client =
                client.filter(known).or(last.filter(known)).or_else(|| clients.first().map(|c| c.slug.clone()));
            let tz: chrono_tz::Tz = clients
                .iter()
                .find(|c| Some(&c.slug) == client.as_ref())
                .and_then(|c| c.time_zone.parse().ok())
                .unwrap_or(chrono_tz::UTC);
            let now = domain::time::now().with_timezone(&tz);
            (
                WorkForm {
                    client: client.unwrap_or_default(),
                    category: "maintenance".into(),
                    state: "done".into(),
                    start: now.format("%Y-%m-%dT%H:%M").to_string(),
                    duration_minutes: "30".into(),
                    proactive: true,
                    visibility: "client".into(),
                    ..Default::default()
                },
                false,
            )
        }
    };
    let events = match id {
        Some(id) => {
            let tz = clients.iter().find(|c| c.slug == values.client).and_then(|c| c.time_zone.parse().ok());
            db.events_of_entry(id)
                .await?
                .into_iter()
                .map(|e| crate::presenters::msp::integrations::raw_event(e, tz.unwrap_or(chrono_tz::UTC)))
                .collect()
        }
        None => Vec::new(),
    };
    let tz: chrono_tz::Tz = clients
        .iter()
        .find(|c| c.slug == values.client)
        .and_then(|c| c.time_zone.parse().ok())
        .unwrap_or(chrono_tz::UTC);
    let approval = match id {
        Some(id) => db.approval_for_work(id).await?.map(|d| crate::presenters::approvals::approval(&d, false)),
        None => None,
    };
    let can_edit = staff.editor().is_some();
    let can_ask_approval = can_edit && planned && approval.is_none() && values.visibility == "client";
    Ok(WorkFormView {
        entry_id: id,
        planned,
        clients,
        techs,
        values,
        can_edit,
        events,
        approval,
        can_ask_approval,
        now_local: domain::time::now().with_timezone(&tz).format("%Y-%m-%dT%H:%M").to_string(),
    })
}

/// Before saving: would this be after hours for that client? In words.
#[server(endpoint = "msp/work-check")]
pub async fn msp_work_check(
    #[server(default)] client: String,
    #[server(default)] start: String,
    #[server(default)] duration: String,
) -> Result<String, AppError> {
    use super::super::guard;
    let staff = guard::staff().await?;
    let check = staff.unscoped().after_hours_check(&client, &start, &duration).await?;
    Ok(if check.after_hours {
        format!("After hours for this client ({}).", check.local)
    } else {
        format!("Within this client's business hours ({}).", check.local)
    })
}

/// Saves the work form: a new entry, or `entry_id`'s. Then back to the client's page.
#[server(endpoint = "msp/work-save")]
#[allow(clippy::too_many_arguments)]
pub async fn msp_work_save(
    #[server(default)] entry_id: Option<i64>,
    #[server(default)] client: String,
    #[server(default)] systems: Vec<i64>,
    #[server(default)] category: String,
    #[server(default)] title: String,
    #[server(default)] details: String,
    #[server(default)] why_it_matters: String,
    #[server(default)] state: String,
    #[server(default)] start: String,
    #[server(default)] duration_minutes: String,
    #[server(default)] proactive: Option<String>,
    #[server(default)] visibility: String,
    #[server(default)] shadowed_by: String,
    #[server(default)] vendor_name: String,
    #[server(default)] vendor_case_ref: String,
    #[server(default)] ticket: String,
    #[server(default)] highlight: Option<String>,
) -> Result<i64, AppError> {
    use super::super::guard;
    use domain::staff::work_log::WorkForm;
    let editor = guard::editor().await?;
    let form = WorkForm {
        client,
        systems,
        category,
        title,
        details,
        why_it_matters,
        state,
        start,
        duration_minutes,
        proactive: proactive.is_some(),
        visibility,
        shadowed_by: super::optional_id(&shadowed_by, "person shadowing")?,
        vendor_name,
        vendor_case_ref,
        ticket,
        highlight: highlight.is_some(),
    };
    let services = crate::services::services()?;
    let saved = match entry_id {
        Some(id) => {
            let (saved, alerts) = editor.update_work(id, &form, &services.public_url).await?;
            services.notifier.queue_all(alerts, "work done without approval").await;
            saved
        }
        None => editor.log_work(&form).await?,
    };
    leptos_axum::redirect(&format!("/msp/clients/{}?saved={}", saved.tenant_slug, saved.id));
    Ok(saved.id)
}

/// Marks a planned entry done.
#[server(endpoint = "msp/work-done")]
pub async fn msp_work_done(id: i64) -> Result<(), AppError> {
    use super::super::guard;
    let editor = guard::editor().await?;
    let services = crate::services::services()?;
    let alerts = editor.mark_done(id, &services.public_url).await?;
    services.notifier.queue_all(alerts, "work done without approval").await;
    leptos_axum::redirect(&format!("/msp/work/{id}"));
    Ok(())
}

/// Deletes an entry (recorded in the audit log).
#[server(endpoint = "msp/work-delete")]
pub async fn msp_work_delete(id: i64) -> Result<(), AppError> {
    use super::super::guard;
    let editor = guard::editor().await?;
    let slug = editor.delete_work(id).await?;
    leptos_axum::redirect(&format!("/msp/clients/{slug}?deleted"));
    Ok(())
}
