//! Sign-in throttling kept per key (an account at an address, an address, an account), counted
//! and decided in one write transaction so that parallel attempts cannot all slip under the limit.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261203_000001_login_throttle"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("login_throttle")
                .if_not_exists()
                // "pair:<email> <address>", "address:<address>" or "account:<email>".
                .col(string_len("key", 400).primary_key())
                // Attempts counted in the current window (an attempt that signs in is refunded).
                .col(integer("attempts").default(0))
                .col(timestamp_with_time_zone("window_start"))
                // No attempt under this key is checked before this time (the progressive delay).
                .col(timestamp_with_time_zone("next_allowed_at"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("login_throttle").if_exists().to_owned()).await
    }
}
