//! The whole schema of SPEC.md "Domain model".
//!
//! Two rules shape it:
//! - every tenant-owned row carries `tenant_id`, and a child points at its tenant-owned parent through
//!   the pair `(tenant_id, parent_id)`, so the database itself refuses a row that mixes tenants;
//! - every tenant-scoped list has an index that serves it in order, keyed `(tenant_id, <order>, id)`.
//!   An ascending B-tree serves the newest-first order too (both databases scan it backwards).

use crate::keys::fk;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261122_000001_schema"
    }
}

/// The tenant foreign key every tenant-owned table has.
fn tenant_fk(table: &'static str) -> ForeignKeyCreateStatement {
    fk(table, &["tenant_id"], "tenant", &["id"], ForeignKeyAction::Restrict)
}

/// A child row's pointer at a tenant-owned parent: the pair, so the parent must share the tenant.
fn same_tenant_fk(
    table: &'static str,
    column: &'static str,
    parent: &'static str,
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    fk(table, &["tenant_id", column], parent, &["tenant_id", "id"], on_delete)
}

fn user_fk(table: &'static str, column: &'static str, on_delete: ForeignKeyAction) -> ForeignKeyCreateStatement {
    fk(table, &[column], "user_account", &["id"], on_delete)
}

fn index(table: &'static str, name: &str, columns: &[&'static str], unique: bool) -> IndexCreateStatement {
    let mut idx = Index::create();
    idx.name(format!("ix_{table}_{name}")).table(table).if_not_exists();
    for c in columns {
        idx.col(*c);
    }
    if unique {
        idx.unique();
    }
    idx.to_owned()
}

fn now_default(column: &'static str) -> ColumnDef {
    timestamp_with_time_zone(column).default(Expr::current_timestamp()).to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, Restrict, SetNull};

        // tenant: the client company.
        m.create_table(
            Table::create()
                .table("tenant")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(string_len_uniq("slug", 63))
                .col(string_len("name", 200))
                .col(string_len("time_zone", 64))
                // Monday = bit 0 … Sunday = bit 6; default Monday to Friday.
                .col(small_integer("business_days").default(31))
                .col(small_integer("business_start_minute").default(8 * 60))
                .col(small_integer("business_end_minute").default(17 * 60))
                .col(integer_null("included_hours"))
                .col(string_len("status", 16).default("active"))
                // Ticket numbers are sequential per tenant: taken from this counter in the
                // transaction that inserts the ticket.
                .col(big_integer("next_ticket_number").default(1))
                .col(now_default("created_at"))
                .to_owned(),
        )
        .await?;

        // user_account: staff (no tenant) and client users (exactly one tenant).
        m.create_table(
            Table::create()
                .table("user_account")
                .if_not_exists()
                .col(big_pk_auto("id"))
                // Stored lower-cased: the unique index is the case-insensitive uniqueness.
                .col(string_len_uniq("email", 254))
                .col(string_len("display_name", 200))
                .col(text_null("password_hash"))
                .col(string_len("role", 32))
                .col(big_integer_null("tenant_id"))
                .col(boolean("active").default(true))
                .col(timestamp_with_time_zone_null("last_login_at"))
                .col(now_default("created_at"))
                .foreign_key(&mut tenant_fk("user_account"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("user_account", "tenant", &["tenant_id", "display_name", "id"], false)).await?;

        m.create_table(
            Table::create()
                .table("session")
                .if_not_exists()
                .col(big_pk_auto("id"))
                // SHA-256 of the cookie's token: a leaked table opens no session.
                .col(string_len_uniq("token_hash", 64))
                .col(big_integer("user_id"))
                .col(now_default("created_at"))
                .col(now_default("last_seen_at"))
                .col(timestamp_with_time_zone("expires_at"))
                .col(text_null("user_agent"))
                .col(string_len_null("ip", 64))
                .foreign_key(&mut user_fk("session", "user_id", Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(index("session", "user", &["user_id", "created_at"], false)).await?;
        m.create_index(index("session", "expires", &["expires_at"], false)).await?;

        m.create_table(
            Table::create()
                .table("system")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(big_integer("tenant_id"))
                .col(string_len("name", 200))
                .col(string_len("kind", 32))
                .col(string_len("criticality", 16))
                .col(string_len_null("vendor", 200))
                .col(text("notes").default(""))
                .col(now_default("created_at"))
                .foreign_key(&mut tenant_fk("system"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("system", "tenant_id_id", &["tenant_id", "id"], true)).await?;
        m.create_index(index("system", "tenant_name", &["tenant_id", "name", "id"], false)).await?;

        m.create_table(
            Table::create()
                .table("ticket")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(big_integer("tenant_id"))
                .col(big_integer("number"))
                .col(string_len("subject", 200))
                .col(text("description"))
                .col(big_integer_null("requester_id"))
                .col(big_integer_null("assignee_id"))
                .col(string_len("status", 32))
                .col(string_len("impact", 32))
                .col(string_len("urgency", 32))
                .col(small_integer("priority"))
                .col(timestamp_with_time_zone("first_response_due_at"))
                .col(timestamp_with_time_zone("resolution_due_at"))
                .col(timestamp_with_time_zone_null("first_response_at"))
                .col(timestamp_with_time_zone_null("resolved_at"))
                .col(timestamp_with_time_zone_null("closed_at"))
                .col(string_len("source", 16))
                .col(now_default("created_at"))
                .col(now_default("updated_at"))
                .foreign_key(&mut tenant_fk("ticket"))
                .foreign_key(&mut user_fk("ticket", "requester_id", SetNull))
                .foreign_key(&mut user_fk("ticket", "assignee_id", SetNull))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ticket", "tenant_id_id", &["tenant_id", "id"], true)).await?;
        m.create_index(index("ticket", "tenant_number", &["tenant_id", "number"], true)).await?;
        m.create_index(index("ticket", "tenant_created", &["tenant_id", "created_at", "id"], false)).await?;
        m.create_index(index(
            "ticket",
            "tenant_requester_created",
            &["tenant_id", "requester_id", "created_at", "id"],
            false,
        ))
        .await?;
        m.create_index(index("ticket", "queue", &["status", "priority", "resolution_due_at", "id"], false)).await?;

        m.create_table(
            Table::create()
                .table("work_entry")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(big_integer("tenant_id"))
                .col(string_len("category", 32))
                .col(string_len("title", 200))
                .col(text("details").default(""))
                .col(text("why_it_matters").default(""))
                .col(string_len("state", 16))
                // Scheduled start while planned, performed start once done.
                .col(timestamp_with_time_zone("started_at"))
                .col(integer("duration_minutes"))
                .col(boolean("after_hours"))
                .col(boolean("proactive").default(true))
                .col(string_len("visibility", 16))
                .col(big_integer("performed_by"))
                .col(big_integer_null("shadowed_by"))
                .col(string_len_null("vendor_name", 200))
                .col(string_len_null("vendor_case_ref", 200))
                .col(big_integer_null("ticket_id"))
                .col(boolean("highlight").default(false))
                .col(now_default("created_at"))
                .col(now_default("updated_at"))
                .foreign_key(&mut tenant_fk("work_entry"))
                .foreign_key(&mut user_fk("work_entry", "performed_by", Restrict))
                .foreign_key(&mut user_fk("work_entry", "shadowed_by", SetNull))
                .foreign_key(&mut same_tenant_fk("work_entry", "ticket_id", "ticket", Restrict))
                .to_owned(),
        )
        .await?;
        m.create_index(index("work_entry", "tenant_id_id", &["tenant_id", "id"], true)).await?;
        // Staff view of a client's log, newest first.
        m.create_index(index("work_entry", "tenant_started", &["tenant_id", "started_at", "id"], false)).await?;
        // The client's view: only client-visible rows, newest first.
        m.create_index(index(
            "work_entry",
            "tenant_visibility_started",
            &["tenant_id", "visibility", "started_at", "id"],
            false,
        ))
        .await?;
        // Knowledge earned by doing the work (performed or shadowed in the last 180 days).
        m.create_index(index("work_entry", "performer_started", &["performed_by", "started_at"], false)).await?;
        m.create_index(index("work_entry", "ticket", &["tenant_id", "ticket_id"], false)).await?;

        m.create_table(
            Table::create()
                .table("work_entry_system")
                .if_not_exists()
                .col(big_integer("tenant_id"))
                .col(big_integer("work_entry_id"))
                .col(big_integer("system_id"))
                .primary_key(Index::create().col("work_entry_id").col("system_id"))
                .foreign_key(&mut tenant_fk("work_entry_system"))
                .foreign_key(&mut same_tenant_fk("work_entry_system", "work_entry_id", "work_entry", Cascade))
                .foreign_key(&mut same_tenant_fk("work_entry_system", "system_id", "system", Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "work_entry_system",
            "tenant_system",
            &["tenant_id", "system_id", "work_entry_id"],
            false,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table("ticket_comment")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(big_integer("tenant_id"))
                .col(big_integer("ticket_id"))
                .col(big_integer_null("author_id"))
                .col(text("body"))
                .col(string_len("visibility", 16))
                .col(now_default("created_at"))
                .foreign_key(&mut tenant_fk("ticket_comment"))
                .foreign_key(&mut same_tenant_fk("ticket_comment", "ticket_id", "ticket", Cascade))
                .foreign_key(&mut user_fk("ticket_comment", "author_id", SetNull))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ticket_comment",
            "tenant_ticket_created",
            &["tenant_id", "ticket_id", "created_at", "id"],
            false,
        ))
        .await?;

        // A ticket's status history: one row per change.
        m.create_table(
            Table::create()
                .table("ticket_status_change")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(big_integer("tenant_id"))
                .col(big_integer("ticket_id"))
                .col(big_integer_null("changed_by"))
                .col(string_len_null("from_status", 32))
                .col(string_len("to_status", 32))
                .col(now_default("created_at"))
                .foreign_key(&mut tenant_fk("ticket_status_change"))
                .foreign_key(&mut same_tenant_fk("ticket_status_change", "ticket_id", "ticket", Cascade))
                .foreign_key(&mut user_fk("ticket_status_change", "changed_by", SetNull))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ticket_status_change",
            "tenant_ticket_created",
            &["tenant_id", "ticket_id", "created_at", "id"],
            false,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table("coverage")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(big_integer("tenant_id"))
                // Absent: the tenant as a whole; present: a system with coverage of its own.
                .col(big_integer_null("system_id"))
                .col(big_integer("user_id"))
                .col(string_len("role", 32))
                .col(small_integer("position").default(0))
                .foreign_key(&mut tenant_fk("coverage"))
                .foreign_key(&mut same_tenant_fk("coverage", "system_id", "system", Cascade))
                .foreign_key(&mut user_fk("coverage", "user_id", Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(index("coverage", "tenant_system_role", &["tenant_id", "system_id", "role", "position"], false))
            .await?;
        m.create_index(index("coverage", "user", &["user_id"], false)).await?;

        m.create_table(
            Table::create()
                .table("time_off")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(big_integer("user_id"))
                .col(date("first_day"))
                .col(date("last_day"))
                .col(string_len("note", 200).default(""))
                .foreign_key(&mut user_fk("time_off", "user_id", Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(index("time_off", "user_days", &["user_id", "first_day", "last_day"], false)).await?;
        m.create_index(index("time_off", "days", &["last_day", "first_day"], false)).await?;

        m.create_table(
            Table::create()
                .table("knowledge")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(big_integer("tenant_id"))
                .col(big_integer("system_id"))
                .col(big_integer("user_id"))
                .col(string_len("level", 16))
                .col(now_default("updated_at"))
                .foreign_key(&mut tenant_fk("knowledge"))
                .foreign_key(&mut same_tenant_fk("knowledge", "system_id", "system", Cascade))
                .foreign_key(&mut user_fk("knowledge", "user_id", Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(index("knowledge", "system_user", &["system_id", "user_id"], true)).await?;
        m.create_index(index("knowledge", "tenant_system", &["tenant_id", "system_id"], false)).await?;

        m.create_table(
            Table::create()
                .table("runbook")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(big_integer("tenant_id"))
                .col(big_integer_null("system_id"))
                .col(string_len("title", 200))
                .col(text("body"))
                .col(big_integer_null("author_id"))
                .col(now_default("created_at"))
                .col(now_default("updated_at"))
                .col(timestamp_with_time_zone_null("reviewed_at"))
                .col(big_integer_null("reviewed_by"))
                .foreign_key(&mut tenant_fk("runbook"))
                .foreign_key(&mut same_tenant_fk("runbook", "system_id", "system", Cascade))
                .foreign_key(&mut user_fk("runbook", "author_id", SetNull))
                .foreign_key(&mut user_fk("runbook", "reviewed_by", SetNull))
                .to_owned(),
        )
        .await?;
        m.create_index(index("runbook", "tenant_updated", &["tenant_id", "updated_at", "id"], false)).await?;
        m.create_index(index("runbook", "tenant_system", &["tenant_id", "system_id"], false)).await?;

        m.create_table(
            Table::create()
                .table("summary")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(big_integer("tenant_id"))
                .col(date("period_start"))
                .col(date("period_end"))
                .col(big_integer_null("author_id"))
                .col(string_len("subject", 200))
                .col(text("personal_note").default(""))
                // A JSON snapshot taken when sent: a sent summary never changes with the work log.
                .col(text("content").default(""))
                .col(string_len("status", 16))
                .col(timestamp_with_time_zone_null("sent_at"))
                // JSON array of email addresses.
                .col(text("recipients").default("[]"))
                .col(now_default("created_at"))
                .col(now_default("updated_at"))
                .foreign_key(&mut tenant_fk("summary"))
                .foreign_key(&mut user_fk("summary", "author_id", SetNull))
                .to_owned(),
        )
        .await?;
        m.create_index(index("summary", "tenant_period", &["tenant_id", "period_start", "id"], false)).await?;
        m.create_index(index("summary", "tenant_status_sent", &["tenant_id", "status", "sent_at", "id"], false))
            .await?;

        m.create_table(
            Table::create()
                .table("invitation")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(string_len_uniq("token_hash", 64))
                .col(string_len("email", 254))
                .col(big_integer_null("tenant_id"))
                .col(string_len("role", 32))
                .col(big_integer_null("invited_by"))
                .col(timestamp_with_time_zone("expires_at"))
                .col(timestamp_with_time_zone_null("used_at"))
                .col(now_default("created_at"))
                .foreign_key(&mut tenant_fk("invitation"))
                .foreign_key(&mut user_fk("invitation", "invited_by", SetNull))
                .to_owned(),
        )
        .await?;
        m.create_index(index("invitation", "tenant_created", &["tenant_id", "created_at"], false)).await?;

        m.create_table(
            Table::create()
                .table("password_reset")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(string_len_uniq("token_hash", 64))
                .col(big_integer("user_id"))
                .col(timestamp_with_time_zone("expires_at"))
                .col(timestamp_with_time_zone_null("used_at"))
                .col(now_default("created_at"))
                .foreign_key(&mut user_fk("password_reset", "user_id", Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(index("password_reset", "user", &["user_id"], false)).await?;

        m.create_table(
            Table::create()
                .table("audit_event")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(big_integer_null("actor_id"))
                .col(big_integer_null("tenant_id"))
                .col(string_len("action", 64))
                .col(string_len("target", 300).default(""))
                .col(string_len_null("ip", 64))
                .col(now_default("created_at"))
                .foreign_key(&mut user_fk("audit_event", "actor_id", SetNull))
                .foreign_key(&mut fk("audit_event", &["tenant_id"], "tenant", &["id"], SetNull))
                .to_owned(),
        )
        .await?;
        m.create_index(index("audit_event", "created", &["created_at", "id"], false)).await?;
        m.create_index(index("audit_event", "tenant_created", &["tenant_id", "created_at", "id"], false)).await?;
        m.create_index(index("audit_event", "action_created", &["action", "created_at", "id"], false)).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "audit_event",
            "password_reset",
            "invitation",
            "summary",
            "runbook",
            "knowledge",
            "time_off",
            "coverage",
            "ticket_status_change",
            "ticket_comment",
            "work_entry_system",
            "work_entry",
            "ticket",
            "system",
            "session",
            "user_account",
            "tenant",
        ] {
            m.drop_table(Table::drop().table(table).if_exists().to_owned()).await?;
        }
        Ok(())
    }
}
