//! Two facts of a case the reports and the retention policy need: the kind of complaint (a
//! theme, for the annual report and publication) and the day the case was closed (from which
//! its five-year retention term runs).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters a table one change at a time.
        m.alter_table(Table::alter().table("cases").add_column(string_null("complaint_kind")).to_owned()).await?;
        m.alter_table(Table::alter().table("cases").add_column(date_null("closed_on")).to_owned()).await?;
        // Cases closed before this migration: the day of their last change is the best record.
        let backfill = match m.get_database_backend() {
            sea_orm::DatabaseBackend::Postgres => {
                "UPDATE cases SET closed_on = (updated_at AT TIME ZONE 'Europe/Amsterdam')::date WHERE status = 'afgesloten'"
            }
            _ => "UPDATE cases SET closed_on = date(updated_at) WHERE status = 'afgesloten'",
        };
        m.get_connection().execute_unprepared(backfill).await?;
        m.create_index(Index::create().name("idx_cases_closed_on").table("cases").col("closed_on").to_owned()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("idx_cases_closed_on").table("cases").to_owned()).await?;
        m.alter_table(Table::alter().table("cases").drop_column("closed_on").to_owned()).await?;
        m.alter_table(Table::alter().table("cases").drop_column("complaint_kind").to_owned()).await
    }
}
