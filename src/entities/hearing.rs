//! The `hearings` table: hearings (Art 18, 20) and pre-hearing appearances (Art 14.2).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "hearings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub case_id: i32,
    /// `hoorzitting` or `verschijning`.
    pub kind: String,
    /// For a `verschijning`: `inlichtingen` or `schikking`.
    pub purpose: Option<String>,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    pub place: String,
    /// `gepland`, `gehouden` or `geannuleerd`.
    pub status: String,
    pub uid: String,
    pub sequence: i32,
    pub separately: bool,
    pub separately_reason: Option<String>,
    pub invited_at: Option<DateTimeUtc>,
    pub cancel_reason: Option<String>,
    pub minutes: String,
    pub minutes_final_at: Option<DateTimeUtc>,
    pub minutes_document_id: Option<i32>,
    pub settled: Option<bool>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
