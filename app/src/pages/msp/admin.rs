//! `/msp/admin/clients`, `/msp/admin/users` and `/msp/audit`: for MSP admins (404 for anyone
//! else, decided by the server functions).

use super::action_error;
use crate::api::msp::admin::{
    AdminClientEdit, AdminClientNew, AdminClientStatus, AdminClientTwoStep, AdminInvite, AdminUserActive,
    AdminUserRole, AdminUserTwoStepReset, admin_audit, admin_clients, admin_users,
};
use crate::pages::loading::loaded;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use vocabulary::{Role, TenantStatus};

const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

#[component]
pub fn AdminClients() -> impl IntoView {
    let new = ServerAction::<AdminClientNew>::new();
    let edit = ServerAction::<AdminClientEdit>::new();
    let status = ServerAction::<AdminClientStatus>::new();
    let two_step = ServerAction::<AdminClientTwoStep>::new();
    let list = Resource::new(
        move || (new.version().get(), edit.version().get(), status.version().get(), two_step.version().get()),
        |_| admin_clients(),
    );
    loaded(list, move |clients| {
        view! {
            <Title text="Clients (admin) · Limelight"/>
            <main class="page wide" id="main">
                <h1>"Administration: clients"</h1>
                <section class="card" aria-labelledby="new-h">
                    <h2 id="new-h">"Add a client"</h2>
                    {action_error(new.value())}
                    <ActionForm action=new attr:class="inline-form">
                        <label>"Slug (in links) " <input name="slug" required pattern="[a-z0-9-]+" maxlength="63"/></label>
                        <label>"Name " <input name="name" required maxlength="200"/></label>
                        <label>"Time zone " <input name="time_zone" required placeholder="Europe/London"/></label>
                        <button type="submit" class="primary">"Add"</button>
                    </ActionForm>
                </section>
                {action_error(edit.value())}
                {action_error(status.value())}
                {action_error(two_step.value())}
                {clients.into_iter().map(|c| {
                    let slug = c.slug.clone();
                    let archived = c.status == TenantStatus::Archived;
                    let (section_id, heading, label) = (format!("client-{}", c.slug), c.name.clone(), c.name.clone());
                    let status_label = c.status.label();
                    let edit_slug = c.slug.clone();
                    let two_step_slug = c.slug.clone();
                    let required = c.two_step_required;
                    view! {
                        <section class="card" id=section_id aria-label=label>
                            <h2>{heading} " " <span class="tag">{status_label}</span></h2>
                            <ActionForm action=edit attr:class="inline-form">
                                <input type="hidden" name="slug" value=edit_slug/>
                                <label>"Name " <input name="name" required maxlength="200" value=c.name.clone()/></label>
                                <label>"Time zone " <input name="time_zone" required value=c.time_zone.clone()/></label>
                                <fieldset class="row"><legend>"Working days"</legend>
                                    {DAYS.iter().enumerate().map(|(i, d)| view! {
                                        <label class="check"><input type="checkbox" name="days[]" value=i.to_string() checked=c.days.contains(&(i as u8))/> {*d}</label>
                                    }).collect_view()}
                                </fieldset>
                                <label>"Opens " <input name="start" type="time" required value=c.start.clone()/></label>
                                <label>"Closes " <input name="end" type="time" required value=c.end.clone()/></label>
                                <label>"Hours a month (agreement) " <input name="included_hours" inputmode="numeric" value=c.included_hours.clone()/></label>
                                <button type="submit">"Save"</button>
                            </ActionForm>
                            <ActionForm action=status attr:class="inline-form">
                                <input type="hidden" name="slug" value=slug/>
                                <input type="hidden" name="status" value=if archived { "active" } else { "archived" }/>
                                <button type="submit">{if archived { "Bring back" } else { "Archive" }}</button>
                            </ActionForm>
                            <ActionForm action=two_step attr:class="inline-form">
                                <input type="hidden" name="slug" value=two_step_slug/>
                                <input type="hidden" name="required" value=if required { "false" } else { "true" }/>
                                <span>{if required {
                                    "Everyone here signs in with two steps."
                                } else {
                                    "Two-step sign-in is each person's choice here."
                                }}</span>
                                <button type="submit">{if required { "Make two-step optional" } else { "Require two-step sign-in" }}</button>
                            </ActionForm>
                        </section>
                    }
                }).collect_view()}
            </main>
        }
        .into_any()
    })
}

#[component]
pub fn AdminUsers() -> impl IntoView {
    let invite = ServerAction::<AdminInvite>::new();
    let role = ServerAction::<AdminUserRole>::new();
    let active = ServerAction::<AdminUserActive>::new();
    let reset = ServerAction::<AdminUserTwoStepReset>::new();
    let list = Resource::new(
        move || (invite.version().get(), role.version().get(), active.version().get(), reset.version().get()),
        |_| admin_users(),
    );
    loaded(list, move |v| {
        view! {
            <Title text="People (admin) · Limelight"/>
            <main class="page wide" id="main">
                <h1>"Administration: people"</h1>
                <section class="card" aria-labelledby="invite-h">
                    <h2 id="invite-h">"Invite someone"</h2>
                    {action_error(invite.value())}
                    <ActionForm action=invite attr:class="inline-form">
                        <label>"Email " <input name="email" type="email" required/></label>
                        <label>"Role " <select name="role">
                            {Role::ALL.iter().map(|r| view! { <option value=r.as_str()>{r.label()}</option> }).collect_view()}
                        </select></label>
                        <label>"Client (for client roles) " <select name="client">
                            <option value="">"— (staff)"</option>
                            {v.clients.iter().map(|(slug, name)| view! { <option value=slug.clone()>{name.clone()}</option> }).collect_view()}
                        </select></label>
                        <button type="submit" class="primary">"Send the invitation"</button>
                    </ActionForm>
                </section>
                {action_error(role.value())}
                {action_error(active.value())}
                {action_error(reset.value())}
                <table class="dense">
                    <caption class="visually-hidden">"Everyone with an account"</caption>
                    <thead><tr><th scope="col">"Name"</th><th scope="col">"Email"</th><th scope="col">"Client"</th>
                        <th scope="col">"Role"</th><th scope="col">"Last sign-in"</th><th scope="col">"Two-step"</th><th scope="col">"Account"</th></tr></thead>
                    <tbody>
                        {v.users.into_iter().map(|u| {
                            let roles: Vec<Role> = Role::ALL.iter().copied().filter(|r| r.is_client() == u.role.is_client()).collect();
                            let id = u.id.to_string();
                            let (role_id, active_id, reset_id) = (id.clone(), id.clone(), id);
                            let reset_label = format!("Reset two-step sign-in of {}", u.email);
                            let role_label = format!("Role of {}", u.email);
                            let active_label = format!("{} {}", if u.active { "Deactivate" } else { "Reactivate" }, u.email);
                            view! {
                                <tr class=if u.active { "" } else { "internal" }>
                                    <td>{u.name.clone()}</td><td>{u.email.clone()}</td><td>{u.client.clone()}</td>
                                    <td>{if u.me {
                                        view! { <span>{u.role.label()}</span> }.into_any()
                                    } else {
                                        view! {
                                            <ActionForm action=role attr:class="cell-form">
                                                <input type="hidden" name="id" value=role_id/>
                                                <select name="role" aria-label=role_label>
                                                    {roles.into_iter().map(|r| view! { <option value=r.as_str() selected=r == u.role>{r.label()}</option> }).collect_view()}
                                                </select>
                                                <button type="submit" class="small">"Change"</button>
                                            </ActionForm>
                                        }.into_any()
                                    }}</td>
                                    <td>{u.last_login.clone()}</td>
                                    <td>{if u.two_step {
                                        view! {
                                            <ActionForm action=reset attr:class="cell-form">
                                                <input type="hidden" name="id" value=reset_id/>
                                                <span>"On "</span>
                                                <button type="submit" class="small" aria-label=reset_label>"Reset"</button>
                                            </ActionForm>
                                        }.into_any()
                                    } else {
                                        view! { <span>"Off"</span> }.into_any()
                                    }}</td>
                                    <td>{(!u.me).then(|| view! {
                                        <ActionForm action=active attr:class="cell-form">
                                            <input type="hidden" name="id" value=active_id/>
                                            <input type="hidden" name="active" value=if u.active { "false" } else { "true" }/>
                                            <button type="submit" class="small" aria-label=active_label>
                                                {if u.active { "Deactivate" } else { "Reactivate" }}</button>
                                        </ActionForm>
                                    })}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </main>
        }
        .into_any()
    })
}

#[component]
pub fn AuditLog() -> impl IntoView {
    let query = use_query_map();
    let filters = move || {
        let q = query.read();
        (q.get("action"), q.get("client"), q.get("from"), q.get("to"), q.get("before"))
    };
    let log = Resource::new(filters, |(a, c, f, t, b)| admin_audit(a, c, f, t, b));
    loaded(log, move |v| {
        let (action, client, from, to, _) = filters();
        let next = v.next.map(|n| {
            let mut q: Vec<String> = [("action", &action), ("client", &client), ("from", &from), ("to", &to)]
                .iter()
                .filter_map(|(k, v)| v.as_ref().filter(|v| !v.is_empty()).map(|v| format!("{k}={v}")))
                .collect();
            q.push(format!("before={n}"));
            format!("/msp/audit?{}", q.join("&"))
        });
        view! {
            <Title text="Audit log · Limelight"/>
            <main class="page wide" id="main">
                <h1>"Audit log"</h1>
                <form method="get" action="/msp/audit" class="filters" role="search">
                    <div><label for="a-action">"Action"</label>
                        <select id="a-action" name="action"><option value="">"Any"</option>
                            {v.actions.iter().map(|a| view! { <option value=a.as_str() selected=action.as_deref() == Some(a.as_str())>{a.as_str()}</option> }).collect_view()}
                        </select></div>
                    <div><label for="a-client">"Client"</label>
                        <select id="a-client" name="client"><option value="">"Any"</option>
                            {v.clients.iter().map(|(slug, name)| view! { <option value=slug.clone() selected=client.as_deref() == Some(slug.as_str())>{name.clone()}</option> }).collect_view()}
                        </select></div>
                    <div><label for="a-from">"From"</label><input id="a-from" name="from" type="date" value=from.clone().unwrap_or_default()/></div>
                    <div><label for="a-to">"To"</label><input id="a-to" name="to" type="date" value=to.clone().unwrap_or_default()/></div>
                    <div class="actions"><button type="submit" class="primary">"Show"</button> <a href="/msp/audit">"Clear"</a></div>
                </form>
                {v.rows.is_empty().then(|| view! { <p class="empty">"No events match."</p> })}
                <table class="dense">
                    <caption class="visually-hidden">"Audit events, newest first"</caption>
                    <thead><tr><th scope="col">"When"</th><th scope="col">"Action"</th><th scope="col">"Who"</th>
                        <th scope="col">"Client"</th><th scope="col">"What"</th><th scope="col">"From"</th></tr></thead>
                    <tbody>
                        {v.rows.into_iter().map(|r| view! {
                            <tr>
                                <td>{r.at}</td><td><code>{r.action.as_str()}</code></td><td>{r.actor}</td><td>{r.client}</td>
                                <td>{r.target} {(!r.detail.is_empty()).then(|| view! { <span class="meta">{r.detail.clone()}</span> })}</td>
                                <td>{r.ip} {(!r.user_agent.is_empty()).then(|| view! { <span class="meta">{r.user_agent.clone()}</span> })}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                {next.map(|href| view! { <p><a href=href>"Older events →"</a></p> })}
            </main>
        }
        .into_any()
    })
}
