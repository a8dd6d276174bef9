use sea_orm::entity::prelude::*;
use vocabulary::ApprovalStatus;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "approval")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub tenant_id: i64,
    pub work_entry_id: i64,
    pub asked_by: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub downtime: String,
    #[sea_orm(column_type = "Text")]
    pub risk: String,
    #[sea_orm(column_type = "Text")]
    pub rollback: String,
    pub deadline: Option<DateTimeUtc>,
    pub approvals_needed: i32,
    pub status: ApprovalStatus,
    pub approved_window_id: Option<i64>,
    pub created_at: DateTimeUtc,
    pub decided_at: Option<DateTimeUtc>,
    pub done_without_approval_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
