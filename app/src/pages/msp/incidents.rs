//! `/msp/incidents` (open incidents, notices, and the forms to post them) and
//! `/msp/incidents/{id}` (one incident: its clients, timeline, linked tickets, and updates).

use super::action_error;
use crate::api::msp::incidents::{MspIncidentOpen, MspIncidentUpdate, MspNoticePost, msp_incident, msp_incidents};
use crate::error::AppError;
use crate::pages::incidents::{incident_body, status_tag};
use crate::pages::loading::loaded;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use vocabulary::IncidentStatus;

#[component]
pub fn MspIncidents() -> impl IntoView {
    let open = ServerAction::<MspIncidentOpen>::new();
    let notice = ServerAction::<MspNoticePost>::new();
    let board = Resource::new(move || notice.version().get(), |_| msp_incidents());
    loaded(board, move |b| {
        let (for_incidents, for_notices) = (b.clients.clone(), b.clients.clone());
        view! {
            <Title text="Incidents and notices · Limelight"/>
            <main class="page wide" id="main">
                <h1>"Incidents and notices"</h1>
                <section aria-labelledby="open-h">
                    <h2 id="open-h">"Open incidents"</h2>
                    {b.open.is_empty().then(|| view! { <p class="empty">"None: all is well."</p> })}
                    {(!b.open.is_empty()).then(|| view! {
                        <table class="dense">
                            <caption class="visually-hidden">"Open incidents"</caption>
                            <thead><tr><th scope="col">"Incident"</th><th scope="col">"Status"</th>
                                <th scope="col">"Affects"</th><th scope="col">"Tickets"</th><th scope="col">"Began"</th></tr></thead>
                            <tbody>
                                {b.open.iter().map(|r| view! {
                                    <tr><td><a href=format!("/msp/incidents/{}", r.item.id)>{r.item.title.clone()}</a></td>
                                        <td>{status_tag(r.item.status)}</td><td>{r.affected.clone()}</td>
                                        <td>{r.tickets}</td><td>{r.item.opened.clone()}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    })}
                </section>
                <div class="columns">
                    <section aria-labelledby="new-h">
                        <h2 id="new-h">"Open an incident"</h2>
                        {action_error(open.value())}
                        <ActionForm action=open attr:class="stack">
                            <label for="i-title">"Title"</label>
                            <input id="i-title" name="title" maxlength="200" required placeholder="Microsoft 365 email is down"/>
                            <label for="i-impact">"What clients will notice, in plain words"</label>
                            <textarea id="i-impact" name="impact" rows="3" required></textarea>
                            <label for="i-status">"Where it stands"</label>
                            <select id="i-status" name="status">
                                {IncidentStatus::ALL.iter().filter(|s| **s != IncidentStatus::Resolved)
                                    .map(|s| view! { <option value=s.as_str()>{s.label()}</option> }).collect_view()}
                            </select>
                            <fieldset class="choices">
                                <legend>"Clients affected"</legend>
                                <label class="check"><input type="checkbox" name="all_clients" value="1"/> " All clients"</label>
                                {for_incidents.into_iter().map(|(slug, name)| view! {
                                    <label class="check"><input type="checkbox" name="clients[]" value=slug/> " " {name}</label>
                                }).collect_view()}
                            </fieldset>
                            <label class="check"><input type="checkbox" name="email_clients" value="1"/>
                                " Email the affected clients' admins now and when it is resolved"</label>
                            <button type="submit" class="primary">"Open the incident"</button>
                        </ActionForm>
                    </section>
                    <section aria-labelledby="notice-h">
                        <h2 id="notice-h">"Post a notice"</h2>
                        <p class="meta">"Planned, not urgent: shown on the client's dashboard until the day you choose."</p>
                        {action_error(notice.value())}
                        <ActionForm action=notice attr:class="stack">
                            <label for="n-title">"Title"</label>
                            <input id="n-title" name="title" maxlength="200" required placeholder="Office move: phones off Friday 6–8 pm"/>
                            <label for="n-body">"Message"</label>
                            <textarea id="n-body" name="body" rows="3" required></textarea>
                            <label for="n-client">"For"</label>
                            <select id="n-client" name="client">
                                <option value="all">"All clients"</option>
                                {for_notices.into_iter().map(|(slug, name)| view! { <option value=slug>{name}</option> }).collect_view()}
                            </select>
                            <label for="n-until">"Show until (the last day)"</label>
                            <input id="n-until" name="shown_until" type="date" required value=b.today.clone()/>
                            <button type="submit" class="primary">"Post the notice"</button>
                        </ActionForm>
                    </section>
                </div>
                <section aria-labelledby="notices-h">
                    <h2 id="notices-h">"Notices shown"</h2>
                    {b.notices.is_empty().then(|| view! { <p class="empty">"None."</p> })}
                    <ul>
                        {b.notices.iter().map(|n| view! {
                            <li><strong>{n.title.clone()}</strong> " · " {n.client.clone()} " · " {n.until.clone()}
                                <br/><span class="muted">{n.body.clone()}</span></li>
                        }).collect_view()}
                    </ul>
                </section>
                <section aria-labelledby="resolved-h">
                    <h2 id="resolved-h">"Recently resolved"</h2>
                    {b.resolved.is_empty().then(|| view! { <p class="empty">"None yet."</p> })}
                    <ul>
                        {b.resolved.iter().map(|i| view! {
                            <li><a href=format!("/msp/incidents/{}", i.id)>{i.title.clone()}</a>
                                {format!(" · resolved {}", i.resolved.clone().unwrap_or_default())}</li>
                        }).collect_view()}
                    </ul>
                </section>
            </main>
        }
        .into_any()
    })
}

#[component]
pub fn MspIncident() -> impl IntoView {
    let params = use_params_map();
    let update = ServerAction::<MspIncidentUpdate>::new();
    let incident = Resource::new(
        move || (params.read().get("id").and_then(|i| i.parse::<i64>().ok()), update.version().get()),
        |(id, _)| async move {
            match id {
                Some(id) => msp_incident(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    loaded(incident, move |i| {
        let id = i.incident.item.id;
        let open = i.incident.item.resolved.is_none();
        let current = i.incident.item.status;
        view! {
            <Title text=format!("{} · Limelight", i.incident.item.title)/>
            <main class="page" id="main">
                <div class="columns">
                    <div>{incident_body(i.incident.clone(), ("/msp/incidents", "← Incidents and notices"))}</div>
                    <div>
                        <h2>"Clients affected"</h2>
                        <p>{if i.all_clients { "All clients".to_string() } else { format!("{} clients", i.clients.len()) }}
                            {i.email_clients.then_some(" · their admins are emailed")}</p>
                        <ul class="inline">
                            {i.clients.iter().map(|(name, slug)| view! { <li><a href=format!("/msp/clients/{slug}")>{name.clone()}</a></li> }).collect_view()}
                        </ul>
                        <h2>"Tickets about it"</h2>
                        <p>{format!("{} tickets from {} clients", i.tickets.len(), i.clients_with_tickets)}</p>
                        <ul>
                            {i.tickets.iter().map(|(tid, client, label)| view! {
                                <li><a href=format!("/msp/tickets/{tid}")>{label.clone()}</a> " · " {client.clone()}</li>
                            }).collect_view()}
                        </ul>
                        {open.then(|| view! {
                            <h2>"Post an update"</h2>
                            {action_error(update.value())}
                            <ActionForm action=update attr:class="stack">
                                <input type="hidden" name="id" value=id.to_string()/>
                                <label for="u-status">"Where it stands"</label>
                                <select id="u-status" name="status">
                                    {IncidentStatus::ALL.iter().map(|s| view! {
                                        <option value=s.as_str() selected=*s == current>{s.label()}</option>
                                    }).collect_view()}
                                </select>
                                <label for="u-body">"What is new, in plain words"</label>
                                <textarea id="u-body" name="body" rows="3" required></textarea>
                                <button type="submit" class="primary">"Post the update"</button>
                            </ActionForm>
                        })}
                    </div>
                </div>
            </main>
        }
        .into_any()
    })
}
