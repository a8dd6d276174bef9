//! Integrations: how the MSP's own tools reach the portal without a person typing.
//!
//! - [`tokens`]: API tokens (scope, permissions, expiry), issued by MSP admins or the command
//!   line; a presented token becomes an [`tokens::ApiCaller`], the API's only door to data.
//! - [`events`]: events from RMM and backup tools, upserted idempotently and grouped into runs
//!   that a client reads as one plain-language work entry.
//! - [`system_refs`]: what a tool calls a client's systems, mapped by staff.

pub mod events;
pub mod idempotency;
pub mod reads;
pub mod system_refs;
pub mod tokens;
pub mod writes;
