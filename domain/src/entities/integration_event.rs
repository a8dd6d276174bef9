use sea_orm::entity::prelude::*;
use vocabulary::{EventKind, EventResult, Visibility};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "integration_event")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub tenant_id: i64,
    pub source: String,
    pub external_id: String,
    pub run_id: i64,
    pub system_ref: String,
    pub system_id: Option<i64>,
    pub kind: EventKind,
    pub occurred_at: DateTimeUtc,
    pub duration_minutes: Option<i32>,
    pub result: EventResult,
    pub title: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub details: String,
    pub actor_id: Option<i64>,
    pub visibility: Option<Visibility>,
    pub content_hash: String,
    pub received_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
