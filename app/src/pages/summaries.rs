//! `/portal/summaries` and `/portal/summaries/{id}` (printable).

use crate::api::summaries::{portal_summaries, portal_summary};
use crate::components::feed::CategoryBadge;
use crate::error::AppError;
use crate::pages::loading::loaded;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn PortalSummaries() -> impl IntoView {
    let list = Resource::new(|| (), |_| portal_summaries());
    loaded(list, move |items| {
        let empty = items.is_empty();
        view! {
                            <Title text="Summaries · Limelight"/>
                            <main class="page narrow" id="main">
                                <h1>"Your summaries"</h1>
                                <p class="lead">"Our regular thank-you notes: what we did for you, period by period."</p>
                                {empty.then(|| view! { <p class="empty">"Your first summary will appear here once your account manager sends it."</p> })}
                                <ul class="summaries">
                                    {items.into_iter().map(|s| view! {
                                        <li class="card"><a href=format!("/portal/summaries/{}", s.id)>{s.subject}</a>
                                            <p class="meta">{s.period} " · sent " {s.sent}</p></li>
                                    }).collect_view()}
                                </ul>
                            </main>
                        }
                            .into_any()
    })
}

#[component]
pub fn PortalSummaryDetail() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok());
    let data = Resource::new(id, |id| async move {
        match id {
            Some(id) => portal_summary(id).await,
            None => Err(AppError::NotFound),
        }
    });
    loaded(data, summary_page)
}

/// A summary's page: the client's own, and the staff's preview of a draft.
pub fn summary_page(s: crate::views::SummaryView) -> AnyView {
    {
        view! {
                        <Title text=format!("{} · Limelight", s.item.subject)/>
                        <main class="page narrow summary" id="main">
                            <p class="no-print"><a href="/portal/summaries">"← All summaries"</a></p>
                            <h1>{s.item.subject.clone()}</h1>
                            <p class="meta">{s.item.period.clone()} " · sent " {s.item.sent.clone()}</p>
                            {(!s.personal_note.is_empty()).then(|| view! { <blockquote class="note-from">{s.personal_note.clone()}</blockquote> })}
                            <ul class="figures">
                                {s.figures.iter().map(|f| view! {
                                    <li><span class="label">{f.label.clone()}</span><span class="value">{f.value.clone()}</span>
                                        <span class="context">{f.context.clone()}</span></li>
                                }).collect_view()}
                            </ul>
                            <h2>"What we worked on"</h2>
                            <ul class="by-category">
                                {s.by_category.iter().map(|(c, n)| view! { <li><CategoryBadge category=*c/> " " {*n}</li> }).collect_view()}
                            </ul>
                            {(!s.highlights.is_empty()).then(|| view! {
                                <h2>"Highlights"</h2>
                                <ul class="highlights">
                                    {s.highlights.iter().map(|(day, title, why)| view! {
                                        <li><strong>{title.clone()}</strong> <span class="meta">" · " {day.clone()}</span>
                                            <p>{why.clone()}</p></li>
                                    }).collect_view()}
                                </ul>
                            })}
                            {(!s.looked_after_by.is_empty()).then(|| view! {
                                <h2>"Who looked after you"</h2>
                                <p>{s.looked_after_by.join(", ")}</p>
                            })}
                            {(!s.backup_days.is_empty()).then(|| view! {
                                <p>"On these days your usual tech was away and a backup covered: " {s.backup_days.join("; ")} "."</p>
                            })}
                        </main>
                    }
                        .into_any()
    }
}
