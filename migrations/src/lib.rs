//! The schema, as migrations that run unchanged on SQLite and PostgreSQL.
//!
//! Tables and columns are named by string here, never through the entities, so that a migration
//! keeps meaning what it meant when it was written even after the entities move on.

pub use sea_orm_migration::prelude::*;

mod keys;
mod m20261122_000001_schema;
mod m20261122_000002_mail_queue;
mod m20261202_000001_integrations;
mod m20261203_000001_throttle;
mod m20261204_000001_two_step;
mod m20261205_000001_audit_detail;
mod m20261206_000001_jobs;
mod m20261207_000001_ratings;
mod m20261208_000001_incidents;
mod m20261209_000001_approvals;
mod m20261210_000001_work_days;
mod m20261210_000002_done_work_index;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_schema::Migration),
            Box::new(m20261122_000002_mail_queue::Migration),
            Box::new(m20261202_000001_integrations::Migration),
            Box::new(m20261203_000001_throttle::Migration),
            Box::new(m20261204_000001_two_step::Migration),
            Box::new(m20261205_000001_audit_detail::Migration),
            Box::new(m20261206_000001_jobs::Migration),
            Box::new(m20261207_000001_ratings::Migration),
            Box::new(m20261208_000001_incidents::Migration),
            Box::new(m20261209_000001_approvals::Migration),
            Box::new(m20261210_000001_work_days::Migration),
            Box::new(m20261210_000002_done_work_index::Migration),
        ]
    }
}
