//! The HTML shell and the route table: the one place that lists every page.

use crate::components::top_bar::TopBar;
use crate::pages::account::PortalAccount;
use crate::pages::approvals::{PortalApproval, PortalApprovals};
use crate::pages::incidents::{PortalIncident, PortalIncidents};
use crate::pages::invitation::AcceptInvitationPage;
use crate::pages::login::LoginPage;
use crate::pages::msp::MspHome;
use crate::pages::msp::admin::{AdminClients, AdminUsers, AuditLog};
use crate::pages::msp::clients::{MspClient, MspClients, MspPreview};
use crate::pages::msp::coverage::{MspCoverage, MspTimeOff};
use crate::pages::msp::incidents::{MspIncident, MspIncidents};
use crate::pages::msp::integrations::AdminIntegrations;
use crate::pages::msp::jobs::AdminJobs;
use crate::pages::msp::summaries::{MspSummaries, MspSummary};
use crate::pages::msp::tickets::{MspTicket, MspTickets};
use crate::pages::msp::work::{MspWorkEdit, MspWorkNew};
use crate::pages::not_found::NotFound;
use crate::pages::portal::{PortalHome, PortalWorkEntry};
use crate::pages::portal_work::PortalWorkHistory;
use crate::pages::priorities::PortalPriorities;
use crate::pages::reset::ResetPasswordPage;
use crate::pages::summaries::{PortalSummaries, PortalSummaryDetail};
use crate::pages::systems::{PortalSystemDetail, PortalSystems};
use crate::pages::team::PortalTeam;
use crate::pages::tickets::{PortalTicketDetail, PortalTicketNew, PortalTickets, RatedPage};
use crate::pages::two_step::{RecoveryCodesPage, TwoStepCodePage, TwoStepSetupPage};
use crate::pages::users::PortalUsers;
use leptos::prelude::*;
use leptos_meta::{MetaTags, provide_meta_context};
use leptos_router::{
    SsrMode,
    components::{Route, Router, Routes},
    path,
};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light dark"/>
                <link rel="stylesheet" href=format!("/{}/{}.css", options.site_pkg_dir, options.output_name)/>
                <link rel="icon" type="image/svg+xml" href="/favicon.svg"/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// A strict CSP: scripts only from this origin or carrying this response's nonce (leptos puts it
/// on its own inline scripts), no plugins, no framing.
#[cfg(feature = "ssr")]
fn content_security_policy() {
    if let (Some(nonce), Some(res)) = (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>()) {
        let csp = format!(
            "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
             img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
             form-action 'self'; frame-ancestors 'none'"
        );
        if let Ok(v) = http::HeaderValue::from_str(&csp) {
            res.insert_header(http::header::CONTENT_SECURITY_POLICY, v);
        }
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        // Everything inside the Router: an element beside it breaks hydration.
        <Router>
            <a class="skip" href="#main">"Skip to content"</a>
            <Routes fallback=|| view! { <NotFound/> }>
                <Route path=path!("/login") view=LoginPage/>
                <Route path=path!("/login/code") view=TwoStepCodePage/>
                <Route path=path!("/login/setup") view=TwoStepSetupPage ssr=SsrMode::Async/>
                <Route path=path!("/login/recovery-codes") view=RecoveryCodesPage ssr=SsrMode::Async/>
                <Route path=path!("/portal") view=with_bar(PortalHome) ssr=SsrMode::Async/>
                <Route path=path!("/portal/work") view=with_bar(PortalWorkHistory) ssr=SsrMode::Async/>
                <Route path=path!("/portal/work/:id") view=with_bar(PortalWorkEntry) ssr=SsrMode::Async/>
                <Route path=path!("/portal/priorities") view=with_bar(PortalPriorities) ssr=SsrMode::Async/>
                <Route path=path!("/portal/tickets") view=with_bar(PortalTickets) ssr=SsrMode::Async/>
                <Route path=path!("/portal/tickets/new") view=with_bar(PortalTicketNew) ssr=SsrMode::Async/>
                <Route path=path!("/portal/tickets/:number") view=with_bar(PortalTicketDetail) ssr=SsrMode::Async/>
                <Route path=path!("/portal/systems") view=with_bar(PortalSystems) ssr=SsrMode::Async/>
                <Route path=path!("/portal/systems/:id") view=with_bar(PortalSystemDetail) ssr=SsrMode::Async/>
                <Route path=path!("/portal/summaries") view=with_bar(PortalSummaries) ssr=SsrMode::Async/>
                <Route path=path!("/portal/summaries/:id") view=with_bar(PortalSummaryDetail) ssr=SsrMode::Async/>
                <Route path=path!("/portal/users") view=with_bar(PortalUsers) ssr=SsrMode::Async/>
                <Route path=path!("/portal/approvals") view=with_bar(PortalApprovals) ssr=SsrMode::Async/>
                <Route path=path!("/portal/approvals/:id") view=with_bar(PortalApproval) ssr=SsrMode::Async/>
                <Route path=path!("/portal/incidents") view=with_bar(PortalIncidents) ssr=SsrMode::Async/>
                <Route path=path!("/portal/incidents/:id") view=with_bar(PortalIncident) ssr=SsrMode::Async/>
                <Route path=path!("/rated") view=RatedPage/>
                <Route path=path!("/invite/:token") view=AcceptInvitationPage ssr=SsrMode::Async/>
                <Route path=path!("/reset/:token") view=ResetPasswordPage ssr=SsrMode::Async/>
                <Route path=path!("/portal/team") view=with_bar(PortalTeam) ssr=SsrMode::Async/>
                <Route path=path!("/portal/account") view=with_bar(PortalAccount) ssr=SsrMode::Async/>
                <Route path=path!("/msp") view=with_bar(MspHome) ssr=SsrMode::Async/>
                <Route path=path!("/msp/clients") view=with_bar(MspClients) ssr=SsrMode::Async/>
                <Route path=path!("/msp/clients/:slug") view=with_bar(MspClient) ssr=SsrMode::Async/>
                <Route path=path!("/msp/clients/:slug/preview") view=with_bar(MspPreview) ssr=SsrMode::Async/>
                <Route path=path!("/msp/work/new") view=with_bar(MspWorkNew) ssr=SsrMode::Async/>
                <Route path=path!("/msp/work/:id") view=with_bar(MspWorkEdit) ssr=SsrMode::Async/>
                <Route path=path!("/msp/tickets") view=with_bar(MspTickets) ssr=SsrMode::Async/>
                <Route path=path!("/msp/tickets/:id") view=with_bar(MspTicket) ssr=SsrMode::Async/>
                <Route path=path!("/msp/coverage") view=with_bar(MspCoverage) ssr=SsrMode::Async/>
                <Route path=path!("/msp/time-off") view=with_bar(MspTimeOff) ssr=SsrMode::Async/>
                <Route path=path!("/msp/summaries") view=with_bar(MspSummaries) ssr=SsrMode::Async/>
                <Route path=path!("/msp/incidents") view=with_bar(MspIncidents) ssr=SsrMode::Async/>
                <Route path=path!("/msp/incidents/:id") view=with_bar(MspIncident) ssr=SsrMode::Async/>
                <Route path=path!("/msp/summaries/:id") view=with_bar(MspSummary) ssr=SsrMode::Async/>
                <Route path=path!("/msp/admin/clients") view=with_bar(AdminClients) ssr=SsrMode::Async/>
                <Route path=path!("/msp/admin/users") view=with_bar(AdminUsers) ssr=SsrMode::Async/>
                <Route path=path!("/msp/admin/integrations") view=with_bar(AdminIntegrations) ssr=SsrMode::Async/>
                <Route path=path!("/msp/admin/jobs") view=with_bar(AdminJobs) ssr=SsrMode::Async/>
                <Route path=path!("/msp/audit") view=with_bar(AuditLog) ssr=SsrMode::Async/>
            </Routes>
        </Router>
    }
}

/// A signed-in page under the top bar. Who may see it is decided by the page's server functions
/// (they answer 404 to the wrong role, which the page shows as the 404 page); the server's session
/// layer has already sent visitors without a session to `/login`.
fn with_bar<V: IntoView + 'static>(page: fn() -> V) -> impl Fn() -> AnyView + Clone + Send + Sync + 'static {
    move || view! { <TopBar/> {page()} }.into_any()
}
