//! `GET /rate/{token}/{answer}`: the one-click answers in a resolved ticket's email. The token in
//! the link is the permission (no sign-in), and it can do one thing once: record that requester's
//! answer for that ticket. Then the browser lands on `/rated`, which thanks them and offers the
//! ticket's page (signed in) for a comment. A used, expired or unknown link, or an answer that is
//! not one of the three, lands there too, saying so, and records nothing.

use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use domain::ratings::Ratings;
use domain::vocabulary::Rating;

pub async fn answer(
    State(state): State<AppState>,
    Path((token, answer)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let Ok(rating) = answer.parse::<Rating>() else { return Redirect::to("/rated?unavailable").into_response() };
    let ratings = Ratings::new(state.db.clone(), state.mail.clone(), &state.public_url);
    match ratings.answer_by_link(&token, rating).await {
        Ok(done) => {
            Redirect::to(&format!("/rated?ticket={}&answer={}", done.number, done.rating.as_str())).into_response()
        }
        Err(domain::DomainError::NotFound) => Redirect::to("/rated?unavailable").into_response(),
        Err(e) if e.is_unavailable() => super::unavailable::answer("/rate", &headers),
        Err(e) => {
            tracing::error!(error = %domain::error::cause_chain(&e), "recording a rating failed");
            (http::StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong on our side. Please try again.")
                .into_response()
        }
    }
}
