//! Retention (issue 9): a case or register entry past its term is purged, leaving a minimal
//! anonymous record. The audit chain's second version hashes a digest of each entry's detail,
//! so a purged case's details can be blanked while the chain still verifies.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // NULL marks an entry of the first chain version (hashed over the detail itself); the
        // application re-seals those at start-up.
        m.alter_table(Table::alter().table("audit_log").add_column(string_null("detail_digest")).to_owned()).await?;
        m.alter_table(Table::alter().table("audit_log").add_column(boolean("detail_purged").default(false)).to_owned())
            .await?;
        m.alter_table(Table::alter().table("cases").add_column(date_null("purged_on")).to_owned()).await?;
        m.alter_table(Table::alter().table("register_entries").add_column(date_null("purged_on")).to_owned()).await?;
        m.create_index(
            Index::create()
                .name("idx_register_entries_closed_on")
                .table("register_entries")
                .col("closed_on")
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("idx_register_entries_closed_on").table("register_entries").to_owned()).await?;
        m.alter_table(Table::alter().table("register_entries").drop_column("purged_on").to_owned()).await?;
        m.alter_table(Table::alter().table("cases").drop_column("purged_on").to_owned()).await?;
        m.alter_table(Table::alter().table("audit_log").drop_column("detail_purged").to_owned()).await?;
        m.alter_table(Table::alter().table("audit_log").drop_column("detail_digest").to_owned()).await
    }
}
