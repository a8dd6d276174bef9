//! `/portal/systems` and `/portal/systems/{id}`.

use crate::api::systems::{portal_system, portal_systems};
use crate::components::feed::FeedItem;
use crate::error::AppError;
use crate::pages::loading::loaded;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn PortalSystems() -> impl IntoView {
    let systems = Resource::new(|| (), |_| portal_systems());
    loaded(systems, move |list| {
        let empty = list.is_empty();
        view! {
                            <Title text="Your systems · Limelight"/>
                            <main class="page" id="main">
                                <h1>"Your systems"</h1>
                                <p class="lead">"The systems we look after for you, and the last thing we did on each."</p>
                                {empty.then(|| view! { <p class="empty">"We have not recorded any of your systems yet."</p> })}
                                <ul class="systems">
                                    {list.into_iter().map(|row| {
                                        let href = format!("/portal/systems/{}", row.system.id);
                                        view! {
                                            <li class="card">
                                                <h2><a href=href>{row.system.name.clone()}</a></h2>
                                                <p class="meta">{row.system.kind.clone()} " · " {row.system.criticality.clone()} " importance"
                                                    {row.system.vendor.clone().map(|v| view! { " · " {v} })}</p>
                                                {match row.last_work {
                                                    Some(w) => view! { <p>"Last work: " <a href=format!("/portal/work/{}", w.id)>{w.title}</a>
                                                        <span class="meta">" · " {w.when}</span></p> }.into_any(),
                                                    None => view! { <p class="empty">"No work recorded yet."</p> }.into_any(),
                                                }}
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            </main>
                        }
                            .into_any()
    })
}

#[component]
pub fn PortalSystemDetail() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let key = move || (params.read().get("id").and_then(|s| s.parse::<i64>().ok()), query.read().get("after"));
    let data = Resource::new(key, |(id, after)| async move {
        match id {
            Some(id) => portal_system(id, after).await,
            None => Err(AppError::NotFound),
        }
    });
    loaded(data, move |d| {
        let id = d.system.id;
        let empty = d.work.is_empty();
        view! {
                            <Title text=format!("{} · Limelight", d.system.name)/>
                            <main class="page" id="main">
                                <p><a href="/portal/systems">"← All systems"</a></p>
                                <h1>{d.system.name.clone()}</h1>
                                <p class="meta">{d.system.kind.clone()} " · " {d.system.criticality.clone()} " importance"
                                    {d.system.vendor.clone().map(|v| view! { " · " {v} })}</p>
                                <h2>"Work on this system"</h2>
                                {empty.then(|| view! { <p class="empty">"No work recorded on this system yet."</p> })}
                                <ul class="feed">{d.work.into_iter().map(|item| view! { <FeedItem item/> }).collect_view()}</ul>
                                <nav class="pager" aria-label="More work">
                                    {d.next.map(|n| view! { <a href=format!("/portal/systems/{id}?after={n}") rel="next">"Older work →"</a> })}
                                </nav>
                            </main>
                        }
                            .into_any()
    })
}
