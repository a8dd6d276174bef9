//! `/msp/coverage` and `/msp/time-off`.

use super::{action_error, cover_words};
use crate::api::msp::coverage::{MspKnowledge, MspTimeOffAdd, MspTimeOffRemove, msp_coverage, msp_time_off};
use crate::pages::loading::loaded;
use crate::views::msp::{TeamLineView, TimeOffView};
use leptos::prelude::*;
use leptos_meta::Title;
use vocabulary::KnowledgeLevel;

fn team_row(t: TeamLineView) -> impl IntoView {
    let primary = t.team.primary.as_ref().map(|p| p.name.clone()).unwrap_or_else(|| "—".into());
    let backups = t.team.backups.iter().map(|b| b.name.clone()).collect::<Vec<_>>().join(" → ");
    view! {
        <tr>
            <td><a href=format!("/msp/clients/{}#team", t.slug)>{t.name.clone()}</a></td>
            <td>{primary}</td>
            <td>{if backups.is_empty() { "none".to_string() } else { backups }}</td>
            <td>{t.account_manager.as_ref().map(|p| p.name.clone()).unwrap_or_else(|| "—".into())}</td>
            <td class=if t.team.covering.is_none() { "overdue" } else { "" }>{cover_words(&t)}</td>
            <td class=if t.team.gap_days.is_empty() && !t.without_backup { "" } else { "overdue" }>
                {if t.without_backup { "Primary has no backup. ".to_string() } else { String::new() }}
                {if t.team.gap_days.is_empty() { String::new() } else { format!("Nobody in: {}", t.team.gap_days.join(", ")) }}</td>
        </tr>
    }
}

fn teams_table(teams: Vec<TeamLineView>) -> impl IntoView {
    view! {
        <table class="dense">
            <caption class="visually-hidden">"Who covers each client"</caption>
            <thead><tr><th scope="col">"Client"</th><th scope="col">"Primary"</th><th scope="col">"Backups, in order"</th>
                <th scope="col">"Account manager"</th><th scope="col">"Today"</th><th scope="col">"Gaps and risks (60 days)"</th></tr></thead>
            <tbody>{teams.into_iter().map(team_row).collect_view()}</tbody>
        </table>
    }
}

fn time_off_table(entries: Vec<TimeOffView>, remove: Option<ServerAction<MspTimeOffRemove>>) -> impl IntoView {
    view! {
        <table class="dense">
            <caption class="visually-hidden">"Time off ahead"</caption>
            <thead><tr><th scope="col">"Who"</th><th scope="col">"From"</th><th scope="col">"To"</th><th scope="col">"Days"</th>
                <th scope="col">"Note"</th>{remove.map(|_| view! { <th scope="col"><span class="visually-hidden">"Remove"</span></th> })}</tr></thead>
            <tbody>
                {entries.into_iter().map(|e| view! {
                    <tr>
                        <td>{e.name.clone()}</td><td>{e.first.clone()}</td><td>{e.last.clone()}</td><td>{e.days}</td><td>{e.note.clone()}</td>
                        {remove.map(|action| view! {
                            <td>{e.removable.then(|| view! {
                                <ActionForm action=action attr:class="inline-form">
                                    <input type="hidden" name="id" value=e.id.to_string()/>
                                    <button type="submit" aria-label=format!("Remove {}'s time off from {}", e.name, e.first)>"Remove"</button>
                                </ActionForm>
                            })}</td>
                        })}
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// `/msp/coverage`: every client's team, gaps and risks; who knows which system; time off.
#[component]
pub fn MspCoverage() -> impl IntoView {
    let knowledge = ServerAction::<MspKnowledge>::new();
    let board = Resource::new(move || knowledge.version().get(), |_| msp_coverage());
    loaded(board, move |b| {
        let techs = b.techs.clone();
        view! {
            <Title text="Coverage · Limelight"/>
            <main class="page wide" id="main">
                <h1>"Coverage"</h1>
                <section aria-labelledby="teams-h">
                    <h2 id="teams-h">"Clients"</h2>
                    {teams_table(b.teams.clone())}
                </section>
                <section aria-labelledby="know-h">
                    <h2 id="know-h">"Who knows which system"</h2>
                    <p class="note">"Levels are recorded by hand; ✓ marks knowledge earned by doing or shadowing work on the system in the last 180 days."</p>
                    {action_error(knowledge.value())}
                    // Focusable, so a keyboard can scroll it when it overflows.
                    <div class="scroll" tabindex="0" role="region" aria-label="Who knows which system">
                    <table class="dense knowledge">
                        <caption class="visually-hidden">"Systems by tech"</caption>
                        <thead><tr><th scope="col">"Client"</th><th scope="col">"System"</th><th scope="col">"Criticality"</th>
                            {techs.iter().map(|t| view! { <th scope="col">{t.name.clone()}</th> }).collect_view()}
                            <th scope="col">"Risks"</th></tr></thead>
                        <tbody>
                            {b.systems.into_iter().map(|s| {
                                let system_id = s.system_id;
                                view! {
                                <tr id=format!("system-{system_id}")>
                                    <td>{s.tenant_name.clone()}</td><td>{s.system.clone()}</td><td>{s.criticality.label()}</td>
                                    {s.cells.into_iter().map(|(user, level, earned)| view! {
                                        <td>
                                            {if b.can_edit {
                                                view! {
                                                    <ActionForm action=knowledge attr:class="cell-form">
                                                        <input type="hidden" name="system_id" value=system_id.to_string()/>
                                                        <input type="hidden" name="user_id" value=user.to_string()/>
                                                        <select name="level" aria-label="Knowledge level">
                                                            <option value="">"—"</option>
                                                            {KnowledgeLevel::ALL.iter().map(|l| view! { <option value=l.as_str() selected=level == Some(*l)>{l.label()}</option> }).collect_view()}
                                                        </select>
                                                        <button type="submit" class="small">"Set"</button>
                                                    </ActionForm>
                                                }.into_any()
                                            } else {
                                                view! { <span>{level.map(|l| l.label()).unwrap_or("—")}</span> }.into_any()
                                            }}
                                            {earned.then(|| view! { <span title="Earned by recent work" aria-label="earned by recent work">" ✓"</span> })}
                                        </td>
                                    }).collect_view()}
                                    <td class=if s.risks.is_empty() { "" } else { "overdue" }>
                                        {if s.risks.is_empty() { "—".to_string() } else { s.risks.join("; ") }}</td>
                                </tr>
                            }}).collect_view()}
                        </tbody>
                    </table>
                    </div>
                </section>
                <section aria-labelledby="off-h">
                    <h2 id="off-h">"Time off"</h2>
                    {(!b.calendar.is_empty()).then(|| view! {
                        <div class="scroll" tabindex="0" role="region" aria-label="Time off, the next four weeks">
                        <table class="dense calendar">
                            <caption>"The next four weeks"</caption>
                            <thead><tr><th scope="col">"Who"</th>
                                {b.days.iter().map(|d| view! { <th scope="col">{d.clone()}</th> }).collect_view()}</tr></thead>
                            <tbody>
                                {b.calendar.iter().map(|(name, away)| view! {
                                    <tr><th scope="row">{name.clone()}</th>
                                        {away.iter().map(|a| if *a {
                                            view! { <td class="off">"off"</td> }.into_any()
                                        } else {
                                            view! { <td></td> }.into_any()
                                        }).collect_view()}</tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        </div>
                    })}
                    {b.time_off.is_empty().then(|| view! { <p class="empty">"Nobody has time off ahead."</p> })}
                    {(!b.time_off.is_empty()).then(|| time_off_table(b.time_off.clone(), None))}
                    <p><a href="/msp/time-off">"Add or remove time off →"</a></p>
                </section>
            </main>
        }
        .into_any()
    })
}

/// `/msp/time-off`: one's own time off (admins: anyone's), and the gaps ahead.
#[component]
pub fn MspTimeOff() -> impl IntoView {
    let add = ServerAction::<MspTimeOffAdd>::new();
    let remove = ServerAction::<MspTimeOffRemove>::new();
    let page = Resource::new(move || (add.version().get(), remove.version().get()), |_| msp_time_off());
    loaded(page, move |p| {
        let me = p.me;
        view! {
            <Title text="Time off · Limelight"/>
            <main class="page" id="main">
                <h1>"Time off"</h1>
                <p>"Your time off, your planned work and the team's absences can follow you into your own calendar: "
                    <a href="/portal/account#calendar">"make a calendar link"</a> "."</p>
                <section aria-labelledby="add-h" class="card">
                    <h2 id="add-h">"Add time off"</h2>
                    {action_error(add.value())}
                    <ActionForm action=add attr:class="stack">
                        {(p.people.len() > 1).then(|| view! {
                            <label for="o-user">"Who"</label>
                            <select id="o-user" name="user_id">
                                {p.people.iter().map(|s| view! { <option value=s.id.to_string() selected=s.id == me>{s.name.clone()}</option> }).collect_view()}
                            </select>
                        })}
                        <label for="o-first">"First day"</label>
                        <input id="o-first" name="first_day" type="date" required/>
                        <label for="o-last">"Last day (empty for one day)"</label>
                        <input id="o-last" name="last_day" type="date"/>
                        <label for="o-note">"Note"</label>
                        <input id="o-note" name="note" maxlength="200" placeholder="Holiday"/>
                        <button type="submit" class="primary">"Add"</button>
                    </ActionForm>
                </section>
                <section aria-labelledby="gaps-h">
                    <h2 id="gaps-h">"Coverage gaps ahead"</h2>
                    {p.gaps.is_empty().then(|| view! { <p class="empty">"No client is left without cover in the next 60 days."</p> })}
                    {(!p.gaps.is_empty()).then(|| teams_table(p.gaps.clone()))}
                </section>
                <section aria-labelledby="cal-h">
                    <h2 id="cal-h">"Calendar"</h2>
                    {action_error(remove.value())}
                    {p.entries.is_empty().then(|| view! { <p class="empty">"Nobody has time off ahead."</p> })}
                    {(!p.entries.is_empty()).then(|| time_off_table(p.entries.clone(), Some(remove)))}
                </section>
            </main>
        }
        .into_any()
    })
}
