//! The second step of signing in: the code (`/login/code`), setting up an authenticator
//! (`/login/setup`) and the recovery codes made with it (`/login/recovery-codes`). Each form is a
//! plain POST to the server, with or without JavaScript.

use crate::pages::loading::link_page;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

const EXPIRED: &str = "A sign-in waits ten minutes for its second step, and ends after five wrong codes. \
                       Sign in again with your password.";

/// Messages a refused step comes back with (`?wrong=N`, `?throttled`).
fn refusal() -> impl IntoView {
    let query = use_query_map();
    move || {
        let q = query.read();
        let message = if q.get("throttled").is_some() {
            Some("Too many attempts. Please wait a few minutes, then try again.".to_string())
        } else {
            q.get("wrong").map(|left| {
                let left = left.parse::<i32>().unwrap_or(0);
                format!(
                    "That code is not right, or it was used already. {left} more {} before you must sign in again.",
                    if left == 1 { "try" } else { "tries" }
                )
            })
        };
        message.map(|m| view! { <p class="error" role="alert" id="code-error">{m}</p> })
    }
}

/// `/login/code`: the code from the authenticator app, or a recovery code.
#[component]
pub fn TwoStepCodePage() -> impl IntoView {
    view! {
        <Title text="Your code · Limelight"/>
        <main class="page narrow login" id="main">
            <h1>"Enter your code"</h1>
            <p class="lead">"Open your authenticator app and type the six-digit code it shows for Limelight."</p>
            {refusal()}
            <form method="post" action="/login/code" class="stack">
                <label for="code">"Code"</label>
                <input id="code" name="code" type="text" autocomplete="one-time-code" spellcheck="false"
                    autocapitalize="characters" required aria-describedby="code-hint"/>
                <p class="hint" id="code-hint">
                    "Lost your phone? Type one of your recovery codes instead (each works once)."
                </p>
                <button type="submit" class="primary">"Sign in"</button>
            </form>
            <p><a href="/login">"Start again"</a></p>
        </main>
    }
}

/// `/login/setup`: a new authenticator, by QR code or by its key typed in.
#[component]
pub fn TwoStepSetupPage() -> impl IntoView {
    let details = Resource::new(|| (), |_| crate::api::two_step::setup_details());
    link_page(details, "Sign-in expired · Limelight", EXPIRED, move |d| {
        view! {
            <Title text="Set up two-step sign-in · Limelight"/>
            <main class="page narrow" id="main">
                <h1>"Set up two-step sign-in"</h1>
                <p class="lead">
                    "Besides your password, you will type a code from an app on your phone each time you sign in. "
                    "Any authenticator app works (Microsoft Authenticator, Google Authenticator, 1Password, Bitwarden…)."
                </p>
                {refusal()}
                <ol class="steps">
                    <li>
                        <p>"In the app, add an account and scan this code:"</p>
                        <div class="qr" role="img" aria-label="QR code for your authenticator app" inner_html=d.qr_svg></div>
                        <p>"Or type this key (for " {d.account} "):"</p>
                        <p><code class="secret" id="two-step-key">{d.secret}</code></p>
                    </li>
                    <li>
                        <form method="post" action="/login/setup" class="stack">
                            <label for="code">"The six-digit code the app now shows"</label>
                            <input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code"
                                pattern="[0-9 ]{6,7}" spellcheck="false" required/>
                            <button type="submit" class="primary">"Turn on two-step sign-in"</button>
                        </form>
                    </li>
                </ol>
            </main>
        }
    })
}

/// `/login/recovery-codes`: the ten codes, shown while this setup lasts; then the session.
#[component]
pub fn RecoveryCodesPage() -> impl IntoView {
    let codes = Resource::new(|| (), |_| crate::api::two_step::recovery_codes());
    link_page(codes, "Sign-in expired · Limelight", EXPIRED, move |codes| {
        view! {
            <Title text="Your recovery codes · Limelight"/>
            <main class="page narrow" id="main">
                <h1>"Keep your recovery codes"</h1>
                <p class="success" role="status">"Two-step sign-in is on."</p>
                <p class="lead">
                    "If you lose your phone, each of these codes signs you in once instead of the app's code. "
                    "Print them or keep them in your password manager: you will not see them again."
                </p>
                <ol class="recovery-codes" id="recovery-codes">
                    {codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
                </ol>
                <form method="post" action="/login/recovery-codes" class="stack">
                    <button type="submit" class="primary">"I have kept them: continue"</button>
                </form>
            </main>
        }
    })
}
