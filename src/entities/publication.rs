//! The `publications` table: the anonymised advies of a case as published on `/uitspraken`
//! (issue 9). `case_id` has no foreign key: the retention purge detaches a publication from
//! the case it removes, and the anonymous text stays.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "publications")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// `None` once the case itself was purged.
    pub case_id: Option<i32>,
    /// The public number, `2026-012`, given when first published.
    pub number: Option<String>,
    /// `concept`, `gepubliceerd` or `ingetrokken`.
    pub status: String,
    /// `domain::case::Sector` code of the school.
    pub sector: String,
    /// `domain::case::ComplaintKind` code.
    pub theme: String,
    /// `domain::case::Outcome` code.
    pub outcome: String,
    pub title: String,
    pub situation: String,
    /// The oordeel.
    pub judgment: String,
    /// The overwegingen.
    pub explanation: String,
    /// `domain::anonymise::search_text` of the published fields and tags.
    pub search_text: String,
    pub advies_date: Date,
    pub reviewed_by: Option<i32>,
    pub published_at: Option<DateTimeUtc>,
    pub withdrawn_at: Option<DateTimeUtc>,
    /// Internal: why it was withdrawn (never public).
    pub withdrawn_reason: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
