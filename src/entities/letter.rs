//! The `letters` table: each letter sent on a case, with the template version that produced it.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "letters")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub case_id: i32,
    pub kind: String,
    pub template_id: i32,
    pub recipient_role: String,
    pub recipient_name: String,
    pub recipient_address: Option<String>,
    pub recipient_email: Option<String>,
    pub channel: String,
    pub subject: String,
    pub body: String,
    pub layout: String,
    pub letter_date: Date,
    pub document_id: i32,
    pub created_by: Option<i32>,
    pub created_at: DateTimeUtc,
    pub posted_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
