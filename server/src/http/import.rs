//! `POST /msp/clients/{slug}/import`: a CSV file of work history uploaded on the client's staff
//! page (a plain multipart form, so it works without JavaScript). Techs and MSP admins; anyone
//! else is told the page does not exist. Imported: back to the client's page, which says how many.
//! Refused: a page that names each bad row by its line, and nothing is written.

use axum::Extension;
use axum::extract::{Multipart, Path};
use axum::response::{Html, IntoResponse, Redirect, Response};
use domain::auth::Access;
use domain::imports::ImportOptions;
use http::StatusCode;

/// The largest file: 100,000 rows with long details fit.
pub const MAX_UPLOAD: usize = 32 * 1024 * 1024;

fn esc(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A plain page in the portal's style for what went wrong, with the way back.
fn refusal(slug: &str, status: StatusCode, heading: &str, lines: &[String]) -> Response {
    let items: String = lines.iter().map(|l| format!("<li>{}</li>", esc(l))).collect();
    let page = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Import refused · Limelight</title><link rel=\"stylesheet\" href=\"/pkg/limelight.css\"></head><body><main class=\"page\" id=\"main\"><h1>{}</h1><p>Nothing was written. Correct the file and upload it again.</p><ul class=\"bad-rows\" role=\"alert\">{items}</ul><p><a href=\"/msp/clients/{}#import\">Back to the client</a></p></main></body></html>",
        esc(heading),
        esc(slug)
    );
    (status, Html(page)).into_response()
}

pub async fn work(access: Option<Extension<Access>>, Path(slug): Path<String>, mut form: Multipart) -> Response {
    let editor = match access.map(|Extension(a)| a) {
        Some(Access::Staff(s)) => match s.editor() {
            Some(e) => e,
            None => {
                return (StatusCode::FORBIDDEN, "Account managers read; techs and MSP admins import.").into_response();
            }
        },
        Some(Access::Client(_)) => return (StatusCode::NOT_FOUND, "Not found").into_response(),
        None => return (StatusCode::UNAUTHORIZED, "Please sign in.").into_response(),
    };
    let mut file: Option<Vec<u8>> = None;
    let mut dry_run = false;
    loop {
        match form.next_field().await {
            Ok(Some(field)) => match field.name() {
                Some("file") => match field.bytes().await {
                    Ok(b) => file = Some(b.to_vec()),
                    Err(e) => {
                        return refusal(&slug, e.status(), "The file could not be read", &[e.body_text()]);
                    }
                },
                Some("dry_run") => dry_run = true,
                _ => {}
            },
            Ok(None) => break,
            Err(e) => return refusal(&slug, e.status(), "The upload could not be read", &[e.body_text()]),
        }
    }
    let Some(file) = file.filter(|f| !f.is_empty()) else {
        return refusal(&slug, StatusCode::UNPROCESSABLE_ENTITY, "No file was chosen", &["Choose a CSV file.".into()]);
    };
    match editor.import_work(&slug, &file, ImportOptions { dry_run }).await {
        Ok(r) if r.bad.is_empty() => {
            let what = if dry_run { "checked" } else { "imported" };
            Redirect::to(&format!("/msp/clients/{slug}?{what}={}&before={}#import", r.new, r.already_there))
                .into_response()
        }
        Ok(r) => {
            let lines: Vec<String> = r.bad.iter().map(|b| format!("line {}: {}", b.line, b.reason)).collect();
            let heading = format!("{} of {} rows cannot be imported", r.bad.len(), r.rows);
            refusal(&slug, StatusCode::UNPROCESSABLE_ENTITY, &heading, &lines)
        }
        Err(domain::DomainError::Invalid(m)) | Err(domain::DomainError::Conflict(m)) => {
            refusal(&slug, StatusCode::UNPROCESSABLE_ENTITY, "The file cannot be imported", &[m])
        }
        Err(e @ domain::DomainError::Field { .. }) => {
            refusal(&slug, StatusCode::UNPROCESSABLE_ENTITY, "The file cannot be imported", &[e.to_string()])
        }
        Err(domain::DomainError::NotFound) => (StatusCode::NOT_FOUND, "Not found").into_response(),
        Err(e) => {
            tracing::error!(error = %domain::error::cause_chain(&e), "a CSV import failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong on our side.").into_response()
        }
    }
}
