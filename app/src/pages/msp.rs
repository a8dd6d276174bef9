//! The staff workspace's pages.

use crate::api::msp::msp_tenants;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/msp`: the client companies.
#[component]
pub fn MspHome() -> impl IntoView {
    let tenants = Resource::new(|| (), |_| msp_tenants());
    view! {
        <Title text="Clients · Limelight"/>
        <main class="page" id="main">
            <h1>"Clients"</h1>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match tenants.await {
                        Ok(list) if list.is_empty() => view! {
                            <p class="empty">"No clients yet. Add one with "<code>"limelight tenant add"</code>"."</p>
                        }
                            .into_any(),
                        Ok(list) => view! {
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
                        }
                            .into_any(),
                        Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}
