//! Widgets shared by pages.

pub mod chart;
pub mod feed;
pub mod team;
pub mod tickets;
pub mod top_bar;
