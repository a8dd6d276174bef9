//! The staff workspace's pages.

use crate::api::msp::msp_tenants;
use crate::pages::not_found::loaded;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/msp`: the client companies.
#[component]
pub fn MspHome() -> impl IntoView {
    let tenants = Resource::new(|| (), |_| msp_tenants());
    loaded(tenants, move |list| {
        view! {
            <Title text="Clients · Limelight"/>
            <main class="page" id="main">
            <h1>"Clients"</h1>
            {list.is_empty().then(|| view! {
                <p class="empty">"No clients yet. Add one with "<code>"limelight tenant add"</code>"."</p>
            })}
            <table class="dense">
                <caption class="visually-hidden">"Client companies"</caption>
                <thead><tr><th scope="col">"Client"</th><th scope="col">"Slug"</th>
                    <th scope="col">"Time zone"</th><th scope="col">"Status"</th></tr></thead>
                <tbody>
                    {list.into_iter().map(|t| view! {
                        <tr>
                            <td>{t.name}</td>
                            <td><code>{t.slug}</code></td>
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
