//! `/msp/work/new` and `/msp/work/{id}`: logging work fast, and editing it.

use super::approvals::ApprovalActions;
use super::{action_error, textarea_text};
use crate::api::msp::work::{MspWorkDelete, MspWorkDone, MspWorkSave, msp_work_check, msp_work_form};
use crate::pages::loading::loaded;
use crate::views::msp::WorkFormView;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use vocabulary::{Category, Visibility, WorkState};

/// `/msp/work/new`: a new entry. `?client=` picks the client.
#[component]
pub fn MspWorkNew() -> impl IntoView {
    let query = use_query_map();
    let form = Resource::new(move || query.read().get("client"), |client| msp_work_form(None, client));
    let approvals = ApprovalActions::default();
    loaded(form, move |f| work_form(f, approvals))
}

/// `/msp/work/{id}`: edit an entry, mark it done, or delete it.
#[component]
pub fn MspWorkEdit() -> impl IntoView {
    let params = use_params_map();
    let approvals = ApprovalActions::default();
    let form = Resource::new(
        move || (params.read().get("id").and_then(|i| i.parse::<i64>().ok()), approvals.version()),
        |(id, _)| async move {
            match id {
                Some(id) => msp_work_form(Some(id), None).await,
                None => Err(crate::error::AppError::NotFound),
            }
        },
    );
    loaded(form, move |f| work_form(f, approvals))
}

fn work_form(f: WorkFormView, approvals: ApprovalActions) -> AnyView {
    let save = ServerAction::<MspWorkSave>::new();
    let done = ServerAction::<MspWorkDone>::new();
    let delete = ServerAction::<MspWorkDelete>::new();
    let v = f.values.clone();
    let client = RwSignal::new(v.client.clone());
    let start = RwSignal::new(v.start.clone());
    let duration = RwSignal::new(v.duration_minutes.clone());
    // Shown before saving: whether this is after hours for that client. Asked from the browser
    // whenever the client, start or duration change (without JavaScript, the saved entry says).
    let check = Action::new(|(c, s, d): &(String, String, String)| {
        let (c, s, d) = (c.clone(), s.clone(), d.clone());
        async move { msp_work_check(c, s, d).await }
    });
    Effect::new(move |_| {
        check.dispatch((client.get(), start.get(), duration.get()));
    });
    let check_words = move || match check.value().get() {
        Some(Ok(words)) => words,
        Some(Err(e)) => e.to_string(),
        None => "After hours is worked out from the client's business hours and time zone.".to_string(),
    };
    let title = if f.entry_id.is_some() { "Edit work" } else { "Log work" };
    let techs = f.techs.clone();
    let approval = super::approvals::approval_panel(&f, approvals);
    view! {
        <Title text=format!("{title} · Limelight")/>
        <main class="page" id="main">
            <h1>{title}</h1>
            {(!f.can_edit).then(|| view! { <p class="note">"Account managers can read work entries; techs log and edit them."</p> })}
            {action_error(save.value())}
            <ActionForm action=save attr:class="stack work-form">
                {f.entry_id.map(|id| view! { <input type="hidden" name="entry_id" value=id.to_string()/> })}
                <label for="w-client">"Client"</label>
                <select id="w-client" name="client" required on:change=move |ev| client.set(event_target_value(&ev))>
                    {f.clients.iter().map(|c| view! {
                        <option value=c.slug.clone() selected=c.slug == v.client>{c.name.clone()}</option>
                    }).collect_view()}
                </select>
                <label for="w-title">"Title"</label>
                <input id="w-title" name="title" required maxlength="200" autofocus value=v.title.clone()
                    placeholder="Patched the file server"/>
                <fieldset class="systems">
                    <legend>"Systems"</legend>
                    {f.clients.iter().map(|c| {
                        let slug = c.slug.clone();
                        let other = move || client.get() != slug;
                        // Another client's systems are hidden and disabled (not submitted).
                        view! {
                            <fieldset class="system-group" hidden=other.clone() disabled=other>
                                <p class="meta">{c.name.clone()}</p>
                                {c.systems.is_empty().then(|| view! { <p class="empty">"No systems recorded."</p> })}
                                {c.systems.iter().map(|s| view! {
                                    <label class="check"><input type="checkbox" name="systems[]" value=s.id.to_string()
                                        checked=v.systems.contains(&s.id)/> {s.name.clone()}</label>
                                }).collect_view()}
                            </fieldset>
                        }
                    }).collect_view()}
                </fieldset>
                <label for="w-category">"Category"</label>
                <select id="w-category" name="category">
                    {Category::ALL.iter().map(|c| view! { <option value=c.as_str() selected=v.category == c.as_str()>{c.label()}</option> }).collect_view()}
                </select>
                <fieldset class="row">
                    <legend>"Planned or done"</legend>
                    {[WorkState::Done, WorkState::Planned].into_iter().map(|s| view! {
                        <label class="check"><input type="radio" name="state" value=s.as_str() checked=v.state == s.as_str()/> {s.label()}</label>
                    }).collect_view()}
                </fieldset>
                <label for="w-start">"Start (the client's local time)"</label>
                <input id="w-start" name="start" type="datetime-local" required value=v.start.clone()
                    on:input=move |ev| start.set(event_target_value(&ev))/>
                <label for="w-duration">"Duration (minutes, or h:mm)"</label>
                <input id="w-duration" name="duration_minutes" required inputmode="numeric" value=v.duration_minutes.clone()
                    on:input=move |ev| duration.set(event_target_value(&ev))/>
                <p class="preview" aria-live="polite" id="after-hours-check">{check_words}</p>
                <label for="w-why">"Why it matters (one sentence for the client)"</label>
                <input id="w-why" name="why_it_matters" maxlength="500" value=v.why_it_matters.clone()
                    placeholder="Closes a security hole attackers are using right now."/>
                <label for="w-details">"Details (Markdown)"</label>
                <textarea id="w-details" name="details" rows="5">{textarea_text(v.details.clone())}</textarea>
                <fieldset class="row">
                    <legend>"Who sees it"</legend>
                    {[Visibility::Client, Visibility::Internal].into_iter().map(|s| view! {
                        <label class="check"><input type="radio" name="visibility" value=s.as_str() checked=v.visibility == s.as_str()/> {s.label()}</label>
                    }).collect_view()}
                </fieldset>
                <label class="check"><input type="checkbox" name="proactive" checked=v.proactive/> " Proactive (not answering a ticket or an incident)"</label>
                <label class="check"><input type="checkbox" name="highlight" checked=v.highlight/> " Highlight in the thank-you summary"</label>
                <label for="w-shadow">"Shadowed by (cross-training)"</label>
                <select id="w-shadow" name="shadowed_by">
                    <option value="">"Nobody"</option>
                    {techs.into_iter().map(|t| view! { <option value=t.id.to_string() selected=v.shadowed_by == Some(t.id)>{t.name}</option> }).collect_view()}
                </select>
                <label for="w-vendor">"Vendor"</label>
                <input id="w-vendor" name="vendor_name" maxlength="200" value=v.vendor_name.clone()/>
                <label for="w-case">"Vendor case reference"</label>
                <input id="w-case" name="vendor_case_ref" maxlength="200" value=v.vendor_case_ref.clone()/>
                <label for="w-ticket">"Ticket number (optional)"</label>
                <input id="w-ticket" name="ticket" inputmode="numeric" value=v.ticket.clone()/>
                <button type="submit" class="primary" disabled=!f.can_edit>{if f.entry_id.is_some() { "Save changes" } else { "Log the work" }}</button>
            </ActionForm>
            {f.entry_id.filter(|_| f.can_edit).map(|id| view! {
                <div class="actions">
                    {action_error(done.value())}
                    {action_error(delete.value())}
                    {f.planned.then(|| view! {
                        <ActionForm action=done attr:class="inline-form">
                            <input type="hidden" name="id" value=id.to_string()/>
                            <button type="submit">"Mark done"</button>
                        </ActionForm>
                    })}
                    <ActionForm action=delete attr:class="inline-form">
                        <input type="hidden" name="id" value=id.to_string()/>
                        <button type="submit" class="danger">"Delete this entry"</button>
                    </ActionForm>
                </div>
            })}
            {approval}
            {(!f.events.is_empty()).then(|| view! {
                <section id="events" aria-labelledby="events-h">
                    <h2 id="events-h">"Recorded by automation: the tools' events"</h2>
                    <p>"This entry was written from these events. Edit it above to change what the client reads; from then on the tools' later events no longer change its words or visibility."</p>
                    <table class="dense">
                        <caption class="visually-hidden">"Events"</caption>
                        <thead><tr><th scope="col">"When"</th><th scope="col">"System (as the tool names it)"</th><th scope="col">"Kind"</th>
                            <th scope="col">"Result"</th><th scope="col">"Title"</th><th scope="col">"Source and id"</th></tr></thead>
                        <tbody>
                            {f.events.iter().map(|e| view! {
                                <tr class=if e.result == vocabulary::EventResult::Succeeded { "" } else { "overdue" }>
                                    <td>{e.when.clone()}</td><td><code>{e.system.clone()}</code></td><td>{e.kind.clone()}</td>
                                    <td>{e.result.label()}</td><td>{e.title.clone()}</td>
                                    <td>{e.source.clone()} " · " <code>{e.external_id.clone()}</code></td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </section>
            })}
        </main>
    }
    .into_any()
}
