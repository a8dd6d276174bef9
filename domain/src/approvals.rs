//! Approvals for planned work: "may we restart your file server on Saturday night?"
//!
//! A tech (or MSP admin) asks the client to approve a planned, client-visible entry: what happens,
//! the downtime and who is affected, the risk and the rollback plan in plain words, one or more
//! windows, and optionally a deadline for an answer. The client's admins and the users they name
//! approvers decide: approve a window, propose another time, or decline with a reason. One
//! approval is enough unless the tech asked for two. The approved window becomes the entry's
//! scheduled time; a decision can change until that window starts, never after. Until it is
//! approved, the work stays out of the client's planned list and calendar feed. Staff accept a
//! time the client proposed (it counts as that person's approval of it). Work marked done without
//! an approval is flagged to the MSP admins.

use crate::audit;
use crate::auth::{ClientAccess, CurrentUser};
use crate::emails;
use crate::entities::{approval, approval_decision, approval_window, tenant, user, work_entry};
use crate::error::{DomainError, Result};
use crate::mail::Email;
use crate::rules::after_hours;
use crate::scope::{TenantScope, Unscoped};
use crate::staff::work_log::parse_local;
use crate::staff::{Editor, business_hours, time_zone};
use crate::time::now;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use std::collections::HashMap;
use vocabulary::{ApprovalAnswer, ApprovalStatus, AuditAction, Role, Visibility, WorkState};

const TEXT_CHARS: usize = 2_000;
/// The most windows one request proposes.
pub const MAX_WINDOWS: usize = 3;

fn plain(text: &str, empty: &str) -> Result<String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(DomainError::Invalid(empty.into()));
    }
    if text.chars().count() > TEXT_CHARS {
        return Err(DomainError::Invalid(format!("Please keep each answer under {TEXT_CHARS} characters.")));
    }
    Ok(text.to_string())
}

/// A request for approval, checked: every window and the deadline are ahead.
#[derive(Clone, Debug)]
pub struct NewApproval {
    pub downtime: String,
    pub risk: String,
    pub rollback: String,
    /// Soonest first, no two alike.
    pub windows: Vec<DateTime<Utc>>,
    pub deadline: Option<DateTime<Utc>>,
    pub approvals_needed: i32,
}

impl NewApproval {
    /// Windows and deadline are local times in the client's time zone (`YYYY-MM-DDTHH:MM`);
    /// empty window fields are ignored.
    pub fn parse(
        downtime: &str,
        risk: &str,
        rollback: &str,
        windows: &[String],
        deadline: &str,
        two_approvals: bool,
        tz: chrono_tz::Tz,
    ) -> Result<NewApproval> {
        let downtime = plain(downtime, "Please say how long things will be down, and who will notice.")?;
        let risk = plain(risk, "Please say, in plain words, what could go wrong.")?;
        let rollback = plain(rollback, "Please say how you would undo it if it goes wrong.")?;
        let t = now();
        let mut starts = Vec::new();
        for w in windows.iter().map(|w| w.trim()).filter(|w| !w.is_empty()) {
            let start = parse_local(w, tz)?;
            if start <= t {
                return Err(DomainError::Invalid(format!(
                    "{} has passed: please propose times ahead.",
                    start.with_timezone(&tz).format("%a %-d %b %H:%M")
                )));
            }
            starts.push(start);
        }
        starts.sort();
        starts.dedup();
        if starts.is_empty() {
            return Err(DomainError::Invalid("Please propose at least one window.".into()));
        }
        if starts.len() > MAX_WINDOWS {
            return Err(DomainError::Invalid(format!("Please propose at most {MAX_WINDOWS} windows.")));
        }
        let deadline = match deadline.trim() {
            "" => None,
            d => {
                let d = parse_local(d, tz)
                    .map_err(|_| DomainError::Invalid("Please give the deadline as a date and time.".into()))?;
                if d <= t {
                    return Err(DomainError::Invalid("The deadline has passed: choose a time ahead.".into()));
                }
                Some(d)
            }
        };
        Ok(NewApproval {
            downtime,
            risk,
            rollback,
            windows: starts,
            deadline,
            approvals_needed: 1 + two_approvals as i32,
        })
    }
}

/// What an approver decides.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// One of the proposed windows, by id.
    Approve {
        window: i64,
    },
    /// Another time (in the client's zone), with an optional note.
    Propose {
        start: DateTime<Utc>,
        note: String,
    },
    Decline {
        reason: String,
    },
}

impl Decision {
    /// The form's fields: `answer` is approve / propose / decline.
    pub fn parse(answer: &str, window: Option<i64>, start: &str, note: &str, tz: chrono_tz::Tz) -> Result<Decision> {
        let answer: ApprovalAnswer =
            answer.trim().parse().map_err(|_| DomainError::Invalid("Please choose an answer.".into()))?;
        let note = note.trim();
        if note.chars().count() > TEXT_CHARS {
            return Err(DomainError::Invalid(format!("Please keep the note under {TEXT_CHARS} characters.")));
        }
        Ok(match answer {
            ApprovalAnswer::Approve => Decision::Approve {
                window: window.ok_or_else(|| DomainError::Invalid("Please choose the window you approve.".into()))?,
            },
            ApprovalAnswer::Propose => {
                let start = parse_local(start, tz)
                    .map_err(|_| DomainError::Invalid("Please give the time you propose as a date and time.".into()))?;
                if start <= now() {
                    return Err(DomainError::Invalid("That time has passed: please propose a time ahead.".into()));
                }
                Decision::Propose { start, note: note.to_string() }
            }
            ApprovalAnswer::Decline => Decision::Decline {
                reason: plain(note, "Please give a reason for declining, so we can plan around it.")?,
            },
        })
    }

    fn answer(&self) -> ApprovalAnswer {
        match self {
            Decision::Approve { .. } => ApprovalAnswer::Approve,
            Decision::Propose { .. } => ApprovalAnswer::Propose,
            Decision::Decline { .. } => ApprovalAnswer::Decline,
        }
    }
}

/// One proposed window.
#[derive(Clone, Debug)]
pub struct Window {
    pub id: i64,
    pub starts_at: DateTime<Utc>,
    pub from_client: bool,
    /// How many approvers approved it.
    pub approvals: usize,
}

/// One person's decision.
#[derive(Clone, Debug)]
pub struct DecisionRow {
    pub user_id: i64,
    pub name: String,
    pub answer: ApprovalAnswer,
    pub window_start: Option<DateTime<Utc>>,
    pub proposed_start: Option<DateTime<Utc>>,
    pub note: String,
    pub at: DateTime<Utc>,
}

/// A request for approval as a list shows it.
#[derive(Clone, Debug)]
pub struct ApprovalRow {
    pub id: i64,
    pub tenant_name: String,
    pub tenant_slug: String,
    pub time_zone: chrono_tz::Tz,
    pub work_entry_id: i64,
    pub title: String,
    pub status: ApprovalStatus,
    /// Still undecided and past its deadline, or every window has begun.
    pub overdue: bool,
    pub asked_by: Option<String>,
    pub created_at: DateTime<Utc>,
    pub deadline: Option<DateTime<Utc>>,
    /// The approved window's start, or the soonest window still ahead.
    pub when: Option<DateTime<Utc>>,
    pub done_without_approval_at: Option<DateTime<Utc>>,
}

/// Everything about one request.
#[derive(Clone, Debug)]
pub struct ApprovalDetail {
    pub row: ApprovalRow,
    pub details: String,
    pub why_it_matters: String,
    pub duration_minutes: i32,
    pub downtime: String,
    pub risk: String,
    pub rollback: String,
    pub approvals_needed: i32,
    pub windows: Vec<Window>,
    pub decisions: Vec<DecisionRow>,
    pub approved_window: Option<i64>,
    /// The approved window has begun: nothing can change any more.
    pub locked: bool,
}

/// The staff's view of approvals: still open (waiting or with a time proposed), recently decided,
/// and work done without one.
#[derive(Clone, Debug, Default)]
pub struct ApprovalBoard {
    pub open: Vec<ApprovalRow>,
    pub decided: Vec<ApprovalRow>,
    pub done_without: Vec<ApprovalRow>,
}

/// Planned work still waiting for, or refused, its client's approval: kept out of the client's
/// planned list and calendar feed.
pub(crate) fn approved_or_never_asked() -> Condition {
    Condition::all().add(
        work_entry::Column::Id.not_in_subquery(
            Query::select()
                .column(approval::Column::WorkEntryId)
                .from(approval::Entity)
                .and_where(approval::Column::Status.ne(ApprovalStatus::Approved))
                .to_owned(),
        ),
    )
}

/// The request of an entry, read for a change: locked against concurrent writers on PostgreSQL
/// (SQLite's `BEGIN IMMEDIATE` already serialises writers).
async fn request_for_update(tx: &impl ConnectionTrait, id: i64) -> Result<approval::Model> {
    approval::Entity::find_by_id(id).lock_exclusive().one(tx).await?.ok_or(DomainError::NotFound)
}

/// A decision only changes planned work: once it is done, what was decided stays as it was.
async fn still_planned(tx: &impl ConnectionTrait, a: &approval::Model) -> Result<()> {
    let e = work_entry::Entity::find_by_id(a.work_entry_id).one(tx).await?.ok_or(DomainError::NotFound)?;
    if e.state != WorkState::Planned {
        return Err(DomainError::Invalid("This work is done: its approval can no longer change.".into()));
    }
    Ok(())
}

/// An edit of an entry that asked for approval keeps what the client was asked about: its
/// client, its visibility and, while it is planned, its time (the approved window sets that).
pub(crate) async fn check_edit(
    tx: &impl ConnectionTrait,
    before: &work_entry::Model,
    tenant_id: i64,
    visibility: Visibility,
    state: WorkState,
    started_at: DateTime<Utc>,
) -> Result<()> {
    if approval::Entity::find().filter(approval::Column::WorkEntryId.eq(before.id)).one(tx).await?.is_none() {
        return Ok(());
    }
    let moved = tenant_id != before.tenant_id || visibility != before.visibility;
    let retimed = state == WorkState::Planned && started_at != before.started_at;
    if moved || retimed {
        return Err(DomainError::Invalid(
            "This work asked for the client's approval: its client, visibility and time stay as asked \
             (the approved window sets the time)."
                .into(),
        ));
    }
    Ok(())
}

/// Requests about work the client can see (an entry made internal is never shown).
fn about_client_work() -> Condition {
    Condition::all().add(
        approval::Column::WorkEntryId.in_subquery(
            Query::select()
                .column(work_entry::Column::Id)
                .from(work_entry::Entity)
                .and_where(work_entry::Column::Visibility.eq(Visibility::Client))
                .to_owned(),
        ),
    )
}

/// Who may decide for a tenant: its active client admins and named approvers.
async fn approvers(db: &impl ConnectionTrait, tenant_id: i64) -> Result<Vec<user::Model>> {
    Ok(user::Entity::find()
        .filter(user::Column::TenantId.eq(tenant_id))
        .filter(user::Column::Active.eq(true))
        .filter(Condition::any().add(user::Column::Role.eq(Role::ClientAdmin)).add(user::Column::Approver.eq(true)))
        .order_by_asc(user::Column::Id)
        .all(db)
        .await?)
}

fn may_decide(u: &user::Model) -> bool {
    u.active && (u.role == Role::ClientAdmin || u.approver)
}

fn local(at: DateTime<Utc>, tz: chrono_tz::Tz) -> String {
    at.with_timezone(&tz).format("%a %-d %b %Y, %H:%M").to_string()
}

fn overdue(a: &approval::Model, windows: &[approval_window::Model], at: DateTime<Utc>) -> bool {
    let open = matches!(a.status, ApprovalStatus::Waiting | ApprovalStatus::NewTimeProposed);
    open && (a.deadline.is_some_and(|d| d <= at) || windows.iter().all(|w| w.starts_at <= at))
}

/// Rows for a page of requests: three queries, whatever their number.
async fn rows(db: &impl ConnectionTrait, list: Vec<approval::Model>) -> Result<Vec<ApprovalRow>> {
    let entries: HashMap<i64, work_entry::Model> = work_entry::Entity::find()
        .filter(work_entry::Column::Id.is_in(list.iter().map(|a| a.work_entry_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    let tenants: HashMap<i64, tenant::Model> = tenant::Entity::find()
        .filter(tenant::Column::Id.is_in(list.iter().map(|a| a.tenant_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    let mut windows: HashMap<i64, Vec<approval_window::Model>> = HashMap::new();
    for w in approval_window::Entity::find()
        .filter(approval_window::Column::ApprovalId.is_in(list.iter().map(|a| a.id).collect::<Vec<_>>()))
        .order_by_asc(approval_window::Column::StartsAt)
        .all(db)
        .await?
    {
        windows.entry(w.approval_id).or_default().push(w);
    }
    let names = crate::users::display_names(db, list.iter().filter_map(|a| a.asked_by).collect()).await?;
    let at = now();
    Ok(list
        .into_iter()
        .filter_map(|a| {
            let e = entries.get(&a.work_entry_id)?;
            let t = tenants.get(&a.tenant_id)?;
            let ws = windows.remove(&a.id).unwrap_or_default();
            let when = match a.approved_window_id {
                Some(id) => ws.iter().find(|w| w.id == id).map(|w| w.starts_at),
                None => ws.iter().map(|w| w.starts_at).find(|s| *s > at),
            };
            Some(ApprovalRow {
                id: a.id,
                tenant_name: t.name.clone(),
                tenant_slug: t.slug.clone(),
                time_zone: time_zone(t),
                work_entry_id: e.id,
                title: e.title.clone(),
                status: a.status,
                overdue: overdue(&a, &ws, at),
                asked_by: a.asked_by.and_then(|id| names.get(&id).cloned()),
                created_at: a.created_at,
                deadline: a.deadline,
                when,
                done_without_approval_at: a.done_without_approval_at,
            })
        })
        .collect())
}

async fn detail(db: &impl ConnectionTrait, a: approval::Model) -> Result<ApprovalDetail> {
    let e = work_entry::Entity::find_by_id(a.work_entry_id).one(db).await?.ok_or(DomainError::NotFound)?;
    let windows = approval_window::Entity::find()
        .filter(approval_window::Column::ApprovalId.eq(a.id))
        .order_by_asc(approval_window::Column::StartsAt)
        .all(db)
        .await?;
    let decisions = approval_decision::Entity::find()
        .filter(approval_decision::Column::ApprovalId.eq(a.id))
        .order_by_asc(approval_decision::Column::CreatedAt)
        .order_by_asc(approval_decision::Column::Id)
        .all(db)
        .await?;
    let names = crate::users::display_names(db, decisions.iter().map(|d| d.user_id).collect()).await?;
    let starts: HashMap<i64, DateTime<Utc>> = windows.iter().map(|w| (w.id, w.starts_at)).collect();
    let locked = a.approved_window_id.and_then(|id| starts.get(&id)).is_some_and(|s| *s <= now());
    let (approved_window, approvals_needed) = (a.approved_window_id, a.approvals_needed);
    let (downtime, risk, rollback) = (a.downtime.clone(), a.risk.clone(), a.rollback.clone());
    let window_rows = windows
        .iter()
        .map(|w| Window {
            id: w.id,
            starts_at: w.starts_at,
            from_client: w.from_client,
            approvals: decisions
                .iter()
                .filter(|d| d.answer == ApprovalAnswer::Approve && d.window_id == Some(w.id))
                .count(),
        })
        .collect();
    let decision_rows = decisions
        .into_iter()
        .map(|d| DecisionRow {
            user_id: d.user_id,
            name: names.get(&d.user_id).cloned().unwrap_or_default(),
            answer: d.answer,
            window_start: d.window_id.and_then(|id| starts.get(&id).copied()),
            proposed_start: d.proposed_start,
            note: d.note,
            at: d.created_at,
        })
        .collect();
    let row = rows(db, vec![a]).await?.pop().ok_or(DomainError::NotFound)?;
    Ok(ApprovalDetail {
        row,
        details: e.details,
        why_it_matters: e.why_it_matters,
        duration_minutes: e.duration_minutes,
        downtime,
        risk,
        rollback,
        approvals_needed,
        windows: window_rows,
        decisions: decision_rows,
        approved_window,
        locked,
    })
}

/// Where a request stands after its decisions: any decline declines it; a window with enough
/// approvals approves it (the soonest such); a proposed time waits for staff; else it waits.
fn standing(
    needed: i32,
    windows: &[approval_window::Model],
    decisions: &[approval_decision::Model],
) -> (ApprovalStatus, Option<i64>) {
    if decisions.iter().any(|d| d.answer == ApprovalAnswer::Decline) {
        return (ApprovalStatus::Declined, None);
    }
    let approved = windows.iter().find(|w| {
        decisions.iter().filter(|d| d.answer == ApprovalAnswer::Approve && d.window_id == Some(w.id)).count()
            >= needed as usize
    });
    match approved {
        Some(w) => (ApprovalStatus::Approved, Some(w.id)),
        None if decisions.iter().any(|d| d.answer == ApprovalAnswer::Propose) => {
            (ApprovalStatus::NewTimeProposed, None)
        }
        None => (ApprovalStatus::Waiting, None),
    }
}

/// Writes a request's standing after a change of its decisions; an approval schedules the work at
/// the approved window. Answers the new standing.
async fn settle(tx: &impl ConnectionTrait, a: approval::Model) -> Result<(ApprovalStatus, Option<DateTime<Utc>>)> {
    let windows = approval_window::Entity::find()
        .filter(approval_window::Column::ApprovalId.eq(a.id))
        .order_by_asc(approval_window::Column::StartsAt)
        .all(tx)
        .await?;
    let decisions =
        approval_decision::Entity::find().filter(approval_decision::Column::ApprovalId.eq(a.id)).all(tx).await?;
    let (status, window) = standing(a.approvals_needed, &windows, &decisions);
    let start = window.and_then(|id| windows.iter().find(|w| w.id == id)).map(|w| w.starts_at);
    let (entry_id, tenant_id) = (a.work_entry_id, a.tenant_id);
    let mut row = a.into_active_model();
    row.status = Set(status);
    row.approved_window_id = Set(window);
    row.decided_at = Set(matches!(status, ApprovalStatus::Approved | ApprovalStatus::Declined).then(now));
    row.update(tx).await?;
    let e = work_entry::Entity::find_by_id(entry_id).one(tx).await?.ok_or(DomainError::NotFound)?;
    if let Some(start) = start.filter(|_| e.state == WorkState::Planned) {
        let t = tenant::Entity::find_by_id(tenant_id).one(tx).await?.ok_or(DomainError::NotFound)?;
        let minutes = e.duration_minutes;
        let mut e = e.into_active_model();
        e.started_at = Set(start);
        e.after_hours = Set(after_hours(&business_hours(&t), start, minutes));
        e.updated_at = Set(now());
        e.update(tx).await?;
    }
    Ok((status, start))
}

impl Editor {
    /// The time zone of a work entry's client (a request's windows are typed in it).
    pub async fn time_zone_of_work(&self, entry_id: i64) -> Result<chrono_tz::Tz> {
        let e = work_entry::Entity::find_by_id(entry_id).one(self.db()).await?.ok_or(DomainError::NotFound)?;
        let t = tenant::Entity::find_by_id(e.tenant_id).one(self.db()).await?.ok_or(DomainError::NotFound)?;
        Ok(time_zone(&t))
    }

    /// Asks the entry's client to approve it. Answers the request's id and the emails to its
    /// approvers (for the caller to queue once committed).
    pub async fn ask_approval(&self, entry_id: i64, new: NewApproval, base_url: &str) -> Result<(i64, Vec<Email>)> {
        let tx = crate::db::write(self.db()).await?;
        let e = work_entry::Entity::find_by_id(entry_id).one(&tx).await?.ok_or(DomainError::NotFound)?;
        if e.state != WorkState::Planned {
            return Err(DomainError::Invalid("Only planned work can ask for approval.".into()));
        }
        if e.visibility != Visibility::Client {
            return Err(DomainError::Invalid(
                "The client cannot see internal work: make it visible to the client first.".into(),
            ));
        }
        if approval::Entity::find().filter(approval::Column::WorkEntryId.eq(e.id)).one(&tx).await?.is_some() {
            return Err(DomainError::Invalid("This work has asked for the client's approval already.".into()));
        }
        let t = tenant::Entity::find_by_id(e.tenant_id).one(&tx).await?.ok_or(DomainError::NotFound)?;
        let people = approvers(&tx, t.id).await?;
        if people.is_empty() {
            return Err(DomainError::Invalid(format!("{} has nobody who can approve work yet.", t.name)));
        }
        let a = approval::ActiveModel {
            tenant_id: Set(t.id),
            work_entry_id: Set(e.id),
            asked_by: Set(Some(self.user.id)),
            downtime: Set(new.downtime),
            risk: Set(new.risk),
            rollback: Set(new.rollback),
            deadline: Set(new.deadline),
            approvals_needed: Set(new.approvals_needed),
            status: Set(ApprovalStatus::Waiting),
            approved_window_id: Set(None),
            created_at: Set(now()),
            decided_at: Set(None),
            done_without_approval_at: Set(None),
            ..Default::default()
        }
        .insert(&tx)
        .await?;
        for start in &new.windows {
            approval_window::ActiveModel {
                tenant_id: Set(t.id),
                approval_id: Set(a.id),
                starts_at: Set(*start),
                from_client: Set(false),
                ..Default::default()
            }
            .insert(&tx)
            .await?;
        }
        let tz = time_zone(&t);
        let windows: Vec<String> = new.windows.iter().map(|w| local(*w, tz)).collect();
        audit::by(
            &tx,
            &self.user,
            Some(t.id),
            AuditAction::ApprovalAsked,
            &format!("work entry {}: {}", e.id, e.title),
            Some(format!("windows: {}", windows.join("; "))),
        )
        .await?;
        tx.commit().await?;
        let link = format!("{}/portal/approvals/{}", base_url.trim_end_matches('/'), a.id);
        let deadline = new.deadline.map(|d| local(d, tz));
        let emails = people
            .iter()
            .map(|p| {
                emails::approval_asked(
                    &p.email,
                    &emails::ApprovalAsked {
                        name: &p.display_name,
                        tenant: &t.name,
                        title: &e.title,
                        tech: &self.user.display_name,
                        windows: &windows,
                        deadline: deadline.as_deref(),
                        link: &link,
                    },
                )
            })
            .collect();
        Ok((a.id, emails))
    }

    /// Accepts the time a client's approver proposed: it becomes a window that person approved.
    pub async fn accept_proposed_time(&self, approval_id: i64, proposer: i64) -> Result<i64> {
        let tx = crate::db::write(self.db()).await?;
        let a = request_for_update(&tx, approval_id).await?;
        if a.status != ApprovalStatus::NewTimeProposed {
            return Err(DomainError::Invalid("The client has not proposed another time for this work.".into()));
        }
        still_planned(&tx, &a).await?;
        let d = approval_decision::Entity::find()
            .filter(approval_decision::Column::ApprovalId.eq(a.id))
            .filter(approval_decision::Column::UserId.eq(proposer))
            .filter(approval_decision::Column::Answer.eq(ApprovalAnswer::Propose))
            .one(&tx)
            .await?
            .ok_or_else(|| DomainError::Invalid("That person has not proposed a time.".into()))?;
        let start = d.proposed_start.ok_or(DomainError::NotFound)?;
        if start <= now() {
            return Err(DomainError::Invalid("That time has passed: ask the client again.".into()));
        }
        let w = approval_window::ActiveModel {
            tenant_id: Set(a.tenant_id),
            approval_id: Set(a.id),
            starts_at: Set(start),
            from_client: Set(true),
            ..Default::default()
        }
        .insert(&tx)
        .await?;
        let mut d = d.into_active_model();
        d.answer = Set(ApprovalAnswer::Approve);
        d.window_id = Set(Some(w.id));
        d.update(&tx).await?;
        let entry = a.work_entry_id;
        let tenant_id = a.tenant_id;
        let (status, _) = settle(&tx, a).await?;
        audit::by(
            &tx,
            &self.user,
            Some(tenant_id),
            AuditAction::ApprovalTimeAccepted,
            &format!("approval {approval_id} (work entry {entry})"),
            Some(format!("now: {}", status.label())),
        )
        .await?;
        tx.commit().await?;
        Ok(entry)
    }
}

/// Flags work marked done while its approval was not given, inside the caller's transaction, and
/// answers the emails to the MSP admins. Work that never asked, or was approved, is not flagged.
pub(crate) async fn done_without_approval(
    tx: &impl ConnectionTrait,
    e: &work_entry::Model,
    by: &CurrentUser,
    base_url: &str,
) -> Result<Vec<Email>> {
    let Some(a) =
        approval::Entity::find().filter(approval::Column::WorkEntryId.eq(e.id)).lock_exclusive().one(tx).await?
    else {
        return Ok(Vec::new());
    };
    if a.done_without_approval_at.is_some() {
        return Ok(Vec::new());
    }
    // Approved work done within its window is as agreed; done before the window, it is not.
    let approved_start = match a.approved_window_id {
        Some(w) => approval_window::Entity::find_by_id(w).one(tx).await?.map(|w| w.starts_at),
        None => None,
    };
    let early = approved_start.is_some_and(|s| e.started_at < s);
    if a.status == ApprovalStatus::Approved && !early {
        return Ok(Vec::new());
    }
    let status = if early { "approved, but done before the approved window" } else { a.status.label() };
    let mut row = a.into_active_model();
    row.done_without_approval_at = Set(Some(now()));
    row.update(tx).await?;
    let t = tenant::Entity::find_by_id(e.tenant_id).one(tx).await?.ok_or(DomainError::NotFound)?;
    audit::by(
        tx,
        by,
        Some(t.id),
        AuditAction::WorkDoneWithoutApproval,
        &format!("work entry {}: {}", e.id, e.title),
        Some(format!("approval: {status}")),
    )
    .await?;
    let admins = user::Entity::find()
        .filter(user::Column::TenantId.is_null())
        .filter(user::Column::Role.eq(Role::MspAdmin))
        .filter(user::Column::Active.eq(true))
        .all(tx)
        .await?;
    let link = format!("{}/msp/work/{}", base_url.trim_end_matches('/'), e.id);
    Ok(admins
        .iter()
        .map(|u| emails::done_without_approval(&u.email, &u.display_name, &t.name, &e.title, &by.display_name, &link))
        .collect())
}

impl TenantScope {
    /// The viewer may decide on this tenant's planned work (an admin, or named an approver).
    async fn decider(&self) -> Result<Option<user::Model>> {
        let Some((id, _)) = self.viewer() else { return Ok(None) };
        Ok(user::Entity::find_by_id(id)
            .filter(user::Column::TenantId.eq(self.tenant_id()))
            .one(self.db())
            .await?
            .filter(may_decide))
    }

    /// Whether the viewer may decide on planned work.
    pub async fn can_approve(&self) -> Result<bool> {
        Ok(self.decider().await?.is_some())
    }

    /// This tenant's requests, open ones first, then the latest decided.
    pub async fn approvals(&self) -> Result<Vec<ApprovalRow>> {
        let list = self
            .select::<approval::Entity>()
            .filter(about_client_work())
            .order_by_desc(approval::Column::CreatedAt)
            .order_by_desc(approval::Column::Id)
            .limit(100)
            .all(self.db())
            .await?;
        let mut rows = rows(self.db(), list).await?;
        rows.sort_by_key(|r| !matches!(r.status, ApprovalStatus::Waiting | ApprovalStatus::NewTimeProposed));
        Ok(rows)
    }

    /// Requests the viewer is to decide: waiting, not yet answered by them, with a window ahead.
    pub async fn waiting_for_my_decision(&self) -> Result<Vec<ApprovalRow>> {
        let Some(me) = self.decider().await? else { return Ok(Vec::new()) };
        let answered = Query::select()
            .column(approval_decision::Column::ApprovalId)
            .from(approval_decision::Entity)
            .and_where(approval_decision::Column::UserId.eq(me.id))
            .to_owned();
        let list = self
            .select::<approval::Entity>()
            .filter(approval::Column::Status.eq(ApprovalStatus::Waiting))
            .filter(about_client_work())
            .filter(approval::Column::Id.not_in_subquery(answered))
            .order_by_asc(approval::Column::CreatedAt)
            .all(self.db())
            .await?;
        Ok(rows(self.db(), list).await?.into_iter().filter(|r| r.when.is_some()).collect())
    }

    /// One request of this tenant's; another tenant's is `NotFound`.
    pub async fn approval(&self, id: i64) -> Result<ApprovalDetail> {
        let a = self
            .select::<approval::Entity>()
            .filter(approval::Column::Id.eq(id))
            .filter(about_client_work())
            .one(self.db())
            .await?
            .ok_or(DomainError::NotFound)?;
        detail(self.db(), a).await
    }
}

impl ClientAccess {
    /// Records the viewer's decision (replacing an earlier one of theirs) and answers the email
    /// to the tech who asked. Only approvers decide (`Forbidden` for other users of the tenant);
    /// nothing changes once the approved window has begun.
    pub async fn decide(&self, id: i64, decision: Decision, base_url: &str) -> Result<Option<Email>> {
        let tx = crate::db::write(self.scope.db()).await?;
        let a = self
            .scope
            .select::<approval::Entity>()
            .filter(approval::Column::Id.eq(id))
            .filter(about_client_work())
            .lock_exclusive()
            .one(&tx)
            .await?
            .ok_or(DomainError::NotFound)?;
        let me = user::Entity::find_by_id(self.user.id)
            .filter(user::Column::TenantId.eq(self.scope.tenant_id()))
            .one(&tx)
            .await?
            .filter(may_decide)
            .ok_or_else(|| {
                DomainError::Forbidden(
                    "Your admin or the people they named decide on planned work: you can read it, not decide it."
                        .into(),
                )
            })?;
        still_planned(&tx, &a).await?;
        let windows = approval_window::Entity::find()
            .filter(approval_window::Column::ApprovalId.eq(a.id))
            .order_by_asc(approval_window::Column::StartsAt)
            .all(&tx)
            .await?;
        let t = now();
        let approved_start = a.approved_window_id.and_then(|w| windows.iter().find(|x| x.id == w)).map(|w| w.starts_at);
        if approved_start.is_some_and(|s| s <= t) {
            return Err(DomainError::Invalid("The work's window has begun: the decision can no longer change.".into()));
        }
        let (window_id, proposed_start, note) = match &decision {
            Decision::Approve { window } => {
                let w = windows.iter().find(|w| w.id == *window).ok_or_else(|| {
                    DomainError::Invalid("Please choose one of the windows proposed for this work.".into())
                })?;
                if w.starts_at <= t {
                    return Err(DomainError::Invalid("That window has begun: please propose another time.".into()));
                }
                (Some(w.id), None, String::new())
            }
            Decision::Propose { start, note } => (None, Some(*start), note.clone()),
            Decision::Decline { reason } => (None, None, reason.clone()),
        };
        let earlier = approval_decision::Entity::find()
            .filter(approval_decision::Column::ApprovalId.eq(a.id))
            .filter(approval_decision::Column::UserId.eq(me.id))
            .one(&tx)
            .await?;
        let mut row = match earlier {
            Some(d) => d.into_active_model(),
            None => approval_decision::ActiveModel {
                tenant_id: Set(self.scope.tenant_id()),
                approval_id: Set(a.id),
                user_id: Set(me.id),
                ..Default::default()
            },
        };
        row.answer = Set(decision.answer());
        row.window_id = Set(window_id);
        row.proposed_start = Set(proposed_start);
        row.note = Set(note.clone());
        row.created_at = Set(t);
        row.save(&tx).await?;
        let (asked_by, entry_id) = (a.asked_by, a.work_entry_id);
        let (status, start) = settle(&tx, a).await?;
        let tenant = self.scope.tenant().await?;
        let tz = tenant.time_zone;
        let what = match &decision {
            Decision::Approve { .. } => match (status, start) {
                (ApprovalStatus::Approved, Some(s)) => format!("{} approved it for {}.", me.display_name, local(s, tz)),
                _ => format!("{} approved one window; a second approval is needed.", me.display_name),
            },
            Decision::Propose { start, .. } => {
                let with = if note.is_empty() { String::new() } else { format!(" (“{note}”)") };
                format!("{} proposed another time: {}{with}.", me.display_name, local(*start, tz))
            }
            Decision::Decline { reason } => format!("{} declined it: “{reason}”.", me.display_name),
        };
        let e = work_entry::Entity::find_by_id(entry_id).one(&tx).await?.ok_or(DomainError::NotFound)?;
        audit::by(
            &tx,
            &self.user,
            Some(self.scope.tenant_id()),
            AuditAction::ApprovalDecided,
            &format!("work entry {}: {}", e.id, e.title),
            Some(what.clone()),
        )
        .await?;
        tx.commit().await?;
        let tech = match asked_by {
            Some(id) => user::Entity::find_by_id(id).one(self.scope.db()).await?.filter(|u| u.active),
            None => None,
        };
        let link = format!("{}/msp/work/{}", base_url.trim_end_matches('/'), e.id);
        Ok(tech.map(|u| emails::approval_answered(&u.email, &u.display_name, &tenant.name, &e.title, &what, &link)))
    }

    /// Names or un-names a client user of this tenant an approver (client admins only; an admin
    /// always may approve).
    pub async fn set_approver(&self, user_id: i64, approver: bool) -> Result<()> {
        if self.user.role != Role::ClientAdmin {
            return Err(DomainError::NotFound);
        }
        let tx = crate::db::write(self.scope.db()).await?;
        let u = user::Entity::find_by_id(user_id)
            .filter(user::Column::TenantId.eq(self.scope.tenant_id()))
            .one(&tx)
            .await?
            .ok_or(DomainError::NotFound)?;
        if u.role == Role::ClientAdmin {
            return Err(DomainError::Invalid("Admins can always approve planned work.".into()));
        }
        let email = u.email.clone();
        let mut row = u.into_active_model();
        row.approver = Set(approver);
        row.update(&tx).await?;
        let detail = if approver { "approver: yes" } else { "approver: no" };
        audit::by(
            &tx,
            &self.user,
            Some(self.scope.tenant_id()),
            AuditAction::ApproverChanged,
            &email,
            Some(detail.into()),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

impl Unscoped {
    /// The staff's board, for every client or one (`tenant_id`).
    pub async fn approval_board(&self, tenant_id: Option<i64>) -> Result<ApprovalBoard> {
        let scoped = |q: sea_orm::Select<approval::Entity>| match tenant_id {
            Some(t) => q.filter(approval::Column::TenantId.eq(t)),
            None => q,
        };
        let open = scoped(approval::Entity::find())
            .filter(approval::Column::Status.is_in([ApprovalStatus::Waiting, ApprovalStatus::NewTimeProposed]))
            .order_by_asc(approval::Column::CreatedAt)
            .limit(100)
            .all(self.db())
            .await?;
        let since = now() - chrono::Duration::days(30);
        let decided = scoped(approval::Entity::find())
            .filter(approval::Column::Status.is_in([ApprovalStatus::Approved, ApprovalStatus::Declined]))
            .filter(approval::Column::DecidedAt.gte(since))
            .order_by_desc(approval::Column::DecidedAt)
            .limit(50)
            .all(self.db())
            .await?;
        let done_without = scoped(approval::Entity::find())
            .filter(approval::Column::DoneWithoutApprovalAt.gte(since))
            .order_by_desc(approval::Column::DoneWithoutApprovalAt)
            .limit(50)
            .all(self.db())
            .await?;
        Ok(ApprovalBoard {
            open: rows(self.db(), open).await?,
            decided: rows(self.db(), decided).await?,
            done_without: rows(self.db(), done_without).await?,
        })
    }

    /// The request for a work entry, if it asked for one.
    pub async fn approval_for_work(&self, entry_id: i64) -> Result<Option<ApprovalDetail>> {
        match approval::Entity::find().filter(approval::Column::WorkEntryId.eq(entry_id)).one(self.db()).await? {
            Some(a) => Ok(Some(detail(self.db(), a).await?)),
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn window(id: i64) -> approval_window::Model {
        approval_window::Model { id, tenant_id: 1, approval_id: 1, starts_at: now(), from_client: false }
    }

    fn decision(user_id: i64, answer: ApprovalAnswer, window_id: Option<i64>) -> approval_decision::Model {
        approval_decision::Model {
            id: user_id,
            tenant_id: 1,
            approval_id: 1,
            user_id,
            answer,
            window_id,
            proposed_start: None,
            note: String::new(),
            created_at: now(),
        }
    }

    #[test]
    fn one_approval_of_a_window_approves_it_unless_two_are_needed() {
        let ws = [window(1), window(2)];
        let one = [decision(7, ApprovalAnswer::Approve, Some(2))];
        assert_eq!(standing(1, &ws, &one), (ApprovalStatus::Approved, Some(2)));
        assert_eq!(standing(2, &ws, &one), (ApprovalStatus::Waiting, None));
        let split = [decision(7, ApprovalAnswer::Approve, Some(2)), decision(8, ApprovalAnswer::Approve, Some(1))];
        assert_eq!(standing(2, &ws, &split), (ApprovalStatus::Waiting, None));
        let both = [decision(7, ApprovalAnswer::Approve, Some(2)), decision(8, ApprovalAnswer::Approve, Some(2))];
        assert_eq!(standing(2, &ws, &both), (ApprovalStatus::Approved, Some(2)));
    }

    #[test]
    fn a_decline_outweighs_approvals_and_a_proposal_waits_for_staff() {
        let ws = [window(1)];
        let declined = [decision(7, ApprovalAnswer::Approve, Some(1)), decision(8, ApprovalAnswer::Decline, None)];
        assert_eq!(standing(1, &ws, &declined), (ApprovalStatus::Declined, None));
        let proposed = [decision(7, ApprovalAnswer::Propose, None)];
        assert_eq!(standing(1, &ws, &proposed), (ApprovalStatus::NewTimeProposed, None));
        assert_eq!(standing(1, &ws, &[]), (ApprovalStatus::Waiting, None));
    }

    #[test]
    fn a_request_needs_words_and_a_window_ahead() {
        let tz = chrono_tz::Europe::London;
        let ahead = (now() + chrono::Duration::days(3)).with_timezone(&tz).format("%Y-%m-%dT%H:%M").to_string();
        let past = (now() - chrono::Duration::days(3)).with_timezone(&tz).format("%Y-%m-%dT%H:%M").to_string();
        let ok = NewApproval::parse("20 min", "low", "restore", &[ahead.clone(), String::new()], "", true, tz).unwrap();
        assert_eq!((ok.windows.len(), ok.approvals_needed, ok.deadline), (1, 2, None));
        for (downtime, windows) in [("", vec![ahead.clone()]), ("20 min", vec![]), ("20 min", vec![past])] {
            assert!(matches!(
                NewApproval::parse(downtime, "low", "restore", &windows, "", false, tz),
                Err(DomainError::Invalid(_))
            ));
        }
        assert!(matches!(
            Decision::parse("decline", None, "", "  ", tz),
            Err(DomainError::Invalid(m)) if m.contains("reason")
        ));
        assert!(matches!(Decision::parse("maybe", None, "", "", tz), Err(DomainError::Invalid(_))));
    }
}
