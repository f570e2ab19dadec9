//! The access log (issue 9): every view of a case, every download of one of its documents and
//! every API read, by whom and when. Reading changes nothing, so this is a plain table outside
//! the audit chain.

use crate::helpers::{fk, index, one_of};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const WHAT: &[&str] = &["zaak", "document", "advies", "zitting", "register", "api"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("access_log")
                .col(big_pk_auto("id"))
                .col(integer("case_id"))
                .col(integer_null("user_id"))
                .col(string("what").check(one_of("access_log_what", "what", WHAT)))
                .col(text_null("detail"))
                .col(timestamp_with_time_zone("at"))
                .foreign_key(&mut fk("access_log", "case_id", "cases", ForeignKeyAction::Cascade))
                .foreign_key(&mut fk("access_log", "user_id", "users", ForeignKeyAction::SetNull))
                .to_owned(),
        )
        .await?;
        m.create_index(index("access_log", &["case_id", "at"])).await?;
        m.create_index(index("access_log", &["user_id", "at"])).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("access_log").to_owned()).await
    }
}
