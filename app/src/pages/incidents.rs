//! `/portal/incidents` (every incident that concerned the client) and `/portal/incidents/{id}`
//! (its timeline).

use crate::api::incidents::{portal_incident, portal_incidents};
use crate::error::AppError;
use crate::pages::loading::loaded;
use crate::views::IncidentView;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// An incident's status, with a class per status for its colour.
pub fn status_tag(status: vocabulary::IncidentStatus) -> impl IntoView {
    view! { <span class=format!("tag incident-{}", status.as_str())>{status.label()}</span> }
}

/// `/portal/incidents`: open ones first (they are the newest), then the history.
#[component]
pub fn PortalIncidents() -> impl IntoView {
    let list = Resource::new(|| (), |_| portal_incidents());
    loaded(list, |items| {
        view! {
            <Title text="Service status · Limelight"/>
            <main class="page narrow" id="main">
                <h1>"Service status"</h1>
                <p class="lead">"When something is wrong for you, or for many of our clients at once, we say so here, and keep you posted until it is fixed."</p>
                {items.is_empty().then(|| view! { <p class="empty">"No incidents so far."</p> })}
                <ul class="incident-list">
                    {items.into_iter().map(|i| view! {
                        <li>
                            <a href=format!("/portal/incidents/{}", i.id)><strong>{i.title}</strong></a>
                            " " {status_tag(i.status)}
                            <p class="meta">{format!("Began {}", i.opened)}
                                {i.resolved.map(|r| format!(" · resolved {r}"))}</p>
                        </li>
                    }).collect_view()}
                </ul>
            </main>
        }
        .into_any()
    })
}

/// An incident's page: what clients notice, where it stands, and every update.
pub fn incident_body(i: IncidentView, back: (&'static str, &'static str)) -> impl IntoView {
    view! {
        <p><a href=back.0>{back.1}</a></p>
        <h1>{i.item.title.clone()}</h1>
        <dl class="facts">
            <dt>"Status"</dt><dd>{status_tag(i.item.status)}</dd>
            <dt>"Began"</dt><dd>{i.item.opened.clone()}</dd>
            {i.item.resolved.clone().map(|r| view! { <dt>"Resolved"</dt><dd>{r}</dd> })}
        </dl>
        <h2>"What you may notice"</h2>
        <p class="description">{i.impact.clone()}</p>
        <h2>"Updates"</h2>
        <ol class="timeline">
            {i.updates.into_iter().rev().map(|u| view! {
                <li>
                    <p class="meta">{status_tag(u.status)} " · " {u.when}
                        {u.author.map(|a| format!(" · {a}"))}</p>
                    <p class="body">{u.body}</p>
                </li>
            }).collect_view()}
        </ol>
    }
}

/// `/portal/incidents/{id}`; one that does not concern this client is 404.
#[component]
pub fn PortalIncident() -> impl IntoView {
    let params = use_params_map();
    let incident = Resource::new(
        move || params.read().get("id").and_then(|i| i.parse::<i64>().ok()),
        |id| async move {
            match id {
                Some(id) => portal_incident(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    loaded(incident, |i| {
        view! {
            <Title text=format!("{} · Limelight", i.item.title)/>
            <main class="page narrow" id="main">{incident_body(i, ("/portal/incidents", "← Service status"))}</main>
        }
        .into_any()
    })
}
