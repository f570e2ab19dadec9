//! The `register_entries` table: a complaint in a school's own register (registratieformulier).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "register_entries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub board_id: i32,
    pub school_id: i32,
    pub year: i32,
    pub seq: i32,
    pub received_on: Date,
    pub recorded_at: DateTimeUtc,
    /// `mondeling` or `schriftelijk`.
    pub received_how: String,
    pub complainant_name: String,
    /// `ouder`, `leerling` or `anders`.
    pub complainant_role: String,
    pub child_name: Option<String>,
    pub group_name: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// What a written complaint carried (name, address, signature).
    pub written_name: bool,
    pub written_address: bool,
    pub written_signed: bool,
    pub nature: String,
    pub kind: String,
    pub complained_about: String,
    pub facts_on: Option<Date>,
    /// The director accepted a complaint filed more than a year after the facts.
    pub late_allowed: bool,
    pub handler: Option<String>,
    pub handler_assigned_at: Option<DateTimeUtc>,
    pub answer_due: Option<Date>,
    /// A written notice moved the answer to this date.
    pub answer_delayed_to: Option<Date>,
    pub delay_reason: Option<String>,
    pub decided_on: Option<Date>,
    pub decision: String,
    pub cause: String,
    pub solution: String,
    pub measures: String,
    pub follow_up_due: Option<Date>,
    pub follow_up_on: Option<Date>,
    pub follow_up_report: String,
    pub status: String,
    pub status_reason: Option<String>,
    pub closed_on: Option<Date>,
    /// The day the retention purge removed the entry's personal data and documents.
    pub purged_on: Option<Date>,
    /// The commission's case after escalation (step 5).
    pub case_id: Option<i32>,
    pub escalated_at: Option<DateTimeUtc>,
    pub created_by: Option<i32>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
