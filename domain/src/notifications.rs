//! Ticket emails: a new ticket goes to whoever covers its client now (the backup when the primary
//! is away), a public reply from staff goes to the requester. Composed here, sent by the caller's
//! mailer.

use crate::entities::{tenant, ticket, user};
use crate::error::Result;
use crate::mail::{Email, html_escape};
use crate::rules::Cover;
use crate::scope::{TenantScope, Unscoped};
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait};
use vocabulary::Priority;

async fn new_ticket(db: &DatabaseConnection, tenant_id: i64, ticket_id: i64, base_url: &str) -> Result<Option<Email>> {
    let scope = TenantScope::new(db.clone(), tenant_id, None);
    let cover = scope.team().await?.cover;
    let (Cover::Primary(to) | Cover::Backup(to)) = cover else {
        tracing::warn!(
            tenant = tenant_id,
            ticket = ticket_id,
            "a new ticket arrived during a coverage gap: nobody to notify"
        );
        return Ok(None);
    };
    let (Some(person), Some(t), Some(tn)) = (
        user::Entity::find_by_id(to).one(db).await?,
        ticket::Entity::find_by_id(ticket_id).one(db).await?,
        tenant::Entity::find_by_id(tenant_id).one(db).await?,
    ) else {
        return Ok(None);
    };
    let priority = Priority::from_number(t.priority as i64).map(|p| p.to_string()).unwrap_or_default();
    let covering = if matches!(cover, Cover::Backup(_)) { " (you are covering: the primary is away)" } else { "" };
    let link = format!("{}/msp/tickets/{}", base_url.trim_end_matches('/'), t.id);
    let subject = format!("[{priority}] {} #{}: {}", tn.name, t.number, t.subject);
    let text = format!(
        "A new ticket for {}{covering}.\n\n#{} {}\nPriority: {priority}\n\n{}\n\nOpen it: {link}\n",
        tn.name, t.number, t.subject, t.description
    );
    let html = format!(
        "<p>A new ticket for <strong>{}</strong>{}.</p><p><strong>#{} {}</strong><br>Priority: {}</p>\
         <p style=\"white-space:pre-wrap\">{}</p><p><a href=\"{}\">Open the ticket</a></p>",
        html_escape(&tn.name),
        html_escape(covering),
        t.number,
        html_escape(&t.subject),
        html_escape(&priority),
        html_escape(&t.description),
        html_escape(&link)
    );
    Ok(Some(Email { to: person.email, subject, text, html }))
}

async fn public_reply(
    db: &impl ConnectionTrait,
    ticket_id: i64,
    author: &str,
    body: &str,
    base_url: &str,
) -> Result<Option<Email>> {
    let Some(t) = ticket::Entity::find_by_id(ticket_id).one(db).await? else { return Ok(None) };
    let Some(requester) = t.requester_id else { return Ok(None) };
    let Some(person) = user::Entity::find_by_id(requester).one(db).await?.filter(|u| u.active) else {
        return Ok(None);
    };
    let link = format!("{}/portal/tickets/{}", base_url.trim_end_matches('/'), t.number);
    let subject = format!("Re: #{} {}", t.number, t.subject);
    let text = format!(
        "{author} replied to your ticket #{} {}:\n\n{body}\n\nSee the whole conversation: {link}\n",
        t.number, t.subject
    );
    let html = format!(
        "<p>{} replied to your ticket <strong>#{} {}</strong>:</p><blockquote style=\"white-space:pre-wrap\">{}</blockquote>\
         <p><a href=\"{}\">See the whole conversation</a></p>",
        html_escape(author),
        t.number,
        html_escape(&t.subject),
        html_escape(body),
        html_escape(&link)
    );
    Ok(Some(Email { to: person.email, subject, text, html }))
}

impl TenantScope {
    /// The email about a ticket this scope's viewer just opened, for whoever covers now.
    pub async fn new_ticket_notice(&self, number: i64, base_url: &str) -> Result<Option<Email>> {
        use sea_orm::{ColumnTrait, QueryFilter};
        let Some(t) = self.select::<ticket::Entity>().filter(ticket::Column::Number.eq(number)).one(self.db()).await?
        else {
            return Ok(None);
        };
        new_ticket(self.db(), self.tenant_id(), t.id, base_url).await
    }
}

impl Unscoped {
    /// The email about a new ticket, for whoever covers its client now.
    pub async fn new_ticket_notice(&self, ticket_id: i64, base_url: &str) -> Result<Option<Email>> {
        let Some(t) = ticket::Entity::find_by_id(ticket_id).one(self.db()).await? else { return Ok(None) };
        new_ticket(self.db(), t.tenant_id, t.id, base_url).await
    }

    /// The email telling a ticket's requester about a public reply.
    pub async fn public_reply_notice(
        &self,
        ticket_id: i64,
        author: &str,
        body: &str,
        base_url: &str,
    ) -> Result<Option<Email>> {
        public_reply(self.db(), ticket_id, author, body, base_url).await
    }
}
