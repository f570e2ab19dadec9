//! maud views: a layout, small components, and one module per page. Views take plain data,
//! never a database handle. All user text goes through maud's escaping.

pub mod account;
pub mod admin;
pub mod advies;
pub mod auth;
pub mod calendars;
pub mod cases;
pub mod commission;
pub mod components;
pub mod deadlines;
pub mod dossier;
pub mod errors;
pub mod hearings;
pub mod home;
pub mod intake;
pub mod integration;
pub mod layout;
pub mod letters;
pub mod publications;
pub mod recusals;
pub mod register;
pub mod reports;
pub mod retention;
pub mod totp;
