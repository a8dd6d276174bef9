use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "automation_wording")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    /// An `EventKind` word (a primary key must be a plain column type).
    pub kind: String,
    #[sea_orm(column_type = "Text")]
    pub why_it_matters: String,
    pub updated_by: Option<i64>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
