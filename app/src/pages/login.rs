use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The sign-in form: a plain POST to `/login`, which works with or without JavaScript. A refused
/// sign-in comes back here with `?failed`, and the message never says which half was wrong.
#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let failed = move || query.read().get("failed").is_some();
    let throttled = move || query.read().get("throttled").is_some();
    let reset_sent = move || query.read().get("reset").is_some();
    let expired = move || query.read().get("expired").is_some();
    // The page asked for before signing in: the server checks it and returns there afterwards.
    let next = move || query.read().get("next").unwrap_or_default();
    view! {
        <Title text="Sign in · Limelight"/>
        <main class="page narrow login" id="main">
            <h1>"Sign in to Limelight"</h1>
            <p class="lead">"See the work we do for you, your tickets and your team."</p>
            {move || failed().then(|| view! {
                <p class="error" role="alert" id="login-error">
                    "That email and password don't match an account. Check both and try again."
                </p>
            })}
            {move || throttled().then(|| view! {
                <p class="error" role="alert" id="login-error">
                    "Too many sign-in attempts. Please wait 15 minutes, then try again."
                </p>
            })}
            {move || expired().then(|| view! {
                <p class="error" role="alert" id="login-error">
                    "That sign-in ended before its second step was done (it waits ten minutes, and ends after \
                     five wrong codes). Please sign in again."
                </p>
            })}
            {move || reset_sent().then(|| view! {
                <p class="notice" role="status">
                    "If that email belongs to an account, we have sent it a link to choose a new password. \
                     It works once, for an hour."
                </p>
            })}
            {move || (!next().is_empty() && !failed() && !throttled()).then(|| view! {
                <p class="notice" role="status">"Please sign in to continue: you will go straight back to that page."</p>
            })}
            <form method="post" action="/login" class="stack">
                {move || (!next().is_empty()).then(|| view! { <input type="hidden" name="next" value=next()/> })}
                <label for="email">"Email"</label>
                <input id="email" name="email" type="email" autocomplete="username" required/>
                <label for="password">"Password"</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required/>
                <button type="submit" class="primary">"Sign in"</button>
            </form>
            <details class="forgot">
                <summary>"Forgot your password?"</summary>
                // A plain form post: it works without JavaScript, and the answer is the same
                // whether or not the email has an account.
                <form method="post" action="/api/account/forgot" class="stack">
                    <label for="forgot-email">"The address you sign in with"</label>
                    <input id="forgot-email" name="email" type="email" autocomplete="username" required/>
                    <button type="submit">"Email me a link"</button>
                </form>
            </details>
        </main>
    }
}
