use sea_orm::entity::prelude::*;
use vocabulary::SummaryStatus;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "summary")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub tenant_id: i64,
    pub period_start: Date,
    pub period_end: Date,
    pub author_id: Option<i64>,
    pub subject: String,
    #[sea_orm(column_type = "Text")]
    pub personal_note: String,
    #[sea_orm(column_type = "Text")]
    pub content: String,
    pub status: SummaryStatus,
    pub sent_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text")]
    pub recipients: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
