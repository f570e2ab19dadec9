//! The `audit_log` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub seq: i64,
    pub at: DateTimeUtc,
    pub user_id: Option<i32>,
    pub actor: String,
    pub case_id: Option<i32>,
    pub action: String,
    pub detail: String,
    /// SHA-256 of `detail` as written (chain version 2); NULL for a version-1 entry.
    pub detail_digest: Option<String>,
    /// The detail was blanked when its case was purged; the digest still links it.
    pub detail_purged: bool,
    pub prev_hash: String,
    pub hash: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
