//! Widgets shared by pages.

pub mod feed;
pub mod top_bar;
