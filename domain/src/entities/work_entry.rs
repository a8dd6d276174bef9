use sea_orm::entity::prelude::*;
use vocabulary::{Category, Visibility, WorkState};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "work_entry")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub tenant_id: i64,
    pub category: Category,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub details: String,
    #[sea_orm(column_type = "Text")]
    pub why_it_matters: String,
    pub state: WorkState,
    pub started_at: DateTimeUtc,
    pub duration_minutes: i32,
    pub after_hours: bool,
    pub proactive: bool,
    pub visibility: Visibility,
    pub performed_by: i64,
    pub shadowed_by: Option<i64>,
    pub vendor_name: Option<String>,
    pub vendor_case_ref: Option<String>,
    pub ticket_id: Option<i64>,
    pub highlight: bool,
    /// Recorded by automation (an RMM or backup tool's events), not typed by a person.
    pub automated: bool,
    /// The key of the CSV row it was imported from (unique per client).
    pub import_key: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
