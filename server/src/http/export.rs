//! `GET /portal/work.csv`: the client's filtered work history as CSV, streamed a batch at a time
//! through the same keyset pagination as the page, so memory stays flat however long the history.
//! The same guard, filter parsing and presenter as the page's server function; the `csv` crate
//! writes the rows.

use app::api::guard;
use app::presenters::portal::{WORK_CSV_HEADER, parse_filter, work_csv_row};
use app::views::WorkQuery;
use axum::Extension;
use axum::body::Body;
use axum::extract::Query;
use axum::response::{IntoResponse, Response};
use domain::auth::Access;
use domain::history::{Cursor, MAX_PAGE, WorkFilter};
use domain::scope::TenantScope;
use http::{StatusCode, header};

/// A leading `= + - @` (or tab, carriage return) defused with an apostrophe, so a spreadsheet
/// never runs a cell as a formula.
pub fn defuse(value: &str) -> String {
    match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{value}"),
        _ => value.to_string(),
    }
}

/// Rows as CSV text: every field quoted (quotes doubled by the writer), lines ending CRLF.
pub fn csv_lines<'a>(rows: impl IntoIterator<Item = &'a [String]>) -> String {
    let mut w = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Always)
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    for row in rows {
        w.write_record(row.iter().map(|f| defuse(f))).expect("writing to memory");
    }
    String::from_utf8(w.into_inner().expect("writing to memory")).expect("the fields are text")
}

/// What the stream still has to do.
enum Next {
    Batch(Option<Cursor>),
    Done,
}

pub async fn work_csv(access: Option<Extension<Access>>, Query(query): Query<WorkQuery>) -> Response {
    let client = match guard::client_of(access.map(|Extension(a)| a)).await {
        Ok(c) => c,
        Err(e) => return (e.status(), e.to_string()).into_response(),
    };
    let (filter, _) = match parse_filter(&query) {
        Ok(f) => f,
        Err(m) => return (StatusCode::UNPROCESSABLE_ENTITY, m).into_response(),
    };
    // An export takes a client's history out of the portal: the log says who, when and which.
    let filters = query.filters_query();
    let detail = (!filters.is_empty()).then(|| format!("filters: {filters}"));
    if let Err(e) = client.audit(domain::vocabulary::AuditAction::WorkExported, "work-history.csv", detail).await {
        tracing::error!(error = %domain::error::cause_chain(&e), "CSV export: could not audit it");
        return (StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong on our side.").into_response();
    }
    let scope = client.scope;
    let tz = match scope.tenant().await {
        Ok(t) => t.time_zone,
        Err(e) => {
            tracing::error!(error = %domain::error::cause_chain(&e), "CSV export: could not read the tenant");
            return (StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong on our side.").into_response();
        }
    };
    let header = WORK_CSV_HEADER.map(String::from);
    let head = futures::stream::once(async move { Ok::<_, std::io::Error>(csv_lines([&header[..]])) });
    let rows = futures::stream::unfold(
        (scope, filter, Next::Batch(None)),
        move |(scope, filter, next): (TenantScope, WorkFilter, Next)| async move {
            let Next::Batch(cursor) = next else { return None };
            match scope.work_history(&filter, cursor, MAX_PAGE).await {
                Ok(page) => {
                    let rows: Vec<[String; 10]> = page.items.iter().map(|w| work_csv_row(w, tz)).collect();
                    let chunk = csv_lines(rows.iter().map(|r| &r[..]));
                    let next = page.next.map_or(Next::Done, |c| Next::Batch(Some(c)));
                    Some((Ok(chunk), (scope, filter, next)))
                }
                Err(e) => {
                    // The header is sent: all we can do is cut the download short, which the
                    // browser reports as a failed download rather than a complete file.
                    tracing::error!(error = %domain::error::cause_chain(&e), "CSV export failed midway");
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
        // Fused: a body may be polled once more after its end (the compression layer does), and
        // an unfold polled after its end panics.
        Body::from_stream(head.chain(rows).fuse()),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::csv_lines;

    fn field(value: &str) -> String {
        csv_lines([&[value.to_string()][..]]).trim_end_matches("\r\n").to_string()
    }

    #[test]
    fn fields_are_quoted_and_formulas_defused() {
        assert_eq!(field("plain"), "\"plain\"");
        assert_eq!(field("say \"hi\", then go"), "\"say \"\"hi\"\", then go\"");
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        for risky in ["+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert!(field(risky).starts_with("\"'"), "{risky}");
        }
        assert_eq!(field("line\nbreak"), "\"line\nbreak\"");
        assert_eq!(csv_lines([&["a".to_string(), "b".to_string()][..]]), "\"a\",\"b\"\r\n");
    }
}
