//! The audit log says from which browser (its user agent, beside the address it already kept)
//! and, for an edit, what changed.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000001_audit_detail"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("audit_event").add_column(string_len_null("user_agent", 400)).to_owned())
            .await?;
        // e.g. "changed: title, duration; visibility: internal → client".
        m.alter_table(Table::alter().table("audit_event").add_column(text_null("detail")).to_owned()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("audit_event").drop_column("detail").to_owned()).await?;
        m.alter_table(Table::alter().table("audit_event").drop_column("user_agent").to_owned()).await
    }
}
