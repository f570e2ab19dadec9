//! Indexes found by the load run with 100,000 cases (issue 10): the board portal and the
//! filtered register count a board's or school's cases per status, and the portal lists the
//! adviezen a board received newest first. Without them those pages read every case of the
//! board or school.

use crate::helpers::index;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(index("cases", &["board_id", "status", "received_on"])).await?;
        m.create_index(index("cases", &["school_id", "status", "received_on"])).await?;
        m.create_index(index("adviezen", &["sent_at"])).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (table, name) in [
            ("adviezen", "ix_adviezen_sent_at"),
            ("cases", "ix_cases_school_id_status_received_on"),
            ("cases", "ix_cases_board_id_status_received_on"),
        ] {
            m.drop_index(Index::drop().name(name).table(table).to_owned()).await?;
        }
        Ok(())
    }
}
