//! Restricted documents (Art 15): which party a restricted document is kept from, and which
//! gemachtigden may nevertheless see it (a lawyer, a doctor, or one specially admitted).

use crate::helpers::one_of;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // The party whose inspection is reserved to its qualified gemachtigde.
        m.alter_table(
            Table::alter()
                .table("documents")
                .add_column(string_null("restricted_for").check(one_of(
                    "documents_restricted_for",
                    "restricted_for",
                    &["klager", "aangeklaagde"],
                )))
                .to_owned(),
        )
        .await?;
        m.alter_table(Table::alter().table("documents").add_column(text_null("restriction_reason")).to_owned()).await?;
        // A gemachtigde's standing for Art 15: advocaat, arts, or toegelaten (admitted by the commission).
        m.alter_table(
            Table::alter()
                .table("parties")
                .add_column(string_null("qualification").check(one_of(
                    "parties_qualification",
                    "qualification",
                    &["advocaat", "arts", "toegelaten"],
                )))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("parties").drop_column("qualification").to_owned()).await?;
        m.alter_table(Table::alter().table("documents").drop_column("restriction_reason").to_owned()).await?;
        m.alter_table(Table::alter().table("documents").drop_column("restricted_for").to_owned()).await?;
        Ok(())
    }
}
