//! "How did we do?": a rating of every resolved ticket by its requester.
//!
//! When staff resolve a ticket, its requester is emailed three one-click answers. Each link
//! carries one token (random, stored only as its hash) that can do one thing: record that
//! requester's answer for that ticket, once, within [`LINK_DAYS`]. No sign-in is needed for that;
//! a comment, and any later change of mind, go through the portal's ticket page (signed in).
//! A poor answer alerts the client's account manager. Ratings are counted per ticket, per tech
//! (who had the ticket), per client and per month for the staff, and per period in summaries.

use crate::audit;
use crate::auth::session::{hash_token, new_token};
use crate::emails;
use crate::entities::{coverage, rating_link, tenant, ticket, ticket_rating, user};
use crate::error::{DomainError, Result};
use crate::figures::Month;
use crate::mail::{Email, MailQueue};
use crate::scope::{TenantScope, Unscoped};
use crate::time::now;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use std::collections::BTreeMap;
use vocabulary::{AuditAction, CoverageRole, Rating, TicketStatus};

/// How long an emailed rating link works.
pub const LINK_DAYS: i64 = 14;
/// The longest comment a rating takes.
const COMMENT_CHARS: usize = 2_000;

/// A requester to ask about a ticket just resolved, made in the transaction that resolved it.
#[derive(Clone, Debug)]
pub struct RatingRequest {
    pub token: String,
    pub email: String,
    pub name: String,
    pub number: i64,
    pub subject: String,
}

/// Makes the link for a ticket's requester when they are an active client user of its tenant
/// (staff-opened tickets for nobody, and deactivated people, are not asked).
pub(crate) async fn request(tx: &impl ConnectionTrait, t: &ticket::Model) -> Result<Option<RatingRequest>> {
    let Some(requester) = t.requester_id else { return Ok(None) };
    let Some(person) = user::Entity::find_by_id(requester).one(tx).await? else { return Ok(None) };
    if !person.active || person.tenant_id != Some(t.tenant_id) {
        return Ok(None);
    }
    let token = new_token();
    let at = now();
    rating_link::ActiveModel {
        tenant_id: Set(t.tenant_id),
        ticket_id: Set(t.id),
        user_id: Set(person.id),
        token_hash: Set(hash_token(&token)),
        expires_at: Set(at + Duration::days(LINK_DAYS)),
        used_at: Set(None),
        created_at: Set(at),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    Ok(Some(RatingRequest {
        token,
        email: person.email,
        name: person.display_name,
        number: t.number,
        subject: t.subject.clone(),
    }))
}

/// A rating as the portal and the staff show it.
#[derive(Clone, Debug)]
pub struct GivenRating {
    pub rating: Rating,
    pub comment: String,
    pub by: Option<String>,
    pub at: DateTime<Utc>,
}

/// The comment, checked.
fn comment(text: &str) -> Result<String> {
    let text = text.trim();
    if text.chars().count() > COMMENT_CHARS {
        return Err(DomainError::Invalid(format!("Please keep the comment under {COMMENT_CHARS} characters.")));
    }
    Ok(text.to_string())
}

/// Records (or changes) the answer for a ticket in the caller's write transaction, with its audit
/// row. Answers whether the ticket's rating became poor (so the account manager hears of it).
async fn record(
    tx: &impl ConnectionTrait,
    t: &ticket::Model,
    by: i64,
    rating: Rating,
    comment: Option<String>,
) -> Result<bool> {
    let at = now();
    let before = ticket_rating::Entity::find().filter(ticket_rating::Column::TicketId.eq(t.id)).one(tx).await?;
    let was = before.as_ref().map(|r| r.rating);
    match before {
        Some(r) => {
            let mut row = r.into_active_model();
            row.rating = Set(rating);
            if let Some(c) = comment {
                row.comment = Set(c);
            }
            row.rated_by = Set(Some(by));
            row.updated_at = Set(at);
            row.update(tx).await?;
        }
        None => {
            ticket_rating::ActiveModel {
                tenant_id: Set(t.tenant_id),
                ticket_id: Set(t.id),
                rated_by: Set(Some(by)),
                tech_id: Set(t.assignee_id),
                rating: Set(rating),
                comment: Set(comment.unwrap_or_default()),
                created_at: Set(at),
                updated_at: Set(at),
                ..Default::default()
            }
            .insert(tx)
            .await?;
        }
    }
    let detail = match was {
        Some(w) => format!("rating: {} → {}", w.as_str(), rating.as_str()),
        None => format!("rating: {}", rating.as_str()),
    };
    let target = format!("ticket #{}", t.number);
    let from = crate::auth::Client::default();
    audit::record_from(tx, Some(by), Some(t.tenant_id), AuditAction::TicketRated, &target, &from, Some(detail)).await?;
    Ok(rating == Rating::Poor && was != Some(Rating::Poor))
}

/// The emails that tell a client's account managers about a poor rating.
async fn poor_rating_alerts(db: &impl ConnectionTrait, ticket_id: i64, base_url: &str) -> Result<Vec<Email>> {
    let Some(t) = ticket::Entity::find_by_id(ticket_id).one(db).await? else { return Ok(vec![]) };
    let Some(r) = ticket_rating::Entity::find().filter(ticket_rating::Column::TicketId.eq(t.id)).one(db).await? else {
        return Ok(vec![]);
    };
    let client = tenant::Entity::find_by_id(t.tenant_id).one(db).await?.ok_or(DomainError::NotFound)?;
    let managers: Vec<i64> = coverage::Entity::find()
        .filter(coverage::Column::TenantId.eq(t.tenant_id))
        .filter(coverage::Column::Role.eq(CoverageRole::AccountManager))
        .select_only()
        .column(coverage::Column::UserId)
        .into_tuple()
        .all(db)
        .await?;
    let rater = match r.rated_by {
        Some(id) => user::Entity::find_by_id(id).one(db).await?.map(|u| u.display_name),
        None => None,
    }
    .unwrap_or_else(|| "The requester".into());
    let link = format!("{}/msp/tickets/{}", base_url.trim_end_matches('/'), t.id);
    let people = user::Entity::find()
        .filter(user::Column::Id.is_in(managers))
        .filter(user::Column::Active.eq(true))
        .all(db)
        .await?;
    if people.is_empty() {
        tracing::warn!(tenant = t.tenant_id, ticket = t.id, "a poor rating, and the client has no account manager");
    }
    Ok(people
        .iter()
        .map(|am| {
            emails::poor_rating(
                &am.email,
                &emails::PoorRating {
                    client: &client.name,
                    rater: &rater,
                    number: t.number,
                    subject: &t.subject,
                    comment: &r.comment,
                    link: &link,
                },
            )
        })
        .collect())
}

/// Answers through emailed links, and the emails about ratings; created once by the server.
#[derive(Clone)]
pub struct Ratings {
    db: DatabaseConnection,
    mail: MailQueue,
    public_url: String,
}

/// What a link recorded, for the page it lands on.
#[derive(Clone, Debug)]
pub struct AnsweredByLink {
    pub number: i64,
    pub rating: Rating,
}

impl Ratings {
    pub fn new(db: DatabaseConnection, mail: MailQueue, public_url: &str) -> Self {
        Ratings { db, mail, public_url: public_url.trim_end_matches('/').to_string() }
    }

    /// Records the answer a link carries. A used, expired or unknown link is `NotFound`, and so is
    /// a link whose ticket was reopened since (there is nothing resolved to rate).
    pub async fn answer_by_link(&self, token: &str, rating: Rating) -> Result<AnsweredByLink> {
        let tx = crate::db::write(&self.db).await?;
        let at = now();
        // One conditional UPDATE takes the link: of two clicks at once, only one records.
        let taken = rating_link::Entity::update_many()
            .col_expr(rating_link::Column::UsedAt, Expr::value(at))
            .filter(rating_link::Column::TokenHash.eq(hash_token(token)))
            .filter(rating_link::Column::UsedAt.is_null())
            .filter(rating_link::Column::ExpiresAt.gt(at))
            .exec(&tx)
            .await?;
        if taken.rows_affected != 1 {
            return Err(DomainError::NotFound);
        }
        let link = rating_link::Entity::find()
            .filter(rating_link::Column::TokenHash.eq(hash_token(token)))
            .one(&tx)
            .await?
            .ok_or(DomainError::NotFound)?;
        let t = ticket::Entity::find_by_id(link.ticket_id)
            .filter(ticket::Column::TenantId.eq(link.tenant_id))
            .one(&tx)
            .await?
            .ok_or(DomainError::NotFound)?;
        if t.status.is_open() {
            return Err(DomainError::NotFound);
        }
        let became_poor = record(&tx, &t, link.user_id, rating, None).await?;
        tx.commit().await?;
        if became_poor {
            self.alert(t.id).await;
        }
        Ok(AnsweredByLink { number: t.number, rating })
    }

    /// Emails the requester of a ticket just resolved, with the three answers.
    pub async fn ask(&self, r: &RatingRequest) {
        let link = |rating: Rating| format!("{}/rate/{}/{}", self.public_url, r.token, rating.as_str());
        let ticket = format!("{}/portal/tickets/{}", self.public_url, r.number);
        let email = emails::ticket_resolved(
            &r.email,
            &emails::ResolvedTicket {
                name: &r.name,
                number: r.number,
                subject: &r.subject,
                good: &link(Rating::Good),
                okay: &link(Rating::Okay),
                poor: &link(Rating::Poor),
                ticket: &ticket,
                valid_days: LINK_DAYS,
            },
        );
        if let Err(e) = self.mail.send(email, Some("ticket resolved")).await {
            tracing::error!(error = %e, "could not queue the email asking for a rating");
        }
    }

    /// Tells the client's account managers about a ticket's poor rating.
    pub async fn alert(&self, ticket_id: i64) {
        match poor_rating_alerts(&self.db, ticket_id, &self.public_url).await {
            Ok(emails) => {
                for email in emails {
                    if let Err(e) = self.mail.send(email, Some("poor rating")).await {
                        tracing::error!(error = %e, "could not queue a poor rating alert");
                    }
                }
            }
            Err(e) => tracing::error!(error = %crate::error::cause_chain(&e), "could not compose a poor rating alert"),
        }
    }

    /// Forgets links that ran out more than a week ago (housekeeping).
    pub async fn forget_old_links(db: &impl ConnectionTrait) -> Result<u64> {
        Ok(rating_link::Entity::delete_many()
            .filter(rating_link::Column::ExpiresAt.lt(now() - Duration::days(7)))
            .exec(db)
            .await?
            .rows_affected)
    }
}

impl TenantScope {
    /// A ticket's rating, as its client sees it.
    pub async fn rating_of(&self, ticket_id: i64) -> Result<Option<GivenRating>> {
        let Some(r) = self
            .select::<ticket_rating::Entity>()
            .filter(ticket_rating::Column::TicketId.eq(ticket_id))
            .one(self.db())
            .await?
        else {
            return Ok(None);
        };
        let by = match r.rated_by {
            Some(id) => user::Entity::find_by_id(id).one(self.db()).await?.map(|u| u.display_name),
            None => None,
        };
        Ok(Some(GivenRating { rating: r.rating, comment: r.comment, by, at: r.updated_at }))
    }

    /// The viewer rates one of their own resolved tickets (or changes their rating, or adds a
    /// comment). Another person's ticket, or another client's, is `NotFound`; an open ticket is
    /// refused in words. Answers the ticket's id when the rating just became poor.
    pub async fn rate(&self, number: i64, rating: Rating, comment_text: &str) -> Result<Option<i64>> {
        let Some((viewer, _)) = self.viewer() else {
            return Err(DomainError::Invalid("Only the person who asked can rate a ticket.".into()));
        };
        let comment = comment(comment_text)?;
        let tx = crate::db::write(self.db()).await?;
        let t = self
            .select::<ticket::Entity>()
            .filter(ticket::Column::Number.eq(number))
            .filter(ticket::Column::RequesterId.eq(viewer))
            .one(&tx)
            .await?
            .ok_or(DomainError::NotFound)?;
        if t.status.is_open() {
            return Err(DomainError::Invalid("You can rate a ticket once it is resolved.".into()));
        }
        let became_poor = record(&tx, &t, viewer, rating, Some(comment)).await?;
        tx.commit().await?;
        Ok(became_poor.then_some(t.id))
    }

    /// Ratings given in a period (for summaries): (rated, of which good).
    pub async fn ratings_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<BTreeMap<Rating, i64>> {
        Ok(answers_between(self.db(), self.select::<ticket_rating::Entity>(), from, to).await?.into_iter().collect())
    }
}

/// How many of each answer were given between two instants, among the ratings `q` selects: one
/// grouped query.
async fn answers_between(
    db: &impl ConnectionTrait,
    q: sea_orm::Select<ticket_rating::Entity>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<(Rating, i64)>> {
    Ok(q.filter(ticket_rating::Column::CreatedAt.gte(from))
        .filter(ticket_rating::Column::CreatedAt.lt(to))
        .select_only()
        .column(ticket_rating::Column::Rating)
        .column_as(ticket_rating::Column::Id.count(), "n")
        .group_by(ticket_rating::Column::Rating)
        .into_tuple()
        .all(db)
        .await?)
}

/// Good, okay and poor answers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub good: i64,
    pub okay: i64,
    pub poor: i64,
}

impl Tally {
    fn add(&mut self, rating: Rating, n: i64) {
        match rating {
            Rating::Good => self.good += n,
            Rating::Okay => self.okay += n,
            Rating::Poor => self.poor += n,
        }
    }

    pub fn total(&self) -> i64 {
        self.good + self.okay + self.poor
    }
}

/// How clients rated the MSP: per month, per tech and per client.
#[derive(Clone, Debug, Default)]
pub struct RatingsBoard {
    /// The last six months, oldest first (in UTC months).
    pub months: Vec<(Month, Tally)>,
    /// The last 90 days, per tech who had the ticket (by name), most ratings first.
    pub by_tech: Vec<(String, Tally)>,
    /// The last 90 days, per client (name, slug), most ratings first.
    pub by_client: Vec<(String, String, Tally)>,
    /// The latest poor ratings of the last 90 days: (client, ticket id, number, subject, comment).
    pub recent_poor: Vec<(String, i64, i64, String, String)>,
}

impl Unscoped {
    /// A ticket's rating, for the staff's ticket page.
    pub async fn ticket_rating(&self, ticket_id: i64) -> Result<Option<GivenRating>> {
        let Some(t) = ticket::Entity::find_by_id(ticket_id).one(self.db()).await? else { return Ok(None) };
        TenantScope::new(self.db().clone(), t.tenant_id, None).rating_of(t.id).await
    }

    /// The ratings board: a fixed number of grouped queries, whatever the number of clients.
    pub async fn ratings_board(&self) -> Result<RatingsBoard> {
        let at = now();
        let since = at - Duration::days(90);
        let grouped = |by: ticket_rating::Column| {
            ticket_rating::Entity::find()
                .filter(ticket_rating::Column::CreatedAt.gte(since))
                .select_only()
                .column(by)
                .column(ticket_rating::Column::Rating)
                .column_as(ticket_rating::Column::Id.count(), "n")
                .group_by(by)
                .group_by(ticket_rating::Column::Rating)
        };
        let per_tech: Vec<(Option<i64>, Rating, i64)> =
            grouped(ticket_rating::Column::TechId).into_tuple().all(self.db()).await?;
        let per_client: Vec<(i64, Rating, i64)> =
            grouped(ticket_rating::Column::TenantId).into_tuple().all(self.db()).await?;
        let mut techs: BTreeMap<Option<i64>, Tally> = BTreeMap::new();
        for (id, r, n) in per_tech {
            techs.entry(id).or_default().add(r, n);
        }
        let mut clients: BTreeMap<i64, Tally> = BTreeMap::new();
        for (id, r, n) in per_client {
            clients.entry(id).or_default().add(r, n);
        }
        let names = crate::users::display_names(self.db(), techs.keys().flatten().copied().collect()).await?;
        let tenants: BTreeMap<i64, (String, String)> = tenant::Entity::find()
            .filter(tenant::Column::Id.is_in(clients.keys().copied().collect::<Vec<_>>()))
            .all(self.db())
            .await?
            .into_iter()
            .map(|t| (t.id, (t.name, t.slug)))
            .collect();
        let mut by_tech: Vec<(String, Tally)> = techs
            .into_iter()
            .map(|(id, t)| (id.and_then(|i| names.get(&i).cloned()).unwrap_or_else(|| "Unassigned".into()), t))
            .collect();
        by_tech.sort_by(|a, b| b.1.total().cmp(&a.1.total()).then(a.0.cmp(&b.0)));
        let mut by_client: Vec<(String, String, Tally)> = clients
            .into_iter()
            .filter_map(|(id, t)| tenants.get(&id).map(|(name, slug)| (name.clone(), slug.clone(), t)))
            .collect();
        by_client.sort_by(|a, b| b.2.total().cmp(&a.2.total()).then(a.0.cmp(&b.0)));

        let mut months = Vec::new();
        let mut month = Month::containing(at.date_naive());
        for _ in 0..5 {
            month = month.previous();
        }
        for _ in 0..6 {
            let start = month.first_day.and_hms_opt(0, 0, 0).expect("midnight").and_utc();
            let end = month.next().first_day.and_hms_opt(0, 0, 0).expect("midnight").and_utc();
            let mut tally = Tally::default();
            for (r, n) in answers_between(self.db(), ticket_rating::Entity::find(), start, end).await? {
                tally.add(r, n);
            }
            months.push((month, tally));
            month = month.next();
        }

        let poor = ticket_rating::Entity::find()
            .filter(ticket_rating::Column::CreatedAt.gte(since))
            .filter(ticket_rating::Column::Rating.eq(Rating::Poor))
            .order_by_desc(ticket_rating::Column::UpdatedAt)
            .limit(10)
            .all(self.db())
            .await?;
        let tickets: BTreeMap<i64, ticket::Model> = ticket::Entity::find()
            .filter(ticket::Column::Id.is_in(poor.iter().map(|r| r.ticket_id).collect::<Vec<_>>()))
            .all(self.db())
            .await?
            .into_iter()
            .map(|t| (t.id, t))
            .collect();
        let poor_clients: BTreeMap<i64, String> = tenant::Entity::find()
            .filter(tenant::Column::Id.is_in(poor.iter().map(|r| r.tenant_id).collect::<Vec<_>>()))
            .all(self.db())
            .await?
            .into_iter()
            .map(|t| (t.id, t.name))
            .collect();
        let recent_poor = poor
            .into_iter()
            .filter_map(|r| {
                let t = tickets.get(&r.ticket_id)?;
                let client = poor_clients.get(&r.tenant_id)?.clone();
                Some((client, t.id, t.number, t.subject.clone(), r.comment))
            })
            .collect();
        Ok(RatingsBoard { months, by_tech, by_client, recent_poor })
    }
}

/// Whether a status change should ask for a rating: an open ticket resolved (or closed straight
/// away), not a resolved one being closed.
pub(crate) fn asks_for_rating(from: TicketStatus, to: TicketStatus) -> bool {
    from.is_open() && !to.is_open()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_newly_resolved_ticket_asks() {
        assert!(asks_for_rating(TicketStatus::Open, TicketStatus::Resolved));
        assert!(asks_for_rating(TicketStatus::WaitingOnVendor, TicketStatus::Resolved));
        assert!(asks_for_rating(TicketStatus::New, TicketStatus::Closed));
        assert!(!asks_for_rating(TicketStatus::Resolved, TicketStatus::Closed));
        assert!(!asks_for_rating(TicketStatus::Closed, TicketStatus::Resolved));
        assert!(!asks_for_rating(TicketStatus::Open, TicketStatus::WaitingOnClient));
    }

    #[test]
    fn a_long_comment_is_refused() {
        assert!(comment(&"x".repeat(COMMENT_CHARS + 1)).is_err());
        assert_eq!(comment("  fine  ").unwrap(), "fine");
    }
}
