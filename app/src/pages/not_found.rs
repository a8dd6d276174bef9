use leptos::prelude::*;
use leptos_meta::Title;

/// The 404 page: the same for a page that does not exist and for one that is not yours.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Page not found · Limelight"/>
        <main class="page narrow" id="main">
            <h1>"We couldn't find that page"</h1>
            <p>"The link may be old, or the page may have moved. "<a href="/">"Go to your home page"</a>"."</p>
        </main>
    }
}
