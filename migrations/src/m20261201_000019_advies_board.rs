//! The board on each advies row, with a (board_id, sent_at) index, for the board portal's
//! "adviezen received" (issue 10). Without it the list had to start either from the board's
//! cases (slow for a board with a long history: 5 ms at 100,000 cases, growing with it) or from
//! all adviezen by `sent_at` (slow for a small board among many). A case never changes board,
//! so the copy stays right; the application sets it on every insert.

use crate::helpers::index;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter().table("adviezen").add_column(ColumnDef::new("board_id").integer().null()).to_owned(),
        )
        .await?;
        m.get_connection()
            .execute_unprepared(
                "UPDATE adviezen SET board_id = (SELECT c.board_id FROM cases c WHERE c.id = adviezen.case_id)",
            )
            .await?;
        m.create_index(index("adviezen", &["board_id", "sent_at"])).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("ix_adviezen_board_id_sent_at").table("adviezen").to_owned()).await?;
        m.alter_table(Table::alter().table("adviezen").drop_column("board_id").to_owned()).await
    }
}
