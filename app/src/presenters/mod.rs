//! Presenters: domain data turned into the view types pages receive (`crate::views`). Server
//! only; server functions call them as the last step (guard → domain call → presenter), and the
//! CSV export uses the same ones as the page it mirrors.

pub mod account;
pub mod approvals;
pub mod incidents;
pub mod msp;
pub mod portal;
pub mod summaries;
pub mod systems;
pub mod tickets;
pub mod users;
