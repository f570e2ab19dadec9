//! Integration tests: the real router served over real HTTP, against real SQLite files and
//! (with `KC_TEST_POSTGRES` set) a fresh PostgreSQL database, with the real migrations.

mod a11y;
mod access;
mod access_log;
mod admin;
mod advies;
mod api;
mod audit;
mod auth;
mod backup;
mod browser;
mod cases;
mod cli;
mod common;
mod deadlines;
mod dossier;
mod faults;
mod fuzz;
mod hearings;
mod intake;
mod letters;
mod load;
mod panel;
mod publication;
mod register;
mod reports;
mod retention;
mod smtp_sink;
mod totp;
