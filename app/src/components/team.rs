use crate::views::{MemberView, TeamView};
use leptos::prelude::*;

fn member(role: &'static str, m: MemberView) -> impl IntoView {
    view! {
        <div class="member">
            <dt>{role}</dt>
            <dd>
                {m.name}
                {m.away.map(|a| view! { <span class="away">" — away, " {a}</span> })}
            </dd>
        </div>
    }
}

/// The team card: primary, backups, account manager, and who covers today.
#[component]
pub fn TeamCard(team: TeamView) -> impl IntoView {
    let gap = team.covering.is_none();
    view! {
        <section class="card team-card" aria-labelledby="team-heading">
            <h2 id="team-heading">"Your team"</h2>
            <p class=if gap { "today gap" } else { "today" } role="status">{team.today.clone()}</p>
            <dl class="members">
                {team.primary.map(|p| member("Primary tech", p))}
                {team.backups.into_iter().map(|b| member("Backup tech", b)).collect_view()}
                {team.account_manager.map(|a| member("Account manager", a))}
            </dl>
        </section>
    }
}
