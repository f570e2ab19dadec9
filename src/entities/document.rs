//! The `documents` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "documents")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub case_id: i32,
    pub title: String,
    pub file_name: String,
    pub media_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub received_on: Date,
    pub registered_by: Option<i32>,
    pub registered_at: DateTimeUtc,
    pub restricted: bool,
    /// `in` for what the commission received, `uit` for the letters it sent.
    pub direction: String,
    /// Art 15: the party (`klager`, `aangeklaagde`) from whom a restricted document is kept.
    pub restricted_for: Option<String>,
    pub restriction_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
