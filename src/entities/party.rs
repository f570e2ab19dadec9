//! The `parties` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "parties")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub case_id: i32,
    pub role: String,
    pub name: String,
    pub address: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub minor: bool,
    /// Art 15: a gemachtigde's standing: `advocaat`, `arts` or `toegelaten`.
    pub qualification: Option<String>,
    /// Art 21: who brings a witness, expert, interpreter or companion (`klager`, `aangeklaagde`,
    /// `commissie`).
    pub brought_by: Option<String>,
    /// Art 21.4: when the name reached the commission.
    pub announced_on: Option<Date>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
