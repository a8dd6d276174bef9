//! One module per page, grouped by who it is for.

pub mod account;
pub mod approvals;
pub mod incidents;
pub mod invitation;
pub mod loading;
pub mod login;
pub mod msp;
pub mod not_found;
pub mod portal;
pub mod portal_work;
pub mod priorities;
pub mod reset;
pub mod summaries;
pub mod systems;
pub mod team;
pub mod tickets;
pub mod two_step;
pub mod users;
