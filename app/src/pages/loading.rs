//! How a page that loads data shows it: a loading notice while the data loads, then the page, or
//! the error page (with the error's status). Pages opened from an emailed link have their own
//! page for a link that no longer works.

use crate::error::AppError;
use crate::pages::not_found::NotFound;
use leptos::prelude::*;
use leptos_meta::Title;

/// A page that shows an error answers with the error's status (404, 401, 403, 422, 500): every
/// page that renders an error calls this, so the status follows from the error's type.
pub fn answer_with(e: &AppError) {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(e.status());
        if *e == AppError::Unavailable {
            res.insert_header(http::header::RETRY_AFTER, http::HeaderValue::from_static("30"));
        }
    }
    #[cfg(not(feature = "ssr"))]
    let _ = e;
}

/// An error as a page shows it: "not found" is the 404 page (its status already set), anything
/// else a calm message.
pub fn error_page(e: AppError) -> AnyView {
    answer_with(&e);
    match e {
        AppError::NotFound => view! { <NotFound/> }.into_any(),
        AppError::Internal(Some(reference)) => view! {
            <main class="page" id="main">
                <p class="error" role="alert">{AppError::Internal(None).to_string()}</p>
                <p class="muted">"If it keeps happening, tell us this reference: " <code class="reference">{reference}</code></p>
            </main>
        }
        .into_any(),
        e => view! { <main class="page" id="main"><p class="error" role="alert">{e.to_string()}</p></main> }.into_any(),
    }
}

/// A page opened from an emailed link (an invitation, a password reset): `page` while the link
/// works; once it is used, expired or unknown, a calm page saying so and what to do instead.
pub fn link_page<T, V, F>(
    info: Resource<Result<T, AppError>>,
    dead_title: &'static str,
    dead_text: &'static str,
    page: F,
) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    V: IntoView + 'static,
    F: Fn(T) -> V + Clone + Send + Sync + 'static,
{
    loaded_or(info, page, move |e| match e {
        AppError::NotFound => view! {
            <Title text=dead_title/>
            <main class="page narrow" id="main">
                <h1>"This link no longer works"</h1>
                <p>{dead_text}</p>
                <p><a href="/login">"Sign in"</a></p>
            </main>
        }
        .into_any(),
        e => error_page(e),
    })
}

/// The shape every data page shares: a loading notice while `data` loads, then `page` with the
/// data, or the error page.
pub fn loaded<T, V, F>(data: Resource<Result<T, AppError>>, page: F) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    V: IntoView + 'static,
    F: Fn(T) -> V + Clone + Send + Sync + 'static,
{
    loaded_or(data, page, error_page)
}

/// The same, with the caller's page for an error.
fn loaded_or<T, V, F, E>(data: Resource<Result<T, AppError>>, page: F, on_error: E) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    V: IntoView + 'static,
    F: Fn(T) -> V + Clone + Send + Sync + 'static,
    E: Fn(AppError) -> AnyView + Clone + Send + Sync + 'static,
{
    view! {
        <Suspense fallback=|| view! { <main class="page" id="main"><p>"Loading…"</p></main> }>
            {move || {
                let (page, on_error) = (page.clone(), on_error.clone());
                Suspend::new(async move {
                    match data.await {
                        Ok(d) => page(d).into_any(),
                        Err(e) => {
                            answer_with(&e);
                            on_error(e)
                        }
                    }
                })
            }}
        </Suspense>
    }
}
