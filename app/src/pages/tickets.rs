//! `/portal/tickets`, `/portal/tickets/new`, `/portal/tickets/{number}`.

use crate::api::tickets::{CommentOnTicket, OpenTicket, RateTicket, portal_ticket, portal_tickets};
use crate::components::tickets::{PriorityBadge, ticket_line};
use crate::error::AppError;
use crate::pages::loading::{error_page, loaded};
use crate::views::RatingView;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use vocabulary::{Impact, Priority, Rating, TicketStatus, Urgency};

/// `/portal/tickets`: the viewer's tickets with status and priority filters.
#[component]
pub fn PortalTickets() -> impl IntoView {
    let query = use_query_map();
    let filters = move || (query.read().get("status"), query.read().get("priority"));
    let list = Resource::new(filters, |(status, priority)| portal_tickets(status, priority));
    view! {
        <Title text="Tickets · Limelight"/>
        <main class="page" id="main">
            <div class="title-row">
                <h1>"Tickets"</h1>
                <a class="button primary" href="/portal/tickets/new">"Open a ticket"</a>
            </div>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let (status, priority) = filters();
                    match list.await {
                        Ok(l) => {
                            let empty = l.tickets.is_empty();
                            view! {
                                <p class="lead">
                                    {if l.whole_company { "Every ticket from your company." } else { "The tickets you have opened." }}
                                </p>
                                <form method="get" action="/portal/tickets" class="filters" role="search">
                                    <div>
                                        <label for="t-status">"Status"</label>
                                        <select id="t-status" name="status">
                                            <option value="">"Any status"</option>
                                            <option value="open" selected=status.as_deref() == Some("open")>"Still open"</option>
                                            {TicketStatus::ALL.iter().map(|s| view! {
                                                <option value=s.as_str() selected=status.as_deref() == Some(s.as_str())>{s.label()}</option>
                                            }).collect_view()}
                                        </select>
                                    </div>
                                    <div>
                                        <label for="t-priority">"Priority"</label>
                                        <select id="t-priority" name="priority">
                                            <option value="">"Any priority"</option>
                                            {(1..=4u8).map(|n| view! {
                                                <option value=n.to_string() selected=priority.as_deref() == Some(n.to_string().as_str())>{format!("P{n}")}</option>
                                            }).collect_view()}
                                        </select>
                                    </div>
                                    <div class="actions">
                                        <button type="submit" class="primary">"Show"</button>
                                        <a href="/portal/tickets">"Clear"</a>
                                    </div>
                                </form>
                                {empty.then(|| view! { <p class="empty">"No tickets match. Anything we can help with? Open a ticket."</p> })}
                                <ul class="tickets">{l.tickets.into_iter().map(ticket_line).collect_view()}</ul>
                            }
                                .into_any()
                        }
                        Err(e) => error_page(e),
                    }
                })}
            </Suspense>
        </main>
    }
}

/// `/portal/tickets/new`: a new ticket, with its priority and targets shown before sending.
#[component]
pub fn PortalTicketNew() -> impl IntoView {
    let open = ServerAction::<OpenTicket>::new();
    // Open incidents that concern this client: a ticket can say it is about one.
    let incidents = Resource::new(|| (), |_| crate::api::incidents::portal_incidents());
    let impact = RwSignal::new(None::<Impact>);
    let urgency = RwSignal::new(None::<Urgency>);
    let error = move || match open.value().get() {
        Some(Err(e)) => Some(e.to_string()),
        _ => None,
    };
    let preview = move || match (impact.get(), urgency.get()) {
        (Some(i), Some(u)) => {
            let p = Priority::of(i, u);
            let sla = p.sla();
            let hours = |m: u32| if m < 60 { format!("{m} minutes") } else { format!("{} hours", m / 60) };
            format!(
                "This will be {p}: a first response within {}, resolved within {}.",
                hours(sla.first_response_minutes),
                hours(sla.resolution_minutes)
            )
        }
        _ => "Choose who is affected and how badly to see the priority we will give it.".to_string(),
    };
    view! {
        <Title text="Open a ticket · Limelight"/>
        <main class="page narrow" id="main">
            <h1>"Open a ticket"</h1>
            <p class="lead">"Tell us what is wrong. We set the priority from who is affected and how badly. "
                <a href="/portal/priorities">"How we prioritise"</a></p>
            {move || error().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <ActionForm action=open attr:class="stack">
                <label for="subject">"Subject"</label>
                <input id="subject" name="subject" maxlength="200" required/>
                <label for="description">"What is happening?"</label>
                <textarea id="description" name="description" rows="6" required></textarea>
                <label for="impact">"Who is affected?"</label>
                <select id="impact" name="impact" required
                    on:change=move |ev| impact.set(event_target_value(&ev).parse().ok())>
                    <option value="">"Choose…"</option>
                    {Impact::ALL.iter().map(|i| view! { <option value=i.as_str()>{i.label()}</option> }).collect_view()}
                </select>
                <label for="urgency">"How badly is work affected?"</label>
                <select id="urgency" name="urgency" required
                    on:change=move |ev| urgency.set(event_target_value(&ev).parse().ok())>
                    <option value="">"Choose…"</option>
                    {Urgency::ALL.iter().map(|u| view! { <option value=u.as_str()>{u.label()}</option> }).collect_view()}
                </select>
                <p class="preview" aria-live="polite">{preview}</p>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let open: Vec<_> =
                            incidents.await.unwrap_or_default().into_iter().filter(|i| i.resolved.is_none()).collect();
                        (!open.is_empty()).then(|| view! {
                            <label for="incident">"Is this about something we already know of?"</label>
                            <select id="incident" name="incident">
                                <option value="">"No, something else"</option>
                                {open.into_iter().map(|i| view! { <option value=i.id.to_string()>{i.title}</option> }).collect_view()}
                            </select>
                        })
                    })}
                </Suspense>
                <button type="submit" class="primary">"Open the ticket"</button>
            </ActionForm>
        </main>
    }
}

/// `/portal/tickets/{number}`: one ticket, its public thread and its status history.
#[component]
pub fn PortalTicketDetail() -> impl IntoView {
    let params = use_params_map();
    let number = move || params.read().get("number").and_then(|n| n.parse::<i64>().ok());
    let comment = ServerAction::<CommentOnTicket>::new();
    let rate = ServerAction::<RateTicket>::new();
    let ticket = Resource::new(
        move || (number(), comment.version().get(), rate.version().get()),
        |(n, ..)| async move {
            match n {
                Some(n) => portal_ticket(n).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let comment_error = move || match comment.value().get() {
        Some(Err(e)) => Some(e.to_string()),
        _ => None,
    };
    loaded(ticket, move |d| {
        let t = d.ticket.clone();
        view! {
            <Title text=format!("#{} {} · Limelight", t.number, t.subject)/>
            <main class="page narrow" id="main">
                <p><a href="/portal/tickets">"← All tickets"</a></p>
                <h1>{format!("#{} {}", t.number, t.subject)}</h1>
                <dl class="facts">
                    <dt>"Status"</dt><dd>{t.status.label()}</dd>
                    <dt>"Priority"</dt><dd><PriorityBadge priority=t.priority/>
                        {format!(" ({} · {})", d.impact, d.urgency.to_lowercase())}</dd>
                    <dt>"Opened"</dt><dd>{t.opened.clone()} " by " {t.requester.clone()}</dd>
                    {t.target.clone().map(|target| view! { <dt>"Next target"</dt><dd>{target}</dd> })}
                </dl>
                {(d.can_rate || d.rating.is_some()).then(|| view! {
                    <RatingBox number=t.number rating=d.rating.clone() can_rate=d.can_rate action=rate/>
                })}
                <h2>"What is happening"</h2>
                <p class="description">{d.description.clone()}</p>
                <h2>"Conversation"</h2>
                {d.comments.is_empty().then(|| view! { <p class="empty">"No replies yet."</p> })}
                <ol class="thread">
                    {d.comments.into_iter().map(|c| view! {
                        <li class=if c.from_staff { "from-staff" } else { "from-client" }>
                            <p class="meta"><strong>{c.author}</strong> " · " {c.when}</p>
                            <p class="body">{c.body}</p>
                        </li>
                    }).collect_view()}
                </ol>
                {move || comment_error().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                <ActionForm action=comment attr:class="stack">
                    <input type="hidden" name="number" value=t.number.to_string()/>
                    <label for="body">"Add a reply"</label>
                    <textarea id="body" name="body" rows="4" required></textarea>
                    <button type="submit" class="primary">"Send reply"</button>
                </ActionForm>
                <h2>"History"</h2>
                <ol class="history">
                    {d.history.into_iter().map(|(what, when)| view! { <li>{what} " · " {when}</li> }).collect_view()}
                </ol>
            </main>
        }
        .into_any()
    })
}

/// "How did we do?" on a resolved ticket: the answer given (by the link in the email or here),
/// and for its requester a form to give or change it and to add a comment.
#[component]
fn RatingBox(
    number: i64,
    rating: Option<RatingView>,
    can_rate: bool,
    action: ServerAction<RateTicket>,
) -> impl IntoView {
    let error = move || match action.value().get() {
        Some(Err(e)) => Some(view! { <p class="error" role="alert">{e.to_string()}</p> }),
        _ => None,
    };
    let chosen = rating.as_ref().map(|r| r.rating);
    let comment = rating.as_ref().map(|r| r.comment.clone()).unwrap_or_default();
    view! {
        <section class="rating-box" id="rating" aria-labelledby="rating-heading">
            <h2 id="rating-heading">"How did we do?"</h2>
            {rating.clone().map(|r| view! {
                <p class=format!("rated rated-{}", r.rating.as_str())>
                    <strong>{r.rating.label()}</strong>
                    {format!(" · {}{}", r.by.map(|b| format!("{b}, ")).unwrap_or_default(), r.when)}
                </p>
                {(!r.comment.is_empty()).then(|| view! { <p class="body">{r.comment}</p> })}
            })}
            {error}
            {can_rate.then(|| view! {
                <ActionForm action=action attr:class="stack">
                    <input type="hidden" name="number" value=number.to_string()/>
                    <fieldset class="choices">
                        <legend>{if chosen.is_some() { "Change your answer" } else { "Your answer" }}</legend>
                        {Rating::ALL.iter().map(|r| view! {
                            <label class="choice">
                                <input type="radio" name="rating" value=r.as_str() required checked=chosen == Some(*r)/>
                                " " {r.label()}
                            </label>
                        }).collect_view()}
                    </fieldset>
                    <label for="rating-comment">"Anything to add? (optional)"</label>
                    <textarea id="rating-comment" name="comment" rows="3" maxlength="2000">{crate::pages::msp::textarea_text(comment)}</textarea>
                    <button type="submit" class="primary">"Save my answer"</button>
                </ActionForm>
            })}
        </section>
    }
}

/// `/rated`: where a one-click answer in a resolved ticket's email lands (no sign-in needed to
/// get here). It thanks the person and offers the ticket's page, where they may add a comment
/// once signed in; a link that could not be used says so.
#[component]
pub fn RatedPage() -> impl IntoView {
    let query = use_query_map();
    let q = query.read_untracked();
    let answer = q.get("answer").and_then(|a| a.parse::<Rating>().ok());
    let number = q.get("ticket").and_then(|n| n.parse::<i64>().ok());
    let body = match (answer, number) {
        (Some(answer), Some(number)) => view! {
            <Title text="Thank you · Limelight"/>
            <h1>"Thank you"</h1>
            <p class="lead">{format!("We have your answer for ticket #{number}: {}.", answer.label().to_lowercase())}</p>
            <p>"It helps us see what we do well and what to do better. Would you like to tell us more? "
                <a href=format!("/portal/tickets/{number}#rating")>"Add a comment on the ticket"</a>
                " (you will be asked to sign in)."</p>
        }
        .into_any(),
        _ => view! {
            <Title text="This link can't be used · Limelight"/>
            <h1>"This link can't be used"</h1>
            <p class="lead">"It has already been used, or it has expired, or it is not complete."</p>
            <p>"You can still rate the ticket from its page in your portal: "
                <a href="/portal/tickets">"your tickets"</a>"."</p>
        }
        .into_any(),
    };
    view! { <main class="page narrow" id="main">{body}</main> }
}
