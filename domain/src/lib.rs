//! Limelight's server-only core: entities, the tenant scope, rules and authentication.
//!
//! Nothing here knows about HTTP or leptos. Client-facing reads go through [`scope::TenantScope`],
//! which only [`auth`] can create from a session; staff code reaches everything through
//! [`scope::Unscoped`], whose name says what it is.

pub mod approvals;
pub mod audit;
pub mod auth;
pub mod backup;
pub mod bench;
pub mod calendar;
pub mod db;
pub mod demo;
pub mod emailed_links;
pub mod emails;
pub mod entities;
pub mod error;
pub mod figures;
pub mod history;
pub mod imports;
pub mod incidents;
pub mod input;
pub mod integrations;
pub mod invitations;
pub mod jobs;
pub mod mail;
pub mod markdown;
pub mod notifications;
pub mod operator;
pub mod ratings;
pub mod rules;
pub mod scope;
pub mod secrets;
pub mod staff;
pub mod summaries;
pub mod team;
pub mod tenants;
pub mod tickets;
pub mod time;
pub mod users;
pub mod webhooks;
pub mod work;

pub use vocabulary;

pub use error::DomainError;
pub use sea_orm::DatabaseConnection;
