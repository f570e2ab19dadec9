//! The `deliberation_questions` table: a question put to the vote (Art 24).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "deliberation_questions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub deliberation_id: i32,
    pub position: i32,
    /// `ontvankelijk`, `gegrond` (one part of the complaint) or `maatregelen`.
    pub kind: String,
    pub question: String,
    pub adopted: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
