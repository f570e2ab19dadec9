//! The `adviezen` table: the versions of the advies of a case (Art 25).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "adviezen")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub case_id: i32,
    /// The case's bevoegd gezag, copied for the portal's (board_id, sent_at) index (migration
    /// 000019); a case never changes board.
    pub board_id: Option<i32>,
    pub version: i32,
    /// `concept`, `definitief`, `ondertekend` or `verzonden`.
    pub status: String,
    pub corrects_id: Option<i32>,
    pub correction_note: Option<String>,
    pub advies_date: Date,
    pub section_a: String,
    pub section_b: String,
    pub section_c: String,
    pub section_d: String,
    pub outcome: Option<String>,
    pub revision: i32,
    pub verification_code: Option<String>,
    pub pdf_document_id: Option<i32>,
    pub pdf_sha256: Option<String>,
    pub finalized_at: Option<DateTimeUtc>,
    pub sent_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
