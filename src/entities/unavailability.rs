//! The `unavailabilities` table: periods a member or a party cannot attend a hearing.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "unavailabilities")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub member_id: Option<i32>,
    pub party_id: Option<i32>,
    pub from_on: Date,
    pub to_on: Date,
    pub note: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
