//! The `holiday_periods` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "holiday_periods")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub region: Option<String>,
    pub school_id: Option<i32>,
    pub school_year: i32,
    pub kind: Option<String>,
    pub name: String,
    pub start_on: Date,
    pub end_on: Date,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
