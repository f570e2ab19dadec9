//! The `members` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "members")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub is_chair: bool,
    pub is_jurist: bool,
    pub expertise: String,
    pub sectors: String,
    pub term_start: Date,
    pub term_end: Date,
    pub renewals: i32,
    pub active: bool,
    /// Part of the member's calendar feed URL; raising it revokes the old URL.
    pub feed_version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
