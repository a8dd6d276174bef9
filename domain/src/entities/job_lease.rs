use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "job_lease")]
pub struct Model {
    /// A `vocabulary::Job` word.
    #[sea_orm(primary_key, auto_increment = false)]
    pub job: String,
    pub holder: Option<String>,
    pub lease_until: Option<DateTimeUtc>,
    pub next_run_at: DateTimeUtc,
    pub failures: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
