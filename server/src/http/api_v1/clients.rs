//! Reading clients and their work (`read` permission). A client-scoped token sees its own client
//! only (another's slug answers 404, like a missing one) and never an internal row.

use super::problem::{Code, Problem};
use super::{Caller, Params, day, json_body, page_size, reader};
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
    let rows = reader(&caller).await?.clients(q.get("after"), limit + 1).await?;
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
    Ok(Json(reader(&caller).await?.client(&slug).await?.into()))
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
    /// The systems' ids, in the order of `systems`.
    pub system_ids: Vec<i64>,
    /// Recorded by automation (a tool's events), not typed by a person.
    pub automated: bool,
    /// `planned` work appears to tokens for every client (a client-scoped token lists done work).
    pub state: domain::vocabulary::WorkState,
    /// `internal` entries appear only to tokens for every client.
    pub visibility: domain::vocabulary::Visibility,
    pub ticket: Option<i64>,
    pub vendor_name: Option<String>,
    pub vendor_case_ref: Option<String>,
}

impl From<domain::work::WorkItem> for WorkOut {
    fn from(w: domain::work::WorkItem) -> Self {
        WorkOut {
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
            system_ids: w.system_ids,
            automated: w.automated,
            state: w.state,
            visibility: w.visibility,
            ticket: w.ticket,
            vendor_name: w.vendor_name,
            vendor_case_ref: w.vendor_case_ref,
        }
    }
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

/// A client's work
///
/// Newest first, with the portal's filters: done work the client can see for a client-scoped
/// token; every entry (internal and planned too) for a token for every client.
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
    let page = reader(&caller).await?.work(&slug, &filter, after, limit).await?;
    Ok(Json(WorkPage {
        next: page.next.map(|c| c.encode()),
        items: page.items.into_iter().map(WorkOut::from).collect(),
    }))
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct SystemOut {
    pub id: i64,
    pub name: String,
    pub kind: domain::vocabulary::SystemKind,
    pub criticality: domain::vocabulary::Criticality,
    pub vendor: Option<String>,
}

/// A client's systems
#[utoipa::path(
    get, path = "/api/v1/clients/{slug}/systems", tag = "systems",
    params(("slug" = String, Path, description = "The client's slug")),
    responses(
        (status = 200, body = Vec<SystemOut>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn list_systems(Caller(caller): Caller, Path(slug): Path<String>) -> Result<Json<Vec<SystemOut>>, Problem> {
    let scope = reader(&caller).await?.client_view(&slug).await?;
    Ok(Json(
        scope
            .systems_with_last_work()
            .await?
            .into_iter()
            .map(|(s, _)| SystemOut {
                id: s.id,
                name: s.name,
                kind: s.kind,
                criticality: s.criticality,
                vendor: s.vendor,
            })
            .collect(),
    ))
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct TicketOut {
    pub number: i64,
    pub subject: String,
    pub status: domain::vocabulary::TicketStatus,
    /// 1 (most urgent) to 4.
    #[schema(minimum = 1, maximum = 4)]
    pub priority: u8,
    pub requester: String,
    pub created_at: DateTime<Utc>,
    pub first_response_due_at: DateTime<Utc>,
    pub resolution_due_at: DateTime<Utc>,
    pub first_response_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
}

impl From<domain::tickets::TicketSummary> for TicketOut {
    fn from(t: domain::tickets::TicketSummary) -> Self {
        TicketOut {
            number: t.number,
            subject: t.subject,
            status: t.status,
            priority: t.priority.number(),
            requester: t.requester,
            created_at: t.created_at,
            first_response_due_at: t.first_response_due_at,
            resolution_due_at: t.resolution_due_at,
            first_response_at: t.first_response_at,
            resolved_at: t.resolved_at,
        }
    }
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct TicketPage {
    pub items: Vec<TicketOut>,
    /// Pass as `after` for the next (older) page; absent on the last.
    pub next: Option<String>,
}

/// The ticket list's query, as the OpenAPI document states it (read by [`Params`]).
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct TicketQuery {
    /// The `next` of the previous page.
    #[param(pattern = r"^[0-9]{1,18}$")]
    pub after: Option<String>,
    /// 1 to 100 (default 50).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100)]
    pub limit: Option<String>,
    /// One status.
    #[param(value_type = Option<domain::vocabulary::TicketStatus>)]
    pub status: Option<String>,
    /// `true`: only tickets not yet resolved or closed.
    #[param(value_type = Option<bool>)]
    pub open: Option<String>,
}

/// A client's tickets
///
/// Newest first: every ticket of the client (as its client admin sees them).
#[utoipa::path(
    get, path = "/api/v1/clients/{slug}/tickets", tag = "tickets",
    params(("slug" = String, Path, description = "The client's slug"), TicketQuery),
    responses(
        (status = 200, body = TicketPage),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn list_tickets(
    Caller(caller): Caller,
    Path(slug): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Json<TicketPage>, Problem> {
    let q = Params::parse(q.as_deref())?;
    let limit = page_size(q.get("limit"))?;
    let status = match q.get("status") {
        None => None,
        Some(s) => Some(s.parse::<domain::vocabulary::TicketStatus>().map_err(|e| {
            Problem::new(Code::InvalidRequest, e.to_string()).field("status", "one of the ticket statuses")
        })?),
    };
    let open_only = match q.get("open") {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => {
            return Err(
                Problem::new(Code::InvalidRequest, "open must be true or false.").field("open", "true or false")
            );
        }
    };
    let before_number = match q.get("after") {
        None => None,
        Some(a) => Some(a.parse::<i64>().map_err(|_| {
            Problem::new(Code::InvalidRequest, "after must be the `next` of a previous page.")
                .field("after", "a page's next")
        })?),
    };
    let scope = reader(&caller).await?.client_view(&slug).await?;
    let filter = domain::tickets::TicketFilter { status, open_only, priority: None, before_number };
    let mut rows = scope.tickets(&filter, limit + 1).await?;
    let more = rows.len() as u64 > limit;
    rows.truncate(limit as usize);
    let next = more.then(|| rows.last().map(|t| t.number.to_string())).flatten();
    Ok(Json(TicketPage { items: rows.into_iter().map(TicketOut::from).collect(), next }))
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct CommentOut {
    pub author: String,
    pub from_staff: bool,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct TicketDetailOut {
    #[serde(flatten)]
    pub ticket: TicketOut,
    pub description: String,
    pub impact: domain::vocabulary::Impact,
    pub urgency: domain::vocabulary::Urgency,
    /// Public comments only, oldest first.
    pub comments: Vec<CommentOut>,
}

/// A ticket with its public comments
#[utoipa::path(
    get, path = "/api/v1/clients/{slug}/tickets/{number}", tag = "tickets",
    params(("slug" = String, Path, description = "The client's slug"), ("number" = i64, Path, description = "The ticket's number at its client")),
    responses(
        (status = 200, body = TicketDetailOut),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn get_ticket(
    Caller(caller): Caller,
    Path((slug, number)): Path<(String, String)>,
) -> Result<Json<TicketDetailOut>, Problem> {
    let reader = reader(&caller).await?;
    // A number that is not one is simply not a ticket.
    let number: i64 = number.parse().map_err(|_| Problem::not_found())?;
    let t = reader.client_view(&slug).await?.ticket(number).await?;
    Ok(Json(detail_out(t)))
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct PersonOut {
    pub name: String,
    /// Away today: back after this day (their last day off).
    pub away_until: Option<NaiveDate>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct TeamOut {
    pub primary: Option<PersonOut>,
    /// In the order they cover.
    pub backups: Vec<PersonOut>,
    pub account_manager: Option<PersonOut>,
    /// Who covers today, in the client's time zone; absent on a coverage gap.
    pub covering_today: Option<String>,
    pub today: NaiveDate,
}

/// A client's team: who covers
#[utoipa::path(
    get, path = "/api/v1/clients/{slug}/team", tag = "coverage",
    params(("slug" = String, Path, description = "The client's slug")),
    responses(
        (status = 200, body = TeamOut),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn get_team(Caller(caller): Caller, Path(slug): Path<String>) -> Result<Json<TeamOut>, Problem> {
    team_out(&reader(&caller).await?, &slug).await.map(Json)
}

/// A client's team as the API shows it.
pub(super) async fn team_out(reader: &domain::integrations::reads::ApiReader, slug: &str) -> Result<TeamOut, Problem> {
    let team = reader.client_view(slug).await?.team().await?;
    let person = |p: &domain::team::Person| PersonOut { name: p.name.clone(), away_until: p.away_until };
    let covering_today = match team.cover {
        domain::rules::Cover::Primary(id) | domain::rules::Cover::Backup(id) => team.person(id).map(|p| p.name.clone()),
        domain::rules::Cover::Gap => None,
    };
    Ok(TeamOut {
        primary: team.primary.as_ref().map(person),
        backups: team.backups.iter().map(person).collect(),
        account_manager: team.account_manager.as_ref().map(person),
        covering_today,
        today: team.today,
    })
}

/// A new ticket.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TicketIn {
    /// One line: no control characters, not only spaces.
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$"
    )]
    pub subject: String,
    /// Not only spaces.
    #[schema(min_length = 1, max_length = 20000, pattern = r"\S")]
    pub description: String,
    pub impact: domain::vocabulary::Impact,
    pub urgency: domain::vocabulary::Urgency,
}

/// A public comment.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommentIn {
    /// Not only spaces.
    #[schema(min_length = 1, max_length = 20000, pattern = r"\S")]
    pub body: String,
}

fn detail_out(t: domain::tickets::TicketDetail) -> TicketDetailOut {
    TicketDetailOut {
        ticket: t.summary.into(),
        description: t.description,
        impact: t.impact,
        urgency: t.urgency,
        comments: t
            .comments
            .into_iter()
            .map(|c| CommentOut { author: c.author, from_staff: c.from_staff, body: c.body, created_at: c.created_at })
            .collect(),
    }
}

/// Open a ticket
///
/// As the MSP's tools (the `write` permission): its priority follows from impact × urgency, the
/// team covering the client is told through the usual channels (webhooks).
#[utoipa::path(
    post, path = "/api/v1/clients/{slug}/tickets", tag = "tickets",
    params(("slug" = String, Path, description = "The client's slug")),
    request_body(content = TicketIn, content_type = "application/json"),
    responses(
        (status = 201, body = TicketDetailOut),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "The token's hourly pace is used up: try again after Retry-After seconds", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn open_ticket(
    Caller(caller): Caller,
    Path(slug): Path<String>,
    body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<(http::StatusCode, Json<TicketDetailOut>), Problem> {
    let writer = super::writer(&caller).await?;
    let input: TicketIn = json_body(body)?;
    let new = domain::tickets::NewTicket::parse(
        &input.subject,
        &input.description,
        input.impact.as_str(),
        input.urgency.as_str(),
    )?;
    let t = writer.open_ticket(&slug, new).await?;
    Ok((http::StatusCode::CREATED, Json(detail_out(t))))
}

/// Add a public comment to a ticket
#[utoipa::path(
    post, path = "/api/v1/clients/{slug}/tickets/{number}/comments", tag = "tickets",
    params(("slug" = String, Path, description = "The client's slug"), ("number" = i64, Path, description = "The ticket's number at its client")),
    request_body(content = CommentIn, content_type = "application/json"),
    responses(
        (status = 201, body = TicketDetailOut),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "The token's hourly pace is used up: try again after Retry-After seconds", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn comment_on_ticket(
    Caller(caller): Caller,
    Path((slug, number)): Path<(String, String)>,
    body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<(http::StatusCode, Json<TicketDetailOut>), Problem> {
    let writer = super::writer(&caller).await?;
    let number: i64 = number.parse().map_err(|_| Problem::not_found())?;
    let input: CommentIn = json_body(body)?;
    let t = writer.comment(&slug, number, &input.body).await?;
    Ok((http::StatusCode::CREATED, Json(detail_out(t))))
}
