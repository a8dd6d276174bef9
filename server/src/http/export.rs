//! `GET /portal/work.csv`: the client's filtered work history as CSV, streamed a batch at a time
//! through the same keyset pagination as the page, so memory stays flat however long the history.

use app::api::portal::ssr::parse_filter;
use app::views::WorkQuery;
use axum::Extension;
use axum::body::Body;
use axum::extract::Query;
use axum::response::{IntoResponse, Response};
use domain::auth::Access;
use domain::history::{Cursor, MAX_PAGE, WorkFilter};
use domain::scope::TenantScope;
use domain::work::WorkItem;
use http::{StatusCode, header};

const HEADER: &[&str] =
    &["Date", "Time", "Category", "Title", "Why it matters", "Systems", "Minutes", "After hours", "Done by", "Vendor"];

/// One CSV field: always quoted, quotes doubled, and a leading `= + - @` (or tab, carriage return)
/// defused with an apostrophe, so a spreadsheet never runs a cell as a formula.
pub fn field(value: &str) -> String {
    let defused = match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{value}"),
        _ => value.to_string(),
    };
    format!("\"{}\"", defused.replace('"', "\"\""))
}

fn line(fields: &[String]) -> String {
    let mut l = fields.join(",");
    l.push_str("\r\n");
    l
}

fn row(w: &WorkItem, tz: chrono_tz::Tz) -> String {
    let local = w.started_at.with_timezone(&tz);
    let vendor = match (&w.vendor_name, &w.vendor_case_ref) {
        (Some(v), Some(c)) => format!("{v} (case {c})"),
        (Some(v), None) => v.clone(),
        _ => String::new(),
    };
    line(&[
        field(&local.format("%Y-%m-%d").to_string()),
        field(&local.format("%H:%M").to_string()),
        field(w.category.label()),
        field(&w.title),
        field(&w.why_it_matters),
        field(&w.systems.join("; ")),
        field(&w.duration_minutes.to_string()),
        field(if w.after_hours { "yes" } else { "no" }),
        field(&w.performed_by),
        field(&vendor),
    ])
}

/// What the stream still has to do.
enum Next {
    Batch(Option<Cursor>),
    Done,
}

pub async fn work_csv(access: Option<Extension<Access>>, Query(query): Query<WorkQuery>) -> Response {
    let scope = match access {
        Some(Extension(Access::Client(c))) => c.scope,
        Some(_) => return (StatusCode::NOT_FOUND, "Not found").into_response(),
        None => return (StatusCode::UNAUTHORIZED, "Please sign in again.").into_response(),
    };
    let (filter, _) = match parse_filter(&query) {
        Ok(f) => f,
        Err(m) => return (StatusCode::UNPROCESSABLE_ENTITY, m).into_response(),
    };
    let tz = match scope.tenant().await {
        Ok(t) => t.time_zone,
        Err(e) => {
            tracing::error!(error = %e, "CSV export: could not read the tenant");
            return (StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong on our side.").into_response();
        }
    };
    let head = futures::stream::once(async {
        Ok::<_, std::io::Error>(line(&HEADER.iter().map(|h| field(h)).collect::<Vec<_>>()))
    });
    let rows = futures::stream::unfold(
        (scope, filter, Next::Batch(None)),
        move |(scope, filter, next): (TenantScope, WorkFilter, Next)| async move {
            let Next::Batch(cursor) = next else { return None };
            match scope.work_history(&filter, cursor, MAX_PAGE).await {
                Ok(page) => {
                    let chunk: String = page.items.iter().map(|w| row(w, tz)).collect();
                    let next = page.next.map_or(Next::Done, |c| Next::Batch(Some(c)));
                    Some((Ok(chunk), (scope, filter, next)))
                }
                Err(e) => {
                    // The header is sent: all we can do is cut the download short, which the
                    // browser reports as a failed download rather than a complete file.
                    tracing::error!(error = %e, "CSV export failed midway");
                    Some((Err(std::io::Error::other("export failed")), (scope, filter, Next::Done)))
                }
            }
        },
    );
    use futures::StreamExt;
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"work-history.csv\""),
            (header::CACHE_CONTROL, "no-store"),
        ],
        Body::from_stream(head.chain(rows)),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn fields_are_quoted_and_formulas_defused() {
        assert_eq!(field("plain"), "\"plain\"");
        assert_eq!(field("say \"hi\", then go"), "\"say \"\"hi\"\", then go\"");
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        for risky in ["+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert!(field(risky).starts_with("\"'"), "{risky}");
        }
        assert_eq!(field("line\nbreak"), "\"line\nbreak\"");
    }
}
