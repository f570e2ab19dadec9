//! The `boards` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "boards")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub name: String,
    pub address: String,
    pub email: Option<String>,
    pub affiliated_on: Date,
    pub terminated_on: Option<Date>,
    /// The school procedure the board follows (`alfrink`, `klassepro`): sets its register's terms.
    pub procedure: String,
    /// Where status changes of the board's cases are posted (the board's own system).
    pub webhook_url: Option<String>,
    /// The HMAC key those posts are signed with.
    pub webhook_secret: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
