//! The `users` table. The password hash never appears in `Debug` output.

use sea_orm::entity::prelude::*;

#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub role: String,
    pub board_id: Option<i32>,
    /// A school's contactpersoon: the one school of the board this account is limited to.
    pub school_id: Option<i32>,
    pub member_id: Option<i32>,
    pub active: bool,
    pub created_at: DateTimeUtc,
    /// The daily digest of deadlines (secretary, chairs); on unless turned off.
    pub digest_enabled: bool,
    /// Board users: notices also by e-mail, not only in the portal.
    pub notify_by_email: bool,
    /// Two-factor login: the TOTP secret in base32, set when enrolment starts; in force only
    /// once `totp_enabled_at` is set. Never in `Debug` output.
    pub totp_secret: Option<String>,
    pub totp_enabled_at: Option<DateTimeUtc>,
    /// The last TOTP time step accepted: a code of this step or an earlier one is refused.
    pub totp_last_step: Option<i64>,
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("User")
            .field("id", &self.id)
            .field("email", &self.email)
            .field("role", &self.role)
            .field("password_hash", &"[redacted]")
            .field("totp_enabled", &self.totp_enabled_at.is_some())
            .finish_non_exhaustive()
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
