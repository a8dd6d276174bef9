//! Administration, for MSP admins only: clients (create, edit, archive), users (invite, change
//! role, deactivate or reactivate) and the audit log. The capability is [`Admin`]; everyone else
//! is told these pages do not exist.

use super::tenant_by_slug;
use crate::audit;
use crate::auth::{CurrentUser, StaffAccess, session};
use crate::entities::{audit_event, invitation, tenant, user};
use crate::error::{DomainError, MissingIsInvalid, Result};
use crate::input::{Email, TimeZone};
use crate::invitations::{INVITATION_DAYS, Invited};
use crate::scope::Unscoped;
use crate::tenants::NewTenant;
use crate::time::now;
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Timelike, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use std::collections::HashMap;
use vocabulary::{AuditAction, Role, TenantStatus};

#[derive(Clone, Debug)]
pub struct Admin {
    pub user: CurrentUser,
    db: DatabaseConnection,
}

impl StaffAccess {
    pub fn admin(&self) -> Option<Admin> {
        (self.user.role == Role::MspAdmin).then(|| Admin { user: self.user.clone(), db: self.unscoped().db().clone() })
    }
}

#[derive(Clone, Debug)]
pub struct AdminClient {
    pub slug: String,
    pub name: String,
    pub time_zone: String,
    /// Monday = 0 … Sunday = 6.
    pub days: Vec<u8>,
    pub start: String,
    pub end: String,
    pub included_hours: Option<i32>,
    pub status: TenantStatus,
    /// Everyone at this client signs in with two steps.
    pub two_step_required: bool,
}

/// The client form as typed.
#[derive(Clone, Debug, Default)]
pub struct ClientForm {
    pub name: String,
    pub time_zone: String,
    pub days: Vec<u8>,
    pub start: String,
    pub end: String,
    pub included_hours: String,
}

fn minute_of(text: &str, what: &str) -> Result<i16> {
    NaiveTime::parse_from_str(text.trim(), "%H:%M")
        .map(|t| (t.hour() * 60 + t.minute()) as i16)
        .map_err(|_| DomainError::Invalid(format!("Please give the {what} as HH:MM.")))
}

fn hm(minute: i16) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

#[derive(Clone, Debug)]
pub struct AdminUser {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub tenant: Option<String>,
    pub active: bool,
    pub last_login_at: Option<DateTime<Utc>>,
    /// Two-step sign-in is set up.
    pub two_step: bool,
}

/// The audit log's filters.
#[derive(Clone, Debug, Default)]
pub struct AuditFilter {
    pub action: Option<AuditAction>,
    pub client: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Events older than this id (the next page).
    pub before: Option<i64>,
}

#[derive(Clone, Debug)]
pub struct AuditRow {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor: Option<String>,
    pub tenant: Option<String>,
    pub action: AuditAction,
    pub target: String,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    /// What an edit changed.
    pub detail: Option<String>,
}

impl Admin {
    pub(crate) fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    /// Counts one paced action (an invitation) for this admin at this address.
    pub async fn pace(&self, what: crate::auth::throttle::Paced, from: &crate::auth::Client) -> Result<()> {
        crate::auth::throttle::pace(&self.db, what, Some(self.user.id), from.ip.as_deref()).await
    }

    pub async fn clients(&self) -> Result<Vec<AdminClient>> {
        Ok(tenant::Entity::find()
            .order_by_asc(tenant::Column::Name)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|t| AdminClient {
                days: (0..7u8).filter(|d| t.business_days & (1 << d) != 0).collect(),
                start: hm(t.business_start_minute),
                end: hm(t.business_end_minute),
                included_hours: t.included_hours,
                status: t.status,
                two_step_required: t.two_step_required,
                slug: t.slug,
                name: t.name,
                time_zone: t.time_zone,
            })
            .collect())
    }

    pub async fn create_client(&self, slug: &str, name: &str, time_zone: &str) -> Result<String> {
        let new = NewTenant::parse(slug, name, time_zone)?;
        let t = Unscoped::new(self.db.clone()).add_tenant(new, Some(self.user.id)).await?;
        Ok(t.slug)
    }

    pub async fn edit_client(&self, slug: &str, form: &ClientForm) -> Result<()> {
        let name = crate::input::DisplayName::parse("client name", &form.name)?;
        let zone = TimeZone::parse(&form.time_zone)?;
        if form.days.is_empty() || form.days.iter().any(|d| *d > 6) {
            return Err(DomainError::Invalid("Please choose the client's working days.".into()));
        }
        let (start, end) = (minute_of(&form.start, "opening time")?, minute_of(&form.end, "closing time")?);
        if start == end {
            return Err(DomainError::Invalid("Opening and closing times must differ.".into()));
        }
        let included = match form.included_hours.trim() {
            "" => None,
            h => Some(
                h.parse::<i32>()
                    .ok()
                    .filter(|h| (1..=10_000).contains(h))
                    .ok_or_else(|| DomainError::Invalid("Please give the included hours as a whole number.".into()))?,
            ),
        };
        let tx = crate::db::write(&self.db).await?;
        let t = tenant_by_slug(&tx, slug).await?;
        let id = t.id;
        let mut row = t.into_active_model();
        row.name = Set(name.as_str().to_string());
        row.time_zone = Set(zone.name().to_string());
        row.business_days = Set(form.days.iter().fold(0i16, |bits, d| bits | (1 << d)));
        row.business_start_minute = Set(start);
        row.business_end_minute = Set(end);
        row.included_hours = Set(included);
        row.update(&tx).await?;
        audit::by(&tx, &self.user, Some(id), AuditAction::TenantEdited, slug, None).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Archives a client (it takes no new work, its users keep their history) or brings it back.
    pub async fn set_client_status(&self, slug: &str, status: TenantStatus) -> Result<()> {
        let tx = crate::db::write(&self.db).await?;
        let t = tenant_by_slug(&tx, slug).await?;
        let id = t.id;
        let mut row = t.into_active_model();
        row.status = Set(status);
        row.update(&tx).await?;
        let action =
            if status == TenantStatus::Archived { AuditAction::TenantArchived } else { AuditAction::TenantRestored };
        audit::by(&tx, &self.user, Some(id), action, slug, None).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Requires (or stops requiring) two-step sign-in of everyone at a client; requiring it signs
    /// out those who have not set it up, who set it up at their next sign-in.
    pub async fn require_two_step(&self, slug: &str, required: bool, from: &crate::auth::Client) -> Result<()> {
        let t = tenant_by_slug(&self.db, slug).await?;
        crate::auth::two_step::require_for_client(&self.db, &self.user, t.id, required, from).await
    }

    pub async fn users(&self) -> Result<Vec<AdminUser>> {
        let tenants: HashMap<i64, String> =
            tenant::Entity::find().all(&self.db).await?.into_iter().map(|t| (t.id, t.name)).collect();
        Ok(user::Entity::find()
            .order_by_asc(user::Column::TenantId)
            .order_by_asc(user::Column::DisplayName)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|u| AdminUser {
                id: u.id,
                role: u.role,
                tenant: u.tenant_id.and_then(|t| tenants.get(&t).cloned()),
                email: u.email,
                name: u.display_name,
                active: u.active,
                last_login_at: u.last_login_at,
                two_step: u.totp_enrolled_at.is_some(),
            })
            .collect())
    }

    /// Invites a person: staff (no client) or a client user of a client. The link sets their
    /// name and password.
    pub async fn invite(&self, email: &str, role: &str, client: &str) -> Result<Invited> {
        let email =
            Email::parse(email).map_err(|_| DomainError::Invalid(format!("{email:?} is not an email address.")))?;
        let role: Role = role.parse().map_err(|_| DomainError::Invalid("Please choose a role.".into()))?;
        let tenant = match (role.is_client(), client.trim()) {
            (true, "") => return Err(DomainError::Invalid("A client user needs a client.".into())),
            (true, slug) => Some(tenant_by_slug(&self.db, slug).await.missing_is_invalid("Please choose the client.")?),
            (false, "") => None,
            (false, _) => return Err(DomainError::Invalid("Staff belong to no client.".into())),
        };
        let tx = crate::db::write(&self.db).await?;
        if user::Entity::find().filter(user::Column::Email.eq(email.as_str())).one(&tx).await?.is_some() {
            return Err(DomainError::Conflict(format!("{} already has an account.", email.as_str())));
        }
        let token = session::new_token();
        invitation::ActiveModel {
            token_hash: Set(session::hash_token(&token)),
            email: Set(email.as_str().to_string()),
            tenant_id: Set(tenant.as_ref().map(|t| t.id)),
            role: Set(role),
            invited_by: Set(Some(self.user.id)),
            expires_at: Set(now() + Duration::days(INVITATION_DAYS)),
            used_at: Set(None),
            created_at: Set(now()),
            ..Default::default()
        }
        .insert(&tx)
        .await?;
        audit::by(&tx, &self.user, tenant.as_ref().map(|t| t.id), AuditAction::InvitationSent, email.as_str(), None)
            .await?;
        tx.commit().await?;
        Ok(Invited {
            token: Some(token),
            email: email.as_str().to_string(),
            tenant_name: tenant.map(|t| t.name).unwrap_or_else(|| "Limelight".into()),
        })
    }

    /// Changes a user's role within their kind (staff stay staff, client users stay with their
    /// client). Never one's own: an admin cannot lock the last admin out by accident.
    pub async fn change_role(&self, user_id: i64, role: &str) -> Result<()> {
        let role: Role = role.parse().map_err(|_| DomainError::Invalid("Please choose a role.".into()))?;
        if user_id == self.user.id {
            return Err(DomainError::Invalid("You cannot change your own role.".into()));
        }
        let tx = crate::db::write(&self.db).await?;
        let u = user::Entity::find_by_id(user_id).one(&tx).await?.ok_or(DomainError::NotFound)?;
        let old: Role = u.role;
        if old.is_client() != role.is_client() {
            return Err(DomainError::Invalid(
                "A client user cannot become staff, or staff a client user: invite them instead.".into(),
            ));
        }
        let (email, tenant_id) = (u.email.clone(), u.tenant_id);
        let mut row = u.into_active_model();
        row.role = Set(role);
        row.update(&tx).await?;
        audit::record(
            &tx,
            Some(self.user.id),
            tenant_id,
            AuditAction::RoleChanged,
            &format!("{email}: {} → {}", old.as_str(), role.as_str()),
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Deactivates a user (ending every session) or reactivates one. Never oneself.
    pub async fn set_active(&self, user_id: i64, active: bool) -> Result<()> {
        if user_id == self.user.id {
            return Err(DomainError::Invalid("You cannot deactivate your own account.".into()));
        }
        let tx = crate::db::write(&self.db).await?;
        let u = user::Entity::find_by_id(user_id).one(&tx).await?.ok_or(DomainError::NotFound)?;
        let (email, tenant_id) = (u.email.clone(), u.tenant_id);
        let mut row = u.into_active_model();
        row.active = Set(active);
        row.update(&tx).await?;
        let target = if active {
            email
        } else {
            let ended = session::end_all_for_user(&tx, user_id).await?;
            format!("{email} ({ended} sessions ended)")
        };
        let action = if active { AuditAction::UserReactivated } else { AuditAction::UserDeactivated };
        audit::by(&tx, &self.user, tenant_id, action, &target, None).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Audit events, newest first, 100 at a time.
    pub async fn audit(&self, filter: &AuditFilter) -> Result<Vec<AuditRow>> {
        let mut q = audit_event::Entity::find();
        if let Some(a) = filter.action {
            q = q.filter(audit_event::Column::Action.eq(a));
        }
        if let Some(slug) = filter.client.as_deref() {
            let t = tenant_by_slug(&self.db, slug).await.missing_is_invalid(format!("There is no client {slug:?}."))?;
            q = q.filter(audit_event::Column::TenantId.eq(t.id));
        }
        if let Some(from) = filter.from {
            q = q.filter(audit_event::Column::CreatedAt.gte(from.and_hms_opt(0, 0, 0).expect("midnight").and_utc()));
        }
        if let Some(to) = filter.to {
            let end = (to + Duration::days(1)).and_hms_opt(0, 0, 0).expect("midnight").and_utc();
            q = q.filter(audit_event::Column::CreatedAt.lt(end));
        }
        if let Some(before) = filter.before {
            q = q.filter(audit_event::Column::Id.lt(before));
        }
        let rows = q.order_by_desc(audit_event::Column::Id).limit(100).all(&self.db).await?;
        let people: HashMap<i64, String> = user::Entity::find()
            .filter(user::Column::Id.is_in(rows.iter().filter_map(|r| r.actor_id)))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|u| (u.id, u.email))
            .collect();
        let tenants: HashMap<i64, String> = tenant::Entity::find()
            .filter(tenant::Column::Id.is_in(rows.iter().filter_map(|r| r.tenant_id)))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|t| (t.id, t.name))
            .collect();
        Ok(rows
            .into_iter()
            .map(|r| AuditRow {
                id: r.id,
                at: r.created_at,
                actor: r.actor_id.and_then(|a| people.get(&a).cloned()),
                tenant: r.tenant_id.and_then(|t| tenants.get(&t).cloned()),
                action: r.action,
                target: r.target,
                ip: r.ip,
                user_agent: r.user_agent,
                detail: r.detail,
            })
            .collect())
    }

    /// The actions on record, for the filter.
    pub async fn audit_actions(&self) -> Result<Vec<AuditAction>> {
        let mut actions: Vec<AuditAction> = audit_event::Entity::find()
            .select_only()
            .column(audit_event::Column::Action)
            .distinct()
            .into_tuple()
            .all(&self.db)
            .await?;
        actions.sort_by_key(|a| a.as_str());
        Ok(actions)
    }
}
