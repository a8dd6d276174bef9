//! Server functions: public URLs under `/api/`, each checking the session and role itself.
//!
//! Client-facing functions receive a tenant scope from [`guard::client`], never a connection;
//! staff functions get their capability from [`guard::staff`].

pub mod account;
pub mod approvals;
pub mod incidents;
pub mod invitations;
pub mod msp;
pub mod portal;
pub mod reset;
pub mod summaries;
pub mod systems;
pub mod tickets;
pub mod two_step;
pub mod users;

#[cfg(feature = "ssr")]
pub mod guard;
