//! sea-orm entities, one per table, mirroring the migrations. No behaviour here: queries and
//! rules live in the use-case modules and in `domain`.

pub mod atw_decreed_day;
pub mod audit_entry;
pub mod board;
pub mod case;
pub mod deadline;
pub mod digest_run;
pub mod document;
pub mod document_content;
pub mod hearing;
pub mod hearing_attendance;
pub mod holiday_period;
pub mod information_request;
pub mod letter;
pub mod letter_template;
pub mod login_attempt;
pub mod member;
pub mod member_affiliation;
pub mod notification;
pub mod outbox_attachment;
pub mod outbox_message;
pub mod panel_member;
pub mod party;
pub mod recusal;
pub mod recusal_vote;
pub mod school;
pub mod session;
pub mod setting;
pub mod unavailability;
pub mod user;
