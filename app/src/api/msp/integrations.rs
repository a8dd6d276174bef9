//! Integrations: API tokens (MSP admins; anyone else 404) and, on a client's page, the names its
//! systems go by in the MSP's tools (techs and MSP admins change them).

use crate::error::AppError;
use crate::views::msp::IntegrationsView;
use leptos::prelude::*;

/// `/msp/admin/integrations`: every token, never the token itself.
#[server(endpoint = "msp/admin/integrations")]
pub async fn integrations() -> Result<IntegrationsView, AppError> {
    use super::super::guard;
    let admin = guard::admin().await?;
    let clients = crate::presenters::msp::admin::active_client_options(admin.clients().await?);
    Ok(IntegrationsView {
        tokens: admin.api_tokens().await?.into_iter().map(crate::presenters::msp::integrations::api_token).collect(),
        wordings: admin
            .automation_wordings()
            .await?
            .into_iter()
            .map(|w| crate::views::msp::WordingView {
                kind: w.kind,
                why_it_matters: w.why_it_matters,
                is_default: w.is_default,
            })
            .collect(),
        clients,
        webhooks: admin.webhooks().await?.into_iter().map(crate::presenters::msp::integrations::webhook).collect(),
    })
}

/// Registers a webhook; answers its signing secret, shown this once.
#[server(endpoint = "msp/admin/webhook-new")]
pub async fn webhook_new(
    #[server(default)] url: String,
    #[server(default)] event: String,
    #[server(default)] format: String,
) -> Result<String, AppError> {
    use super::super::guard;
    let admin = guard::admin().await?;
    Ok(admin.add_webhook(&url, &event, &format).await?)
}

#[server(endpoint = "msp/admin/webhook-remove")]
pub async fn webhook_remove(id: i64) -> Result<(), AppError> {
    use super::super::guard;
    let admin = guard::admin().await?;
    admin.remove_webhook(id).await?;
    leptos_axum::redirect("/msp/admin/integrations#webhooks");
    Ok(())
}

/// Makes a token and answers it: the only time it is shown.
#[server(endpoint = "msp/admin/token-new")]
pub async fn token_new(
    #[server(default)] name: String,
    #[server(default)] scope: String,
    #[server(default)] permissions: Vec<String>,
    #[server(default)] expires: String,
) -> Result<String, AppError> {
    use super::super::guard;
    use domain::integrations::tokens::NewToken;
    let admin = guard::admin().await?;
    let new = NewToken::parse(&name, &scope, &permissions, &expires)?;
    let (secret, _) = admin.create_api_token(&new).await?;
    Ok(secret)
}

#[server(endpoint = "msp/admin/token-revoke")]
pub async fn token_revoke(name: String) -> Result<(), AppError> {
    use super::super::guard;
    let admin = guard::admin().await?;
    admin.revoke_api_token(&name).await?;
    leptos_axum::redirect("/msp/admin/integrations");
    Ok(())
}

/// What automated work of a kind tells the client about why it matters (empty: the default).
#[server(endpoint = "msp/admin/wording")]
pub async fn wording_save(kind: String, #[server(default)] why_it_matters: String) -> Result<(), AppError> {
    use super::super::guard;
    let admin = guard::admin().await?;
    admin.set_automation_wording(&kind, &why_it_matters).await?;
    leptos_axum::redirect("/msp/admin/integrations#wording");
    Ok(())
}

/// The name a client goes by in the MSP's tools (events may name the client by it).
#[server(endpoint = "msp/client-ref")]
pub async fn client_ref_set(slug: String, #[server(default)] external_ref: String) -> Result<(), AppError> {
    use super::super::guard;
    let editor = guard::editor().await?;
    editor.set_client_ref(&slug, &external_ref).await?;
    leptos_axum::redirect(&format!("/msp/clients/{slug}#automation"));
    Ok(())
}

/// Maps a tool's name for a system to one of the client's systems.
#[server(endpoint = "msp/system-name-map")]
pub async fn system_name_map(
    slug: String,
    #[server(default)] name: String,
    #[server(default)] system: String,
) -> Result<(), AppError> {
    use super::super::guard;
    let editor = guard::editor().await?;
    let system =
        super::optional_id(&system, "system")?.ok_or_else(|| AppError::Invalid("Please choose a system.".into()))?;
    editor.map_system_name(&slug, &name, system).await?;
    leptos_axum::redirect(&format!("/msp/clients/{slug}#automation"));
    Ok(())
}

#[server(endpoint = "msp/system-name-unmap")]
pub async fn system_name_unmap(slug: String, #[server(default)] name: String) -> Result<(), AppError> {
    use super::super::guard;
    let editor = guard::editor().await?;
    editor.unmap_system_name(&slug, &name).await?;
    leptos_axum::redirect(&format!("/msp/clients/{slug}#automation"));
    Ok(())
}

/// `/msp/admin/jobs`: the background jobs and their recent runs.
#[server(endpoint = "msp/admin/jobs")]
pub async fn jobs() -> Result<crate::views::msp::JobsView, AppError> {
    use super::super::guard;
    let admin = guard::admin().await?;
    let (states, runs) = admin.jobs().await?;
    Ok(crate::presenters::msp::integrations::jobs(states, runs))
}
