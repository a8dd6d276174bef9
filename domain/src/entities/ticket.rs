use sea_orm::entity::prelude::*;
use vocabulary::{Impact, TicketSource, TicketStatus, Urgency};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "ticket")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub tenant_id: i64,
    pub number: i64,
    pub subject: String,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    pub requester_id: Option<i64>,
    pub assignee_id: Option<i64>,
    pub status: TicketStatus,
    pub impact: Impact,
    pub urgency: Urgency,
    pub priority: i16,
    pub first_response_due_at: DateTimeUtc,
    pub resolution_due_at: DateTimeUtc,
    pub first_response_at: Option<DateTimeUtc>,
    pub resolved_at: Option<DateTimeUtc>,
    pub closed_at: Option<DateTimeUtc>,
    pub source: TicketSource,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
