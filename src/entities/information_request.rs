//! The `information_requests` table: the commission's written requests for information (Art 14.1).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "information_requests")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub case_id: i32,
    /// The addressee as a letter's `To` code: `partij-<id>` or `bestuur`.
    pub recipient: String,
    pub recipient_name: String,
    pub question: String,
    pub requested_on: Date,
    pub due_on: Option<Date>,
    pub answered_on: Option<Date>,
    pub answer_document_id: Option<i32>,
    pub created_by: Option<i32>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
