//! What a token with the `write` permission does, within its scope: opens a client's tickets
//! and adds public comments to them (as the MSP's tools: no person is the requester or author).

use super::tokens::ApiCaller;
use crate::entities::{ticket, ticket_comment};
use crate::error::{DomainError, Result};
use crate::scope::TenantScope;
use crate::tickets::{NewTicket, TicketDetail, insert_ticket};
use crate::time::now;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use vocabulary::{ApiPermission, TicketSource, Visibility};

/// The right to write: a token with the `write` permission.
#[derive(Clone, Debug)]
pub struct ApiWriter {
    caller: ApiCaller,
}

impl ApiCaller {
    pub fn writer(&self) -> Option<ApiWriter> {
        self.may(ApiPermission::Write).then(|| ApiWriter { caller: self.clone() })
    }
}

impl ApiWriter {
    pub(crate) fn caller(&self) -> &ApiCaller {
        &self.caller
    }

    /// Counts one ticket or comment for this token, or refuses it past the token's hourly pace.
    async fn pace(&self, what: crate::auth::throttle::Paced) -> Result<()> {
        crate::auth::throttle::pace_token(self.caller.db(), what, self.caller.token_id).await
    }

    /// Reads back what this token wrote (whether or not it may read otherwise).
    pub fn reader(&self) -> super::reads::ApiReader {
        super::reads::ApiReader::new(self.caller.clone())
    }

    async fn client(&self, slug: &str) -> Result<TenantScope> {
        // The reader's rules (scope, 404 alike) hold for writes too.
        super::reads::scope_of(&self.caller, slug).await
    }

    /// Opens a ticket for a client; answers it as its client admin would read it.
    pub async fn open_ticket(&self, slug: &str, new: NewTicket) -> Result<TicketDetail> {
        let scope = self.client(slug).await?;
        self.pace(crate::auth::throttle::Paced::Ticket).await?;
        let tx = crate::db::write(self.caller.db()).await?;
        let (_, number) = insert_ticket(&tx, scope.tenant_id(), None, &new, TicketSource::Api, None).await?;
        tx.commit().await?;
        scope.ticket(number).await
    }

    /// Adds a public comment to a client's ticket; answers the ticket.
    pub async fn comment(&self, slug: &str, number: i64, body: &str) -> Result<TicketDetail> {
        let scope = self.client(slug).await?;
        let body = body.trim();
        if body.is_empty() || body.chars().count() > 20_000 {
            return Err(DomainError::Invalid("body must be 1 to 20,000 characters".into()));
        }
        self.pace(crate::auth::throttle::Paced::Comment).await?;
        let t = ticket::Entity::find()
            .filter(ticket::Column::TenantId.eq(scope.tenant_id()))
            .filter(ticket::Column::Number.eq(number))
            .one(self.caller.db())
            .await?
            .ok_or(DomainError::NotFound)?;
        ticket_comment::ActiveModel {
            tenant_id: Set(scope.tenant_id()),
            ticket_id: Set(t.id),
            author_id: Set(None),
            body: Set(body.to_string()),
            visibility: Set(Visibility::Client),
            created_at: Set(now()),
            ..Default::default()
        }
        .insert(self.caller.db())
        .await?;
        scope.ticket(number).await
    }
}
