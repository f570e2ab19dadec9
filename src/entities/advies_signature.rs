//! The `advies_signatures` table: the signatures of the chair and the secretary (Art 25.3).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "advies_signatures")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub advies_id: i32,
    /// `voorzitter` or `secretaris`.
    pub role: String,
    pub user_id: Option<i32>,
    pub signer_name: String,
    pub signed_at: DateTimeUtc,
    pub jws: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
