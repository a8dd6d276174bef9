//! `/portal/account`: the signed-in person's password and sessions. Both forms post to server
//! functions, so they work without JavaScript (the server sends the browser back here).

use crate::api::account::{
    CalendarFeedNew, CalendarFeedOff, ChangePassword, EndSession, account_sessions, calendar_feed,
};
use crate::pages::loading::answer_with;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn PortalAccount() -> impl IntoView {
    let change = ServerAction::<ChangePassword>::new();
    let end = ServerAction::<EndSession>::new();
    let sessions = Resource::new(move || end.version().get(), |_| account_sessions());
    let query = use_query_map();
    let changed = move || query.read().get("changed").is_some() || matches!(change.value().get(), Some(Ok(())));
    let change_error = move || match change.value().get() {
        Some(Err(e)) => Some(e.to_string()),
        _ => None,
    };
    let end_error = move || match end.value().get() {
        Some(Err(e)) => Some(e.to_string()),
        _ => None,
    };
    view! {
        <Title text="Your account · Limelight"/>
        <main class="page narrow" id="main">
            <h1>"Your account"</h1>
            <section aria-labelledby="password-heading">
                <h2 id="password-heading">"Change your password"</h2>
                {move || changed().then(|| view! {
                    <p class="success" role="status">
                        "Your password is changed. Every other device you were signed in on has been signed out."
                    </p>
                })}
                {move || change_error().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                <ActionForm action=change attr:class="stack">
                    <label for="current_password">"Current password"</label>
                    <input id="current_password" name="current_password" type="password"
                        autocomplete="current-password" required/>
                    <label for="new_password">"New password (at least 8 characters)"</label>
                    <input id="new_password" name="new_password" type="password"
                        autocomplete="new-password" minlength="8" required/>
                    <label for="confirm_password">"New password, again"</label>
                    <input id="confirm_password" name="confirm_password" type="password"
                        autocomplete="new-password" minlength="8" required/>
                    <button type="submit" class="primary">"Change password"</button>
                </ActionForm>
            </section>
            <section aria-labelledby="sessions-heading">
                <h2 id="sessions-heading">"Where you are signed in"</h2>
                {move || end_error().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                    {move || Suspend::new(async move {
                        match sessions.await {
                            Ok(list) => view! {
                                <ul class="sessions">
                                    {list.into_iter().map(|s| view! {
                                        <li>
                                            <div>
                                                <strong>{s.device.clone()}</strong>
                                                {s.current.then(|| view! { <span class="tag">" This device"</span> })}
                                                <p class="meta">
                                                    "Signed in " {s.signed_in.clone()} " · last active " {s.last_seen.clone()}
                                                    " · from " {s.ip.clone()}
                                                </p>
                                            </div>
                                            <ActionForm action=end>
                                                <input type="hidden" name="id" value=s.id.to_string()/>
                                                <button type="submit">
                                                    {if s.current { "Sign out here" } else { "Sign out that device" }}
                                                </button>
                                            </ActionForm>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            }
                                .into_any(),
                            Err(e) => {
                                answer_with(&e);
                                view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any()
                            }
                        }
                    })}
                </Suspense>
            </section>
            <TwoStepSection/>
            <CalendarSection/>
        </main>
    }
}

/// Two-step sign-in: on or off, recovery codes left, a new authenticator, turning it off where
/// that is allowed.
#[component]
fn TwoStepSection() -> impl IntoView {
    use crate::api::two_step::{TurnOffTwoStep, two_step_status};
    let off = ServerAction::<TurnOffTwoStep>::new();
    let status = Resource::new(move || off.version().get(), |_| two_step_status());
    let query = use_query_map();
    let turned_off = move || query.read().get("two-step-off").is_some() || matches!(off.value().get(), Some(Ok(())));
    let off_error = move || match off.value().get() {
        Some(Err(e)) => Some(e.to_string()),
        _ => None,
    };
    view! {
        <section id="two-step" aria-labelledby="two-step-heading">
            <h2 id="two-step-heading">"Two-step sign-in"</h2>
            {move || turned_off().then(|| view! {
                <p class="success" role="status">"Two-step sign-in is off."</p>
            })}
            {move || off_error().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match status.await {
                        Ok(s) => match s.on_since.clone() {
                            Some(since) => view! {
                                <p>
                                    {format!("On since {since}: you type a code from your authenticator app when you sign in. \
                                              {} of your recovery codes are unused.", s.recovery_codes_left)}
                                </p>
                                // A plain form post: the server starts the setup and sends the browser to it.
                                <form method="post" action="/account/two-step" class="inline-form">
                                    <button type="submit">"Set up a new authenticator (and new recovery codes)"</button>
                                </form>
                                {if s.required {
                                    view! { <p class="meta">"It is required for your account, so it stays on."</p> }.into_any()
                                } else {
                                    view! {
                                        <ActionForm action=off attr:class="stack">
                                            <label for="off-code">"To turn it off, the code your app shows now (or a recovery code)"</label>
                                            <input id="off-code" name="code" type="text" inputmode="numeric"
                                                autocomplete="one-time-code" required/>
                                            <button type="submit">"Turn two-step sign-in off"</button>
                                        </ActionForm>
                                    }.into_any()
                                }}
                            }.into_any(),
                            None => view! {
                                <p>"Besides your password, type a code from an app on your phone when you sign in: \
                                    a stolen password alone then opens nothing."</p>
                                <form method="post" action="/account/two-step" class="inline-form">
                                    <button type="submit" class="primary">"Turn on two-step sign-in"</button>
                                </form>
                            }.into_any(),
                        },
                        Err(e) => {
                            answer_with(&e);
                            view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The person's private calendar link: made (or made anew) here and shown once.
#[component]
fn CalendarSection() -> impl IntoView {
    let renew = ServerAction::<CalendarFeedNew>::new();
    let off = ServerAction::<CalendarFeedOff>::new();
    let feed = Resource::new(move || (renew.version().get(), off.version().get()), |_| calendar_feed());
    view! {
        <section id="calendar" aria-labelledby="calendar-heading">
            <h2 id="calendar-heading">"Your calendar"</h2>
            <p>"A private link your calendar app can subscribe to: planned work, and who covers when someone is away. "
               "Anyone with the link can read it; make a new one to end the old."</p>
            {move || match renew.value().get() {
                Some(Ok(url)) => Some(view! {
                    <div class="notice" role="status">
                        <p><strong>"Copy this link now: it is shown only this once."</strong></p>
                        <p><code class="secret" id="calendar-link">{url}</code></p>
                    </div>
                }.into_any()),
                Some(Err(e)) => Some(view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any()),
                None => None,
            }}
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match feed.await {
                        Ok(Some(f)) => view! {
                            <p>"Your link starts " <code>{f.prefix} "…"</code> ", made " {f.made}
                                {f.last_fetched.map(|t| format!("; last read by a calendar {t}"))} "."</p>
                            <ActionForm action=renew attr:class="inline-form">
                                <button type="submit">"Make a new link"</button>
                            </ActionForm>
                            <ActionForm action=off attr:class="inline-form">
                                <button type="submit">"Turn the link off"</button>
                            </ActionForm>
                        }.into_any(),
                        Ok(None) => view! {
                            <ActionForm action=renew attr:class="inline-form">
                                <button type="submit" class="primary">"Make a calendar link"</button>
                            </ActionForm>
                        }.into_any(),
                        Err(e) => {
                            answer_with(&e);
                            view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}
