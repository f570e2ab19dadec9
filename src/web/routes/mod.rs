//! One module per feature, each registering its routes with their access rule.

pub mod account;
pub mod admin;
pub mod advies;
pub mod assets;
pub mod auth;
pub mod calendars;
pub mod cases;
pub mod commission;
pub mod deadlines;
pub mod dossier;
pub mod hearings;
pub mod home;
pub mod intake;
pub mod integration;
pub mod letters;
pub mod publications;
pub mod recusals;
pub mod register;
pub mod reports;
pub mod retention;
pub mod totp;

use super::error::AppError;

pub async fn not_found() -> AppError {
    AppError::NotFound
}
