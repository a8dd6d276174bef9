//! `/portal/users` (client_admin): colleagues, invitations, deactivation. `/invite/{token}`: the
//! invitee sets a name and password.

use crate::api::users::{AcceptInvitation, DeactivateColleague, InviteColleague, invitation_info, portal_users};
use crate::pages::not_found::{link_page, loaded};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use vocabulary::Role;

#[component]
pub fn PortalUsers() -> impl IntoView {
    let invite = ServerAction::<InviteColleague>::new();
    let deactivate = ServerAction::<DeactivateColleague>::new();
    let users = Resource::new(move || (invite.version().get(), deactivate.version().get()), |_| portal_users());
    let query = use_query_map();
    let invited = move || query.read().get("invited").is_some() || matches!(invite.value().get(), Some(Ok(())));
    let invite_error = move || match invite.value().get() {
        Some(Err(e)) => Some(e.to_string()),
        _ => None,
    };
    let deactivate_error = move || match deactivate.value().get() {
        Some(Err(e)) => Some(e.to_string()),
        _ => None,
    };
    loaded(users, move |list| {
        view! {
                        <Title text="People · Limelight"/>
                        <main class="page narrow" id="main">
                            <h1>"People"</h1>
                            <p class="lead">"Everyone from your company who can use this portal."</p>
                            {move || deactivate_error().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                            <table class="dense">
                                <thead><tr><th scope="col">"Name"</th><th scope="col">"Email"</th><th scope="col">"Role"</th>
                                    <th scope="col">"Last signed in"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr></thead>
                                <tbody>
                                    {list.into_iter().map(|u| view! {
                                        <tr class=if u.active { "" } else { "inactive" }>
                                            <td>{u.name.clone()} {(!u.active).then_some(" (deactivated)")}</td>
                                            <td>{u.email.clone()}</td>
                                            <td>{u.role.label()}</td>
                                            <td>{u.last_login.clone()}</td>
                                            <td>{(u.active && !u.is_me).then(|| view! {
                                                <ActionForm action=deactivate>
                                                    <input type="hidden" name="id" value=u.id.to_string()/>
                                                    <button type="submit" aria-label=format!("Deactivate {}", u.name)>"Deactivate"</button>
                                                </ActionForm>
                                            })}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                            <section aria-labelledby="invite-heading">
                                <h2 id="invite-heading">"Invite a colleague"</h2>
                                {move || invited().then(|| view! {
                                    <p class="success" role="status">"Invitation sent. The link in it works once, for seven days."</p>
                                })}
                                {move || invite_error().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                                <ActionForm action=invite attr:class="stack">
                                    <label for="invite-email">"Their email"</label>
                                    <input id="invite-email" name="email" type="email" required/>
                                    <label for="invite-role">"What they can do"</label>
                                    <select id="invite-role" name="role">
                                        <option value=Role::ClientUser.as_str()>"See the work and their own tickets"</option>
                                        <option value=Role::ClientAdmin.as_str()>"Everything, including managing people"</option>
                                    </select>
                                    <button type="submit" class="primary">"Send invitation"</button>
                                </ActionForm>
                            </section>
                        </main>
                    }
                        .into_any()
    })
}

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
