//! The `outbox` table: e-mail waiting for, or done with, delivery.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub message_id: String,
    pub purpose: String,
    pub case_id: Option<i32>,
    pub letter_id: Option<i32>,
    pub to_email: String,
    pub to_name: String,
    pub subject: String,
    pub body: String,
    pub attachment_document_id: Option<i32>,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    pub lease_owner: Option<String>,
    pub lease_until: Option<DateTimeUtc>,
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
    /// An iCalendar object sent along (a hearing invitation or cancellation).
    pub calendar: Option<String>,
    /// The PDF of a school register letter (in `register_documents`), attached.
    pub register_document_id: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
