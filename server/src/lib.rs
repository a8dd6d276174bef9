//! The server: configuration, the HTTP stack around the leptos app, and the command line.

// leptos' view types nest deeply; the portal pages exceed the default limit of 128.
#![recursion_limit = "256"]

pub mod bench_baseline;
pub mod cli;
pub mod config;
pub mod http;
pub mod state;

pub use config::Config;
pub use state::AppState;
