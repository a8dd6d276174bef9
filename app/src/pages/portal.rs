//! The client portal's pages. The tenant comes from the session, never from the URL.

use crate::api::portal::{portal_home, portal_work_entry};
use crate::components::chart::WorkChart;
use crate::components::feed::{CategoryBadge, FeedItem};
use crate::components::team::TeamCard;
use crate::components::tickets::ticket_line;
use crate::error::AppError;
use crate::pages::loading::loaded;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// `/portal`: the client's dashboard.
#[component]
pub fn PortalHome() -> impl IntoView {
    let home = Resource::new(|| (), |_| portal_home());
    loaded(home, dashboard)
}

/// The dashboard's body: the client's own, and the staff's preview of it.
pub fn dashboard(h: crate::views::DashboardView) -> AnyView {
    {
        let empty = h.feed.is_empty();
        view! {
                            <Title text=format!("{} · Limelight", h.tenant_name)/>
                            <main class="page" id="main">
                                <h1>{h.tenant_name.clone()}</h1>
                                <p class="lead">"Here is what your IT team has been doing behind the scenes."</p>
                                {(!h.approvals_waiting.is_empty()).then(|| view! {
                                    <section aria-labelledby="decide-heading" class="notices decide">
                                        <h2 id="decide-heading">"Waiting for your decision"</h2>
                                        <ul>
                                            {h.approvals_waiting.iter().map(|a| view! {
                                                <li><a href=format!("/portal/approvals/{}", a.id)><strong>{a.title.clone()}</strong></a>
                                                    <p class="meta">{a.asked_by.clone().map(|b| format!("Asked by {b}")).unwrap_or_default()}
                                                        {a.when.clone().map(|w| format!(" · first proposed time {w}"))}
                                                        {a.deadline.clone().map(|d| format!(" · please answer by {d}"))}</p></li>
                                            }).collect_view()}
                                        </ul>
                                    </section>
                                })}
                                <p class="meta"><a href="/portal/incidents">"Service status and past incidents"</a></p>
                                {(!h.notices.is_empty()).then(|| view! {
                                    <section aria-labelledby="notices-heading" class="notices">
                                        <h2 id="notices-heading">"Notices from your IT team"</h2>
                                        <ul>
                                            {h.notices.iter().map(|n| view! {
                                                <li><strong>{n.title.clone()}</strong>
                                                    <p class="body">{n.body.clone()}</p>
                                                    <p class="meta">{n.until.clone()}</p></li>
                                            }).collect_view()}
                                        </ul>
                                    </section>
                                })}
                                <section aria-labelledby="glance-heading" class="glance">
                                    <h2 id="glance-heading">{format!("{} at a glance", h.glance.month)}</h2>
                                    <ul class="figures">
                                        {h.glance.figures.iter().map(|f| view! {
                                            <li><span class="label">{f.label.clone()}</span>
                                                <span class="value">{f.value.clone()}</span>
                                                <span class="context">{f.context.clone()}</span></li>
                                        }).collect_view()}
                                    </ul>
                                    {(!h.glance.by_category.is_empty()).then(|| view! {
                                        <ul class="by-category inline" aria-label="Work this month by category">
                                            {h.glance.by_category.iter().map(|(c, n)| view! {
                                                <li><CategoryBadge category=*c/> " " {*n}</li>
                                            }).collect_view()}
                                        </ul>
                                    })}
                                    <p class="agreement">
                                        "Hours used: " {h.glance.hours.clone()}
                                        {h.glance.percent_used.map(|p| view! {
                                            <meter min="0" max="100" value=p.min(100) aria-label="Share of your agreed hours used">
                                                {format!("{p}%")}</meter>
                                            <span>{format!(" {p}% of your agreement")}</span>
                                        })}
                                    </p>
                                </section>
                                <div class="columns">
                                    <TeamCard team=h.team.clone()/>
                                    <section class="card" aria-labelledby="tickets-heading">
                                        <h2 id="tickets-heading">"Open tickets"</h2>
                                        {h.open_tickets.is_empty().then(|| view! { <p class="empty">"No open tickets."</p> })}
                                        <ul class="tickets">{h.open_tickets.clone().into_iter().map(ticket_line).collect_view()}</ul>
                                        <p><a href="/portal/tickets/new">"Open a ticket"</a> " · " <a href="/portal/tickets">"All tickets"</a></p>
                                    </section>
                                </div>
                                <section class="card" aria-labelledby="planned-heading">
                                    <h2 id="planned-heading">"Planned maintenance"</h2>
                                    {h.planned.is_empty().then(|| view! { <p class="empty">"Nothing planned right now."</p> })}
                                    <ul class="planned">
                                        {h.planned.clone().into_iter().map(|w| view! {
                                            <li><CategoryBadge category=w.category/> " " <strong>{w.title}</strong>
                                                <span class="meta">" · " <time datetime=w.when_iso>{w.when}</time>
                                                {w.after_hours.then_some(" · outside business hours")}</span></li>
                                        }).collect_view()}
                                    </ul>
                                    <p><a href="/portal/approvals">"Work asking for your approval"</a></p>
                                </section>
                                <section class="card" aria-labelledby="chart-heading">
                                    <h2 id="chart-heading">"The last twelve months"</h2>
                                    <WorkChart chart=h.chart.clone()/>
                                </section>
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
    loaded(entry, move |d| {
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
    })
}
