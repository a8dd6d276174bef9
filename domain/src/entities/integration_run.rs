use sea_orm::entity::prelude::*;
use vocabulary::EventKind;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "integration_run")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub tenant_id: i64,
    pub source: String,
    pub kind: EventKind,
    pub run_day: Date,
    pub work_entry_id: Option<i64>,
    pub generated_at: Option<DateTimeUtc>,
    pub kept_by_staff: bool,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
