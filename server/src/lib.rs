//! The server: configuration, the HTTP stack around the leptos app, and the command line.

pub mod cli;
pub mod config;
pub mod http;
pub mod state;

pub use config::Config;
pub use state::AppState;
