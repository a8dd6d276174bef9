//! The staff workspace's pages: dense, keyboard-friendly, every client at once.

pub mod admin;
pub mod approvals;
pub mod clients;
pub mod coverage;
pub mod incidents;
pub mod integrations;
pub mod jobs;
pub mod summaries;
pub mod tickets;
pub mod work;

use crate::api::msp::msp_overview;
use crate::components::feed::CategoryBadge;
use crate::components::tickets::PriorityBadge;
use crate::error::AppError;
use crate::pages::loading::loaded;
use crate::views::msp::{QueueRowView, StaffWorkView, TeamLineView};
use leptos::prelude::*;
use leptos_meta::Title;

/// A textarea's initial text. Leptos writes a textarea's children unescaped on the server (HTML
/// reads it as raw text), so stored text holding `</textarea>` would end the element early and
/// the rest would be markup: escape it there. In the browser the text is set through the DOM.
pub fn textarea_text(text: String) -> String {
    #[cfg(feature = "ssr")]
    {
        text.replace('&', "&amp;").replace('<', "&lt;")
    }
    #[cfg(not(feature = "ssr"))]
    {
        text
    }
}

/// A server action's error, shown where the form is.
pub fn action_error<T, V>(value: V) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    V: Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
{
    move || match value.get() {
        Some(Err(e)) => Some(view! { <p class="error" role="alert">{e.to_string()}</p> }),
        _ => None,
    }
}

/// A table of work entries across clients.
pub fn work_table(caption: &'static str, rows: Vec<StaffWorkView>, show_client: bool) -> impl IntoView {
    view! {
        <table class="dense">
            <caption class="visually-hidden">{caption}</caption>
            <thead><tr>
                <th scope="col">"When"</th>
                {show_client.then(|| view! { <th scope="col">"Client"</th> })}
                <th scope="col">"Work"</th><th scope="col">"Systems"</th><th scope="col">"Time"</th>
                <th scope="col">"By"</th><th scope="col">"State"</th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|w| view! {
                    <tr class=if w.visibility == vocabulary::Visibility::Internal { "internal" } else { "" }>
                        <td>{w.when}{w.after_hours.then(|| view! { " " <span class="tag">"after hours"</span> })}</td>
                        {show_client.then(|| view! { <td><a href=format!("/msp/clients/{}", w.tenant_slug)>{w.tenant_name}</a></td> })}
                        <td><CategoryBadge category=w.category/> " "
                            <a href=format!("/msp/work/{}", w.id)>{w.title}</a>
                            {(w.visibility == vocabulary::Visibility::Internal).then(|| view! { " " <span class="tag">"internal"</span> })}</td>
                        <td>{w.systems.join(", ")}</td>
                        <td>{w.duration}</td>
                        <td>{w.performed_by}{w.automated.then(|| view! { " " <span class="tag">"automated"</span> })}</td>
                        <td>{w.state.label()}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// A table of tickets across clients.
pub fn queue_table(caption: &'static str, rows: Vec<QueueRowView>) -> impl IntoView {
    view! {
        <table class="dense">
            <caption class="visually-hidden">{caption}</caption>
            <thead><tr><th scope="col">"Priority"</th><th scope="col">"Ticket"</th><th scope="col">"Client"</th>
                <th scope="col">"Status"</th><th scope="col">"Assignee"</th><th scope="col">"Next target"</th></tr></thead>
            <tbody>
                {rows.into_iter().map(|t| view! {
                    <tr>
                        <td><PriorityBadge priority=t.priority/></td>
                        <td><a href=format!("/msp/tickets/{}", t.id)>{format!("#{} {}", t.number, t.subject)}</a></td>
                        <td>{t.tenant_name}</td>
                        <td>{t.status.label()}</td>
                        <td>{t.assignee.unwrap_or_else(|| "—".into())}</td>
                        <td class=if t.breached { "overdue" } else { "" }>
                            {t.due.unwrap_or_default()}{t.breached.then_some(" (breached)")}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// "Sam (primary), away → Riley covering".
pub fn cover_words(t: &TeamLineView) -> String {
    match (&t.team.covering, t.team.backup_covering) {
        (None, _) => "Nobody available today".into(),
        (Some(c), true) => format!("{c} covering (primary away)"),
        (Some(c), false) => c.clone(),
    }
}

/// `/msp`: the day at a glance.
#[component]
pub fn MspHome() -> impl IntoView {
    let overview = Resource::new(|| (), |_| msp_overview());
    let approvals = approvals::board_of(|| None);
    loaded(overview, move |o| {
        view! {
            <Title text="Overview · Limelight"/>
            <main class="page wide" id="main">
                <div class="title-row">
                    <h1>{format!("Today, {}", o.today)}</h1>
                    <a class="button primary" href="/msp/work/new">"Log work"</a>
                </div>
                <div class="columns">
                    <section class="card" aria-labelledby="away-h">
                        <h2 id="away-h">"Away today"</h2>
                        {o.away.is_empty().then(|| view! { <p class="empty">"Everyone is in."</p> })}
                        <ul>
                            {o.away.into_iter().map(|a| view! {
                                <li><strong>{a.name}</strong> " — back after " {a.back}
                                    <ul>{a.clients.into_iter().map(|(client, who)| view! {
                                        <li>{client} ": " {match who {
                                            Some(w) => view! { <span>{w} " covers"</span> }.into_any(),
                                            None => view! { <span class="overdue">"nobody covers"</span> }.into_any(),
                                        }}</li>
                                    }).collect_view()}</ul>
                                </li>
                            }).collect_view()}
                        </ul>
                    </section>
                    <section class="card" aria-labelledby="gaps-h">
                        <h2 id="gaps-h">"Coverage gaps"</h2>
                        {(o.gaps.is_empty() && o.without_backup.is_empty()).then(|| view! { <p class="empty">"Every client is covered for the next 60 days."</p> })}
                        <ul>
                            {o.gaps.into_iter().map(|t| view! {
                                <li><a href=format!("/msp/clients/{}", t.slug)>{t.name.clone()}</a> ": nobody in on "
                                    {t.team.gap_days.join(", ")}</li>
                            }).collect_view()}
                            {o.without_backup.into_iter().map(|t| view! {
                                <li><a href=format!("/msp/clients/{}", t.slug)>{t.name.clone()}</a> ": the primary has no backup"</li>
                            }).collect_view()}
                        </ul>
                    </section>
                </div>
                <section aria-labelledby="urgent-h">
                    <h2 id="urgent-h">"Open P1 and P2 tickets"</h2>
                    {o.urgent.is_empty().then(|| view! { <p class="empty">"None."</p> })}
                    {(!o.urgent.is_empty()).then(|| queue_table("Open P1 and P2 tickets", o.urgent))}
                </section>
                <section aria-labelledby="breach-h">
                    <h2 id="breach-h">"SLA breaches"</h2>
                    {o.breached.is_empty().then(|| view! { <p class="empty">"None: every open ticket is within its targets."</p> })}
                    {(!o.breached.is_empty()).then(|| queue_table("Tickets past their SLA target", o.breached))}
                </section>
                <section aria-labelledby="today-h">
                    <h2 id="today-h">"Today's work"</h2>
                    {o.today_work.is_empty().then(|| view! { <p class="empty">"Nothing logged or planned for today yet."</p> })}
                    {(!o.today_work.is_empty()).then(|| work_table("Today's work", o.today_work, true))}
                </section>
                <section aria-labelledby="week-h">
                    <h2 id="week-h">"The rest of this week"</h2>
                    {o.week_work.is_empty().then(|| view! { <p class="empty">"Nothing else this week."</p> })}
                    {(!o.week_work.is_empty()).then(|| work_table("This week's work", o.week_work, true))}
                </section>
                <approvals::ApprovalBoard board=approvals/>
                <RatingsBoard board=o.ratings/>
                <section aria-labelledby="risk-h">
                    <h2 id="risk-h">"Single points of failure"</h2>
                    {o.risks.is_empty().then(|| view! { <p class="empty">"No system is at risk."</p> })}
                    <table class="dense">
                        <caption class="visually-hidden">"Systems at risk, most critical first"</caption>
                        <thead><tr><th scope="col">"Criticality"</th><th scope="col">"System"</th><th scope="col">"Client"</th><th scope="col">"Why"</th></tr></thead>
                        <tbody>
                            {o.risks.into_iter().map(|r| view! {
                                <tr><td>{r.criticality.label()}</td><td>{r.system}</td>
                                    <td><a href=format!("/msp/clients/{}", r.tenant_slug)>{r.tenant_name}</a></td>
                                    <td>{r.risks.join("; ")}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </section>
            </main>
        }
        .into_any()
    })
}

fn tally_cells(t: crate::views::msp::TallyView) -> impl IntoView {
    let poor = if t.poor > 0 { "overdue" } else { "" };
    view! { <td>{t.good}</td><td>{t.okay}</td><td class=poor>{t.poor}</td><td>{t.share}</td> }
}

fn tally_head(first: &'static str) -> impl IntoView {
    view! {
        <thead><tr><th scope="col">{first}</th><th scope="col">"Good"</th><th scope="col">"Okay"</th>
            <th scope="col">"Poor"</th><th scope="col">"Share"</th></tr></thead>
    }
}

/// How clients rated resolved tickets: by month (six), by tech and by client (90 days), and the
/// latest poor answers.
#[component]
fn RatingsBoard(board: crate::views::msp::RatingsBoardView) -> impl IntoView {
    view! {
        <section aria-labelledby="ratings-h">
            <h2 id="ratings-h">"How clients rated us"</h2>
            {board.by_client.is_empty().then(|| view! { <p class="empty">"No ratings in the last 90 days."</p> })}
            <div class="columns">
                <table class="dense">
                    <caption>"By month"</caption>
                    {tally_head("Month")}
                    <tbody>
                        {board.months.into_iter().map(|(m, t)| view! { <tr><th scope="row">{m}</th>{tally_cells(t)}</tr> }).collect_view()}
                    </tbody>
                </table>
                <table class="dense">
                    <caption>"By tech, last 90 days"</caption>
                    {tally_head("Tech")}
                    <tbody>
                        {board.by_tech.into_iter().map(|(n, t)| view! { <tr><th scope="row">{n}</th>{tally_cells(t)}</tr> }).collect_view()}
                    </tbody>
                </table>
                <table class="dense">
                    <caption>"By client, last 90 days"</caption>
                    {tally_head("Client")}
                    <tbody>
                        {board.by_client.into_iter().map(|(n, slug, t)| view! {
                            <tr><th scope="row"><a href=format!("/msp/clients/{slug}")>{n}</a></th>{tally_cells(t)}</tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            {(!board.recent_poor.is_empty()).then(|| view! {
                <h3>"Latest poor ratings"</h3>
                <ul class="poor-ratings">
                    {board.recent_poor.into_iter().map(|(client, id, ticket, comment)| view! {
                        <li><a href=format!("/msp/tickets/{id}")>{ticket}</a> " · " {client}
                            {(!comment.is_empty()).then(|| view! { <br/><span class="muted">{format!("“{comment}”")}</span> })}</li>
                    }).collect_view()}
                </ul>
            })}
        </section>
    }
}
