use crate::api::account::current_viewer;
use leptos::prelude::*;

/// The staff workspace's links; MSP admins also get the administration (the last five).
const MSP_ADMIN_LINKS: &[(&str, &str)] = &[
    ("/msp", "Today"),
    ("/msp/clients", "Clients"),
    ("/msp/work/new", "Log work"),
    ("/msp/tickets", "Tickets"),
    ("/msp/coverage", "Coverage"),
    ("/msp/time-off", "Time off"),
    ("/msp/summaries", "Summaries"),
    ("/msp/incidents", "Incidents"),
    ("/msp/admin/clients", "Admin: clients"),
    ("/msp/admin/users", "Admin: people"),
    ("/msp/admin/integrations", "Admin: integrations"),
    ("/msp/admin/jobs", "Admin: jobs"),
    ("/msp/audit", "Audit log"),
];
const STAFF_LINK_COUNT: usize = 8;

fn nav_links(links: &'static [(&'static str, &'static str)]) -> impl IntoView {
    links.iter().map(|(href, label)| view! { <a href=*href>{*label}</a> }).collect_view()
}

/// The bar on every signed-in page: where you are, who you are, and signing out (a plain POST
/// form, so it works without JavaScript).
#[component]
pub fn TopBar() -> impl IntoView {
    let who = Resource::new(|| (), |_| current_viewer());
    view! {
        <header class="top-bar">
            <a class="brand" href="/">"Limelight"</a>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    who.await.ok().flatten().map(|v| {
                        let place = v.tenant_name.clone().unwrap_or_else(|| "MSP workspace".into());
                        let admin = v.role == vocabulary::Role::ClientAdmin;
                        let links: &[(&str, &str)] = if admin {
                            &[
                                ("/portal", "Dashboard"),
                                ("/portal/work", "Work history"),
                                ("/portal/tickets", "Tickets"),
                                ("/portal/systems", "Systems"),
                                ("/portal/team", "Your team"),
                                ("/portal/summaries", "Summaries"),
                                ("/portal/users", "People"),
                                ("/portal/account", "Your account"),
                            ]
                        } else if v.role.is_client() {
                            &[("/portal", "Dashboard"), ("/portal/work", "Work history"), ("/portal/tickets", "Tickets"), ("/portal/systems", "Systems"), ("/portal/team", "Your team"), ("/portal/summaries", "Summaries"), ("/portal/priorities", "How we prioritise"), ("/portal/account", "Your account")]
                        } else if v.role == vocabulary::Role::MspAdmin {
                            MSP_ADMIN_LINKS
                        } else {
                            &MSP_ADMIN_LINKS[..STAFF_LINK_COUNT]
                        };
                        view! {
                            <span class="place">{place}</span>
                            <nav aria-label="Main" class="main-nav wide">
                                {nav_links(links)}
                            </nav>
                            // On a phone the same links sit behind "Menu", a disclosure that opens
                            // without JavaScript; only one of the two is displayed at any width.
                            <details class="nav-menu">
                                <summary>"Menu"</summary>
                                <nav aria-label="Main" class="main-nav narrow">
                                    {nav_links(links)}
                                </nav>
                            </details>
                            <span class="who">{v.name.clone()}</span>
                            <form method="post" action="/logout" class="logout">
                                <button type="submit">"Sign out"</button>
                            </form>
                        }
                    })
                })}
            </Suspense>
        </header>
        // Open incidents that concern a client, on every page of their portal.
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let incidents = who.await.ok().flatten().map(|v| v.incidents).unwrap_or_default();
                (!incidents.is_empty()).then(|| view! {
                    <section class="incident-banner" aria-label="Open incidents">
                        {incidents.into_iter().map(|i| view! {
                            <p>
                                <span class="incident-mark" aria-hidden="true">"!"</span>
                                <strong>{i.title}</strong>
                                {format!(" · {}. We are on it. ", i.status.label())}
                                <a href=format!("/portal/incidents/{}", i.id)>"See the updates"</a>
                            </p>
                        }).collect_view()}
                    </section>
                })
            })}
        </Suspense>
    }
}
