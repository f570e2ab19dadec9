//! Written handling (Art 17): the consent of the commission, the klager and the aangeklaagde,
//! and the dupliek term the chair set, kept until the repliek arrives.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // Three characters, commissie, klager, aangeklaagde: '1' consented.
        m.alter_table(Table::alter().table("cases").add_column(string("written_consent").default("000")).to_owned())
            .await?;
        m.alter_table(Table::alter().table("cases").add_column(string_null("dupliek_term")).to_owned()).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("cases").drop_column("dupliek_term").to_owned()).await?;
        m.alter_table(Table::alter().table("cases").drop_column("written_consent").to_owned()).await?;
        Ok(())
    }
}
