use sea_orm::entity::prelude::*;
use vocabulary::Visibility;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "ticket_comment")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub tenant_id: i64,
    pub ticket_id: i64,
    pub author_id: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub body: String,
    pub visibility: Visibility,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
