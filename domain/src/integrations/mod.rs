//! Integrations: how the MSP's own tools reach the portal without a person typing.
//!
//! - [`tokens`]: API tokens (scope, permissions, expiry), issued by MSP admins or the command
//!   line; a presented token becomes an [`tokens::ApiCaller`], the API's only door to data.
//! - [`events`]: events from RMM and backup tools, upserted idempotently and grouped into runs
//!   that a client reads as one plain-language work entry.
//! - [`system_refs`]: what a tool calls a client's systems, mapped by staff.
//! - [`reads`], [`writes`], [`work_api`], [`staff_api`]: the REST API's reads and writes, by the
//!   pages' rules (a client-scoped token sees what its client sees; staff records need a token for
//!   every client).

pub mod events;
pub mod idempotency;
pub mod reads;
pub mod staff_api;
pub mod system_refs;
pub mod tokens;
pub mod work_api;
pub mod writes;
