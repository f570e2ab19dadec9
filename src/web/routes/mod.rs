//! One module per feature, each registering its routes with their access rule.

pub mod admin;
pub mod assets;
pub mod auth;
pub mod calendars;
pub mod cases;
pub mod commission;
pub mod deadlines;
pub mod home;

use super::error::AppError;

pub async fn not_found() -> AppError {
    AppError::NotFound
}
