use sea_orm::entity::prelude::*;
use vocabulary::Role;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "user_account")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub email: String,
    pub display_name: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub password_hash: Option<String>,
    pub role: Role,
    pub tenant_id: Option<i64>,
    pub active: bool,
    pub last_login_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    /// The TOTP secret, sealed with the installation's key (`crate::secrets`).
    #[sea_orm(column_type = "Text", nullable)]
    pub totp_secret: Option<String>,
    /// When two-step sign-in was set up; `None`: it is off.
    pub totp_enrolled_at: Option<DateTimeUtc>,
    /// The newest time step whose code was accepted (that one and earlier ones are refused).
    pub totp_last_step: Option<i64>,
    /// A client user named by a client admin to decide on planned work (admins always may).
    pub approver: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
