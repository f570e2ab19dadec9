//! Accounts and sessions: password hashing, session tokens, login with rate limiting and
//! optional or required two-factor login (TOTP), logout.

pub mod login;
pub mod password;
pub mod token;
pub mod totp;

use crate::domain::access::{Role, Viewer};

/// The signed-in user, as the web layer knows them for one request.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: i32,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub member_id: Option<i32>,
    pub board_id: Option<i32>,
    /// A contactpersoon's one school (board users only).
    pub school_id: Option<i32>,
    pub session_id: String,
}

impl CurrentUser {
    pub fn viewer(&self) -> Viewer {
        Viewer { role: self.role, member_id: self.member_id, board_id: self.board_id, school_id: self.school_id }
    }

    pub fn actor(&self) -> crate::audit::Actor {
        crate::audit::Actor { user_id: Some(self.id), name: format!("{} ({})", self.name, self.role.label()) }
    }
}
