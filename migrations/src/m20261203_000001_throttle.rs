//! Counts per key in a window: sign-in attempts (an account at an address, an address, an
//! account) and paced actions (new tickets, comments, invitations, reset requests, per person and
//! per address), counted and decided in one write transaction so that parallel requests cannot all
//! slip under the limit.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261203_000001_throttle"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("throttle")
                .if_not_exists()
                // e.g. "pair:<email> <address>", "address:<address>", "pace:ticket:user:<id>".
                .col(string_len("key", 400).primary_key())
                // Attempts counted in the current window (a sign-in that succeeds is refunded).
                .col(integer("attempts").default(0))
                .col(timestamp_with_time_zone("window_start"))
                // No attempt under this key is checked before this time (the progressive delay).
                .col(timestamp_with_time_zone("next_allowed_at"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("throttle").if_exists().to_owned()).await
    }
}
