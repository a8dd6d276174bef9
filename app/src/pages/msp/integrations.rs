//! `/msp/admin/integrations`: API tokens for the MSP's tools (MSP admins; 404 for anyone else,
//! decided by the server functions). A new token is shown once, here, right after it is made.

use super::{action_error, textarea_text};
use crate::api::msp::integrations::{TokenNew, TokenRevoke, WebhookNew, WebhookRemove, WordingSave, integrations};
use crate::pages::loading::loaded;
use leptos::prelude::*;
use leptos_meta::Title;
use vocabulary::{ApiPermission, WebhookEvent, WebhookFormat};

#[component]
pub fn AdminIntegrations() -> impl IntoView {
    let new = ServerAction::<TokenNew>::new();
    let revoke = ServerAction::<TokenRevoke>::new();
    let wording = ServerAction::<WordingSave>::new();
    let hook_new = ServerAction::<WebhookNew>::new();
    let hook_remove = ServerAction::<WebhookRemove>::new();
    let list = Resource::new(
        move || {
            (
                new.version().get(),
                revoke.version().get(),
                wording.version().get(),
                hook_new.version().get(),
                hook_remove.version().get(),
            )
        },
        |_| integrations(),
    );
    loaded(list, move |v| {
        view! {
            <Title text="Integrations (admin) · Limelight"/>
            <main class="page wide" id="main">
                <h1>"Administration: integrations"</h1>
                <p>"API tokens let the MSP's tools (RMM, backup, PSA) send events to the portal and read from it. "
                   "See the " <a href="/api/v1/docs">"API reference"</a> "."</p>
                <section class="card" aria-labelledby="token-new-h">
                    <h2 id="token-new-h">"Make a token"</h2>
                    {action_error(new.value())}
                    {move || new.value().get().and_then(Result::ok).map(|secret| view! {
                        <div class="notice" role="status">
                            <p><strong>"Copy this token now: it is shown only this once."</strong></p>
                            <p><code class="secret" id="new-token">{secret}</code></p>
                        </div>
                    })}
                    <ActionForm action=new attr:class="inline-form">
                        <label>"Name " <input name="name" required maxlength="100" placeholder="ninjaone"/></label>
                        <label>"Scope " <select name="scope">
                            <option value="all">"All clients"</option>
                            {v.clients.iter().map(|(slug, name)| view! { <option value=slug.clone()>{name.clone()}</option> }).collect_view()}
                        </select></label>
                        <fieldset class="row"><legend>"Permissions"</legend>
                            {ApiPermission::ALL.iter().map(|p| view! {
                                <label class="check"><input type="checkbox" name="permissions[]" value=p.as_str() checked=*p == ApiPermission::Ingest/> {p.label()}</label>
                            }).collect_view()}
                        </fieldset>
                        <label>"Last day (optional) " <input name="expires" type="date"/></label>
                        <button type="submit" class="primary">"Make the token"</button>
                    </ActionForm>
                </section>
                {action_error(revoke.value())}
                {if v.tokens.is_empty() {
                    view! { <p class="empty">"No tokens yet."</p> }.into_any()
                } else {
                    view! {
                        <table class="dense">
                            <caption class="visually-hidden">"API tokens"</caption>
                            <thead><tr><th scope="col">"Name"</th><th scope="col">"Starts with"</th><th scope="col">"Scope"</th>
                                <th scope="col">"Permissions"</th><th scope="col">"Last day"</th><th scope="col">"Made"</th>
                                <th scope="col">"Last used"</th><th scope="col">"From"</th><th scope="col">"Status"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr></thead>
                            <tbody>
                                {v.tokens.into_iter().map(|t| {
                                    let name = t.name.clone();
                                    view! {
                                        <tr>
                                            <td>{t.name.clone()}</td><td><code>{t.prefix.clone()} "…"</code></td><td>{t.scope.clone()}</td>
                                            <td>{t.permissions.clone()}</td><td>{t.last_day.clone()}</td><td>{t.created.clone()}</td>
                                            <td>{t.last_used.clone()}</td><td>{t.last_used_from.clone()}</td><td>{t.status.clone()}</td>
                                            <td>{t.live.then(|| view! {
                                                <ActionForm action=revoke attr:class="inline-form">
                                                    <input type="hidden" name="name" value=name.clone()/>
                                                    <button type="submit" aria-label=format!("Revoke {name}")>"Revoke"</button>
                                                </ActionForm>
                                            })}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                }}
                <section class="card" id="webhooks" aria-labelledby="webhooks-h">
                    <h2 id="webhooks-h">"Webhooks"</h2>
                    <p>"The portal posts to a URL of yours when something happens. JSON bodies are signed: "
                        <code>"X-Limelight-Signature: t=<unix seconds>,v1=<hex>"</code>
                        ", HMAC-SHA256 with the webhook's secret over " <code>"<unix seconds>.<body>"</code>
                        ". Deliveries are retried with backoff until the receiver answers 2xx."</p>
                    {action_error(hook_new.value())}
                    {move || hook_new.value().get().and_then(Result::ok).map(|secret| view! {
                        <div class="notice" role="status">
                            <p><strong>"The signing secret, shown only this once:"</strong></p>
                            <p><code class="secret" id="webhook-secret">{secret}</code></p>
                        </div>
                    })}
                    <ActionForm action=hook_new attr:class="inline-form">
                        <label>"URL " <input name="url" type="url" required placeholder="https://example.com/hooks/limelight"/></label>
                        <label>"When " <select name="event">
                            {WebhookEvent::ALL.iter().map(|e| view! { <option value=e.as_str()>{e.label()}</option> }).collect_view()}
                        </select></label>
                        <label>"Body " <select name="format">
                            {WebhookFormat::ALL.iter().map(|f| view! { <option value=f.as_str()>{f.label()}</option> }).collect_view()}
                        </select></label>
                        <button type="submit">"Add the webhook"</button>
                    </ActionForm>
                    {action_error(hook_remove.value())}
                    {v.webhooks.into_iter().map(|h| {
                        let id = h.id.to_string();
                        let label = format!("Remove the webhook to {}", h.url);
                        view! {
                            <article class="webhook">
                                <h3><code>{h.url.clone()}</code> " · " {h.event.label()} " · " {h.format.label()}</h3>
                                <ActionForm action=hook_remove attr:class="inline-form">
                                    <input type="hidden" name="id" value=id/>
                                    <button type="submit" class="danger" aria-label=label>"Remove"</button>
                                </ActionForm>
                                {if h.deliveries.is_empty() {
                                    view! { <p class="empty">"Nothing sent yet."</p> }.into_any()
                                } else {
                                    view! {
                                        <table class="dense">
                                            <caption>"Latest deliveries"</caption>
                                            <thead><tr><th scope="col">"Made"</th><th scope="col">"Status"</th><th scope="col">"Attempts"</th><th scope="col">"Last answer"</th></tr></thead>
                                            <tbody>{h.deliveries.into_iter().map(|d| view! {
                                                <tr><td>{d.created}</td><td>{d.status.label()}</td><td>{d.attempts}</td><td>{d.last}</td></tr>
                                            }).collect_view()}</tbody>
                                        </table>
                                    }.into_any()
                                }}
                            </article>
                        }
                    }).collect_view()}
                </section>
                <section class="card" id="wording" aria-labelledby="wording-h">
                    <h2 id="wording-h">"Why it matters, for automated work"</h2>
                    <p>"The sentence a client reads under work the tools recorded, by kind. New and updated entries use it; an entry a person edited keeps its own."</p>
                    {action_error(wording.value())}
                    {v.wordings.into_iter().map(|w| {
                        let id = format!("why-{}", w.kind.as_str());
                        view! {
                            <ActionForm action=wording attr:class="stack">
                                <input type="hidden" name="kind" value=w.kind.as_str()/>
                                <label for=id.clone()>{w.kind.label()} {w.is_default.then_some(" (the default)")}</label>
                                <textarea id=id name="why_it_matters" rows="2" maxlength="500">{textarea_text(w.why_it_matters)}</textarea>
                                <button type="submit">"Save"</button>
                            </ActionForm>
                        }
                    }).collect_view()}
                </section>
            </main>
        }
        .into_any()
    })
}
