//! `GET /calendar/{token}.ics`: a person's private calendar feed. The token in the link is the
//! permission (calendar apps send no cookies); an unknown or ended link is 404.

use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use http::{StatusCode, header};

pub async fn feed(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let Some(token) = file.strip_suffix(".ics") else {
        return (StatusCode::NOT_FOUND, "No such calendar.").into_response();
    };
    match domain::calendar::CalendarFeeds::new(state.db.clone()).render(token).await {
        Ok(Some(text)) => (
            [
                (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
                (header::CACHE_CONTROL, "private, no-store"),
                (header::CONTENT_DISPOSITION, "inline; filename=\"limelight.ics\""),
            ],
            text,
        )
            .into_response(),
        Ok(None) => (StatusCode::NOT_FOUND, "No such calendar.").into_response(),
        Err(e) => {
            tracing::error!(error = %domain::error::cause_chain(&e), "a calendar feed failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong on our side.").into_response()
        }
    }
}
