//! The `hearing_attendance` table: who was present at a hearing, and who was heard separately.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "hearing_attendance")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub hearing_id: i32,
    pub party_id: Option<i32>,
    pub member_id: Option<i32>,
    pub name: String,
    pub capacity: String,
    pub present: bool,
    pub heard_separately: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
