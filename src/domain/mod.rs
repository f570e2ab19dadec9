//! The rules of the reglement and the school protocols as pure types and functions: no I/O,
//! no database, no web. Each rule names its article.

pub mod access;
pub mod advies;
pub mod annual_report;
pub mod anonymise;
pub mod api;
pub mod audit_chain;
pub mod calendar_import;
pub mod case;
pub mod case_order;
pub mod commission;
pub mod deadline;
pub mod deliberation;
pub mod digest;
pub mod dutch;
pub mod hearing;
pub mod holidays;
pub mod ical;
pub mod intake;
pub mod letter;
pub mod outbox;
pub mod panel;
pub mod proposal;
pub mod recusal;
pub mod restriction;
pub mod retention;
pub mod school_calendar;
pub mod school_register;
pub mod termijn;
pub mod totp;
pub mod upload;
pub mod validate;
pub mod zaaknummer;
