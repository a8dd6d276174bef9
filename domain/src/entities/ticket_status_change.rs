use sea_orm::entity::prelude::*;
use vocabulary::TicketStatus;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "ticket_status_change")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub tenant_id: i64,
    pub ticket_id: i64,
    pub changed_by: Option<i64>,
    pub from_status: Option<TicketStatus>,
    pub to_status: TicketStatus,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
