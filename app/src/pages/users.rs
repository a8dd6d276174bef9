//! `/portal/users` (client_admin): colleagues, invitations, deactivation.

use crate::api::approvals::PortalUserApprover;
use crate::api::users::{DeactivateColleague, InviteColleague, portal_users};
use crate::pages::loading::loaded;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use vocabulary::Role;

#[component]
pub fn PortalUsers() -> impl IntoView {
    let invite = ServerAction::<InviteColleague>::new();
    let deactivate = ServerAction::<DeactivateColleague>::new();
    let approver = ServerAction::<PortalUserApprover>::new();
    let users = Resource::new(
        move || (invite.version().get(), deactivate.version().get(), approver.version().get()),
        |_| portal_users(),
    );
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
                            <p class="lead">"Everyone from your company who can use this portal. Admins, and the people they name approvers, decide on planned work that interrupts you."</p>
                            {move || deactivate_error().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                            {super::msp::action_error(approver.value())}
                            <table class="dense">
                                <thead><tr><th scope="col">"Name"</th><th scope="col">"Email"</th><th scope="col">"Role"</th>
                                    <th scope="col">"Approves planned work"</th><th scope="col">"Last signed in"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr></thead>
                                <tbody>
                                    {list.into_iter().map(|u| view! {
                                        <tr class=if u.active { "" } else { "inactive" }>
                                            <td>{u.name.clone()} {(!u.active).then_some(" (deactivated)")}</td>
                                            <td>{u.email.clone()}</td>
                                            <td>{u.role.label()}</td>
                                            <td>{if u.role == Role::ClientAdmin {
                                                view! { "Yes (an admin)" }.into_any()
                                            } else {
                                                let (to, label) = if u.approver { ("no", "Remove approver") } else { ("yes", "Name approver") };
                                                let aria = format!("{label}: {}", u.name);
                                                view! {
                                                    {if u.approver { "Yes " } else { "No " }}
                                                    {u.active.then(|| view! {
                                                        <ActionForm action=approver attr:class="inline-form">
                                                            <input type="hidden" name="id" value=u.id.to_string()/>
                                                            <input type="hidden" name="approver" value=to/>
                                                            <button type="submit" aria-label=aria>{label}</button>
                                                        </ActionForm>
                                                    })}
                                                }.into_any()
                                            }}</td>
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
