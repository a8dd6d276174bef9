//! Approvals for planned work: a tech asks the client to approve a planned entry (what happens,
//! downtime, risk, rollback, one or more windows, an optional deadline); the client's admins and
//! named approvers (`user_account.approver`) approve a window, propose another, or decline.

use crate::keys::fk;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261209_000001_approvals"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, Restrict, SetNull};
        // A client user a client admin named to decide on planned work (admins always may).
        m.alter_table(Table::alter().table("user_account").add_column(boolean("approver").default(false)).to_owned())
            .await?;
        m.create_table(
            Table::create()
                .table("approval")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(big_integer("tenant_id"))
                .col(big_integer("work_entry_id"))
                .col(big_integer_null("asked_by"))
                .col(text("downtime"))
                .col(text("risk"))
                .col(text("rollback"))
                .col(timestamp_with_time_zone_null("deadline"))
                // One, or two when the tech asks for two people's approval.
                .col(integer("approvals_needed"))
                .col(string_len("status", 20))
                .col(big_integer_null("approved_window_id"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("decided_at"))
                // When the work was marked done without an approval (MSP admins were told).
                .col(timestamp_with_time_zone_null("done_without_approval_at"))
                .foreign_key(&mut fk("approval", &["tenant_id"], "tenant", &["id"], Restrict))
                .foreign_key(&mut fk(
                    "approval",
                    &["tenant_id", "work_entry_id"],
                    "work_entry",
                    &["tenant_id", "id"],
                    Cascade,
                ))
                .foreign_key(&mut fk("approval", &["asked_by"], "user_account", &["id"], SetNull))
                .to_owned(),
        )
        .await?;
        // One request per entry.
        m.create_index(
            Index::create().name("ux_approval_work_entry").table("approval").col("work_entry_id").unique().to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_approval_tenant_status")
                .table("approval")
                .col("tenant_id")
                .col("status")
                .col("id")
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_approval_status").table("approval").col("status").col("id").to_owned())
            .await?;
        m.create_table(
            Table::create()
                .table("approval_window")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(big_integer("tenant_id"))
                .col(big_integer("approval_id"))
                .col(timestamp_with_time_zone("starts_at"))
                // Proposed by the client (then accepted by staff), not by the tech who asked.
                .col(boolean("from_client"))
                .foreign_key(&mut fk("approval_window", &["tenant_id"], "tenant", &["id"], Restrict))
                .foreign_key(&mut fk("approval_window", &["approval_id"], "approval", &["id"], Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_approval_window_approval")
                .table("approval_window")
                .col("approval_id")
                .col("starts_at")
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("approval_decision")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(big_integer("tenant_id"))
                .col(big_integer("approval_id"))
                .col(big_integer("user_id"))
                .col(string_len("answer", 20))
                // The window approved.
                .col(big_integer_null("window_id"))
                // The time proposed instead.
                .col(timestamp_with_time_zone_null("proposed_start"))
                // The reason for declining, or a note with a proposal.
                .col(text("note"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("approval_decision", &["tenant_id"], "tenant", &["id"], Restrict))
                .foreign_key(&mut fk("approval_decision", &["approval_id"], "approval", &["id"], Cascade))
                .foreign_key(&mut fk("approval_decision", &["user_id"], "user_account", &["id"], Cascade))
                .foreign_key(&mut fk("approval_decision", &["window_id"], "approval_window", &["id"], SetNull))
                .to_owned(),
        )
        .await?;
        // One decision a person (changed in place until the window starts).
        m.create_index(
            Index::create()
                .name("ux_approval_decision_person")
                .table("approval_decision")
                .col("approval_id")
                .col("user_id")
                .unique()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["approval_decision", "approval_window", "approval"] {
            m.drop_table(Table::drop().table(t).if_exists().to_owned()).await?;
        }
        m.alter_table(Table::alter().table("user_account").drop_column("approver").to_owned()).await?;
        Ok(())
    }
}
