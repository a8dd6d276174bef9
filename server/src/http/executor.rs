//! The task spawner leptos uses on the server. leptos runs page resources (and the server
//! functions they call) as tasks of their own; spawned plainly, those tasks leave the request's
//! tracing span behind, and an error they log does not say which request, route, user or tenant
//! it belongs to. This spawner runs each task inside the span current where it was created.

use any_spawner::{CustomExecutor, Executor, PinnedFuture, PinnedLocalFuture};
use tracing::Instrument;

struct InRequestSpan;

impl CustomExecutor for InRequestSpan {
    fn spawn(&self, fut: PinnedFuture<()>) {
        tokio::spawn(fut.in_current_span());
    }

    fn spawn_local(&self, fut: PinnedLocalFuture<()>) {
        tokio::task::spawn_local(fut.in_current_span());
    }

    fn poll_local(&self) {}
}

/// Sets the spawner for this process, before leptos would set its plain one; later calls do
/// nothing.
pub fn install() {
    let _ = Executor::init_custom_executor(InRequestSpan);
}
