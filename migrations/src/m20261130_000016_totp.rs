//! Two-factor login (TOTP, RFC 6238): the account's secret (set when enrolment starts, in
//! force once `totp_enabled_at` is set), the last time step used (a code is never accepted
//! twice), and the single-use recovery codes, of which only a SHA-256 hash is kept.

use crate::helpers::{fk, index};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters a table one column at a time.
        m.alter_table(Table::alter().table("users").add_column(string_null("totp_secret")).to_owned()).await?;
        m.alter_table(
            Table::alter().table("users").add_column(timestamp_with_time_zone_null("totp_enabled_at")).to_owned(),
        )
        .await?;
        m.alter_table(Table::alter().table("users").add_column(big_integer_null("totp_last_step")).to_owned()).await?;
        m.create_table(
            Table::create()
                .table("user_recovery_codes")
                .col(pk_auto("id"))
                .col(integer("user_id"))
                .col(string_len("code_hash", 64))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("used_at"))
                .foreign_key(&mut fk("user_recovery_codes", "user_id", "users", ForeignKeyAction::Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(index("user_recovery_codes", &["user_id"])).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("user_recovery_codes").to_owned()).await?;
        m.alter_table(Table::alter().table("users").drop_column("totp_last_step").to_owned()).await?;
        m.alter_table(Table::alter().table("users").drop_column("totp_enabled_at").to_owned()).await?;
        m.alter_table(Table::alter().table("users").drop_column("totp_secret").to_owned()).await
    }
}
