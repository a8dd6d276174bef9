//! The HTML shell and the route table: the one place that lists every page.

use crate::api::account::current_viewer;
use crate::components::top_bar::TopBar;
use crate::pages::{login::LoginPage, msp::MspHome, not_found::NotFound, portal::*};
use leptos::prelude::*;
use leptos_meta::{MetaTags, provide_meta_context};
use leptos_router::{
    SsrMode,
    components::{Route, Router, Routes},
    path,
};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light dark"/>
                <link rel="stylesheet" href=format!("/{}/{}.css", options.site_pkg_dir, options.output_name)/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// A strict CSP: scripts only from this origin or carrying this response's nonce (leptos puts it
/// on its own inline scripts), no plugins, no framing.
#[cfg(feature = "ssr")]
fn content_security_policy() {
    if let (Some(nonce), Some(res)) = (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>()) {
        let csp = format!(
            "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
             img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
             form-action 'self'; frame-ancestors 'none'"
        );
        if let Ok(v) = http::HeaderValue::from_str(&csp) {
            res.insert_header(http::header::CONTENT_SECURITY_POLICY, v);
        }
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <a class="skip" href="#main">"Skip to content"</a>
        <Router>
            <Routes fallback=|| view! { <NotFound/> }>
                <Route path=path!("/login") view=LoginPage/>
                <Route path=path!("/portal") view=guarded(Area::Portal, PortalHome) ssr=SsrMode::Async/>
                <Route path=path!("/portal/work/:id") view=guarded(Area::Portal, PortalWorkEntry) ssr=SsrMode::Async/>
                <Route path=path!("/msp") view=guarded(Area::Msp, MspHome) ssr=SsrMode::Async/>
            </Routes>
        </Router>
    }
}

/// Which part of the product a page belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Area {
    Portal,
    Msp,
}

/// A signed-in page of one area, under the top bar. Anyone else sees the 404 page (the server's
/// session layer has already sent visitors without a session to `/login`). This only hides UI:
/// every server function checks the session and role itself.
fn guarded<V: IntoView + 'static>(area: Area, page: fn() -> V) -> impl Fn() -> AnyView + Clone + Send + Sync + 'static {
    move || {
        let who = Resource::new(|| (), |_| current_viewer());
        view! {
            <Suspense fallback=|| view! { <main class="page" id="main"><p>"Loading…"</p></main> }>
                {move || Suspend::new(async move {
                    match who.await {
                        Ok(Some(viewer)) if (area == Area::Portal) == viewer.role.is_client() => {
                            view! { <TopBar viewer/> {page()} }.into_any()
                        }
                        _ => view! { <NotFound/> }.into_any(),
                    }
                })}
            </Suspense>
        }
        .into_any()
    }
}
