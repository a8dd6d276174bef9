//! The MSP's own records: adding a client, who covers it, staff time off. Only a token for every
//! client reaches these; a client-scoped token gets 403, as a client user would on the staff pages.

use super::clients::{ClientOut, TeamOut};
use super::problem::{Code, Problem};
use super::{Body, Caller, Params, day, json_body, page_size};
use axum::Json;
use axum::extract::{Path, RawQuery};
use chrono::{Datelike, NaiveDate};
use domain::integrations::staff_api::{TeamDraft, TimeOffFilter, TimeOffRow};
use http::StatusCode;
use serde::{Deserialize, Serialize};

/// Staff records answer 403 to a client-scoped token before anything else is looked at.
async fn staff_token(caller: &domain::integrations::tokens::ApiCaller) -> Result<(), Problem> {
    if caller.is_staff_scoped() {
        Ok(())
    } else {
        Err(super::refuse(caller, Problem::new(Code::Forbidden, "This needs a token for every client.")).await)
    }
}

async fn writer(
    caller: &domain::integrations::tokens::ApiCaller,
) -> Result<domain::integrations::writes::ApiWriter, Problem> {
    staff_token(caller).await?;
    super::writer(caller).await
}

/// A new client.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClientIn {
    /// 2 to 63 lower-case letters, digits and single hyphens.
    #[schema(min_length = 2, max_length = 63, pattern = r"^[a-z0-9]+(-[a-z0-9]+)*$")]
    pub slug: String,
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$"
    )]
    pub name: String,
    /// An IANA time zone name, e.g. `America/New_York`.
    #[schema(min_length = 1, max_length = 64, example = "America/New_York")]
    pub time_zone: String,
}

/// Add a client
///
/// With working hours Monday to Friday, 08:00 to 17:00 (an MSP admin changes them on the admin
/// page). Needs a token for every client.
#[utoipa::path(
    post, path = "/api/v1/clients", tag = "clients",
    request_body(content = ClientIn, content_type = "application/json"),
    responses(
        (status = 201, body = ClientOut),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A client has that slug already", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn add_client(Caller(caller): Caller, body: Body) -> Result<(StatusCode, Json<ClientOut>), Problem> {
    let writer = writer(&caller).await?;
    let input: ClientIn = json_body(body)?;
    let t = writer.add_client(&input.slug, &input.name, &input.time_zone).await?;
    Ok((StatusCode::CREATED, Json(t.into())))
}

/// Who covers a client, by email.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamIn {
    /// A tech or MSP admin; `null` leaves the client without one (and then without backups).
    #[schema(max_length = 254, format = "email", example = "riley@limelight.test")]
    pub primary: Option<String>,
    /// Techs or MSP admins, in the order they cover; each once, not the primary.
    #[serde(default)]
    #[schema(max_items = 20)]
    pub backups: Vec<String>,
    /// An account manager or MSP admin.
    #[schema(max_length = 254, format = "email")]
    pub account_manager: Option<String>,
}

/// Set who covers a client
///
/// Replaces the client's primary, ordered backups and account manager (audited). Needs a token
/// for every client.
#[utoipa::path(
    put, path = "/api/v1/clients/{slug}/team", tag = "coverage",
    params(("slug" = String, Path, description = "The client's slug")),
    request_body(content = TeamIn, content_type = "application/json"),
    responses(
        (status = 200, body = TeamOut),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn set_team(Caller(caller): Caller, Path(slug): Path<String>, body: Body) -> Result<Json<TeamOut>, Problem> {
    let writer = writer(&caller).await?;
    let input: TeamIn = json_body(body)?;
    let draft = TeamDraft { primary: input.primary, backups: input.backups, account_manager: input.account_manager };
    writer.set_team(&slug, &draft).await?;
    super::clients::team_out(&writer.reader(), &slug).await.map(Json)
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct TimeOffOut {
    pub id: i64,
    /// The member of staff's email.
    pub person: String,
    pub name: String,
    pub first_day: NaiveDate,
    /// Inclusive.
    pub last_day: NaiveDate,
    pub note: String,
}

impl From<TimeOffRow> for TimeOffOut {
    fn from(t: TimeOffRow) -> Self {
        TimeOffOut {
            id: t.id,
            person: t.email,
            name: t.name,
            first_day: t.first_day,
            last_day: t.last_day,
            note: t.note,
        }
    }
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct TimeOffPage {
    pub items: Vec<TimeOffOut>,
    /// Pass as `after` for the next page; absent on the last.
    pub next: Option<String>,
}

/// The time-off list's query, as the OpenAPI document states it (read by [`Params`]).
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct TimeOffQuery {
    /// The `next` of the previous page.
    #[param(pattern = r"^[0-9]{1,7}\.[0-9]{1,18}$")]
    pub after: Option<String>,
    /// 1 to 100 (default 50).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100)]
    pub limit: Option<String>,
    /// One member of staff, by email (one that is nobody's lists nothing).
    pub person: Option<String>,
    /// Stretches that reach this day or later.
    #[param(value_type = Option<NaiveDate>)]
    pub from: Option<String>,
    /// Stretches that begin on this day or earlier.
    #[param(value_type = Option<NaiveDate>)]
    pub to: Option<String>,
}

/// Staff time off
///
/// By first day, then id. Needs a token for every client.
#[utoipa::path(
    get, path = "/api/v1/time-off", tag = "coverage", params(TimeOffQuery),
    responses(
        (status = 200, body = TimeOffPage),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn list_time_off(Caller(caller): Caller, RawQuery(q): RawQuery) -> Result<Json<TimeOffPage>, Problem> {
    staff_token(&caller).await?;
    let reader = super::reader(&caller).await?;
    let q = Params::parse(q.as_deref())?;
    let limit = page_size(q.get("limit"))?;
    let after = match q.get("after") {
        None => None,
        Some(a) => Some(
            a.split_once('.')
                .and_then(|(d, id)| {
                    Some((NaiveDate::from_num_days_from_ce_opt(d.parse().ok()?)?, id.parse::<i64>().ok()?))
                })
                .ok_or_else(|| {
                    Problem::new(Code::InvalidRequest, "after must be the `next` of a previous page.")
                        .field("after", "a page's next")
                })?,
        ),
    };
    let filter = TimeOffFilter {
        person: q.get("person").map(str::to_string),
        from: day(q.get("from"), "from")?,
        to: day(q.get("to"), "to")?,
        after,
    };
    let mut rows = reader.time_off(&filter, limit + 1).await?;
    let more = rows.len() as u64 > limit;
    rows.truncate(limit as usize);
    // The cursor: the last row's first day (as days of the common era) and id.
    let next = more.then(|| rows.last().map(|t| format!("{}.{}", t.first_day.num_days_from_ce(), t.id))).flatten();
    Ok(Json(TimeOffPage { items: rows.into_iter().map(TimeOffOut::from).collect(), next }))
}

/// Days off for a member of staff.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TimeOffIn {
    /// The member of staff's email.
    #[schema(min_length = 3, max_length = 254, format = "email", example = "sam@limelight.test")]
    pub person: String,
    pub first_day: NaiveDate,
    /// Inclusive; default the first day. At most a year after it, not over already.
    pub last_day: Option<NaiveDate>,
    #[serde(default)]
    #[schema(max_length = 200, pattern = r"^[^\u0000-\u001f\u007f-\u009f]*$")]
    pub note: String,
}

/// Add time off
///
/// Merged with the stretches it overlaps or touches: the answer is the merged stretch. Needs a
/// token for every client.
#[utoipa::path(
    post, path = "/api/v1/time-off", tag = "coverage",
    request_body(content = TimeOffIn, content_type = "application/json"),
    responses(
        (status = 201, body = TimeOffOut),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn add_time_off(Caller(caller): Caller, body: Body) -> Result<(StatusCode, Json<TimeOffOut>), Problem> {
    let writer = writer(&caller).await?;
    let input: TimeOffIn = json_body(body)?;
    let last = input.last_day.unwrap_or(input.first_day);
    let row = writer.add_time_off(&input.person, input.first_day, last, &input.note).await?;
    Ok((StatusCode::CREATED, Json(row.into())))
}

/// Remove time off
#[utoipa::path(
    delete, path = "/api/v1/time-off/{id}", tag = "coverage",
    params(("id" = i64, Path, description = "The stretch's id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn remove_time_off(Caller(caller): Caller, Path(id): Path<String>) -> Result<StatusCode, Problem> {
    let writer = writer(&caller).await?;
    let id: i64 = id.parse().map_err(|_| Problem::not_found())?;
    writer.remove_time_off(id).await?;
    Ok(StatusCode::NO_CONTENT)
}
