//! `/portal/approvals` (the client's requests) and `/portal/approvals/{id}` (one request: what
//! will happen, the downtime, risk and rollback, the windows, and the approver's decision).

use super::msp::action_error;
use crate::api::approvals::{PortalApprovalDecide, portal_approval, portal_approvals};
use crate::error::AppError;
use crate::pages::loading::loaded;
use crate::views::{ApprovalItemView, ApprovalView};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use vocabulary::ApprovalStatus;

/// A request's standing, with a class per status for its colour ("Overdue" when it is).
pub fn approval_tag(a: &ApprovalItemView) -> impl IntoView + use<> {
    let (class, label) = if a.overdue {
        ("tag approval-overdue", "Overdue".to_string())
    } else {
        (
            match a.status {
                ApprovalStatus::Approved => "tag approval-approved",
                ApprovalStatus::Declined => "tag approval-declined",
                _ => "tag approval-waiting",
            },
            a.status.label().to_string(),
        )
    };
    view! { <span class=class>{label}</span> }
}

/// `/portal/approvals`.
#[component]
pub fn PortalApprovals() -> impl IntoView {
    let list = Resource::new(|| (), |_| portal_approvals());
    loaded(list, |items| {
        view! {
            <Title text="Approvals · Limelight"/>
            <main class="page narrow" id="main">
                <h1>"Work asking for your approval"</h1>
                <p class="lead">"Before work that interrupts you, we ask first: when it may happen, and whether it may happen at all."</p>
                {items.is_empty().then(|| view! { <p class="empty">"Nothing has asked for your approval yet."</p> })}
                <ul class="incident-list">
                    {items.into_iter().map(|a| view! {
                        <li>
                            <a href=format!("/portal/approvals/{}", a.id)><strong>{a.title.clone()}</strong></a>
                            " " {approval_tag(&a)}
                            <p class="meta">{format!("Asked {}", a.asked)}
                                {a.when.clone().map(|w| format!(" · {w}"))}</p>
                        </li>
                    }).collect_view()}
                </ul>
            </main>
        }
        .into_any()
    })
}

/// What every reader of a request sees: the work, its risk, its windows and the decisions so far.
pub fn approval_facts(a: &ApprovalView) -> impl IntoView + use<> {
    view! {
        <dl class="facts">
            <dt>"Status"</dt><dd>{approval_tag(&a.item)}</dd>
            <dt>"Asked by"</dt><dd>{a.item.asked_by.clone().unwrap_or_else(|| "Your IT team".into())} ", " {a.item.asked.clone()}</dd>
            {a.item.deadline.clone().map(|d| view! { <dt>"Please answer by"</dt><dd>{d}</dd> })}
            <dt>"How long"</dt><dd>{a.duration.clone()}</dd>
            <dt>"Approvals needed"</dt><dd>{a.approvals_needed}</dd>
        </dl>
        {(!a.why_it_matters.is_empty()).then(|| view! { <p class="lead">{a.why_it_matters.clone()}</p> })}
        {(!a.details_html.is_empty()).then(|| view! {
            <h2>"What will happen"</h2>
            // Sanitised on the server (domain::markdown): formatting only.
            <div class="details markdown" inner_html=a.details_html.clone()></div>
        })}
        <h2>"Downtime, and who will notice"</h2>
        <p class="description">{a.downtime.clone()}</p>
        <h2>"What could go wrong"</h2>
        <p class="description">{a.risk.clone()}</p>
        <h2>"If it goes wrong, we undo it like this"</h2>
        <p class="description">{a.rollback.clone()}</p>
        <h2>"Proposed times"</h2>
        <ul class="windows">
            {a.windows.iter().map(|w| view! {
                <li>{w.when.clone()}
                    {w.from_client.then_some(" (your proposal)")}
                    {w.approved.then(|| view! { " " <span class="tag approval-approved">"Approved"</span> })}
                    {(w.approvals > 0 && !w.approved).then(|| format!(" · {} approval(s) so far", w.approvals))}
                    {(!w.ahead && !w.approved).then_some(" · passed")}</li>
            }).collect_view()}
        </ul>
        <p class="meta">{format!("Times are in {}.", a.time_zone)}</p>
        <h2>"Decisions"</h2>
        {a.decisions.is_empty().then(|| view! { <p class="empty">"No decision yet."</p> })}
        <ul class="timeline">
            {a.decisions.iter().map(|d| view! {
                <li><p class="meta">{d.name.clone()} " · " {d.when.clone()}</p>
                    <p><strong>{d.what.clone()}</strong>
                    {(!d.note.is_empty()).then(|| format!(": “{}”", d.note))}</p></li>
            }).collect_view()}
        </ul>
    }
}

/// `/portal/approvals/{id}`.
#[component]
pub fn PortalApproval() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let decide = ServerAction::<PortalApprovalDecide>::new();
    let approval = Resource::new(
        move || (params.read().get("id").and_then(|i| i.parse::<i64>().ok()), decide.version().get()),
        |(id, _)| async move {
            match id {
                Some(id) => portal_approval(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    // Without JavaScript the form's redirect says so; with it, the action's answer does.
    let decided = move || query.read().get("decided").is_some() || matches!(decide.value().get(), Some(Ok(())));
    loaded(approval, move |a| {
        let id = a.item.id;
        let ahead: Vec<_> = a.windows.iter().filter(|w| w.ahead).cloned().collect();
        view! {
            <Title text=format!("{} · Approval · Limelight", a.item.title)/>
            <main class="page narrow" id="main">
                <p><a href="/portal/approvals">"← Work asking for your approval"</a></p>
                <h1>{a.item.title.clone()}</h1>
                {decided().then(|| view! { <p class="notice" role="status">"Thank you: your decision is recorded, and we have told your tech."</p> })}
                {approval_facts(&a)}
                {a.locked.then(|| view! { <p class="note">"The work's window has begun: the decision can no longer change."</p> })}
                {(!a.can_decide && !a.locked).then(|| view! {
                    <p class="note">"Your admin, or the people they name, decide on planned work."</p>
                })}
                {a.can_decide.then(|| view! {
                    <section aria-labelledby="decide-h" class="card">
                        <h2 id="decide-h">"Your decision"</h2>
                        {action_error(decide.value())}
                        {(!ahead.is_empty()).then(|| view! {
                            <ActionForm action=decide attr:class="stack">
                                <input type="hidden" name="id" value=id.to_string()/>
                                <input type="hidden" name="answer" value="approve"/>
                                <fieldset class="choices">
                                    <legend>"Approve one of the proposed times"</legend>
                                    {ahead.iter().enumerate().map(|(n, w)| view! {
                                        <label class="check"><input type="radio" name="window" value=w.id.to_string() required checked=n == 0/>
                                            " " {w.when.clone()}</label>
                                    }).collect_view()}
                                </fieldset>
                                <button type="submit" class="primary">"Approve this time"</button>
                            </ActionForm>
                        })}
                        <details>
                            <summary>"Propose another time"</summary>
                            <ActionForm action=decide attr:class="stack">
                                <input type="hidden" name="id" value=id.to_string()/>
                                <input type="hidden" name="answer" value="propose"/>
                                <label for="p-start">{format!("When would suit you? ({})", a.time_zone)}</label>
                                <input id="p-start" name="start" type="datetime-local" required min=a.now_local.clone()/>
                                <label for="p-note">"A note for your tech (optional)"</label>
                                <textarea id="p-note" name="note" rows="2" maxlength="2000"></textarea>
                                <button type="submit">"Propose this time"</button>
                            </ActionForm>
                        </details>
                        <details>
                            <summary>"Decline"</summary>
                            <ActionForm action=decide attr:class="stack">
                                <input type="hidden" name="id" value=id.to_string()/>
                                <input type="hidden" name="answer" value="decline"/>
                                <label for="d-note">"Why? (so we can plan around it)"</label>
                                <textarea id="d-note" name="note" rows="2" maxlength="2000" required></textarea>
                                <button type="submit" class="danger">"Decline"</button>
                            </ActionForm>
                        </details>
                    </section>
                })}
            </main>
        }
        .into_any()
    })
}
