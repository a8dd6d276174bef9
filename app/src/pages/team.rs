//! `/portal/team`: who looks after the client, who is away, who covers, and how ready each
//! system's backup is.

use crate::api::portal::portal_team;
use crate::components::team::TeamCard;
use crate::pages::loading::loaded;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn PortalTeam() -> impl IntoView {
    let team = Resource::new(|| (), |_| portal_team());
    loaded(team, move |mut t| {
        let systems = std::mem::take(&mut t.systems);
        let empty = systems.is_empty();
        view! {
                            <Title text="Your team · Limelight"/>
                            <main class="page narrow" id="main">
                                <h1>"Your team"</h1>
                                <p class="lead">"The people who look after your IT, and who steps in when one of them is away."</p>
                                <TeamCard team=t/>
                                <section aria-labelledby="readiness-heading">
                                    <h2 id="readiness-heading">"Backup readiness"</h2>
                                    <p>"For each of your systems: can more than one of us look after it, and is how to do it written down?"</p>
                                    {empty.then(|| view! { <p class="empty">"We have not recorded any of your systems yet."</p> })}
                                    <ul class="readiness">
                                        {systems.into_iter().map(|s| view! {
                                            <li class=if s.ready { "ready" } else { "attention" }>
                                                <h3>{s.name} <span class="crit">{format!(" · {} importance", s.criticality)}</span></h3>
                                                {s.words.into_iter().map(|w| view! { <p>{w}</p> }).collect_view()}
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                </section>
                            </main>
                        }
                            .into_any()
    })
}
