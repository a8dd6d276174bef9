use sea_orm::entity::prelude::*;
use vocabulary::TenantStatus;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tenant")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub slug: String,
    pub name: String,
    pub time_zone: String,
    pub business_days: i16,
    pub business_start_minute: i16,
    pub business_end_minute: i16,
    pub included_hours: Option<i32>,
    pub status: TenantStatus,
    pub next_ticket_number: i64,
    pub external_ref: Option<String>,
    pub created_at: DateTimeUtc,
    /// Every user of this client must sign in with a second step.
    pub two_step_required: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
