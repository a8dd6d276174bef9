//! The HTTP stack: plain routes (login, logout, health), the leptos pages and server functions,
//! and the layers every request passes through.

pub mod api_v1;
pub mod assets;
pub mod auth_routes;
pub mod body_limit;
pub mod calendar;
pub mod client_addr;
pub mod cookies;
pub mod deadline;
pub mod error_status;
pub mod executor;
pub mod export;
pub mod headers;
pub mod health;
pub mod import;
pub mod metrics;
pub mod origin;
pub mod rate;
pub mod request_span;
pub mod return_to;
pub mod session_layer;
pub mod unavailable;

use crate::state::AppState;
use app::services::Services;
use app::{App, shell};
use axum::Router;
use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};
use leptos::prelude::provide_context;
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};
use std::sync::{Arc, OnceLock};

/// The pages' routes, generated once per process. Generating them renders the app with a
/// process-wide "suppress resource loading" flag set (leptos_server's `SuppressResourceLoad`,
/// leptos issue 4773): a page being rendered meanwhile by any server in this process would wait
/// for a resource that never loads. Every router asks here first, and `get_or_init` makes the
/// others wait, so no server is answering while the flag is up.
fn routes() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES
        .get_or_init(|| {
            executor::install();
            generate_route_list(App)
        })
        .clone()
}

pub fn router(state: AppState) -> Router {
    let routes = routes();
    // Before anything is counted: counts made before the recorder exists are lost.
    let _ = metrics::recorder();
    let cookies = state.cookies.clone();
    let challenge_cookies = state.cookies.clone();
    let services = Services {
        sessions: domain::auth::Sessions::new(state.db.clone(), state.sessions, state.mail.clone(), &state.public_url),
        links: domain::emailed_links::EmailedLinks::new(state.db.clone(), state.mail.clone(), &state.public_url),
        notifier: domain::notifications::Notifier::new(state.mail.clone(), &state.public_url),
        ratings: domain::ratings::Ratings::new(state.db.clone(), state.mail.clone(), &state.public_url),
        session_cookie: Arc::new(move |token, expires| cookies.session(token, expires)),
        challenge_cookie: Arc::new(move |token, expires| {
            challenge_cookies.challenge(token, expires.unwrap_or_else(chrono::Utc::now))
        }),
        two_step: state.two_step.clone(),
        msp_time_zone: state.msp_time_zone,
        calendar: domain::calendar::CalendarFeeds::new(state.db.clone()),
        public_url: state.public_url.clone(),
    };
    let leptos_options = state.leptos.clone();
    Router::new()
        .route("/", get(auth_routes::home))
        .route("/login", post(auth_routes::login))
        .route("/login/code", post(auth_routes::code))
        .route("/login/setup", post(auth_routes::setup))
        .route("/login/recovery-codes", post(auth_routes::recovery_codes_kept))
        .route("/account/two-step", post(auth_routes::start_setup))
        .route("/logout", post(auth_routes::logout))
        .route("/portal/work.csv", get(export::work_csv))
        .route("/rate/{token}/{answer}", get(rate::answer))
        .route("/calendar/{file}", get(calendar::feed))
        .route(
            "/msp/clients/{slug}/import",
            post(import::work).layer(axum::extract::DefaultBodyLimit::max(import::MAX_UPLOAD)),
        )
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(metrics::serve))
        .route("/pkg/{version}/{*file}", get(assets::serve))
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(services.clone()),
            move || shell(leptos_options.clone()),
        )
        // Every route above, by its pattern, for the request metrics.
        .route_layer(axum::middleware::from_fn(metrics::remember_route))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(from_fn_with_state(state.clone(), session_layer::resolve))
        .layer(axum::middleware::from_fn(error_status::from_error_type))
        .layer(axum::middleware::from_fn(origin::refuse_cross_site))
        // The API: bearer tokens only, so no session, no cookie, nothing to forge cross-site.
        .nest("/api/v1", api_v1::router())
        // No body larger than its route takes is read (inside the security headers: its 413
        // pages carry them too).
        .layer(axum::middleware::from_fn(body_limit::limit))
        // Pages, server functions, the API and exports compressed for browsers that take brotli or
        // gzip (the bundle comes compressed from the build, or not at all). No page
        // reflects a caller's text beside a secret a cross-site request could reach (the secrets
        // shown once are behind a SameSite=Strict cookie or a same-site POST), so BREACH finds
        // nothing to guess.
        .layer(assets::compression())
        .layer(from_fn_with_state(
            headers::ServedOverHttps(state.public_url.starts_with("https://")),
            headers::security_headers,
        ))
        // The caller's address (behind a trusted proxy, the one it forwards), for all the above.
        .layer(from_fn_with_state(state.trusted_proxies.clone(), client_addr::resolve))
        // Every request must be answered in time, however slowly its client sends it.
        .layer(from_fn_with_state(state.deadlines, deadline::limit))
        // Outermost: every request, refused ones included, runs in its span and gets its id.
        .layer(axum::middleware::from_fn(request_span::span))
        .with_state(state)
}

/// Serves until Ctrl-C or SIGTERM, then finishes the requests in flight, then lets a background
/// job that is running finish its run.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    domain::auth::password::warm_up().await;
    // Before the first job runs, so that its runs are counted.
    let _ = metrics::recorder();
    let (stop_jobs, stopped) = tokio::sync::watch::channel(false);
    let jobs = state.background_jobs.then(|| tokio::spawn(jobs(&state).run(stopped)));
    // The jobs hear the signal when the connections do: no new run starts while requests drain.
    tokio::spawn(async move {
        shutdown().await;
        let _ = stop_jobs.send(true);
    });
    let header_read_timeout = state.header_read_timeout;
    let served = serve_connections(listener, router(state), header_read_timeout).await;
    let Some(jobs) = jobs else { return served };
    if tokio::time::timeout(JOB_DRAIN, jobs).await.is_err() {
        tracing::warn!(
            "a background job was still running {JOB_DRAIN:?} after the requests: stopping anyway (its lease runs out)"
        );
    }
    served
}

/// The background jobs. Every process runs them all; the leases in the database keep each to one
/// process at a time.
pub fn jobs(state: &AppState) -> domain::jobs::Runner {
    use domain::error::cause_chain;
    use domain::vocabulary::Job;
    const HOURLY: std::time::Duration = std::time::Duration::from_secs(3600);
    let db = state.db.clone();
    let mut runner = domain::jobs::Runner::new(db.clone());
    // Sends what requests queue, at once when this process queued it, and retries.
    if let Some(every) = state.mail_every {
        let mail = state.mail.clone();
        runner = runner.add(Job::Mail, every, Some(mail.wakeup()), move || {
            let mail = mail.clone();
            async move { mail.deliver_due().await.map_err(|e| cause_chain(&e)) }
        });
    }
    if let Some(every) = state.webhook_every {
        let hooks = domain::webhooks::WebhookQueue::new(db.clone());
        runner = runner.add(Job::Webhooks, every, None, move || {
            let hooks = hooks.clone();
            async move { hooks.deliver_due().await.map_err(|e| cause_chain(&e)) }
        });
    }
    // Last month's summary drafts: checked hourly, so the first day of each month has them
    // however often the processes restart (one per client and period, by index).
    let drafts = std::sync::Arc::new(domain::operator::MonthlyDrafts::new(db.clone()));
    runner = runner.add(Job::MonthlyDrafts, HOURLY, None, move || {
        let drafts = drafts.clone();
        async move { drafts.run().await.map_err(|e| cause_chain(&e)) }
    });
    // Coverage gaps ahead, announced once each to the webhooks that listen.
    let gaps = std::sync::Arc::new(domain::webhooks::GapWatch::new(db.clone()));
    runner = runner.add(Job::CoverageGaps, HOURLY, None, move || {
        let gaps = gaps.clone();
        async move { gaps.run().await.map_err(|e| cause_chain(&e)) }
    });
    // Sign-in counts whose windows are long over, job runs no one will read, and rating links
    // long expired.
    runner.add(Job::Housekeeping, HOURLY, None, move || {
        let db = db.clone();
        async move {
            domain::auth::throttle::forget_old(&db).await.map_err(|e| cause_chain(&e))?;
            let forgotten = domain::jobs::forget_old_runs(&db).await.map_err(|e| cause_chain(&e))?;
            let links = domain::ratings::Ratings::forget_old_links(&db).await.map_err(|e| cause_chain(&e))?;
            Ok((forgotten + links) as usize)
        }
    })
}

/// How long requests in flight may take to finish once shutdown begins.
const DRAIN: std::time::Duration = std::time::Duration::from_secs(30);
/// How much longer a background run (told to stop with the requests) may take after them.
const JOB_DRAIN: std::time::Duration = std::time::Duration::from_secs(10);

/// The accept loop (axum's `serve`, plus what it cannot set): a connection that has not sent a
/// request's headers within `header_read_timeout` is closed, so idle or slow connections cannot
/// pile up and starve the others. On Ctrl-C or SIGTERM it stops accepting and lets the requests
/// in flight finish (for at most `DRAIN`).
async fn serve_connections(
    listener: tokio::net::TcpListener,
    app: Router,
    header_read_timeout: std::time::Duration,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
    use tower::ServiceExt;
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut builder = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new());
    builder.http1().timer(TokioTimer::new()).header_read_timeout(header_read_timeout);
    builder.http2().timer(TokioTimer::new());
    let mut stop = std::pin::pin!(shutdown());
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(c) => c,
                Err(e) => {
                    // Out of file descriptors, say: wait a moment rather than spin.
                    tracing::warn!(error = %e, "could not accept a connection");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut stop => break,
        };
        let app = app.clone();
        let service = hyper::service::service_fn(move |mut req: http::Request<hyper::body::Incoming>| {
            req.extensions_mut().insert(axum::extract::ConnectInfo(peer));
            app.clone().oneshot(req.map(axum::body::Body::new))
        });
        let connection = builder.serve_connection_with_upgrades(TokioIo::new(stream), service).into_owned();
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // A connection that ends badly (reset, timed out) is the client's business.
            let _ = connection.await;
        });
    }
    drop(listener);
    tokio::select! {
        _ = graceful.shutdown() => {}
        _ = tokio::time::sleep(DRAIN) => tracing::warn!("requests still in flight after {DRAIN:?}: stopping anyway"),
    }
    Ok(())
}

async fn shutdown() {
    // A handler that cannot be installed waits forever rather than stopping the server at once.
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
