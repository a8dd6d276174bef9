//! Writing a client's work entries and systems, and reading one of each (`read` to read, `write`
//! to write). A client-scoped token works with what its client sees; internal entries need a
//! token for every client.

use super::clients::{SystemOut, WorkOut};
use super::problem::Problem;
use super::{Body, Caller, json_body, reader, writer};
use axum::Json;
use axum::extract::Path;
use chrono::{DateTime, Utc};
use domain::integrations::work_api::WorkDraft;
use domain::staff::systems::SystemForm;
use domain::vocabulary::{Category, Criticality, SystemKind, Visibility, WorkState};
use http::StatusCode;
use serde::Deserialize;

/// An id in a path that is not one is simply not there.
fn id(text: &str) -> Result<i64, Problem> {
    text.parse().map_err(|_| Problem::not_found())
}

fn yes() -> bool {
    true
}

/// A work entry, as a tool logs or rewrites it.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkIn {
    pub category: Category,
    /// One line.
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$"
    )]
    pub title: String,
    /// Markdown.
    #[serde(default)]
    #[schema(max_length = 50000)]
    pub details: String,
    /// One line, in the client's words: what this spared them.
    #[serde(default)]
    #[schema(max_length = 500, pattern = r"^[^\u0000-\u001f\u007f-\u009f]*$")]
    pub why_it_matters: String,
    pub state: WorkState,
    /// Work that is done cannot start in the future.
    pub started_at: DateTime<Utc>,
    #[schema(minimum = 1, maximum = 10080)]
    pub duration_minutes: i32,
    /// `internal` needs a token for every client. Default `client`.
    #[serde(default = "client_visible")]
    pub visibility: Visibility,
    /// Default `true`; work that answers a ticket is reactive whatever this says.
    #[serde(default = "yes")]
    pub proactive: bool,
    /// Ids of the client's systems.
    #[serde(default)]
    #[schema(max_items = 200)]
    pub systems: Vec<i64>,
    /// The email of the tech or MSP admin who did (or will do) it.
    #[schema(min_length = 3, max_length = 254, format = "email", example = "sam@limelight.test")]
    pub performed_by: String,
    /// A ticket number of the same client.
    pub ticket: Option<i64>,
    #[serde(default)]
    #[schema(max_length = 200, pattern = r"^[^\u0000-\u001f\u007f-\u009f]*$")]
    pub vendor_name: String,
    #[serde(default)]
    #[schema(max_length = 200, pattern = r"^[^\u0000-\u001f\u007f-\u009f]*$")]
    pub vendor_case_ref: String,
    /// Worth a place in the month's summary.
    #[serde(default)]
    pub highlight: bool,
}

fn client_visible() -> Visibility {
    Visibility::Client
}

impl From<WorkIn> for WorkDraft {
    fn from(w: WorkIn) -> Self {
        WorkDraft {
            category: w.category,
            title: w.title,
            details: w.details,
            why_it_matters: w.why_it_matters,
            state: w.state,
            started_at: w.started_at,
            duration_minutes: w.duration_minutes,
            visibility: w.visibility,
            proactive: w.proactive,
            systems: w.systems,
            performed_by: w.performed_by,
            ticket: w.ticket,
            vendor_name: w.vendor_name,
            vendor_case_ref: w.vendor_case_ref,
            highlight: w.highlight,
        }
    }
}

/// A work entry
#[utoipa::path(
    get, path = "/api/v1/clients/{slug}/work/{id}", tag = "work",
    params(("slug" = String, Path, description = "The client's slug"), ("id" = i64, Path, description = "The entry's id")),
    responses(
        (status = 200, body = WorkOut),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such entry at this client, or internal and the token is client-scoped", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn get_work(
    Caller(caller): Caller,
    Path((slug, entry)): Path<(String, String)>,
) -> Result<Json<WorkOut>, Problem> {
    let reader = reader(&caller).await?;
    Ok(Json(reader.work_entry(&slug, id(&entry)?).await?.into()))
}

/// Log work
///
/// After-hours follows from the client's working hours; a client reads done, client-visible
/// entries at once (and the work_published webhook fires).
#[utoipa::path(
    post, path = "/api/v1/clients/{slug}/work", tag = "work",
    params(("slug" = String, Path, description = "The client's slug")),
    request_body(content = WorkIn, content_type = "application/json"),
    responses(
        (status = 201, body = WorkOut),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No write permission, or internal work with a client-scoped token", body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn log_work(
    Caller(caller): Caller,
    Path(slug): Path<String>,
    body: Body,
) -> Result<(StatusCode, Json<WorkOut>), Problem> {
    let writer = writer(&caller).await?;
    let input: WorkIn = json_body(body)?;
    let saved = writer.log_work(&slug, &input.into()).await?;
    Ok((StatusCode::CREATED, Json(saved.into())))
}

/// Rewrite a work entry
///
/// The whole entry, as when logging it. Automation no longer changes an entry rewritten here.
#[utoipa::path(
    put, path = "/api/v1/clients/{slug}/work/{id}", tag = "work",
    params(("slug" = String, Path, description = "The client's slug"), ("id" = i64, Path, description = "The entry's id")),
    request_body(content = WorkIn, content_type = "application/json"),
    responses(
        (status = 200, body = WorkOut),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn rewrite_work(
    Caller(caller): Caller,
    Path((slug, entry)): Path<(String, String)>,
    body: Body,
) -> Result<Json<WorkOut>, Problem> {
    let writer = writer(&caller).await?;
    let entry = id(&entry)?;
    let input: WorkIn = json_body(body)?;
    Ok(Json(writer.rewrite_work(&slug, entry, &input.into()).await?.into()))
}

/// Delete a work entry
///
/// Audited, naming the token.
#[utoipa::path(
    delete, path = "/api/v1/clients/{slug}/work/{id}", tag = "work",
    params(("slug" = String, Path, description = "The client's slug"), ("id" = i64, Path, description = "The entry's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn delete_work(
    Caller(caller): Caller,
    Path((slug, entry)): Path<(String, String)>,
) -> Result<StatusCode, Problem> {
    let writer = writer(&caller).await?;
    writer.delete_work(&slug, id(&entry)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A system, as a tool adds or rewrites it.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SystemIn {
    /// One line.
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$"
    )]
    pub name: String,
    pub kind: SystemKind,
    pub criticality: Criticality,
    #[serde(default)]
    #[schema(max_length = 200, pattern = r"^[^\u0000-\u001f\u007f-\u009f]*$")]
    pub vendor: String,
    /// Staff's notes (Markdown); clients do not see them.
    #[serde(default)]
    #[schema(max_length = 20000)]
    pub notes: String,
}

impl From<SystemIn> for SystemForm {
    fn from(s: SystemIn) -> Self {
        SystemForm {
            name: s.name,
            kind: s.kind.as_str().into(),
            criticality: s.criticality.as_str().into(),
            vendor: s.vendor,
            notes: s.notes,
        }
    }
}

fn system_out(s: domain::entities::system::Model) -> SystemOut {
    SystemOut { id: s.id, name: s.name, kind: s.kind, criticality: s.criticality, vendor: s.vendor }
}

/// A system
#[utoipa::path(
    get, path = "/api/v1/clients/{slug}/systems/{id}", tag = "systems",
    params(("slug" = String, Path, description = "The client's slug"), ("id" = i64, Path, description = "The system's id")),
    responses(
        (status = 200, body = SystemOut),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn get_system(
    Caller(caller): Caller,
    Path((slug, system)): Path<(String, String)>,
) -> Result<Json<SystemOut>, Problem> {
    let reader = reader(&caller).await?;
    Ok(Json(system_out(reader.system(&slug, id(&system)?).await?)))
}

/// Add a system
#[utoipa::path(
    post, path = "/api/v1/clients/{slug}/systems", tag = "systems",
    params(("slug" = String, Path, description = "The client's slug")),
    request_body(content = SystemIn, content_type = "application/json"),
    responses(
        (status = 201, body = SystemOut),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn add_system(
    Caller(caller): Caller,
    Path(slug): Path<String>,
    body: Body,
) -> Result<(StatusCode, Json<SystemOut>), Problem> {
    let writer = writer(&caller).await?;
    let input: SystemIn = json_body(body)?;
    Ok((StatusCode::CREATED, Json(system_out(writer.add_system(&slug, &input.into()).await?))))
}

/// Rewrite a system
#[utoipa::path(
    put, path = "/api/v1/clients/{slug}/systems/{id}", tag = "systems",
    params(("slug" = String, Path, description = "The client's slug"), ("id" = i64, Path, description = "The system's id")),
    request_body(content = SystemIn, content_type = "application/json"),
    responses(
        (status = 200, body = SystemOut),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn edit_system(
    Caller(caller): Caller,
    Path((slug, system)): Path<(String, String)>,
    body: Body,
) -> Result<Json<SystemOut>, Problem> {
    let writer = writer(&caller).await?;
    let system = id(&system)?;
    let input: SystemIn = json_body(body)?;
    Ok(Json(system_out(writer.edit_system(&slug, system, &input.into()).await?)))
}
