//! Emails that follow from what someone did: a new ticket goes to whoever covers its client now
//! (the backup when the primary is away), a public reply from staff goes to the requester, a sent
//! summary to its recipients. [`Notifier`] composes and queues them; a notice that cannot be sent
//! is logged, never shown to the person who acted (their action succeeded).

use crate::emails;
use crate::entities::{tenant, ticket, user};
use crate::error::Result;
use crate::mail::Email;
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
    let link = format!("{}/msp/tickets/{}", base_url.trim_end_matches('/'), t.id);
    Ok(Some(emails::new_ticket(
        &person.email,
        &emails::TicketNotice {
            tenant_name: &tn.name,
            number: t.number,
            subject: &t.subject,
            description: &t.description,
            priority: &priority,
            covering: matches!(cover, Cover::Backup(_)),
            link: &link,
        },
    )))
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
    Ok(Some(emails::public_reply(&person.email, author, t.number, &t.subject, body, &link)))
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

/// Queues the notices; created once by the server.
#[derive(Clone)]
pub struct Notifier {
    mail: crate::mail::MailQueue,
    public_url: String,
}

impl Notifier {
    pub fn new(mail: crate::mail::MailQueue, public_url: &str) -> Self {
        Notifier { mail, public_url: public_url.trim_end_matches('/').to_string() }
    }

    /// The portal's address, for links (the summary preview shows the client's link).
    pub fn public_url(&self) -> &str {
        &self.public_url
    }

    async fn deliver(&self, notice: Result<Option<Email>>, what: &str) {
        match notice {
            Ok(Some(email)) => {
                if let Err(e) = self.mail.send(email, Some(what)).await {
                    tracing::error!(error = %e, what, "could not send a notification");
                }
            }
            Ok(None) => {}
            Err(e) => tracing::error!(error = %crate::error::cause_chain(&e), what, "could not compose a notification"),
        }
    }

    /// Queues emails composed elsewhere (incident notices), logging any that cannot be queued.
    pub async fn queue_all(&self, emails: Vec<Email>, what: &str) {
        for email in emails {
            self.deliver(Ok(Some(email)), what).await;
        }
    }

    /// A ticket staff just opened, for whoever covers its client now.
    pub async fn new_ticket(&self, staff: &Unscoped, ticket_id: i64) {
        self.deliver(staff.new_ticket_notice(ticket_id, &self.public_url).await, "new ticket").await
    }

    /// A ticket a client just opened through their scope, for whoever covers them now.
    pub async fn client_ticket(&self, scope: &TenantScope, number: i64) {
        self.deliver(scope.new_ticket_notice(number, &self.public_url).await, "new ticket").await
    }

    /// A public reply, for the ticket's requester.
    pub async fn public_reply(&self, staff: &Unscoped, ticket_id: i64, author: &str, body: &str) {
        self.deliver(staff.public_reply_notice(ticket_id, author, body, &self.public_url).await, "public reply").await
    }

    /// Sends a summary draft to its chosen recipients.
    pub async fn send_summary(&self, writer: &crate::staff::summaries::SummaryWriter, id: i64) -> Result<Vec<i64>> {
        writer.send(id, &self.public_url, &self.mail).await
    }
}
