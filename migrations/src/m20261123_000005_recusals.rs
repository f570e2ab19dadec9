//! Wraking and verschoning (Art 19): a party's challenge of a panel member, or a member's
//! request to withdraw, with its grounds, the votes of the other panel members, and the decision.

use crate::helpers::{fk, index, one_of};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("recusals")
                .col(pk_auto("id"))
                .col(integer("case_id"))
                .col(integer("member_id"))
                .col(string("kind").check(one_of("recusals_kind", "kind", &["wraking", "verschoning"])))
                // Who asked: a party (its name and role) or the member itself.
                .col(string("requested_by"))
                .col(text("grounds"))
                .col(date("received_on"))
                .col(string("status").check(one_of("recusals_status", "status", &["open", "toegewezen", "afgewezen"])))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("decided_at"))
                .foreign_key(&mut fk("recusals", "case_id", "cases", ForeignKeyAction::Cascade))
                .foreign_key(&mut fk("recusals", "member_id", "members", ForeignKeyAction::Restrict))
                .to_owned(),
        )
        .await?;
        m.create_index(index("recusals", &["case_id", "status"])).await?;
        m.create_table(
            Table::create()
                .table("recusal_votes")
                .col(integer("recusal_id"))
                .col(integer("member_id"))
                .col(boolean("grant"))
                .col(text_null("reason"))
                .col(timestamp_with_time_zone("voted_at"))
                .primary_key(Index::create().col("recusal_id").col("member_id"))
                .foreign_key(&mut fk("recusal_votes", "recusal_id", "recusals", ForeignKeyAction::Cascade))
                .foreign_key(&mut fk("recusal_votes", "member_id", "members", ForeignKeyAction::Restrict))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("recusal_votes".to_owned()).to_owned()).await?;
        m.drop_table(Table::drop().table("recusals".to_owned()).to_owned()).await?;
        Ok(())
    }
}
