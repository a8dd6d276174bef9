//! Background jobs: a lease per job (one process at a time runs it; a dead holder's lease runs
//! out), the shared schedule (when it is next due, how many times in a row it failed), and a
//! record of each run for the MSP admins.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000001_jobs"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("job_lease")
                .if_not_exists()
                .col(string_len("job", 40).primary_key())
                // The process running it now ("host:pid:random"), until when, unless it renews.
                .col(string_len_null("holder", 200))
                .col(timestamp_with_time_zone_null("lease_until"))
                .col(timestamp_with_time_zone("next_run_at"))
                // Failed runs in a row: the wait before the next attempt grows with them.
                .col(integer("failures").default(0))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("job_run")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(string_len("job", 40))
                .col(string_len("holder", 200))
                .col(timestamp_with_time_zone("started_at"))
                .col(timestamp_with_time_zone_null("finished_at"))
                .col(string_len("outcome", 20))
                // How many things it did (messages sent, drafts made): idle runs are kept briefly.
                .col(integer("items").default(0))
                .col(text_null("error"))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("job_run_by_job").table("job_run").col("job").col("id").to_owned()).await?;
        m.create_index(Index::create().name("job_run_by_start").table("job_run").col("started_at").to_owned()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("job_run").if_exists().to_owned()).await?;
        m.drop_table(Table::drop().table("job_lease").if_exists().to_owned()).await
    }
}
