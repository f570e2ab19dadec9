//! Intake (Art 11-13, 26): the completeness checklist and its flags on the case, the
//! commission's decision on a late klaagschrift, where a case was forwarded, and more than one
//! attachment per e-mail (the klaagschrift's documents go with the letter to the aangeklaagde).

use crate::helpers::{fk, index, one_of};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let add = |col: &mut ColumnDef| Table::alter().table("cases").add_column(col).to_owned();
        // Art 11.3: seven characters, one per requirement: '1' present, '0' missing, '?' not
        // yet confirmed.
        m.alter_table(add(string("checklist").default("???????"))).await?;
        // Art 11.4: a klaagschrift in another language awaits its translation.
        m.alter_table(add(boolean("needs_translation").default(false))).await?;
        // Art 11.2: an oral complaint whose verslag the klager has not yet signed.
        m.alter_table(add(boolean("awaiting_signature").default(false))).await?;
        // Art 11.1: who signed the klaagschrift.
        m.alter_table(add(string("signed_by").default("klager").check(one_of(
            "cases_signed_by",
            "signed_by",
            &["klager", "gemachtigde"],
        ))))
        .await?;
        // Art 11.6: the body that forwarded the complaint, and the date it received it.
        m.alter_table(add(&mut text_null("forwarded_by"))).await?;
        m.alter_table(add(&mut date_null("forwarded_received_on"))).await?;
        // Art 11.5: the commission's decision on a late klaagschrift, with its reason.
        m.alter_table(add(string_null("late_decision").check(one_of(
            "cases_late_decision",
            "late_decision",
            &["aangenomen", "afgewezen"],
        ))))
        .await?;
        m.alter_table(add(&mut text_null("late_reason"))).await?;

        m.create_table(
            Table::create()
                .table("outbox_attachments")
                .col(integer("outbox_id"))
                .col(integer("document_id"))
                .col(integer("position"))
                .primary_key(Index::create().col("outbox_id").col("position"))
                .foreign_key(&mut fk("outbox_attachments", "outbox_id", "outbox", ForeignKeyAction::Cascade))
                .foreign_key(&mut fk("outbox_attachments", "document_id", "documents", ForeignKeyAction::Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(index("outbox_attachments", &["document_id"])).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("outbox_attachments".to_owned()).to_owned()).await?;
        for col in [
            "late_reason",
            "late_decision",
            "forwarded_received_on",
            "forwarded_by",
            "signed_by",
            "awaiting_signature",
            "needs_translation",
            "checklist",
        ] {
            m.alter_table(Table::alter().table("cases").drop_column(col).to_owned()).await?;
        }
        Ok(())
    }
}
