use sea_orm::entity::prelude::*;
use vocabulary::AuditAction;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_event")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub actor_id: Option<i64>,
    pub tenant_id: Option<i64>,
    pub action: AuditAction,
    pub target: String,
    pub ip: Option<String>,
    pub created_at: DateTimeUtc,
    pub user_agent: Option<String>,
    /// What changed, for an edit.
    #[sea_orm(column_type = "Text", nullable)]
    pub detail: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
