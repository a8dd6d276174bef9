//! Reading clients and their work (`read` permission). A client-scoped token sees its own client
//! only (another's slug answers 404, like a missing one) and never an internal row.

use super::problem::{Code, Problem};
use super::{Caller, Params, page_size};
use axum::Json;
use axum::extract::{Path, RawQuery};
use chrono::{DateTime, NaiveDate, Utc};
use domain::entities::tenant;
use domain::history::{Cursor, WorkFilter};
use domain::vocabulary::Category;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ClientOut {
    pub slug: String,
    pub name: String,
    /// IANA time zone name.
    pub time_zone: String,
    /// The client's name in the MSP's tools, when set; events may name the client by it.
    pub external_ref: Option<String>,
    pub active: bool,
}

impl From<tenant::Model> for ClientOut {
    fn from(t: tenant::Model) -> Self {
        ClientOut {
            active: t.status == domain::vocabulary::TenantStatus::Active,
            slug: t.slug,
            name: t.name,
            time_zone: t.time_zone,
            external_ref: t.external_ref,
        }
    }
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ClientPage {
    pub items: Vec<ClientOut>,
    /// Pass as `after` for the next page; absent on the last.
    pub next: Option<String>,
}

/// The list's query, as the OpenAPI document states it (read by [`Params`]).
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct ListQuery {
    /// The `next` of the previous page.
    pub after: Option<String>,
    /// 1 to 100 (default 50).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100)]
    pub limit: Option<String>,
}

fn reader(caller: &domain::integrations::tokens::ApiCaller) -> Result<domain::integrations::reads::ApiReader, Problem> {
    caller.reader().ok_or_else(|| Problem::lacks("read"))
}

/// List clients
///
/// The clients this token reaches, by slug.
#[utoipa::path(
    get, path = "/api/v1/clients", tag = "clients", params(ListQuery),
    responses(
        (status = 200, body = ClientPage),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn list_clients(Caller(caller): Caller, RawQuery(q): RawQuery) -> Result<Json<ClientPage>, Problem> {
    let q = Params::parse(q.as_deref())?;
    let limit = page_size(q.get("limit"))?;
    let rows = reader(&caller)?.clients(q.get("after"), limit + 1).await?;
    let more = rows.len() as u64 > limit;
    let items: Vec<ClientOut> = rows.into_iter().take(limit as usize).map(ClientOut::from).collect();
    let next = more.then(|| items.last().map(|c| c.slug.clone())).flatten();
    Ok(Json(ClientPage { items, next }))
}

/// Get a client
#[utoipa::path(
    get, path = "/api/v1/clients/{slug}", tag = "clients",
    params(("slug" = String, Path, description = "The client's slug")),
    responses(
        (status = 200, body = ClientOut),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such client, or not within the token's scope", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn get_client(Caller(caller): Caller, Path(slug): Path<String>) -> Result<Json<ClientOut>, Problem> {
    Ok(Json(reader(&caller)?.client(&slug).await?.into()))
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct WorkOut {
    pub id: i64,
    pub category: Category,
    pub title: String,
    /// Markdown.
    pub details: String,
    pub why_it_matters: String,
    pub started_at: DateTime<Utc>,
    pub duration_minutes: i32,
    pub after_hours: bool,
    pub proactive: bool,
    pub performed_by: String,
    pub systems: Vec<String>,
    /// Recorded by automation (a tool's events), not typed by a person.
    pub automated: bool,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct WorkPage {
    pub items: Vec<WorkOut>,
    /// Pass as `after` for the next (older) page; absent on the last.
    pub next: Option<String>,
}

/// The work list's query, as the OpenAPI document states it (read by [`Params`]).
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct WorkQuery {
    /// The `next` of the previous page.
    #[param(pattern = r"^[0-9]{1,12}\.[0-9]{1,18}$")]
    pub after: Option<String>,
    /// 1 to 100 (default 50).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100)]
    pub limit: Option<String>,
    /// One category.
    #[param(value_type = Option<Category>)]
    pub category: Option<String>,
    /// First day, in the client's time zone.
    #[param(value_type = Option<NaiveDate>)]
    pub from: Option<String>,
    /// Last day, in the client's time zone.
    #[param(value_type = Option<NaiveDate>)]
    pub to: Option<String>,
    /// `true`: only work done outside the client's working hours.
    #[param(value_type = Option<bool>)]
    pub after_hours: Option<String>,
}

fn day(text: Option<&str>, field: &str) -> Result<Option<NaiveDate>, Problem> {
    match text {
        None => Ok(None),
        Some(t) => NaiveDate::parse_from_str(t, "%Y-%m-%d").map(Some).map_err(|_| {
            Problem::new(Code::InvalidRequest, format!("{field} must be a day, YYYY-MM-DD.")).field(field, "YYYY-MM-DD")
        }),
    }
}

/// A client's work
///
/// Done work the client can see, newest first, with the portal's filters.
#[utoipa::path(
    get, path = "/api/v1/clients/{slug}/work", tag = "work",
    params(("slug" = String, Path, description = "The client's slug"), WorkQuery),
    responses(
        (status = 200, body = WorkPage),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn list_work(
    Caller(caller): Caller,
    Path(slug): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Json<WorkPage>, Problem> {
    let q = Params::parse(q.as_deref())?;
    let limit = page_size(q.get("limit"))?;
    let category = match q.get("category") {
        None => None,
        Some(c) => Some(c.parse::<Category>().map_err(|e| {
            Problem::new(Code::InvalidRequest, e.to_string()).field("category", "one of the work categories")
        })?),
    };
    let after_hours_only = match q.get("after_hours") {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => {
            return Err(Problem::new(Code::InvalidRequest, "after_hours must be true or false.")
                .field("after_hours", "true or false"));
        }
    };
    let after = match q.get("after") {
        None => None,
        Some(a) => Some(Cursor::decode(a).ok_or_else(|| {
            Problem::new(Code::InvalidRequest, "after must be the `next` of a previous page.")
                .field("after", "a page's next")
        })?),
    };
    let filter = WorkFilter {
        category,
        from: day(q.get("from"), "from")?,
        to: day(q.get("to"), "to")?,
        after_hours_only,
        ..WorkFilter::default()
    };
    let (_, page) = reader(&caller)?.work(&slug, &filter, after, limit).await?;
    Ok(Json(WorkPage {
        next: page.next.map(|c| c.encode()),
        items: page
            .items
            .into_iter()
            .map(|w| WorkOut {
                id: w.id,
                category: w.category,
                title: w.title,
                details: w.details,
                why_it_matters: w.why_it_matters,
                started_at: w.started_at,
                duration_minutes: w.duration_minutes,
                after_hours: w.after_hours,
                proactive: w.proactive,
                performed_by: if w.automated { "Automation".into() } else { w.performed_by },
                systems: w.systems,
                automated: w.automated,
            })
            .collect(),
    }))
}
