//! The `recusal_votes` table: each other panel member's vote on a request (Art 19.3).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "recusal_votes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub recusal_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub member_id: i32,
    pub grant: bool,
    pub reason: Option<String>,
    pub voted_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
