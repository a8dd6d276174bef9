//! The sea-orm entities, one per table, kept in this one place. Only the domain crate sees them:
//! pages receive view types, and client-facing code reaches them only through the tenant scope.
//! Closed sets of words are `vocabulary` types, stored as their word: a stored word outside the set
//! fails the read (an error that is logged), never a silent default.

pub mod api_idempotency;
pub mod api_token;
pub mod approval;
pub mod approval_decision;
pub mod approval_window;
pub mod audit_event;
pub mod automation_wording;
pub mod calendar_feed;
pub mod coverage;
pub mod incident;
pub mod incident_client;
pub mod incident_ticket;
pub mod incident_update;
pub mod integration_event;
pub mod integration_run;
pub mod invitation;
pub mod job_lease;
pub mod job_run;
pub mod knowledge;
pub mod mail_queue;
pub mod notice;
pub mod password_reset;
pub mod rating_link;
pub mod recovery_code;
pub mod runbook;
pub mod session;
pub mod sign_in_challenge;
pub mod summary;
pub mod system;
pub mod system_ref;
pub mod tenant;
pub mod throttle;
pub mod ticket;
pub mod ticket_comment;
pub mod ticket_rating;
pub mod ticket_status_change;
pub mod time_off;
pub mod user;
pub mod webhook;
pub mod webhook_announced;
pub mod webhook_delivery;
pub mod work_day;
pub mod work_entry;
pub mod work_entry_system;
