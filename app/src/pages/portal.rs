//! The client portal's pages. The tenant comes from the session, never from the URL.

use crate::api::portal::{portal_home, portal_work_entry};
use crate::components::feed::{CategoryBadge, FeedItem};
use crate::components::team::TeamCard;
use crate::error::AppError;
use crate::pages::not_found::NotFound;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// An error as a client reads it: "not found" is the 404 page, anything else a calm message.
fn error_view(e: AppError) -> AnyView {
    match e {
        AppError::NotFound => view! { <NotFound/> }.into_any(),
        other => view! {
            <main class="page" id="main"><p class="error" role="alert">{other.to_string()}</p></main>
        }
        .into_any(),
    }
}

/// `/portal`: the client's dashboard.
#[component]
pub fn PortalHome() -> impl IntoView {
    let home = Resource::new(|| (), |_| portal_home());
    view! {
        <Suspense fallback=|| view! { <main class="page" id="main"><p>"Loading…"</p></main> }>
            {move || Suspend::new(async move {
                match home.await {
                    Ok(h) => {
                        let empty = h.feed.is_empty();
                        view! {
                            <Title text=format!("{} · Limelight", h.tenant_name)/>
                            <main class="page" id="main">
                                <h1>{h.tenant_name.clone()}</h1>
                                <p class="lead">"Here is what your IT team has been doing behind the scenes."</p>
                                <TeamCard team=h.team.clone()/>
                                <section aria-labelledby="feed-heading">
                                    <h2 id="feed-heading">"Behind the scenes"</h2>
                                    {empty.then(|| view! {
                                        <p class="empty">"No work has been logged yet. It will appear here as soon as it is."</p>
                                    })}
                                    <ul class="feed">
                                        {h.feed.into_iter().map(|item| view! { <FeedItem item/> }).collect_view()}
                                    </ul>
                                    <p><a href="/portal/work">"See all the work we have done for you →"</a></p>
                                    <p class="note">"Times are shown in " {h.time_zone.clone()} "."</p>
                                </section>
                            </main>
                        }
                            .into_any()
                    }
                    Err(e) => error_view(e),
                }
            })}
        </Suspense>
    }
}

/// `/portal/work/{id}`: one piece of work.
#[component]
pub fn PortalWorkEntry() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok());
    let entry = Resource::new(id, |id| async move {
        match id {
            Some(id) => portal_work_entry(id).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        <Suspense fallback=|| view! { <main class="page" id="main"><p>"Loading…"</p></main> }>
            {move || Suspend::new(async move {
                match entry.await {
                    Ok(d) => {
                        let w = d.work;
                        view! {
                        <Title text=format!("{} · Limelight", w.title)/>
                        <main class="page narrow" id="main">
                            <p><a href="/portal">"← Back to your dashboard"</a></p>
                            <CategoryBadge category=w.category/>
                            <h1>{w.title.clone()}</h1>
                            {(!w.why_it_matters.is_empty()).then(|| view! {
                                <p class="why lead">{w.why_it_matters.clone()}</p>
                            })}
                            <dl class="facts">
                                <dt>"When"</dt>
                                <dd><time datetime=w.when_iso.clone()>{w.when.clone()}</time>
                                    {w.after_hours.then(|| " (after hours)")}</dd>
                                <dt>"How long"</dt><dd>{w.duration.clone()}</dd>
                                <dt>"Done by"</dt><dd>{w.performed_by.clone()}</dd>
                                {(!w.systems.is_empty()).then(|| view! {
                                    <dt>"Systems"</dt><dd>{w.systems.join(", ")}</dd>
                                })}
                                {w.vendor.clone().map(|v| view! { <dt>"Vendor"</dt><dd>{v}</dd> })}
                            </dl>
                            <h2>"Details"</h2>
                            // Sanitised on the server (domain::markdown): formatting only.
                            <div class="details markdown" inner_html=d.details_html></div>
                        </main>
                    }
                        .into_any()
                    }
                    Err(e) => error_view(e),
                }
            })}
        </Suspense>
    }
}
