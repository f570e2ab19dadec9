//! The `outbox_attachments` table: further documents sent with an e-mail, in order.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox_attachments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub outbox_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub position: i32,
    pub document_id: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
