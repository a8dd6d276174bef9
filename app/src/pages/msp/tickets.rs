//! `/msp/tickets` (the queue) and `/msp/tickets/{id}`.

use super::{action_error, queue_table};
use crate::api::msp::incidents::MspTicketIncident;
use crate::api::msp::tickets::{
    MspTicketAssign, MspTicketComment, MspTicketNew, MspTicketStatus, msp_ticket, msp_tickets,
};
use crate::components::tickets::PriorityBadge;
use crate::error::AppError;
use crate::pages::loading::loaded;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use vocabulary::{Impact, TicketSource, TicketStatus, Urgency};

/// `/msp/tickets`: every client's open tickets, most urgent first.
#[component]
pub fn MspTickets() -> impl IntoView {
    let query = use_query_map();
    let new_ticket = ServerAction::<MspTicketNew>::new();
    let filters = move || {
        let q = query.read();
        (q.get("client"), q.get("status"), q.get("assignee"), q.get("breached"))
    };
    let queue = Resource::new(filters, |(c, s, a, b)| msp_tickets(c, s, a, b));
    loaded(queue, move |q| {
        let (client, status, assignee, breached) = filters();
        view! {
            <Title text="Tickets · Limelight"/>
            <main class="page wide" id="main">
                <h1>"Ticket queue"</h1>
                <form method="get" action="/msp/tickets" class="filters" role="search">
                    <div><label for="q-client">"Client"</label>
                        <select id="q-client" name="client"><option value="">"All clients"</option>
                            {q.clients.iter().map(|(slug, name)| view! { <option value=slug.clone() selected=client.as_deref() == Some(slug.as_str())>{name.clone()}</option> }).collect_view()}
                        </select></div>
                    <div><label for="q-status">"Status"</label>
                        <select id="q-status" name="status"><option value="">"Open (any)"</option>
                            {TicketStatus::ALL.iter().map(|s| view! { <option value=s.as_str() selected=status.as_deref() == Some(s.as_str())>{s.label()}</option> }).collect_view()}
                        </select></div>
                    <div><label for="q-assignee">"Assignee"</label>
                        <select id="q-assignee" name="assignee"><option value="">"Anyone"</option>
                            <option value="none" selected=assignee.as_deref() == Some("none")>"Unassigned"</option>
                            {q.techs.iter().map(|t| view! { <option value=t.id.to_string() selected=assignee.as_deref() == Some(t.id.to_string().as_str())>{t.name.clone()}</option> }).collect_view()}
                        </select></div>
                    <div><label class="check"><input type="checkbox" name="breached" value="1" checked=breached.is_some()/> " Breached only"</label></div>
                    <div class="actions"><button type="submit" class="primary">"Show"</button> <a href="/msp/tickets">"Clear"</a></div>
                </form>
                {q.tickets.is_empty().then(|| view! { <p class="empty">"No tickets match."</p> })}
                {(!q.tickets.is_empty()).then(|| queue_table("The ticket queue", q.tickets.clone()))}
                <details class="card">
                    <summary>"Open a ticket for a client"</summary>
                    {action_error(new_ticket.value())}
                    <ActionForm action=new_ticket attr:class="stack">
                        <label for="n-client">"Client"</label>
                        <select id="n-client" name="client" required><option value="">"Choose…"</option>
                            {q.clients.iter().map(|(slug, name)| view! { <option value=slug.clone()>{name.clone()}</option> }).collect_view()}
                        </select>
                        <label for="n-requester">"Requester's email (optional)"</label>
                        <input id="n-requester" name="requester" type="email"/>
                        <label for="n-subject">"Subject"</label>
                        <input id="n-subject" name="subject" required maxlength="200"/>
                        <label for="n-description">"What is happening?"</label>
                        <textarea id="n-description" name="description" rows="4" required></textarea>
                        <label for="n-impact">"Who is affected?"</label>
                        <select id="n-impact" name="impact" required><option value="">"Choose…"</option>
                            {Impact::ALL.iter().map(|i| view! { <option value=i.as_str()>{i.label()}</option> }).collect_view()}
                        </select>
                        <label for="n-urgency">"How badly?"</label>
                        <select id="n-urgency" name="urgency" required><option value="">"Choose…"</option>
                            {Urgency::ALL.iter().map(|u| view! { <option value=u.as_str()>{u.label()}</option> }).collect_view()}
                        </select>
                        <label for="n-source">"Came in by"</label>
                        <select id="n-source" name="source">
                            {[TicketSource::Phone, TicketSource::Email, TicketSource::Staff].into_iter().map(|s| view! { <option value=s.as_str()>{s.label()}</option> }).collect_view()}
                        </select>
                        <button type="submit" class="primary">"Open the ticket"</button>
                    </ActionForm>
                </details>
            </main>
        }
        .into_any()
    })
}

/// `/msp/tickets/{id}`: one ticket, its whole thread, and what staff can do with it.
#[component]
pub fn MspTicket() -> impl IntoView {
    let params = use_params_map();
    let assign = ServerAction::<MspTicketAssign>::new();
    let status = ServerAction::<MspTicketStatus>::new();
    let comment = ServerAction::<MspTicketComment>::new();
    let link = ServerAction::<MspTicketIncident>::new();
    let ticket = Resource::new(
        move || {
            (
                params.read().get("id").and_then(|i| i.parse::<i64>().ok()),
                assign.version().get(),
                status.version().get(),
                comment.version().get(),
                link.version().get(),
            )
        },
        |(id, ..)| async move {
            match id {
                Some(id) => msp_ticket(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    loaded(ticket, move |t| {
        let r = t.row.clone();
        let tid = r.id;
        view! {
            <Title text=format!("#{} {} · Limelight", r.number, r.subject)/>
            <main class="page" id="main">
                <p><a href="/msp/tickets">"← The queue"</a></p>
                <h1>{format!("#{} {}", r.number, r.subject)}</h1>
                <dl class="facts">
                    <dt>"Client"</dt><dd><a href=format!("/msp/clients/{}", r.tenant_slug)>{r.tenant_name.clone()}</a></dd>
                    <dt>"Priority"</dt><dd><PriorityBadge priority=r.priority/> {format!(" ({} · {})", t.impact, t.urgency.to_lowercase())}</dd>
                    <dt>"Status"</dt><dd>{r.status.label()}</dd>
                    <dt>"Requester"</dt><dd>{r.requester.clone().unwrap_or_else(|| "—".into())} " · via " {t.source.clone()}</dd>
                    <dt>"Assignee"</dt><dd>{r.assignee.clone().unwrap_or_else(|| "Unassigned".into())}</dd>
                    <dt>"First response"</dt><dd class=if r.breached && t.first_response.starts_with("Due") { "overdue" } else { "" }>{t.first_response.clone()}</dd>
                    <dt>"Resolution"</dt><dd class=if r.breached && !t.first_response.starts_with("Due") { "overdue" } else { "" }>{t.resolution.clone()}</dd>
                    {t.rating.clone().map(|g| view! {
                        <dt>"Client's rating"</dt>
                        <dd class=format!("rated rated-{}", g.rating.as_str())>
                            <strong>{g.rating.label()}</strong>
                            {format!(" · {}{}", g.by.map(|b| format!("{b}, ")).unwrap_or_default(), g.when)}
                            {(!g.comment.is_empty()).then(|| view! { <br/>{format!("“{}”", g.comment)} })}
                        </dd>
                    })}
                </dl>
                {t.can_edit.then(|| view! {
                    <div class="columns">
                        <div>
                            {action_error(assign.value())}
                            <ActionForm action=assign attr:class="inline-form">
                                <input type="hidden" name="id" value=tid.to_string()/>
                                <label>"Assign to " <select name="assignee">
                                    <option value="">"Nobody"</option>
                                    {t.techs.iter().map(|p| view! { <option value=p.id.to_string() selected=t.assignee_id == Some(p.id)>{p.name.clone()}</option> }).collect_view()}
                                </select></label>
                                <button type="submit">"Assign"</button>
                            </ActionForm>
                        </div>
                        <div>
                            {action_error(status.value())}
                            <ActionForm action=status attr:class="inline-form">
                                <input type="hidden" name="id" value=tid.to_string()/>
                                <label>"Status " <select name="status">
                                    {TicketStatus::ALL.iter().map(|s| view! { <option value=s.as_str() selected=*s == r.status>{s.label()}</option> }).collect_view()}
                                </select></label>
                                <button type="submit">"Change status"</button>
                            </ActionForm>
                        </div>
                    </div>
                })}
                {(!t.incidents.open.is_empty() || t.incidents.linked.is_some()).then(|| view! {
                    <div>
                        {action_error(link.value())}
                        <ActionForm action=link attr:class="inline-form">
                            <input type="hidden" name="id" value=tid.to_string()/>
                            <label>"About an incident " <select name="incident">
                                <option value="">"None"</option>
                                {t.incidents.open.iter().map(|(iid, title)| view! {
                                    <option value=iid.to_string() selected=t.incidents.linked == Some(*iid)>{title.clone()}</option>
                                }).collect_view()}
                            </select></label>
                            <button type="submit">"Link"</button>
                            {t.incidents.linked.map(|iid| view! { " " <a href=format!("/msp/incidents/{iid}")>"The incident"</a> })}
                        </ActionForm>
                    </div>
                })}
                <h2>"What is happening"</h2>
                <p class="description">{t.description.clone()}</p>
                <h2>"Conversation"</h2>
                {t.comments.is_empty().then(|| view! { <p class="empty">"No comments yet."</p> })}
                <ol class="thread">
                    {t.comments.iter().map(|c| view! {
                        <li class=if c.internal { "internal" } else if c.from_staff { "from-staff" } else { "from-client" }>
                            <p class="meta"><strong>{c.author.clone()}</strong> " · " {c.when.clone()}
                                {c.internal.then(|| view! { " · " <span class="tag">"internal"</span> })}</p>
                            <p class="body">{c.body.clone()}</p>
                        </li>
                    }).collect_view()}
                </ol>
                {action_error(comment.value())}
                <ActionForm action=comment attr:class="stack">
                    <input type="hidden" name="id" value=tid.to_string()/>
                    <label for="c-body">"Add a comment"</label>
                    <textarea id="c-body" name="body" rows="4" required></textarea>
                    {t.can_edit.then(|| view! {
                        <label class="check"><input type="checkbox" name="internal" value="1"/> " Internal (the client never sees it)"</label>
                    })}
                    <button type="submit" class="primary">"Post the comment"</button>
                </ActionForm>
                <h2>"History"</h2>
                <ol class="history">
                    {t.history.iter().map(|(what, when)| view! { <li>{what.clone()} " · " {when.clone()}</li> }).collect_view()}
                </ol>
            </main>
        }
        .into_any()
    })
}
