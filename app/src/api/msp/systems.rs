//! A client's systems, as techs keep them: added and edited from the client's page.

use crate::error::AppError;
use leptos::prelude::*;

/// Adds a system to a client (no `id`) or edits one.
#[server(endpoint = "msp/system-save")]
pub async fn msp_system_save(
    #[server(default)] client: String,
    #[server(default)] id: Option<i64>,
    #[server(default)] name: String,
    #[server(default)] kind: String,
    #[server(default)] criticality: String,
    #[server(default)] vendor: String,
    #[server(default)] notes: String,
) -> Result<(), AppError> {
    use super::super::guard;
    use domain::staff::systems::SystemForm;
    let editor = guard::editor().await?;
    let form = SystemForm { name, kind, criticality, vendor, notes };
    let slug = match id {
        Some(id) => editor.edit_system(id, &form).await?,
        None => {
            editor.add_system(&client, &form).await?;
            client
        }
    };
    leptos_axum::redirect(&format!("/msp/clients/{slug}#systems"));
    Ok(())
}
