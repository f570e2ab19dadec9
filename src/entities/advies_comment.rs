//! The `advies_comments` table: the panel's comments on a draft.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "advies_comments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub advies_id: i32,
    pub revision: i32,
    pub author_id: Option<i32>,
    pub author_name: String,
    pub body: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
