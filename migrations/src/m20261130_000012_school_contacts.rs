//! A board user may be a school's contactpersoon klachten: `users.school_id` limits the account
//! to that one school of its board (its register and its cases).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // No foreign key: SQLite cannot add one to an existing table; the application checks
        // that the school belongs to the account's board.
        m.alter_table(Table::alter().table("users").add_column(integer_null("school_id")).to_owned()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("users").drop_column("school_id").to_owned()).await
    }
}
