//! Integrations: API tokens, events from RMM and backup tools (and the runs they are grouped
//! into), the names those tools give a client's systems, and replayable answers for an
//! `Idempotency-Key`.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261202_000001_integrations"
    }
}

fn fk(
    table: &'static str,
    column: &'static str,
    parent: &'static str,
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{column}"))
        .from(table, column)
        .to(parent, "id")
        .on_delete(on_delete)
        .on_update(ForeignKeyAction::NoAction)
        .to_owned()
}

/// A child's pointer at a tenant-owned parent through the pair, so both share the tenant.
fn same_tenant_fk(table: &'static str, column: &'static str, parent: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_tenant_id_{column}"))
        .from_tbl(table)
        .from_col("tenant_id")
        .from_col(column)
        .to_tbl(parent)
        .to_col("tenant_id")
        .to_col("id")
        .on_delete(ForeignKeyAction::Cascade)
        .on_update(ForeignKeyAction::NoAction)
        .to_owned()
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

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, Restrict, SetNull};

        m.create_table(
            Table::create()
                .table("api_token")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(string_len_uniq("name", 100))
                // The token's first characters, to tell tokens apart in lists; not enough to use.
                .col(string_len("prefix", 16))
                // SHA-256 of the token: a leaked table opens nothing.
                .col(string_len_uniq("token_hash", 64))
                // One client, or every client when empty.
                .col(big_integer_null("tenant_id"))
                .col(boolean("may_ingest").default(false))
                .col(boolean("may_read").default(false))
                .col(boolean("may_write").default(false))
                .col(timestamp_with_time_zone_null("expires_at"))
                .col(big_integer_null("created_by"))
                .col(timestamp_with_time_zone("created_at").default(Expr::current_timestamp()))
                .col(timestamp_with_time_zone_null("last_used_at"))
                .col(string_len_null("last_used_ip", 64))
                .col(timestamp_with_time_zone_null("revoked_at"))
                .foreign_key(&mut fk("api_token", "tenant_id", "tenant", Restrict))
                .foreign_key(&mut fk("api_token", "created_by", "user_account", SetNull))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("api_idempotency")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(big_integer("token_id"))
                .col(string_len("idempotency_key", 200))
                // The request it answered: the same key with another body is refused.
                .col(string_len("request_hash", 64))
                .col(small_integer("status"))
                .col(text("body"))
                .col(timestamp_with_time_zone("created_at").default(Expr::current_timestamp()))
                .foreign_key(&mut fk("api_idempotency", "token_id", "api_token", Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(index("api_idempotency", "token_key", &["token_id", "idempotency_key"], true)).await?;
        m.create_index(index("api_idempotency", "created", &["created_at"], false)).await?;

        // What a tool calls a system (an external ref, a hostname, a serial), mapped by staff.
        m.create_table(
            Table::create()
                .table("system_ref")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(big_integer("tenant_id"))
                // Trimmed and lower-cased: tools disagree on case.
                .col(string_len("ref_name", 200))
                .col(big_integer("system_id"))
                .col(timestamp_with_time_zone("created_at").default(Expr::current_timestamp()))
                .foreign_key(&mut fk("system_ref", "tenant_id", "tenant", Restrict))
                .foreign_key(&mut same_tenant_fk("system_ref", "system_id", "system"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("system_ref", "tenant_ref", &["tenant_id", "ref_name"], true)).await?;

        // A run: one client's events of one source and kind on one night (noon to noon in the
        // client's time zone), read by the client as one work entry.
        m.create_table(
            Table::create()
                .table("integration_run")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(big_integer("tenant_id"))
                .col(string_len("source", 100))
                .col(string_len("kind", 32))
                .col(date("run_day"))
                // Empty once staff delete the entry: the run then stays without one.
                .col(big_integer_null("work_entry_id"))
                // When automation last wrote the entry (empty until it first does).
                .col(timestamp_with_time_zone_null("generated_at"))
                // A person has edited the entry: automation leaves its words and visibility alone.
                .col(boolean("kept_by_staff").default(false))
                .col(timestamp_with_time_zone("created_at").default(Expr::current_timestamp()))
                .foreign_key(&mut fk("integration_run", "tenant_id", "tenant", Restrict))
                .foreign_key(&mut fk("integration_run", "work_entry_id", "work_entry", SetNull))
                .to_owned(),
        )
        .await?;
        m.create_index(index("integration_run", "key", &["tenant_id", "source", "kind", "run_day"], true)).await?;
        m.create_index(index("integration_run", "entry", &["work_entry_id"], false)).await?;

        m.create_table(
            Table::create()
                .table("integration_event")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(big_integer("tenant_id"))
                .col(string_len("source", 100))
                .col(string_len("external_id", 200))
                .col(big_integer("run_id"))
                // As the tool sent it; `system_id` once a system answers to it.
                .col(string_len("system_ref", 200))
                .col(big_integer_null("system_id"))
                .col(string_len("kind", 32))
                .col(timestamp_with_time_zone("occurred_at"))
                .col(integer_null("duration_minutes"))
                .col(string_len("result", 16))
                .col(string_len_null("title", 200))
                .col(text("details").default(""))
                .col(big_integer_null("actor_id"))
                .col(string_len_null("visibility", 16))
                // SHA-256 of what was sent: the same event again is "unchanged".
                .col(string_len("content_hash", 64))
                .col(timestamp_with_time_zone("received_at").default(Expr::current_timestamp()))
                .col(timestamp_with_time_zone("updated_at").default(Expr::current_timestamp()))
                .foreign_key(&mut fk("integration_event", "tenant_id", "tenant", Restrict))
                .foreign_key(&mut fk("integration_event", "run_id", "integration_run", Cascade))
                .foreign_key(&mut fk("integration_event", "system_id", "system", SetNull))
                .foreign_key(&mut fk("integration_event", "actor_id", "user_account", SetNull))
                .to_owned(),
        )
        .await?;
        m.create_index(index("integration_event", "key", &["tenant_id", "source", "external_id"], true)).await?;
        m.create_index(index("integration_event", "run", &["run_id", "occurred_at"], false)).await?;
        // Unmatched systems, per client.
        m.create_index(index("integration_event", "unmatched", &["tenant_id", "system_id", "system_ref"], false))
            .await?;

        // The *why it matters* automated work of each kind gets, where the MSP changed the default.
        m.create_table(
            Table::create()
                .table("automation_wording")
                .if_not_exists()
                .col(string_len("kind", 32).primary_key())
                .col(text("why_it_matters"))
                .col(big_integer_null("updated_by"))
                .col(timestamp_with_time_zone("updated_at").default(Expr::current_timestamp()))
                .foreign_key(&mut fk("automation_wording", "updated_by", "user_account", SetNull))
                .to_owned(),
        )
        .await?;

        // A person's private calendar feed: one live link each, the token in the URL, stored
        // as its SHA-256; a new link replaces the old one, turning it off deletes the row.
        m.create_table(
            Table::create()
                .table("calendar_feed")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(big_integer_uniq("user_id"))
                .col(string_len_uniq("token_hash", 64))
                .col(string_len("prefix", 16))
                .col(timestamp_with_time_zone("created_at").default(Expr::current_timestamp()))
                .col(timestamp_with_time_zone_null("last_fetched_at"))
                .foreign_key(&mut fk("calendar_feed", "user_id", "user_account", Cascade))
                .to_owned(),
        )
        .await?;

        // Outbound webhooks and their deliveries (a queue like the mail queue: never dropped).
        m.create_table(
            Table::create()
                .table("webhook")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(text("url"))
                .col(string_len("event", 32))
                .col(string_len("format", 16))
                // The HMAC key receivers verify signatures with.
                .col(string_len("secret", 80))
                .col(big_integer_null("created_by"))
                .col(timestamp_with_time_zone("created_at").default(Expr::current_timestamp()))
                .foreign_key(&mut fk("webhook", "created_by", "user_account", SetNull))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("webhook_delivery")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(big_integer("webhook_id"))
                .col(string_len("event", 32))
                .col(text("body"))
                .col(string_len("status", 16))
                .col(integer("attempts").default(0))
                .col(timestamp_with_time_zone("next_attempt_at"))
                .col(timestamp_with_time_zone_null("claimed_until"))
                .col(small_integer_null("last_status"))
                .col(text_null("last_error"))
                .col(timestamp_with_time_zone_null("delivered_at"))
                .col(timestamp_with_time_zone("created_at").default(Expr::current_timestamp()))
                .foreign_key(&mut fk("webhook_delivery", "webhook_id", "webhook", Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(index("webhook_delivery", "due", &["status", "next_attempt_at"], false)).await?;
        // What has been announced once already (e.g. a coverage gap), by a key of its own.
        m.create_table(
            Table::create()
                .table("webhook_announced")
                .if_not_exists()
                .col(string_len("announcement", 120).primary_key())
                .col(timestamp_with_time_zone("created_at").default(Expr::current_timestamp()))
                .to_owned(),
        )
        .await?;
        m.create_index(index("webhook_delivery", "webhook", &["webhook_id", "id"], false)).await?;

        // The name a client goes by in the MSP's tools, besides its slug.
        m.alter_table(Table::alter().table("tenant").add_column(string_len_null("external_ref", 100)).to_owned())
            .await?;
        m.create_index(index("tenant", "external_ref", &["external_ref"], true)).await?;
        // A row of an imported CSV file: its key, so importing the file again creates nothing new.
        m.alter_table(Table::alter().table("work_entry").add_column(string_len_null("import_key", 200)).to_owned())
            .await?;
        m.create_index(index("work_entry", "import_key", &["tenant_id", "import_key"], true)).await?;
        // Recorded by automation rather than typed by a person.
        m.alter_table(Table::alter().table("work_entry").add_column(boolean("automated").default(false)).to_owned())
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("work_entry").drop_column("automated").to_owned()).await?;
        m.drop_index(Index::drop().name("ix_work_entry_import_key").table("work_entry").to_owned()).await?;
        m.alter_table(Table::alter().table("work_entry").drop_column("import_key").to_owned()).await?;
        m.drop_index(Index::drop().name("ix_tenant_external_ref").table("tenant").to_owned()).await?;
        m.alter_table(Table::alter().table("tenant").drop_column("external_ref").to_owned()).await?;
        for t in [
            "webhook_announced",
            "webhook_delivery",
            "webhook",
            "calendar_feed",
            "automation_wording",
            "integration_event",
            "integration_run",
            "system_ref",
            "api_idempotency",
            "api_token",
        ] {
            m.drop_table(Table::drop().table(t).if_exists().to_owned()).await?;
        }
        Ok(())
    }
}
