//! Widgets shared by pages.

pub mod feed;
pub mod team;
pub mod top_bar;
