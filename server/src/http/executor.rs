//! The task spawner leptos uses on the server. leptos runs page resources (and the server
//! functions they call) as tasks of their own; spawned plainly, those tasks leave the request's
//! tracing span behind, and an error they log does not say which request, route, user or tenant
//! it belongs to. This spawner runs each task inside the span current where it was created, and as
//! the same request (`domain::error::reference`, which an error page shows).

use any_spawner::{CustomExecutor, Executor, PinnedFuture, PinnedLocalFuture};
use tracing::Instrument;

struct InRequestSpan;

impl CustomExecutor for InRequestSpan {
    fn spawn(&self, fut: PinnedFuture<()>) {
        let fut = fut.in_current_span();
        match domain::error::reference() {
            Some(id) => tokio::spawn(domain::error::with_reference(id, fut)),
            None => tokio::spawn(fut),
        };
    }

    fn spawn_local(&self, fut: PinnedLocalFuture<()>) {
        let fut = fut.in_current_span();
        match domain::error::reference() {
            Some(id) => tokio::task::spawn_local(domain::error::with_reference(id, fut)),
            None => tokio::task::spawn_local(fut),
        };
    }

    fn poll_local(&self) {}
}

/// Sets the spawner for this process, before leptos would set its plain one; later calls do
/// nothing.
pub fn install() {
    let _ = Executor::init_custom_executor(InRequestSpan);
}
