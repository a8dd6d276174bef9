//! Ratings of resolved tickets: one per ticket (its requester's answer, changeable from the
//! portal), and the emailed links that record an answer without a sign-in (single use, expiring,
//! stored only as a hash).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000001_ratings"
    }
}

/// Rows go with their ticket or person, never with their tenant (a tenant is archived, not deleted).
fn fk(
    table: &'static str,
    columns: &[&'static str],
    parent: &'static str,
    to: &[&'static str],
) -> ForeignKeyCreateStatement {
    let on_delete = if parent == "tenant" { ForeignKeyAction::Restrict } else { ForeignKeyAction::Cascade };
    crate::keys::fk(table, columns, parent, to, on_delete)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("ticket_rating")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(big_integer("tenant_id"))
                .col(big_integer("ticket_id"))
                .col(big_integer_null("rated_by"))
                // Who had the ticket when it was rated: the board counts ratings per tech.
                .col(big_integer_null("tech_id"))
                .col(string_len("rating", 16))
                .col(text("comment").default(""))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk("ticket_rating", &["tenant_id"], "tenant", &["id"]))
                .foreign_key(&mut fk("ticket_rating", &["tenant_id", "ticket_id"], "ticket", &["tenant_id", "id"]))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_ticket_rating_rated_by")
                        .from("ticket_rating", "rated_by")
                        .to("user_account", "id")
                        .on_delete(ForeignKeyAction::SetNull)
                        .on_update(ForeignKeyAction::NoAction),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_ticket_rating_tech_id")
                        .from("ticket_rating", "tech_id")
                        .to("user_account", "id")
                        .on_delete(ForeignKeyAction::SetNull)
                        .on_update(ForeignKeyAction::NoAction),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_ticket_rating_ticket").table("ticket_rating").col("ticket_id").unique().to_owned(),
        )
        .await?;
        // The staff's board reads ratings over time, per client.
        m.create_index(
            Index::create()
                .name("ix_ticket_rating_tenant_created")
                .table("ticket_rating")
                .col("tenant_id")
                .col("created_at")
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_ticket_rating_created").table("ticket_rating").col("created_at").to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("rating_link")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(big_integer("tenant_id"))
                .col(big_integer("ticket_id"))
                .col(big_integer("user_id"))
                .col(string_len("token_hash", 64).unique_key())
                .col(timestamp_with_time_zone("expires_at"))
                .col(timestamp_with_time_zone_null("used_at"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("rating_link", &["tenant_id"], "tenant", &["id"]))
                .foreign_key(&mut fk("rating_link", &["tenant_id", "ticket_id"], "ticket", &["tenant_id", "id"]))
                .foreign_key(&mut fk("rating_link", &["user_id"], "user_account", &["id"]))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_rating_link_ticket").table("rating_link").col("ticket_id").to_owned())
            .await?;
        m.create_index(Index::create().name("ix_rating_link_expires").table("rating_link").col("expires_at").to_owned())
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("rating_link").if_exists().to_owned()).await?;
        m.drop_table(Table::drop().table("ticket_rating").if_exists().to_owned()).await
    }
}
