//! Publication of anonymised adviezen (issue 9): one publication per case, proposed from the
//! sent advies, reviewed by the secretary and published on the public page `/uitspraken`.
//!
//! `case_id` has no foreign key on purpose: the published text is anonymous and outlives the
//! case, which the retention purge removes (it sets `case_id` to NULL).

use crate::helpers::{index, one_of};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const STATUS: &[&str] = &["concept", "gepubliceerd", "ingetrokken"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("publications")
                .col(pk_auto("id"))
                .col(integer_null("case_id").unique_key())
                // The public number, `2026-012`; given when first published.
                .col(string_null("number").unique_key())
                .col(string("status").check(one_of("publications_status", "status", STATUS)))
                .col(string("sector"))
                .col(string("theme"))
                .col(string("outcome"))
                .col(text("title"))
                .col(text("situation"))
                .col(text("judgment"))
                .col(text("explanation"))
                // Lowercase, diacritics folded, words separated by single spaces (see
                // `domain::anonymise::search_text`).
                .col(text("search_text"))
                .col(date("advies_date"))
                .col(integer_null("reviewed_by"))
                .col(timestamp_with_time_zone_null("published_at"))
                .col(timestamp_with_time_zone_null("withdrawn_at"))
                .col(text_null("withdrawn_reason"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .to_owned(),
        )
        .await?;
        // The public page filters on these, always with the status, newest first.
        m.create_index(index("publications", &["status", "published_at"])).await?;
        m.create_index(index("publications", &["status", "sector"])).await?;
        m.create_index(index("publications", &["status", "theme"])).await?;
        m.create_index(index("publications", &["status", "outcome"])).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("publications").to_owned()).await
    }
}
