//! Incidents (something is wrong for one, several or all clients: its impact in plain words, its
//! status and a timeline of updates), the tickets clients link to them, and notices (a planned,
//! non-urgent message to one or all clients, shown until a day).

use crate::keys::fk;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261208_000001_incidents"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, Restrict, SetNull};
        m.create_table(
            Table::create()
                .table("incident")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(string_len("title", 200))
                .col(text("impact"))
                .col(string_len("status", 20))
                // Every client, now and later; otherwise the rows of incident_client.
                .col(boolean("all_clients"))
                // The affected clients' admins are emailed when it opens and when it is resolved.
                .col(boolean("email_clients"))
                .col(big_integer_null("author_id"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .col(timestamp_with_time_zone_null("resolved_at"))
                .foreign_key(&mut fk("incident", &["author_id"], "user_account", &["id"], SetNull))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_incident_resolved").table("incident").col("resolved_at").col("id").to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("incident_client")
                .if_not_exists()
                .col(big_integer("incident_id"))
                .col(big_integer("tenant_id"))
                .primary_key(Index::create().col("incident_id").col("tenant_id"))
                .foreign_key(&mut fk("incident_client", &["incident_id"], "incident", &["id"], Cascade))
                .foreign_key(&mut fk("incident_client", &["tenant_id"], "tenant", &["id"], Restrict))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_incident_client_tenant")
                .table("incident_client")
                .col("tenant_id")
                .col("incident_id")
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("incident_update")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(big_integer("incident_id"))
                .col(string_len("status", 20))
                .col(text("body"))
                .col(big_integer_null("author_id"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("incident_update", &["incident_id"], "incident", &["id"], Cascade))
                .foreign_key(&mut fk("incident_update", &["author_id"], "user_account", &["id"], SetNull))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_incident_update_incident")
                .table("incident_update")
                .col("incident_id")
                .col("created_at")
                .to_owned(),
        )
        .await?;
        // A client's ticket "about" an incident: one incident at most per ticket.
        m.create_table(
            Table::create()
                .table("incident_ticket")
                .if_not_exists()
                .col(big_integer("ticket_id").primary_key())
                .col(big_integer("tenant_id"))
                .col(big_integer("incident_id"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk(
                    "incident_ticket",
                    &["tenant_id", "ticket_id"],
                    "ticket",
                    &["tenant_id", "id"],
                    Cascade,
                ))
                .foreign_key(&mut fk("incident_ticket", &["incident_id"], "incident", &["id"], Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_incident_ticket_incident")
                .table("incident_ticket")
                .col("incident_id")
                .col("tenant_id")
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("notice")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(string_len("title", 200))
                .col(text("body"))
                // One client, or every client when empty.
                .col(big_integer_null("tenant_id"))
                // Shown through this day (in each client's time zone).
                .col(date("shown_until"))
                .col(big_integer_null("author_id"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("notice", &["tenant_id"], "tenant", &["id"], Restrict))
                .foreign_key(&mut fk("notice", &["author_id"], "user_account", &["id"], SetNull))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_notice_until").table("notice").col("shown_until").col("id").to_owned())
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["notice", "incident_ticket", "incident_update", "incident_client", "incident"] {
            m.drop_table(Table::drop().table(t).if_exists().to_owned()).await?;
        }
        Ok(())
    }
}
