//! `/portal/priorities`: how a ticket's priority is decided, in plain words.

use crate::api::portal::portal_priorities;
use crate::pages::loading::loaded;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn PortalPriorities() -> impl IntoView {
    let data = Resource::new(|| (), |_| portal_priorities());
    loaded(data, move |p| {
        view! {
                        <Title text="How we prioritise · Limelight"/>
                        <main class="page narrow" id="main">
                            <h1>"How we prioritise"</h1>
                            <p class="lead">
                                "Every request matters. To be fair to everyone, we set a ticket's priority from two \
                                 questions: how many people are affected, and how badly their work is stopped."
                            </p>
                            <table class="matrix">
                                <caption>"Priority by who is affected and how badly (P1 is the most urgent)"</caption>
                                <thead>
                                    <tr>
                                        <th scope="col">"Who is affected"</th>
                                        {p.urgencies.iter().map(|u| view! { <th scope="col">{u.clone()}</th> }).collect_view()}
                                    </tr>
                                </thead>
                                <tbody>
                                    {p.rows.iter().map(|(impact, cells)| view! {
                                        <tr>
                                            <th scope="row">{impact.clone()}</th>
                                            {cells.iter().map(|n| view! {
                                                <td class=format!("prio p{n}")>{format!("P{n}")}</td>
                                            }).collect_view()}
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                            <h2>"How quickly we respond"</h2>
                            <table class="dense">
                                <thead>
                                    <tr><th scope="col">"Priority"</th><th scope="col">"First response within"</th>
                                        <th scope="col">"Resolved within"</th></tr>
                                </thead>
                                <tbody>
                                    {p.targets.iter().map(|(n, first, resolve)| view! {
                                        <tr><th scope="row">{format!("P{n}")}</th><td>{first.clone()}</td><td>{resolve.clone()}</td></tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </main>
                    }
                        .into_any()
    })
}
