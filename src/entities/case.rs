//! The `cases` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "cases")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub zaaknummer: String,
    pub year: i32,
    pub received_on: Date,
    pub school_id: i32,
    pub board_id: i32,
    pub status: String,
    pub outcome: Option<String>,
    pub subject: String,
    pub facts_date: Option<Date>,
    pub arrival: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Art 27: school holidays count for this case's terms.
    pub urgent: bool,
    /// Art 11.3: one character per requirement, '1' present, '0' missing, '?' unconfirmed.
    pub checklist: String,
    /// Art 11.4: awaiting a translation.
    pub needs_translation: bool,
    /// Art 11.2: an oral complaint whose verslag is not yet signed.
    pub awaiting_signature: bool,
    /// Art 11.1: `klager` or `gemachtigde`.
    pub signed_by: String,
    /// Art 11.6: the body that forwarded the complaint and its receipt date.
    pub forwarded_by: Option<String>,
    pub forwarded_received_on: Option<Date>,
    /// Art 11.5: `aangenomen` or `afgewezen` for a late klaagschrift.
    pub late_decision: Option<String>,
    pub late_reason: Option<String>,
    /// Art 17: consent of commissie, klager, aangeklaagde ('1' given), three characters.
    pub written_consent: String,
    /// Art 17: the dupliek term the chair set, until the repliek arrives.
    pub dupliek_term: Option<String>,
    /// The last `status/outcome` the board's webhook was told about.
    pub announced_state: Option<String>,
    /// The kind of complaint (`domain::case::ComplaintKind`), for reports and publication.
    pub complaint_kind: Option<String>,
    /// The day the case was closed (status `afgesloten`): its retention term runs from here.
    pub closed_on: Option<Date>,
    /// The day the retention purge removed the file, leaving this anonymous record.
    pub purged_on: Option<Date>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
