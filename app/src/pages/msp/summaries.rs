//! `/msp/summaries` and `/msp/summaries/{id}`: drafting, editing, previewing and sending
//! thank-you summaries.

use super::{action_error, textarea_text};
use crate::api::msp::summaries::{MspSummaryNew, MspSummarySave, MspSummarySend, msp_summaries, msp_summary};
use crate::error::AppError;
use crate::pages::loading::loaded;
use crate::views::msp::SummaryEditView;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// `/msp/summaries`: drafts and sent summaries by client and period.
#[component]
pub fn MspSummaries() -> impl IntoView {
    let new = ServerAction::<MspSummaryNew>::new();
    let list = Resource::new(|| (), |_| msp_summaries());
    loaded(list, move |l| {
        view! {
            <Title text="Summaries · Limelight"/>
            <main class="page wide" id="main">
                <h1>"Thank-you summaries"</h1>
                {l.can_write.then(|| view! {
                    <section class="card" aria-labelledby="new-h">
                        <h2 id="new-h">"New summary"</h2>
                        {action_error(new.value())}
                        <ActionForm action=new attr:class="inline-form">
                            <label>"Client " <select name="client" required>
                                {l.clients.iter().map(|(slug, name)| view! { <option value=slug.clone()>{name.clone()}</option> }).collect_view()}
                            </select></label>
                            <label>"Month (empty: last month) " <input name="month" type="month"/></label>
                            <button type="submit" class="primary">"Draft it"</button>
                        </ActionForm>
                    </section>
                })}
                {l.rows.is_empty().then(|| view! { <p class="empty">"No summaries yet."</p> })}
                <table class="dense">
                    <caption class="visually-hidden">"Summaries"</caption>
                    <thead><tr><th scope="col">"Client"</th><th scope="col">"Period"</th><th scope="col">"Subject"</th>
                        <th scope="col">"Status"</th><th scope="col">"Delivery"</th></tr></thead>
                    <tbody>
                        {l.rows.into_iter().map(|r| view! {
                            <tr>
                                <td>{r.tenant_name}</td><td>{r.period}</td>
                                <td><a href=format!("/msp/summaries/{}", r.id)>{r.subject}</a></td>
                                <td>{r.status.label()}</td><td>{r.sent}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </main>
        }
        .into_any()
    })
}

/// `/msp/summaries/{id}`: edit a draft, preview it as the client will see it (page and email),
/// and send it; a sent one shows its delivery.
#[component]
pub fn MspSummary() -> impl IntoView {
    let params = use_params_map();
    let save = ServerAction::<MspSummarySave>::new();
    let send = ServerAction::<MspSummarySend>::new();
    let summary = Resource::new(
        move || {
            (params.read().get("id").and_then(|i| i.parse::<i64>().ok()), save.version().get(), send.version().get())
        },
        |(id, ..)| async move {
            match id {
                Some(id) => msp_summary(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    loaded(summary, move |s: SummaryEditView| {
        let id = s.id;
        let editable = s.draft && s.can_write;
        view! {
            <Title text=format!("{} · Limelight", s.subject)/>
            <main class="page wide" id="main">
                <p><a href="/msp/summaries">"← All summaries"</a></p>
                <h1>{s.subject.clone()}</h1>
                <p class="meta">{s.tenant_name.clone()} " · " {if s.draft { "Draft" } else { "Sent" }}</p>
                {editable.then(|| view! {
                    <section class="card" aria-labelledby="edit-h">
                        <h2 id="edit-h">"Edit"</h2>
                        {action_error(save.value())}
                        <ActionForm action=save attr:class="stack">
                            <input type="hidden" name="id" value=id.to_string()/>
                            <label for="s-subject">"Subject"</label>
                            <input id="s-subject" name="subject" required maxlength="200" value=s.subject.clone()/>
                            <label for="s-note">"Your note to the client"</label>
                            <textarea id="s-note" name="personal_note" rows="4">{textarea_text(s.personal_note.clone())}</textarea>
                            <fieldset>
                                <legend>"Highlights"</legend>
                                {s.highlights.is_empty().then(|| view! { <p class="empty">"No highlighted work in this period."</p> })}
                                {s.highlights.iter().map(|(hid, label, chosen)| view! {
                                    <label class="check"><input type="checkbox" name="highlights[]" value=hid.to_string() checked=*chosen/> {label.clone()}</label>
                                }).collect_view()}
                            </fieldset>
                            <fieldset>
                                <legend>"Send to"</legend>
                                {s.recipients.iter().map(|(uid, label, chosen)| view! {
                                    <label class="check"><input type="checkbox" name="recipients[]" value=uid.to_string() checked=*chosen/> {label.clone()}</label>
                                }).collect_view()}
                            </fieldset>
                            <button type="submit" class="primary">"Save the draft"</button>
                        </ActionForm>
                        {action_error(send.value())}
                        <ActionForm action=send attr:class="inline-form">
                            <input type="hidden" name="id" value=id.to_string()/>
                            <button type="submit" class="primary">"Send to the chosen recipients"</button>
                        </ActionForm>
                    </section>
                })}
                {(!s.deliveries.is_empty()).then(|| view! {
                    <section aria-labelledby="delivery-h">
                        <h2 id="delivery-h">"Delivery"</h2>
                        <table class="dense">
                            <caption class="visually-hidden">"Emails of this summary"</caption>
                            <thead><tr><th scope="col">"To"</th><th scope="col">"Status"</th><th scope="col">"Attempts"</th><th scope="col">"Last error"</th></tr></thead>
                            <tbody>
                                {s.deliveries.iter().map(|(to, status, attempts, error)| view! {
                                    <tr><td>{to.clone()}</td><td>{status.as_str()}</td><td>{*attempts}</td><td>{error.clone()}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </section>
                })}
                <section aria-labelledby="preview-h" class="preview-page">
                    <h2 id="preview-h">"The page, as the client sees it"</h2>
                    <div class="preview-frame">{crate::pages::summaries::summary_page(s.preview.clone())}</div>
                </section>
                <section aria-labelledby="email-h">
                    <h2 id="email-h">"The email"</h2>
                    <div class="preview-frame email" inner_html=s.email_html.clone()></div>
                    <details><summary>"Plain-text version"</summary><pre class="email-text">{s.email_text.clone()}</pre></details>
                </section>
            </main>
        }
        .into_any()
    })
}
