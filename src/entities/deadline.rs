//! The `deadlines` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "deadlines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub case_id: i32,
    pub kind: String,
    pub event_on: Date,
    pub term: String,
    pub backward: bool,
    pub skip_school_holidays: bool,
    pub urgent: bool,
    pub extension_term: Option<String>,
    pub suspended_on: Option<Date>,
    pub resumed_on: Option<Date>,
    pub due_on: Option<Date>,
    pub explanation: String,
    pub status: String,
    pub closed_on: Option<Date>,
    pub decided_by: Option<i32>,
    pub decided_at: Option<DateTimeUtc>,
    pub decision_reason: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
