//! Work entries and systems through the API, by the pages' rules: a client-scoped token reads and
//! writes what its client sees (client-visible entries), a token for every client what staff do.
//! A wrong field is named ([`DomainError::Field`]).

use super::reads::{ApiReader, reached, scope_of};
use super::tokens::ApiCaller;
use super::writes::ApiWriter;
use crate::entities::{system, ticket, user, work_entry};
use crate::error::{DomainError, Result};
use crate::history::{Cursor, Page, WorkFilter};
use crate::scope::TenantScope;
use crate::staff::systems::{SystemForm, save_system};
use crate::staff::work_log::{Start, insert_work, remove_work, rewrite_work};
use crate::time::now;
use crate::work::{WorkItem, with_names};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
use vocabulary::{Category, Visibility, WorkState, forms::WorkForm};

/// The longest single entry: a week, as on the staff form.
pub const MAX_MINUTES: i32 = 7 * 24 * 60;

/// A work entry as a tool sends it, typed (the API reads the JSON into this).
#[derive(Clone, Debug)]
pub struct WorkDraft {
    pub category: Category,
    pub title: String,
    pub details: String,
    pub why_it_matters: String,
    pub state: WorkState,
    pub started_at: DateTime<Utc>,
    pub duration_minutes: i32,
    pub visibility: Visibility,
    pub proactive: bool,
    pub systems: Vec<i64>,
    /// The email of the tech or MSP admin who did (or will do) it.
    pub performed_by: String,
    /// A ticket number of the same client.
    pub ticket: Option<i64>,
    pub vendor_name: String,
    pub vendor_case_ref: String,
    pub highlight: bool,
}

/// Whether a text field may hold line breaks.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Lines {
    One,
    Many,
}

fn text(field: &str, value: &str, max: usize, required: bool, lines: Lines) -> Result<()> {
    let v = value.trim();
    if required && v.is_empty() {
        return Err(DomainError::field(field, "must not be empty"));
    }
    if v.chars().count() > max {
        return Err(DomainError::field(field, format!("at most {max} characters")));
    }
    if lines == Lines::One && v.chars().any(char::is_control) {
        return Err(DomainError::field(field, "one line, without control characters"));
    }
    Ok(())
}

impl WorkDraft {
    /// Checks each field against the client, naming the one at fault; answers the form the staff
    /// page would have posted and who did the work.
    async fn check(
        &self,
        db: &impl ConnectionTrait,
        client: &crate::entities::tenant::Model,
    ) -> Result<(WorkForm, i64)> {
        text("title", &self.title, 200, true, Lines::One)?;
        text("details", &self.details, 50_000, false, Lines::Many)?;
        text("why_it_matters", &self.why_it_matters, 500, false, Lines::One)?;
        text("vendor_name", &self.vendor_name, 200, false, Lines::One)?;
        text("vendor_case_ref", &self.vendor_case_ref, 200, false, Lines::One)?;
        if !(1..=MAX_MINUTES).contains(&self.duration_minutes) {
            return Err(DomainError::field("duration_minutes", format!("1 to {MAX_MINUTES} minutes")));
        }
        if self.state == WorkState::Done && self.started_at > now() + Duration::minutes(5) {
            return Err(DomainError::field("started_at", "work that is done cannot start in the future"));
        }
        let email = self.performed_by.trim().to_lowercase();
        let performer = user::Entity::find()
            .filter(user::Column::Email.eq(email.as_str()))
            .one(db)
            .await?
            .filter(|u| u.active && u.tenant_id.is_none() && u.role.does_the_work())
            .ok_or_else(|| DomainError::field("performed_by", "the email of an active tech or MSP admin"))?;
        let mut systems = self.systems.clone();
        systems.sort_unstable();
        systems.dedup();
        if !systems.is_empty() {
            let found = system::Entity::find()
                .filter(system::Column::TenantId.eq(client.id))
                .filter(system::Column::Id.is_in(systems.clone()))
                .count(db)
                .await?;
            if found != systems.len() as u64 {
                return Err(DomainError::field("systems", "ids of this client's systems only"));
            }
        }
        if let Some(n) = self.ticket {
            ticket::Entity::find()
                .filter(ticket::Column::TenantId.eq(client.id))
                .filter(ticket::Column::Number.eq(n))
                .one(db)
                .await?
                .ok_or_else(|| DomainError::field("ticket", "a ticket number of this client"))?;
        }
        let form = WorkForm {
            client: client.slug.clone(),
            systems,
            category: self.category.as_str().into(),
            title: self.title.clone(),
            details: self.details.clone(),
            why_it_matters: self.why_it_matters.clone(),
            state: self.state.as_str().into(),
            start: String::new(),
            duration_minutes: self.duration_minutes.to_string(),
            proactive: self.proactive,
            visibility: self.visibility.as_str().into(),
            shadowed_by: None,
            vendor_name: self.vendor_name.clone(),
            vendor_case_ref: self.vendor_case_ref.clone(),
            ticket: self.ticket.map(|n| n.to_string()).unwrap_or_default(),
            highlight: self.highlight,
        };
        Ok((form, performer.id))
    }
}

/// One entry of a client, as this token may see it: internal ones only with a token for every
/// client (else not found, like a missing one).
async fn entry_of(caller: &ApiCaller, tenant_id: i64, id: i64) -> Result<work_entry::Model> {
    work_entry::Entity::find_by_id(id)
        .filter(work_entry::Column::TenantId.eq(tenant_id))
        .one(caller.db())
        .await?
        .filter(|e| caller.is_staff_scoped() || e.visibility == Visibility::Client)
        .ok_or(DomainError::NotFound)
}

async fn item(db: &impl ConnectionTrait, e: work_entry::Model) -> Result<WorkItem> {
    with_names(db, vec![e]).await?.pop().ok_or(DomainError::NotFound)
}

impl ApiReader {
    /// A client's work, newest first, a keyset page at a time: done client-visible work for a
    /// client-scoped token; everything (internal, planned) for a token for every client.
    pub async fn work(&self, slug: &str, filter: &WorkFilter, after: Option<Cursor>, limit: u64) -> Result<Page> {
        let scope = scope_of(self.caller(), slug).await?;
        if self.caller().is_staff_scoped() {
            scope.staff_work_history(filter, after, limit).await
        } else {
            scope.work_history(filter, after, limit).await
        }
    }

    /// One work entry of a client.
    pub async fn work_entry(&self, slug: &str, id: i64) -> Result<WorkItem> {
        let scope = scope_of(self.caller(), slug).await?;
        let e = entry_of(self.caller(), scope.tenant_id(), id).await?;
        item(self.caller().db(), e).await
    }

    /// One system of a client.
    pub async fn system(&self, slug: &str, id: i64) -> Result<system::Model> {
        let scope = scope_of(self.caller(), slug).await?;
        system_of(self.caller(), &scope, id).await
    }
}

async fn system_of(caller: &ApiCaller, scope: &TenantScope, id: i64) -> Result<system::Model> {
    system::Entity::find_by_id(id)
        .filter(system::Column::TenantId.eq(scope.tenant_id()))
        .one(caller.db())
        .await?
        .ok_or(DomainError::NotFound)
}

impl ApiWriter {
    /// Internal work is staff's: a client-scoped token writes client-visible entries only.
    fn may_write_visibility(&self, v: Visibility) -> Result<()> {
        if v == Visibility::Internal && !self.caller().is_staff_scoped() {
            return Err(DomainError::Forbidden("Internal work needs a token for every client.".into()));
        }
        Ok(())
    }

    /// Logs a piece of work for a client.
    pub async fn log_work(&self, slug: &str, draft: &WorkDraft) -> Result<WorkItem> {
        self.may_write_visibility(draft.visibility)?;
        let client = reached(self.caller(), slug).await?;
        let tx = crate::db::write(self.caller().db()).await?;
        let (form, performer) = draft.check(&tx, &client).await?;
        let saved = insert_work(&tx, &form, Start::At(draft.started_at), performer).await?;
        let target = format!("token {}: {}", self.caller().name, saved.target());
        crate::audit::record(&tx, None, Some(saved.tenant_id), vocabulary::AuditAction::WorkLogged, &target, None)
            .await?;
        tx.commit().await?;
        self.reader().work_entry(slug, saved.id).await
    }

    /// Rewrites a work entry of a client (its performer may change); automation leaves it be
    /// from then on.
    pub async fn rewrite_work(&self, slug: &str, id: i64, draft: &WorkDraft) -> Result<WorkItem> {
        let client = reached(self.caller(), slug).await?;
        let tx = crate::db::write(self.caller().db()).await?;
        let existing = entry_of(self.caller(), client.id, id).await?;
        self.may_write_visibility(draft.visibility)?;
        let (form, performer) = draft.check(&tx, &client).await?;
        let saved = rewrite_work(&tx, existing, &form, Start::At(draft.started_at)).await?;
        work_entry::Entity::update_many()
            .col_expr(work_entry::Column::PerformedBy, sea_orm::sea_query::Expr::value(performer))
            .filter(work_entry::Column::Id.eq(saved.id))
            .exec(&tx)
            .await?;
        let target = format!("token {}: {}", self.caller().name, saved.target());
        let from = crate::auth::Client::default();
        crate::audit::record_from(
            &tx,
            None,
            Some(saved.tenant_id),
            vocabulary::AuditAction::WorkEdited,
            &target,
            &from,
            saved.changes.clone(),
        )
        .await?;
        tx.commit().await?;
        self.reader().work_entry(slug, saved.id).await
    }

    /// Deletes a work entry of a client (audited, naming the token).
    pub async fn delete_work(&self, slug: &str, id: i64) -> Result<()> {
        let scope = scope_of(self.caller(), slug).await?;
        let tx = crate::db::write(self.caller().db()).await?;
        let e = entry_of(self.caller(), scope.tenant_id(), id).await?;
        remove_work(&tx, e, None, &format!("token {}: ", self.caller().name)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Adds a system to a client.
    pub async fn add_system(&self, slug: &str, form: &SystemForm) -> Result<system::Model> {
        let scope = scope_of(self.caller(), slug).await?;
        check_system(form)?;
        save_system(self.caller().db(), scope.tenant_id(), None, form).await
    }

    /// Rewrites a system of a client.
    pub async fn edit_system(&self, slug: &str, id: i64, form: &SystemForm) -> Result<system::Model> {
        let scope = scope_of(self.caller(), slug).await?;
        let existing = system_of(self.caller(), &scope, id).await?;
        check_system(form)?;
        save_system(self.caller().db(), scope.tenant_id(), Some(existing), form).await
    }
}

/// A system's text fields, named when wrong (kind and criticality are typed by the API).
fn check_system(form: &SystemForm) -> Result<()> {
    text("name", &form.name, 200, true, Lines::One)?;
    text("vendor", &form.vendor, 200, false, Lines::One)?;
    text("notes", &form.notes, 20_000, false, Lines::Many)
}
