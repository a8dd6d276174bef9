use crate::views::Viewer;
use leptos::prelude::*;

/// The bar on every signed-in page: where you are, who you are, and signing out (a plain POST
/// form, so it works without JavaScript).
#[component]
pub fn TopBar(viewer: Viewer) -> impl IntoView {
    let place = viewer.tenant_name.clone().unwrap_or_else(|| "MSP workspace".into());
    view! {
        <header class="top-bar">
            <a class="brand" href="/">"Limelight"</a>
            <span class="place">{place}</span>
            <span class="who">{viewer.name.clone()}</span>
            <form method="post" action="/logout" class="logout">
                <button type="submit">"Sign out"</button>
            </form>
        </header>
    }
}
