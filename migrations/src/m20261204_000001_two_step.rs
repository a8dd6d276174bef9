//! Two-step sign-in (TOTP): the user's sealed secret and the last time step accepted (so that a
//! code works once), hashed recovery codes, a client-wide requirement, and the short-lived state
//! between the password and the second step.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261204_000001_two_step"
    }
}

fn to_user(table: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_user_id"))
        .from(table, "user_id")
        .to("user_account", "id")
        .on_delete(ForeignKeyAction::Cascade)
        .on_update(ForeignKeyAction::NoAction)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        // The TOTP secret, sealed with the installation's secret key (never stored in the clear).
        m.alter_table(Table::alter().table("user_account").add_column(text_null("totp_secret")).to_owned()).await?;
        m.alter_table(
            Table::alter()
                .table("user_account")
                .add_column(timestamp_with_time_zone_null("totp_enrolled_at"))
                .to_owned(),
        )
        .await?;
        // The newest 30-second step whose code was accepted: that step and every earlier one are
        // refused from then on (a code works once).
        m.alter_table(Table::alter().table("user_account").add_column(big_integer_null("totp_last_step")).to_owned())
            .await?;
        m.alter_table(
            Table::alter().table("tenant").add_column(boolean("two_step_required").default(false)).to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("recovery_code")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(big_integer("user_id"))
                // SHA-256 of the code: the codes carry 50 random bits, so a slow hash adds nothing.
                .col(string_len("code_hash", 64))
                .col(timestamp_with_time_zone_null("used_at"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut to_user("recovery_code"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_recovery_code_user_id")
                .table("recovery_code")
                .col("user_id")
                .if_not_exists()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("sign_in_challenge")
                .if_not_exists()
                .col(big_pk_auto("id"))
                // SHA-256 of the random token in the browser's two-step cookie.
                .col(string_len("token_hash", 64).unique_key())
                .col(big_integer("user_id"))
                // code | setup | recovery_codes
                .col(string_len("stage", 20))
                // While setting up: the new secret, sealed; then the recovery codes to show once,
                // sealed, until the person says they have kept them.
                .col(text_null("pending_secret"))
                .col(text_null("pending_codes"))
                .col(integer("failures").default(0))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("expires_at"))
                .col(string_len_null("ip", 64))
                .col(string_len_null("user_agent", 400))
                .foreign_key(&mut to_user("sign_in_challenge"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_sign_in_challenge_user_id")
                .table("sign_in_challenge")
                .col("user_id")
                .if_not_exists()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("sign_in_challenge").if_exists().to_owned()).await?;
        m.drop_table(Table::drop().table("recovery_code").if_exists().to_owned()).await?;
        m.alter_table(Table::alter().table("tenant").drop_column("two_step_required").to_owned()).await?;
        for c in ["totp_last_step", "totp_enrolled_at", "totp_secret"] {
            m.alter_table(Table::alter().table("user_account").drop_column(c).to_owned()).await?;
        }
        Ok(())
    }
}
