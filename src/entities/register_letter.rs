//! The `register_letters` table: letters a school sent from its register.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "register_letters")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub entry_id: i32,
    pub kind: String,
    pub template_id: i32,
    pub recipient_name: String,
    pub recipient_address: Option<String>,
    pub recipient_email: Option<String>,
    pub channel: String,
    pub subject: String,
    pub body: String,
    pub letter_date: Date,
    pub document_id: i32,
    pub created_by: Option<i32>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
