//! `/msp/admin/jobs`: what the server does on its own (sending email, delivering webhooks,
//! drafting summaries, housekeeping), whether it is working, and what went wrong (MSP admins;
//! 404 for anyone else, decided by the server function).

use crate::api::msp::integrations::jobs;
use crate::pages::loading::loaded;
use leptos::prelude::*;
use leptos_meta::Title;
use vocabulary::JobOutcome;

fn outcome_class(o: JobOutcome) -> &'static str {
    match o {
        JobOutcome::Succeeded => "badge",
        JobOutcome::Running => "badge",
        JobOutcome::Failed | JobOutcome::Interrupted => "badge warn",
    }
}

#[component]
pub fn AdminJobs() -> impl IntoView {
    let list = Resource::new(|| (), |_| jobs());
    loaded(list, move |v| {
        view! {
            <Title text="Background jobs (admin) · Limelight"/>
            <main class="page wide" id="main">
                <h1>"Administration: background jobs"</h1>
                <p>"The portal's own work, done in the background by whichever server process holds the job at the time. "
                   "A run that fails is tried again after a wait that doubles each time (10 seconds up to an hour)."</p>
                <table class="dense" id="jobs">
                    <caption class="visually-hidden">"Background jobs"</caption>
                    <thead><tr><th scope="col">"Job"</th><th scope="col">"Now"</th><th scope="col">"Last run"</th>
                        <th scope="col">"Outcome"</th><th scope="col">"Last success"</th><th scope="col">"Failures in a row"</th>
                        <th scope="col">"Next run"</th></tr></thead>
                    <tbody>
                        {v.jobs.into_iter().map(|j| view! {
                            <tr>
                                <th scope="row">{j.label}</th><td>{j.state}</td><td>{j.last_run}</td>
                                <td>{j.last_outcome.map(|o| view! { <span class=outcome_class(o)>{o.label()}</span> })}
                                    {j.last_error.map(|e| view! { <br/><small class="error-text">{e}</small> })}</td>
                                <td>{j.last_success}</td><td>{j.failures}</td><td>{j.next_run}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                <section aria-labelledby="runs-h">
                    <h2 id="runs-h">"Recent runs"</h2>
                    <p class="hint">"Runs that did something, failed, or were interrupted (their process stopped and another took the job over). Idle runs are not listed."</p>
                    {if v.runs.is_empty() {
                        view! { <p class="empty">"No runs worth listing yet."</p> }.into_any()
                    } else {
                        view! {
                            <table class="dense" id="runs">
                                <caption class="visually-hidden">"Recent runs"</caption>
                                <thead><tr><th scope="col">"Started"</th><th scope="col">"Job"</th><th scope="col">"Took"</th>
                                    <th scope="col">"Outcome"</th><th scope="col">"Done"</th><th scope="col">"Process"</th>
                                    <th scope="col">"Error"</th></tr></thead>
                                <tbody>
                                    {v.runs.into_iter().map(|r| view! {
                                        <tr>
                                            <td>{r.started}</td><td>{r.label}</td><td>{r.took}</td>
                                            <td><span class=outcome_class(r.outcome)>{r.outcome.label()}</span></td>
                                            <td>{r.items}</td><td><code>{r.holder}</code></td><td>{r.error.unwrap_or_default()}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any()
                    }}
                </section>
            </main>
        }
    })
}
