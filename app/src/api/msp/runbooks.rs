//! Runbooks, as techs keep them: written and edited from the client's page, reviewed by someone
//! other than their author.

use crate::error::AppError;
use leptos::prelude::*;

/// Writes a runbook (no `id`) or edits one.
#[server(endpoint = "msp/runbook-save")]
pub async fn msp_runbook_save(
    #[server(default)] client: String,
    #[server(default)] id: Option<i64>,
    #[server(default)] system_id: String,
    #[server(default)] title: String,
    #[server(default)] body: String,
) -> Result<(), AppError> {
    use super::super::guard;
    use domain::staff::runbooks::RunbookForm;
    let editor = guard::editor().await?;
    let form = RunbookForm { system_id: super::optional_id(&system_id, "system")?, title, body };
    let id = editor.save_runbook(&client, id, &form).await?;
    leptos_axum::redirect(&format!("/msp/clients/{client}#runbook-{id}"));
    Ok(())
}

/// Records that the viewer reviewed a runbook (not their own).
#[server(endpoint = "msp/runbook-review")]
pub async fn msp_runbook_review(id: i64) -> Result<(), AppError> {
    use super::super::guard;
    let editor = guard::editor().await?;
    let slug = editor.review_runbook(id).await?;
    leptos_axum::redirect(&format!("/msp/clients/{slug}#runbook-{id}"));
    Ok(())
}
