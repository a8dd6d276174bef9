//! `/invite/{token}`: the invitee sets a name and password.

use crate::api::invitations::{AcceptInvitation, invitation_info};
use crate::pages::loading::link_page;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// `/invite/{token}`: accepting an invitation with the link from its email.
#[component]
pub fn AcceptInvitationPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let info = Resource::new(token, invitation_info);
    let accept = ServerAction::<AcceptInvitation>::new();
    let error = move || match accept.value().get() {
        Some(Err(e)) => Some(e.to_string()),
        _ => None,
    };
    link_page(
        info,
        "Invitation · Limelight",
        "It may have been used already, or it is more than seven days old. Ask the colleague who invited you to send a new one.",
        move |i| {
            view! {
                <Title text="Welcome · Limelight"/>
                <main class="page narrow" id="main">
                    <h1>{format!("Welcome to {}'s portal", i.tenant_name)}</h1>
                    <p class="lead">{format!("Choose a password for {}.", i.email)}</p>
                    {move || error().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                    <ActionForm action=accept attr:class="stack">
                        <input type="hidden" name="token" value=token()/>
                        <label for="name">"Your name"</label>
                        <input id="name" name="name" autocomplete="name" required/>
                        <label for="password">"Password (at least 8 characters)"</label>
                        <input id="password" name="password" type="password" autocomplete="new-password" minlength="8" required/>
                        <label for="confirm_password">"Password, again"</label>
                        <input id="confirm_password" name="confirm_password" type="password" autocomplete="new-password" minlength="8" required/>
                        <button type="submit" class="primary">"Create my account"</button>
                    </ActionForm>
                </main>
            }
        },
    )
}
