//! The `cases` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "cases")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub zaaknummer: String,
    pub year: i32,
    pub received_on: Date,
    pub school_id: i32,
    pub board_id: i32,
    pub status: String,
    pub outcome: Option<String>,
    pub subject: String,
    pub facts_date: Option<Date>,
    pub arrival: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Art 27: school holidays count for this case's terms.
    pub urgent: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
