//! Approvals on the staff side: the panel of a work entry (ask the client, or follow and act on
//! their answer) and the board of open and recent requests on `/msp` and a client's page.

use super::action_error;
use crate::api::msp::approvals::{ApprovalBoardView, MspApprovalAccept, MspApprovalAsk, msp_approvals};
use crate::pages::approvals::{approval_facts, approval_tag};
use crate::views::ApprovalItemView;
use crate::views::msp::WorkFormView;
use leptos::prelude::*;
use vocabulary::ApprovalAnswer;

/// The approval panel's actions: made by the page, whose entry reloads when they are done.
#[derive(Clone, Copy)]
pub struct ApprovalActions {
    pub ask: ServerAction<MspApprovalAsk>,
    pub accept: ServerAction<MspApprovalAccept>,
}

impl Default for ApprovalActions {
    fn default() -> Self {
        ApprovalActions { ask: ServerAction::new(), accept: ServerAction::new() }
    }
}

impl ApprovalActions {
    /// Changes whenever either is done (a resource's source).
    pub fn version(&self) -> (usize, usize) {
        (self.ask.version().get(), self.accept.version().get())
    }
}

/// The work entry's approval: the request and its decisions, or the form to ask for one.
pub fn approval_panel(f: &WorkFormView, actions: ApprovalActions) -> impl IntoView + use<> {
    let ApprovalActions { ask, accept } = actions;
    let id = f.entry_id.unwrap_or_default();
    let approval = f.approval.clone();
    let can_ask = f.can_ask_approval;
    let can_edit = f.can_edit;
    let now_local = f.now_local.clone();
    (approval.is_some() || can_ask).then(move || {
        view! {
            <section id="approval" aria-labelledby="approval-h" class="card">
                <h2 id="approval-h">"The client's approval"</h2>
                {approval.map(|a| {
                    let request = a.item.id;
                    let proposals: Vec<_> =
                        a.decisions.iter().filter(|d| d.answer == ApprovalAnswer::Propose).cloned().collect();
                    view! {
                        {approval_facts(&a)}
                        {(can_edit && !proposals.is_empty()).then(|| view! {
                            {action_error(accept.value())}
                            {proposals.into_iter().map(|p| view! {
                                <ActionForm action=accept attr:class="inline-form">
                                    <input type="hidden" name="id" value=request.to_string()/>
                                    <input type="hidden" name="proposer" value=p.user_id.to_string()/>
                                    <button type="submit">{format!("Accept {}'s time ({})", p.name, p.what.trim_start_matches("Proposed "))}</button>
                                </ActionForm>
                            }).collect_view()}
                        })}
                    }
                })}
                {can_ask.then(|| view! {
                    <p>"Ask the client before work that interrupts them. Their admins and named approvers are emailed; the window they approve becomes this entry's start."</p>
                    {action_error(ask.value())}
                    <ActionForm action=ask attr:class="stack">
                        <input type="hidden" name="id" value=id.to_string()/>
                        <label for="a-downtime">"Downtime, and who will notice"</label>
                        <textarea id="a-downtime" name="downtime" rows="2" required maxlength="2000"
                            placeholder="About 20 minutes: nobody can open shared files."></textarea>
                        <label for="a-risk">"What could go wrong, in plain words"</label>
                        <textarea id="a-risk" name="risk" rows="2" required maxlength="2000"></textarea>
                        <label for="a-rollback">"How you would undo it"</label>
                        <textarea id="a-rollback" name="rollback" rows="2" required maxlength="2000"></textarea>
                        <fieldset class="stack">
                            <legend>"Proposed windows (the client's local time)"</legend>
                            {(1..=3).map(|n| view! {
                                <label for=format!("a-window-{n}")>{format!("Window {n}")}</label>
                                <input id=format!("a-window-{n}") name="windows[]" type="datetime-local"
                                    min=now_local.clone() required=n == 1/>
                            }).collect_view()}
                        </fieldset>
                        <label for="a-deadline">"Answer by (optional)"</label>
                        <input id="a-deadline" name="deadline" type="datetime-local" min=now_local.clone()/>
                        <label class="check"><input type="checkbox" name="two_approvals" value="1"/> " Two people must approve"</label>
                        <button type="submit" class="primary">"Ask for approval"</button>
                    </ActionForm>
                })}
            </section>
        }
    })
}

fn rows(items: Vec<ApprovalItemView>, empty: &'static str) -> impl IntoView {
    view! {
        {items.is_empty().then(|| view! { <p class="empty">{empty}</p> })}
        {(!items.is_empty()).then(|| view! {
            <ul class="incident-list">
                {items.into_iter().map(|a| view! {
                    <li><a href=format!("/msp/work/{}#approval", a.work_entry_id)><strong>{a.title.clone()}</strong></a>
                        " " {approval_tag(&a)}
                        <p class="meta">{a.client.clone()}
                            {a.asked_by.clone().map(|b| format!(" · asked by {b}"))}
                            {a.when.clone().map(|w| format!(" · {w}"))}
                            {a.deadline.clone().map(|d| format!(" · answer by {d}"))}
                            {a.done_without_approval.clone().map(|d| format!(" · done without approval {d}"))}</p></li>
                }).collect_view()}
            </ul>
        })}
    }
}

/// The board's data, for every client (`client` gives none) or one. The page makes it before
/// any `<Suspense>`: a resource made inside one is made again each time leptos walks the
/// suspended tree on the server, and each copy asks the database the whole board again.
pub fn board_of(
    client: impl Fn() -> Option<String> + Send + Sync + 'static,
) -> Resource<Result<ApprovalBoardView, crate::error::AppError>> {
    Resource::new(client, msp_approvals)
}

/// The board, from [`board_of`].
#[component]
pub fn ApprovalBoard(board: Resource<Result<ApprovalBoardView, crate::error::AppError>>) -> impl IntoView {
    view! {
        <section aria-labelledby="approvals-h">
            <h2 id="approvals-h">"Approvals of planned work"</h2>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || board.get().map(|b| match b {
                    Ok(b) => view! {
                        <h3>"Waiting for the client"</h3>
                        {rows(b.open, "Nothing is waiting.")}
                        {(!b.done_without.is_empty()).then(|| view! {
                            <h3>"Done without the client's approval"</h3>
                            {rows(b.done_without, "")}
                        })}
                        <h3>"Decided in the last 30 days"</h3>
                        {rows(b.decided, "No decisions in the last 30 days.")}
                    }.into_any(),
                    Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                })}
            </Suspense>
        </section>
    }
}
