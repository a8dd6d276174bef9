//! Runbooks: how to look after a client or one of its systems, written down so that the backup can
//! do it. A review by someone other than the author keeps a runbook fresh for 180 days.

use super::{Editor, optional_text, required_text, tenant_by_slug};
use crate::entities::{runbook, system};
use crate::error::{DomainError, Result};
use crate::rules::KNOWLEDGE_WINDOW_DAYS;
use crate::scope::Unscoped;
use crate::time::now;
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set};
use std::collections::HashMap;
use vocabulary::AuditAction;

#[derive(Clone, Debug)]
pub struct RunbookItem {
    pub id: i64,
    pub tenant_slug: String,
    pub system_id: Option<i64>,
    pub system: Option<String>,
    pub title: String,
    pub body: String,
    pub author: Option<String>,
    pub updated_at: DateTime<Utc>,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub reviewed_by: Option<String>,
    /// Never reviewed, or reviewed more than 180 days ago.
    pub stale: bool,
}

/// The runbook form as typed.
#[derive(Clone, Debug, Default)]
pub struct RunbookForm {
    pub system_id: Option<i64>,
    pub title: String,
    pub body: String,
}

impl Unscoped {
    /// A client's runbooks, most recently updated first.
    pub async fn runbooks(&self, client: &str) -> Result<Vec<RunbookItem>> {
        let tenant = tenant_by_slug(self.db(), client).await?;
        let rows = runbook::Entity::find()
            .filter(runbook::Column::TenantId.eq(tenant.id))
            .order_by_desc(runbook::Column::UpdatedAt)
            .order_by_desc(runbook::Column::Id)
            .all(self.db())
            .await?;
        items(self.db(), rows, &tenant.slug).await
    }

    pub async fn runbook(&self, id: i64) -> Result<RunbookItem> {
        let r = runbook::Entity::find_by_id(id).one(self.db()).await?.ok_or(DomainError::NotFound)?;
        let slug = super::slug_of(self.db(), r.tenant_id).await?;
        Ok(items(self.db(), vec![r], &slug).await?.remove(0))
    }
}

async fn items(db: &impl sea_orm::ConnectionTrait, rows: Vec<runbook::Model>, slug: &str) -> Result<Vec<RunbookItem>> {
    let people =
        crate::users::display_names(db, rows.iter().flat_map(|r| [r.author_id, r.reviewed_by]).flatten().collect())
            .await?;
    let systems: HashMap<i64, String> = system::Entity::find()
        .filter(system::Column::Id.is_in(rows.iter().filter_map(|r| r.system_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let t = now();
    Ok(rows
        .into_iter()
        .map(|r| RunbookItem {
            id: r.id,
            tenant_slug: slug.to_string(),
            system_id: r.system_id,
            system: r.system_id.and_then(|s| systems.get(&s).cloned()),
            title: r.title,
            body: r.body,
            author: r.author_id.and_then(|a| people.get(&a).cloned()),
            updated_at: r.updated_at,
            stale: r.reviewed_at.is_none_or(|at| t - at > chrono::Duration::days(KNOWLEDGE_WINDOW_DAYS)),
            reviewed_at: r.reviewed_at,
            reviewed_by: r.reviewed_by.and_then(|a| people.get(&a).cloned()),
        })
        .collect())
}

impl Editor {
    /// Creates a runbook (no `id`) or edits one. Editing the text does not renew its review.
    pub async fn save_runbook(&self, client: &str, id: Option<i64>, form: &RunbookForm) -> Result<i64> {
        let tenant = tenant_by_slug(self.db(), client).await?;
        let title = required_text(&form.title, "title", 200)?;
        let body = optional_text(&form.body, "runbook", 100_000)?
            .ok_or_else(|| DomainError::Invalid("Please write the runbook's steps.".into()))?;
        if let Some(s) = form.system_id {
            system::Entity::find_by_id(s)
                .one(self.db())
                .await?
                .filter(|s| s.tenant_id == tenant.id)
                .ok_or_else(|| DomainError::Invalid(format!("Please choose one of {}'s systems.", tenant.name)))?;
        }
        let t = now();
        let audited_title = title.clone();
        let id = match id {
            None => {
                runbook::ActiveModel {
                    tenant_id: Set(tenant.id),
                    system_id: Set(form.system_id),
                    title: Set(title),
                    body: Set(body),
                    author_id: Set(Some(self.user.id)),
                    created_at: Set(t),
                    updated_at: Set(t),
                    reviewed_at: Set(None),
                    reviewed_by: Set(None),
                    ..Default::default()
                }
                .insert(self.db())
                .await?
                .id
            }
            Some(id) => {
                let r = runbook::Entity::find_by_id(id)
                    .one(self.db())
                    .await?
                    .filter(|r| r.tenant_id == tenant.id)
                    .ok_or(DomainError::NotFound)?;
                let mut row = r.into_active_model();
                row.system_id = Set(form.system_id);
                row.title = Set(title);
                row.body = Set(body);
                row.updated_at = Set(t);
                row.update(self.db()).await?;
                id
            }
        };
        let target = format!("runbook {id}: {audited_title}");
        crate::audit::by(self.db(), &self.user, Some(tenant.id), AuditAction::RunbookSaved, &target, None).await?;
        Ok(id)
    }

    /// Records a review. The author cannot review their own runbook: the point is that someone
    /// else (ideally the backup) can follow it.
    pub async fn review_runbook(&self, id: i64) -> Result<String> {
        let r = runbook::Entity::find_by_id(id).one(self.db()).await?.ok_or(DomainError::NotFound)?;
        if r.author_id == Some(self.user.id) {
            return Err(DomainError::Invalid(
                "A runbook is reviewed by someone other than its author — ideally the backup.".into(),
            ));
        }
        let tenant_id = r.tenant_id;
        let target = format!("runbook {}: {}", r.id, r.title);
        let mut row = r.into_active_model();
        row.reviewed_at = Set(Some(now()));
        row.reviewed_by = Set(Some(self.user.id));
        row.update(self.db()).await?;
        crate::audit::by(self.db(), &self.user, Some(tenant_id), AuditAction::RunbookReviewed, &target, None).await?;
        super::slug_of(self.db(), tenant_id).await
    }
}
