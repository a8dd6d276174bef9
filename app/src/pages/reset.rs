//! `/reset/{token}`: choosing a new password with the link from a reset email.

use leptos::prelude::*;
use leptos_meta::Title;

/// `/reset/{token}`: choosing a new password with a link from a reset email.
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    use crate::api::reset::{CompleteReset, reset_info};
    use leptos_router::hooks::use_params_map;
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let info = Resource::new(token, reset_info);
    let complete = ServerAction::<CompleteReset>::new();
    let error = move || match complete.value().get() {
        Some(Err(e)) => Some(e.to_string()),
        _ => None,
    };
    crate::pages::loading::link_page(
        info,
        "Reset link · Limelight",
        "It may have been used already, or it is more than an hour old. Ask for a new one from the sign-in page.",
        move |email| {
            view! {
                <Title text="Choose a new password · Limelight"/>
                <main class="page narrow" id="main">
                    <h1>"Choose a new password"</h1>
                    <p class="lead">{format!("For {email}. You will be signed out everywhere else.")}</p>
                    {move || error().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                    <ActionForm action=complete attr:class="stack">
                        <input type="hidden" name="token" value=token()/>
                        <label for="password">"New password (at least 8 characters)"</label>
                        <input id="password" name="password" type="password" autocomplete="new-password" minlength="8" required/>
                        <label for="confirm_password">"New password, again"</label>
                        <input id="confirm_password" name="confirm_password" type="password" autocomplete="new-password" minlength="8" required/>
                        <button type="submit" class="primary">"Set the password and sign in"</button>
                    </ActionForm>
                </main>
            }
        },
    )
}
