use sea_orm::entity::prelude::*;
use vocabulary::ChallengeStage;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sign_in_challenge")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub token_hash: String,
    pub user_id: i64,
    pub stage: ChallengeStage,
    #[sea_orm(column_type = "Text", nullable)]
    pub pending_secret: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub pending_codes: Option<String>,
    pub failures: i32,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
