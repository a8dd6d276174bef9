//! The mail queue: every email is stored before it is sent, so a failed send is retried with
//! backoff and never lost, and what was sent (or is still waiting) can be shown. And one summary
//! per client and period.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261122_000002_mail_queue"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("mail_queue")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(string_len("to_address", 254))
                .col(string_len("subject", 300))
                .col(text("text_body"))
                .col(text("html_body"))
                // queued (waiting for its next attempt), sending (claimed by a process until
                // `claimed_until`), sent.
                .col(string_len("status", 16))
                .col(integer("attempts").default(0))
                .col(timestamp_with_time_zone("next_attempt_at"))
                .col(timestamp_with_time_zone_null("claimed_until"))
                .col(text_null("last_error"))
                .col(timestamp_with_time_zone_null("sent_at"))
                // What the message belongs to, for showing its delivery status (e.g. a summary).
                .col(string_len_null("topic", 64))
                .col(timestamp_with_time_zone("created_at").default(Expr::current_timestamp()))
                .to_owned(),
        )
        .await?;
        // The worker's question: what is due now?
        m.create_index(
            Index::create()
                .name("ix_mail_queue_due")
                .table("mail_queue")
                .col("status")
                .col("next_attempt_at")
                .if_not_exists()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_mail_queue_topic").table("mail_queue").col("topic").if_not_exists().to_owned(),
        )
        .await?;
        // One summary per client and period: the monthly job (in any number of processes, run
        // any number of times) and a person drafting by hand can never make two.
        m.create_index(
            Index::create()
                .name("ux_summary_one_per_period")
                .table("summary")
                .col("tenant_id")
                .col("period_start")
                .col("period_end")
                .unique()
                .if_not_exists()
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("ux_summary_one_per_period").table("summary").to_owned()).await?;
        m.drop_table(Table::drop().table("mail_queue").if_exists().to_owned()).await
    }
}
