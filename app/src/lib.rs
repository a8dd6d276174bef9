//! Limelight's pages, components and server functions.
//!
//! Built twice: with `ssr` into the server (pages render to HTML, server functions run), and with
//! `hydrate` into the browser's WASM bundle (the same pages take over the server's HTML).
//! Server-only code sits behind `ssr`; the domain crate never reaches the browser build.

// leptos' view types nest deeply; larger pages exceed the default limit of 128.
#![recursion_limit = "256"]

pub mod api;
pub mod app;
pub mod components;
pub mod error;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod presenters;
#[cfg(feature = "ssr")]
pub mod services;
pub mod views;

pub use app::{App, shell};

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
}
