//! `/msp/clients`, `/msp/clients/{slug}` and `/msp/clients/{slug}/preview`.

use super::{action_error, cover_words, queue_table, textarea_text, work_table};
use crate::api::msp::coverage::{MspSystemCover, MspTeamSave};
use crate::api::msp::integrations::{ClientRefSet, SystemNameMap, SystemNameUnmap};
use crate::api::msp::runbooks::{MspRunbookReview, MspRunbookSave};
use crate::api::msp::systems::MspSystemSave;
use crate::api::msp::{msp_client, msp_clients, msp_preview};
use crate::pages::loading::loaded;
use crate::views::msp::{ClientDetailView, PersonView, StaffOption, StaffSystemView};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use vocabulary::{Criticality, Role, SystemKind};

/// `/msp/clients`: every client, who looks after it and who covers today.
#[component]
pub fn MspClients() -> impl IntoView {
    let clients = Resource::new(|| (), |_| msp_clients());
    loaded(clients, move |list| {
        view! {
            <Title text="Clients · Limelight"/>
            <main class="page wide" id="main">
            <h1>"Clients"</h1>
            {list.is_empty().then(|| view! {
                <p class="empty">"No clients yet. Add one with "<code>"limelight tenant add"</code>"."</p>
            })}
            <table class="dense">
                <caption class="visually-hidden">"Client companies"</caption>
                <thead><tr><th scope="col">"Client"</th><th scope="col">"Primary"</th><th scope="col">"Covering today"</th>
                    <th scope="col">"Open tickets"</th><th scope="col">"Time zone"</th><th scope="col">"Status"</th></tr></thead>
                <tbody>
                    {list.into_iter().map(|t| view! {
                        <tr>
                            <td><a href=format!("/msp/clients/{}", t.slug)>{t.name}</a></td>
                            <td>{t.primary.unwrap_or_else(|| "—".into())}</td>
                            <td class=if t.gap_today { "overdue" } else { "" }>
                                {t.covering.unwrap_or_else(|| "Nobody available".into())}</td>
                            <td>{t.open_tickets}</td>
                            <td>{t.time_zone}</td>
                            <td>{t.status.label()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            </main>
        }
        .into_any()
    })
}

fn slug_param() -> impl Fn() -> String + Clone + Send + Sync + 'static {
    let params = use_params_map();
    move || params.read().get("slug").unwrap_or_default()
}

/// Options for a select of people, with "nobody" first.
fn people_options(people: &[StaffOption], may: fn(Role) -> bool, chosen: Option<i64>) -> impl IntoView + use<> {
    let list: Vec<StaffOption> = people.iter().filter(|p| may(p.role)).cloned().collect();
    view! {
        <option value="">"—"</option>
        {list.into_iter().map(|p| view! {
            <option value=p.id.to_string() selected=chosen == Some(p.id)>{p.name}</option>
        }).collect_view()}
    }
}

fn names(people: &[PersonView]) -> String {
    if people.is_empty() { "—".into() } else { people.iter().map(|p| p.name.clone()).collect::<Vec<_>>().join(", ") }
}

/// `/msp/clients/{slug}`: one client's work, tickets, systems, team and runbooks.
#[component]
pub fn MspClient() -> impl IntoView {
    let slug = slug_param();
    let team_save = ServerAction::<MspTeamSave>::new();
    let system_cover = ServerAction::<MspSystemCover>::new();
    let system_save = ServerAction::<MspSystemSave>::new();
    let runbook_save = ServerAction::<MspRunbookSave>::new();
    let runbook_review = ServerAction::<MspRunbookReview>::new();
    let client_ref = ServerAction::<ClientRefSet>::new();
    let name_map = ServerAction::<SystemNameMap>::new();
    let name_unmap = ServerAction::<SystemNameUnmap>::new();
    let approvals = super::approvals::board_of({
        let slug = slug.clone();
        move || Some(slug())
    });
    let detail = Resource::new(
        move || {
            (
                slug(),
                team_save.version().get(),
                system_cover.version().get(),
                system_save.version().get(),
                runbook_save.version().get(),
                runbook_review.version().get(),
                (client_ref.version().get(), name_map.version().get(), name_unmap.version().get()),
            )
        },
        |(slug, ..)| msp_client(slug),
    );
    loaded(detail, move |d: ClientDetailView| {
        let slug = d.slug.clone();
        let edit = d.can_edit;
        let systems_for_select = d.systems.clone();
        view! {
            <Title text=format!("{} · Limelight", d.name)/>
            <main class="page wide" id="main">
                <p><a href="/msp/clients">"← All clients"</a></p>
                <div class="title-row">
                    <h1>{d.name.clone()}</h1>
                    <span>
                        <a class="button" href=format!("/msp/clients/{slug}/preview")>"See their portal"</a> " "
                        {edit.then(|| view! { <a class="button primary" href=format!("/msp/work/new?client={slug}")>"Log work"</a> })}
                    </span>
                </div>
                <dl class="facts">
                    <dt>"Business hours"</dt><dd>{d.hours.clone()} " (" {d.time_zone.clone()} ")"</dd>
                    <dt>"Agreement"</dt><dd>{d.included_hours.map(|h| format!("{h} hours a month")).unwrap_or_else(|| "No monthly hours agreed".into())}</dd>
                    <dt>"Status"</dt><dd>{d.status.label()}</dd>
                </dl>

                <section id="team" aria-labelledby="team-h">
                    <h2 id="team-h">"Team"</h2>
                    <p class=if d.team.team.covering.is_none() { "today gap" } else { "today" }>"Today: " {cover_words(&d.team)}</p>
                    <dl class="facts">
                        <dt>"Primary"</dt><dd>{d.team.team.primary.as_ref().map(|p| p.name.clone()).unwrap_or_else(|| "—".into())}</dd>
                        <dt>"Backups, in order"</dt><dd>{names(&d.team.team.backups)}</dd>
                        <dt>"Account manager"</dt><dd>{d.team.account_manager.as_ref().map(|p| p.name.clone()).unwrap_or_else(|| "—".into())}</dd>
                        {(!d.team.team.gap_days.is_empty()).then(|| view! {
                            <dt>"Gaps ahead"</dt><dd class="overdue">{d.team.team.gap_days.join(", ")}</dd>
                        })}
                    </dl>
                    {(!d.team.systems.is_empty()).then(|| view! {
                        <h3>"Systems with their own coverage"</h3>
                        <ul>{d.team.systems.iter().map(|s| view! {
                            <li><strong>{s.system.clone()}</strong> ": "
                                {s.assignment.primary.as_ref().map(|p| p.name.clone()).unwrap_or_default()}
                                " (primary), " {names(&s.assignment.backups)} " (backups)"</li>
                        }).collect_view()}</ul>
                    })}
                    {edit.then(|| team_forms(team_save, system_cover, &d))}
                </section>

                <section id="work" aria-labelledby="work-h">
                    <h2 id="work-h">"Latest work"</h2>
                    {d.work.is_empty().then(|| view! { <p class="empty">"No work logged yet."</p> })}
                    {(!d.work.is_empty()).then(|| work_table("Latest work for this client", d.work.clone(), false))}
                </section>

                <section id="tickets" aria-labelledby="tickets-h">
                    <h2 id="tickets-h">"Tickets"</h2>
                    {d.tickets.is_empty().then(|| view! { <p class="empty">"No tickets."</p> })}
                    {(!d.tickets.is_empty()).then(|| queue_table("This client's tickets", d.tickets.clone()))}
                    <p><a href=format!("/msp/tickets?client={slug}")>"Open tickets in the queue →"</a></p>
                </section>

                <super::approvals::ApprovalBoard board=approvals/>

                <section id="systems" aria-labelledby="systems-h">
                    <h2 id="systems-h">"Systems"</h2>
                    {action_error(system_save.value())}
                    <table class="dense">
                        <caption class="visually-hidden">"Systems"</caption>
                        <thead><tr><th scope="col">"System"</th><th scope="col">"Kind"</th><th scope="col">"Criticality"</th>
                            <th scope="col">"Vendor"</th><th scope="col">"Can cover"</th><th scope="col">"Risks"</th></tr></thead>
                        <tbody>
                            {d.systems.iter().map(|s| view! {
                                <tr>
                                    <td>{s.name.clone()}
                                        {edit.then(|| system_form(system_save, &slug, Some(s.clone())))}</td>
                                    <td>{s.kind.label()}</td><td>{s.criticality.label()}</td><td>{s.vendor.clone()}</td>
                                    <td>{s.people_who_can_cover}</td>
                                    <td class=if s.risks.is_empty() { "" } else { "overdue" }>
                                        {if s.risks.is_empty() { "—".to_string() } else { s.risks.join("; ") }}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    {edit.then(|| system_form(system_save, &slug, None))}
                </section>

                <section id="runbooks" aria-labelledby="runbooks-h">
                    <h2 id="runbooks-h">"Runbooks"</h2>
                    {action_error(runbook_review.value())}
                    {action_error(runbook_save.value())}
                    {d.runbooks.is_empty().then(|| view! { <p class="empty">"Nothing written down yet."</p> })}
                    {d.runbooks.iter().map(|r| runbook_article(r.clone(), edit.then_some((runbook_review, runbook_save)), &slug, &systems_for_select)).collect_view()}
                    {edit.then(|| runbook_form(runbook_save, &slug, &systems_for_select, None))}
                </section>

                {automation_section(&d, edit.then_some((client_ref, name_map, name_unmap)))}
                {edit.then(|| import_section(&slug))}
            </main>
        }
        .into_any()
    })
}

fn team_forms(
    team_save: ServerAction<MspTeamSave>,
    system_cover: ServerAction<MspSystemCover>,
    d: &ClientDetailView,
) -> impl IntoView + use<> {
    let backups: Vec<Option<i64>> = (0..3).map(|i| d.team.team.backups.get(i).map(|b| b.id)).collect();
    let staff = &d.staff;
    let primary = people_options(staff, Role::does_the_work, d.team.team.primary.as_ref().map(|p| p.id));
    let b1 = people_options(staff, Role::does_the_work, backups[0]);
    let b2 = people_options(staff, Role::does_the_work, backups[1]);
    let b3 = people_options(staff, Role::does_the_work, backups[2]);
    let am = people_options(staff, Role::manages_accounts, d.team.account_manager.as_ref().map(|p| p.id));
    let sp = people_options(staff, Role::does_the_work, None);
    let sb1 = people_options(staff, Role::does_the_work, None);
    let sb2 = people_options(staff, Role::does_the_work, None);
    let systems: Vec<(i64, String)> = d.systems.iter().map(|s| (s.id, s.name.clone())).collect();
    let slug = d.slug.clone();
    view! {
        <details>
            <summary>"Change the team"</summary>
            {action_error(team_save.value())}
            <ActionForm action=team_save attr:class="inline-form">
                <input type="hidden" name="client" value=slug/>
                <label>"Primary " <select name="primary">{primary}</select></label>
                <label>"Backup 1 " <select name="backup_1">{b1}</select></label>
                <label>"Backup 2 " <select name="backup_2">{b2}</select></label>
                <label>"Backup 3 " <select name="backup_3">{b3}</select></label>
                <label>"Account manager " <select name="account_manager">{am}</select></label>
                <button type="submit" class="primary">"Save the team"</button>
            </ActionForm>
        </details>
        <details>
            <summary>"Give a system its own coverage"</summary>
            {action_error(system_cover.value())}
            <ActionForm action=system_cover attr:class="inline-form">
                <label>"System " <select name="system_id" required>
                    {systems.into_iter().map(|(id, name)| view! { <option value=id.to_string()>{name}</option> }).collect_view()}
                </select></label>
                <label>"Primary (— to follow the client's team) " <select name="primary">{sp}</select></label>
                <label>"Backup 1 " <select name="backup_1">{sb1}</select></label>
                <label>"Backup 2 " <select name="backup_2">{sb2}</select></label>
                <button type="submit">"Save"</button>
            </ActionForm>
        </details>
    }
}

fn runbook_article(
    r: crate::views::msp::RunbookView,
    actions: Option<(ServerAction<MspRunbookReview>, ServerAction<MspRunbookSave>)>,
    slug: &str,
    systems: &[StaffSystemView],
) -> impl IntoView + use<> {
    let id = r.id;
    let forms = actions.map(|(review, save)| {
        view! {
            <ActionForm action=review attr:class="inline-form">
                <input type="hidden" name="id" value=id.to_string()/>
                <button type="submit">"Mark reviewed"</button>
            </ActionForm>
            {runbook_form(save, slug, systems, Some(r.clone()))}
        }
    });
    view! {
        <article class="card runbook" id=format!("runbook-{id}")>
            <h3>{r.title.clone()}</h3>
            <p class="meta">{r.system.clone().map(|s| format!("{s} · ")).unwrap_or_default()}
                "Updated " {r.updated.clone()} {r.author.clone().map(|a| format!(" by {a}")).unwrap_or_default()}
                " · " <span class=if r.stale { "overdue" } else { "" }>{r.review.clone()}</span></p>
            <div class="markdown" inner_html=r.body_html.clone()></div>
            {forms}
        </article>
    }
}

fn system_form(action: ServerAction<MspSystemSave>, slug: &str, s: Option<StaffSystemView>) -> impl IntoView + use<> {
    let slug = slug.to_string();
    let id = s.as_ref().map(|s| s.id);
    let prefix = id.map_or("new-system".to_string(), |i| format!("system-{i}"));
    let field = move |f: &str| format!("{prefix}-{f}");
    view! {
        <details>
            <summary>{if id.is_some() { "Edit" } else { "Add a system" }}</summary>
            <ActionForm action=action attr:class="stack">
                <input type="hidden" name="client" value=slug/>
                {id.map(|i| view! { <input type="hidden" name="id" value=i.to_string()/> })}
                <label for=field("name")>"Name"</label>
                <input id=field("name") name="name" required maxlength="200" value=s.as_ref().map(|s| s.name.clone()).unwrap_or_default()/>
                <label for=field("kind")>"Kind"</label>
                <select id=field("kind") name="kind">
                    {SystemKind::ALL.iter().map(|k| view! { <option value=k.as_str() selected=s.as_ref().is_some_and(|s| s.kind == *k)>{k.label()}</option> }).collect_view()}
                </select>
                <label for=field("crit")>"Criticality"</label>
                <select id=field("crit") name="criticality">
                    {Criticality::ALL.iter().map(|c| view! { <option value=c.as_str() selected=s.as_ref().map_or(*c == Criticality::Medium, |s| s.criticality == *c)>{c.label()}</option> }).collect_view()}
                </select>
                <label for=field("vendor")>"Vendor"</label>
                <input id=field("vendor") name="vendor" maxlength="200" value=s.as_ref().map(|s| s.vendor.clone()).unwrap_or_default()/>
                <label for=field("notes")>"Notes"</label>
                <textarea id=field("notes") name="notes" rows="3">{textarea_text(s.as_ref().map(|s| s.notes.clone()).unwrap_or_default())}</textarea>
                <button type="submit" class="primary">{if id.is_some() { "Save the system" } else { "Add the system" }}</button>
            </ActionForm>
        </details>
    }
}

fn runbook_form(
    action: ServerAction<MspRunbookSave>,
    slug: &str,
    systems: &[StaffSystemView],
    r: Option<crate::views::msp::RunbookView>,
) -> impl IntoView + use<> {
    let slug = slug.to_string();
    let systems = systems.to_vec();
    let id = r.as_ref().map(|r| r.id);
    let prefix = id.map_or("new-runbook".to_string(), |i| format!("runbook-{i}"));
    let field = move |f: &str| format!("{prefix}-{f}");
    let chosen = r.as_ref().and_then(|r| r.system_id);
    view! {
        <details>
            <summary>{if id.is_some() { "Edit the runbook" } else { "Write a runbook" }}</summary>
            <ActionForm action=action attr:class="stack">
                <input type="hidden" name="client" value=slug/>
                {id.map(|i| view! { <input type="hidden" name="id" value=i.to_string()/> })}
                <label for=field("title")>"Title"</label>
                <input id=field("title") name="title" required maxlength="200" value=r.as_ref().map(|r| r.title.clone()).unwrap_or_default()/>
                <label for=field("system")>"System"</label>
                <select id=field("system") name="system_id">
                    <option value="">"The client as a whole"</option>
                    {systems.iter().map(|s| view! { <option value=s.id.to_string() selected=chosen == Some(s.id)>{s.name.clone()}</option> }).collect_view()}
                </select>
                <label for=field("body")>"Steps (Markdown)"</label>
                <textarea id=field("body") name="body" rows="8" required>{textarea_text(r.as_ref().map(|r| r.body.clone()).unwrap_or_default())}</textarea>
                <button type="submit" class="primary">"Save the runbook"</button>
            </ActionForm>
        </details>
    }
}

/// `/msp/clients/{slug}/preview`: the client's dashboard exactly as they see it.
#[component]
pub fn MspPreview() -> impl IntoView {
    let slug = slug_param();
    let preview = Resource::new(slug.clone(), msp_preview);
    view! {
        <div class="preview-banner" role="note">
            "Preview: this is exactly what the client sees on their dashboard. "
            <a href=move || format!("/msp/clients/{}", slug())>"Back to the client"</a>
        </div>
        {loaded(preview, crate::pages::portal::dashboard)}
    }
}

/// What the MSP's tools call this client and its systems: names no system answers to are listed
/// to be mapped (their events are kept, never dropped or given a made-up system).
fn automation_section(
    d: &ClientDetailView,
    actions: Option<(ServerAction<ClientRefSet>, ServerAction<SystemNameMap>, ServerAction<SystemNameUnmap>)>,
) -> impl IntoView + use<> {
    let a = d.automation.clone();
    let slug = d.slug.clone();
    let client_ref = match actions {
        Some((client_ref, ..)) => {
            let slug = slug.clone();
            view! {
            {action_error(client_ref.value())}
            <ActionForm action=client_ref attr:class="inline-form">
                <input type="hidden" name="slug" value=slug/>
                <label>"This client's name in your tools (besides its slug) "
                    <input name="external_ref" maxlength="100" value=a.external_ref.clone()/></label>
                <button type="submit">"Save"</button>
            </ActionForm>
            }
            .into_any()
        }
        None => {
            let shown = if a.external_ref.is_empty() { "—".to_string() } else { a.external_ref.clone() };
            view! { <p>"Name in the tools: " {shown}</p> }.into_any()
        }
    };
    let unmatched = if a.unmatched.is_empty() {
        view! { <p class="empty">"None: every event has its system."</p> }.into_any()
    } else {
        let rows = a
            .unmatched
            .iter()
            .map(|u| {
                let map_form = actions.map(|(_, name_map, _)| map_form(name_map, &slug, &u.name, &d.systems));
                view! {
                    <tr>
                        <td><code>{u.name.clone()}</code></td><td>{u.events}</td><td>{u.last_seen.clone()}</td>
                        {map_form}
                    </tr>
                }
            })
            .collect_view();
        view! {
            {actions.map(|(_, name_map, _)| action_error(name_map.value()))}
            <table class="dense">
                <caption class="visually-hidden">"Unmatched system names"</caption>
                <thead><tr><th scope="col">"Name in the tool"</th><th scope="col">"Events"</th><th scope="col">"Last seen"</th>
                    {actions.is_some().then(|| view! { <th scope="col">"Is this system"</th> })}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
        }
        .into_any()
    };
    let mappings = (!a.mappings.is_empty()).then(|| {
        let items = a
            .mappings
            .clone()
            .into_iter()
            .map(|m| {
                let slug = slug.clone();
                let name = m.name.clone();
                let remove_label = format!("Remove the mapping of {}", m.name);
                let remove = actions.map(move |(_, _, name_unmap)| {
                    view! {
                        " " <ActionForm action=name_unmap attr:class="inline-form">
                            <input type="hidden" name="slug" value=slug/>
                            <input type="hidden" name="name" value=name/>
                            <button type="submit" aria-label=remove_label>"Remove"</button>
                        </ActionForm>
                    }
                });
                view! { <li><code>{m.name.clone()}</code> " → " {m.system.clone()} {remove}</li> }
            })
            .collect_view();
        view! {
            <h3>"Mapped names"</h3>
            {actions.map(|(_, _, name_unmap)| action_error(name_unmap.value()))}
            <ul>{items}</ul>
        }
    });
    view! {
        <section id="automation" aria-labelledby="automation-h">
            <h2 id="automation-h">"Automation"</h2>
            <p>{format!("{} events received from the MSP's tools.", a.events)}</p>
            {client_ref}
            <h3>"Systems the tools name that match none of this client's"</h3>
            {unmatched}
            {mappings}
        </section>
    }
}

fn map_form(
    action: ServerAction<SystemNameMap>,
    slug: &str,
    name: &str,
    systems: &[StaffSystemView],
) -> impl IntoView + use<> {
    let (slug, name) = (slug.to_string(), name.to_string());
    let label = format!("System for {name}");
    let options =
        systems.iter().map(|s| view! { <option value=s.id.to_string()>{s.name.clone()}</option> }).collect_view();
    view! {
        <td><ActionForm action=action attr:class="inline-form">
            <input type="hidden" name="slug" value=slug/>
            <input type="hidden" name="name" value=name/>
            <label><span class="visually-hidden">{label}</span>
                <select name="system">
                    <option value="">"Choose…"</option>
                    {options}
                </select></label>
            <button type="submit">"Map"</button>
        </ActionForm></td>
    }
}

/// Uploading work history as CSV: a plain multipart form (no JavaScript needed). The server
/// answers with this page again, saying how many rows it took, or a page naming each bad row.
fn import_section(slug: &str) -> impl IntoView + use<> {
    let query = leptos_router::hooks::use_query_map();
    let result = move || {
        let q = query.read();
        let before = q.get("before").unwrap_or_default();
        if let Some(n) = q.get("imported") {
            Some(format!("Imported: {n} new entries; {before} rows were imported before and left alone."))
        } else {
            q.get("checked").map(|n| {
                format!(
                    "Checked: {n} new entries would be made; {before} rows were imported before. Nothing was written."
                )
            })
        }
    };
    let action = format!("/msp/clients/{slug}/import");
    view! {
        <section id="import" aria-labelledby="import-h">
            <h2 id="import-h">"Import work history (CSV)"</h2>
            {move || result().map(|text| view! { <p class="success" role="status">{text}</p> })}
            <p>"One row per piece of work, with a header row naming the columns: "
                <code>"date, time, category, title, duration_minutes, performed_by"</code> " (required; the date and time in the client's time zone, "
                <code>"performed_by"</code> " a tech's email) and any of "
                <code>"why_it_matters, details, systems, visibility, vendor, vendor_case_ref, import_key"</code>
                " (" <code>"systems"</code> ": this client's system names separated by " <code>";"</code> "). "
                "A bad row stops the whole file, named by its line; rows imported before are left alone."</p>
            <form method="post" action=action enctype="multipart/form-data" class="inline-form">
                <label>"CSV file " <input type="file" name="file" accept=".csv,text/csv" required/></label>
                <label class="check"><input type="checkbox" name="dry_run" value="on"/> "Check only"</label>
                <button type="submit">"Import"</button>
            </form>
        </section>
    }
}
