//! Client-visible, done work totalled by client, UTC day and category; written only by the
//! database's triggers on `work_entry` (migration `m20261210_000001_work_days`).

use sea_orm::entity::prelude::*;
use vocabulary::Category;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "work_day")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub day: Date,
    /// The table's key ends with the category; sea-orm is told (tenant, day) only, as it cannot
    /// key on a word type, and the app never looks a row up by its key.
    pub category: Category,
    pub entries: i32,
    pub minutes: i32,
    pub after_hours_minutes: i32,
    pub proactive_entries: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
