//! What the staff workspace's pages receive.

use super::SystemOption;
use serde::{Deserialize, Serialize};
use vocabulary::{
    AuditAction, Category, Criticality, KnowledgeLevel, MailStatus, Role, SystemKind, TenantStatus, TicketStatus,
    Visibility, WorkState,
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonView {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffOption {
    pub id: i64,
    pub name: String,
    pub role: Role,
}

/// A piece of work as staff see it: any client, internal entries included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffWorkView {
    pub id: i64,
    pub tenant_slug: String,
    pub tenant_name: String,
    pub category: Category,
    pub title: String,
    pub systems: Vec<String>,
    /// In the client's time zone.
    pub when: String,
    pub duration: String,
    pub after_hours: bool,
    pub performed_by: String,
    pub state: WorkState,
    pub visibility: Visibility,
    pub automated: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueRowView {
    pub id: i64,
    pub tenant_slug: String,
    pub tenant_name: String,
    pub number: i64,
    pub subject: String,
    pub status: TicketStatus,
    pub priority: u8,
    pub assignee: Option<String>,
    pub requester: Option<String>,
    pub opened: String,
    /// "First response due Tue 17 Nov 14:00"; none once resolved.
    pub due: Option<String>,
    pub breached: bool,
}

/// Primary and ordered backups (of a client, or of one system), with today's cover.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignmentView {
    pub primary: Option<PersonView>,
    pub backups: Vec<PersonView>,
    pub covering: Option<String>,
    /// The primary is away and a backup covers.
    pub backup_covering: bool,
    /// Days ahead (within the horizon) with nobody in, e.g. "Mon 7 Dec".
    pub gap_days: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SystemCoverView {
    pub system_id: i64,
    pub system: String,
    pub assignment: AssignmentView,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamLineView {
    pub slug: String,
    pub name: String,
    pub team: AssignmentView,
    pub account_manager: Option<PersonView>,
    pub without_backup: bool,
    pub systems: Vec<SystemCoverView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskView {
    pub tenant_slug: String,
    pub tenant_name: String,
    pub system: String,
    pub criticality: Criticality,
    pub risks: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AwayView {
    pub name: String,
    pub back: String,
    /// (client, who covers it; `None`: nobody)
    pub clients: Vec<(String, Option<String>)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverviewView {
    pub today: String,
    pub today_work: Vec<StaffWorkView>,
    pub week_work: Vec<StaffWorkView>,
    pub gaps: Vec<TeamLineView>,
    pub without_backup: Vec<TeamLineView>,
    pub risks: Vec<RiskView>,
    pub urgent: Vec<QueueRowView>,
    pub breached: Vec<QueueRowView>,
    pub away: Vec<AwayView>,
    pub ratings: RatingsBoardView,
}

/// Good, okay and poor answers, with the share of good ones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TallyView {
    pub good: i64,
    pub okay: i64,
    pub poor: i64,
    /// "80% good", or "—" when nothing was rated.
    pub share: String,
}

/// How clients rated the MSP's tickets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingsBoardView {
    /// ("Jul 2026", tally), oldest first.
    pub months: Vec<(String, TallyView)>,
    pub by_tech: Vec<(String, TallyView)>,
    /// (client name, slug, tally)
    pub by_client: Vec<(String, String, TallyView)>,
    /// (client, ticket id, "#4 Subject", comment)
    pub recent_poor: Vec<(String, i64, String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientRowView {
    pub slug: String,
    pub name: String,
    pub time_zone: String,
    pub status: TenantStatus,
    pub primary: Option<String>,
    pub covering: Option<String>,
    pub gap_today: bool,
    pub open_tickets: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffSystemView {
    pub id: i64,
    pub name: String,
    pub kind: SystemKind,
    pub criticality: Criticality,
    pub vendor: String,
    pub notes: String,
    pub people_who_can_cover: usize,
    pub risks: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunbookView {
    pub id: i64,
    pub system_id: Option<i64>,
    pub system: Option<String>,
    pub title: String,
    /// The Markdown as written, for editing.
    pub body: String,
    /// Rendered and sanitised on the server.
    pub body_html: String,
    pub author: Option<String>,
    pub updated: String,
    /// "Reviewed 12 days ago by Riley" or "Never reviewed".
    pub review: String,
    pub stale: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientDetailView {
    pub slug: String,
    pub name: String,
    pub time_zone: String,
    pub hours: String,
    pub included_hours: Option<i32>,
    pub status: TenantStatus,
    pub team: TeamLineView,
    pub systems: Vec<StaffSystemView>,
    pub work: Vec<StaffWorkView>,
    pub tickets: Vec<QueueRowView>,
    pub runbooks: Vec<RunbookView>,
    pub staff: Vec<StaffOption>,
    /// Techs and MSP admins edit; account managers read.
    pub can_edit: bool,
    pub automation: ClientAutomationView,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientSystems {
    pub slug: String,
    pub name: String,
    pub time_zone: String,
    pub systems: Vec<SystemOption>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkFormView {
    /// Editing this entry (`None`: a new one).
    pub entry_id: Option<i64>,
    /// The entry is planned (it can be marked done).
    pub planned: bool,
    pub clients: Vec<ClientSystems>,
    pub techs: Vec<StaffOption>,
    pub values: vocabulary::forms::WorkForm,
    pub can_edit: bool,
    /// For an entry recorded by automation: the tools' events it was made from.
    pub events: Vec<RawEventView>,
    /// The client's approval, when the entry asked for one.
    pub approval: Option<crate::views::ApprovalView>,
    /// Planned, client-visible and not yet asked: the client's approval can be asked for.
    pub can_ask_approval: bool,
    /// Now in the client's time, for the windows' fields.
    pub now_local: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawEventView {
    pub when: String,
    pub source: String,
    pub external_id: String,
    pub system: String,
    pub kind: String,
    pub result: vocabulary::EventResult,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffCommentView {
    pub author: String,
    pub from_staff: bool,
    pub internal: bool,
    pub body: String,
    pub when: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffTicketView {
    pub row: QueueRowView,
    pub description: String,
    pub impact: String,
    pub urgency: String,
    pub source: String,
    pub assignee_id: Option<i64>,
    /// "Due Tue 17 Nov 14:00 · answered Tue 17 Nov 13:10 (40 min)".
    pub first_response: String,
    pub resolution: String,
    pub comments: Vec<StaffCommentView>,
    pub history: Vec<(String, String)>,
    pub techs: Vec<StaffOption>,
    pub can_edit: bool,
    pub rating: Option<crate::views::RatingView>,
    pub incidents: TicketIncidentChoice,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueView {
    pub tickets: Vec<QueueRowView>,
    pub clients: Vec<(String, String)>,
    pub techs: Vec<StaffOption>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnowledgeRowView {
    pub tenant_slug: String,
    pub tenant_name: String,
    pub system_id: i64,
    pub system: String,
    pub criticality: Criticality,
    pub risks: Vec<String>,
    /// Per tech, in the order of `CoverageView::techs`: recorded level, earned by recent work.
    pub cells: Vec<(i64, Option<KnowledgeLevel>, bool)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeOffView {
    pub id: i64,
    pub name: String,
    pub first: String,
    pub last: String,
    pub days: i64,
    pub note: String,
    /// The viewer may remove it (their own, or an admin).
    pub removable: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoverageView {
    /// The next four weeks, e.g. "Mon 23": the calendar's columns.
    pub days: Vec<String>,
    /// Per member of staff with time off in those weeks: their name and, per day, whether away.
    pub calendar: Vec<(String, Vec<bool>)>,
    pub techs: Vec<StaffOption>,
    pub teams: Vec<TeamLineView>,
    pub systems: Vec<KnowledgeRowView>,
    pub time_off: Vec<TimeOffView>,
    pub can_edit: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeOffPageView {
    pub entries: Vec<TimeOffView>,
    pub gaps: Vec<TeamLineView>,
    /// Whose time off the viewer may enter (admins: all staff; others: themselves).
    pub people: Vec<StaffOption>,
    pub me: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryRowView {
    pub id: i64,
    pub tenant_name: String,
    pub period: String,
    pub subject: String,
    pub status: vocabulary::SummaryStatus,
    /// "Sent 1 Nov 2026 · 2 delivered, 1 waiting".
    pub sent: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryListView {
    pub rows: Vec<SummaryRowView>,
    pub clients: Vec<(String, String)>,
    /// Account managers and MSP admins draft and send.
    pub can_write: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryEditView {
    pub id: i64,
    pub tenant_name: String,
    pub draft: bool,
    pub subject: String,
    pub personal_note: String,
    /// (work entry id, "Tue 3 Nov: title", chosen)
    pub highlights: Vec<(i64, String, bool)>,
    /// (user id, "Dana Whitfield <dana@…> (Client administrator)", chosen)
    pub recipients: Vec<(i64, String, bool)>,
    /// (to, status, attempts, last error)
    pub deliveries: Vec<(String, MailStatus, i32, String)>,
    /// The page exactly as the client will see it.
    pub preview: super::SummaryView,
    pub email_text: String,
    /// Built from escaped text only: safe to show as HTML.
    pub email_html: String,
    pub can_write: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminClientView {
    pub slug: String,
    pub name: String,
    pub time_zone: String,
    pub days: Vec<u8>,
    pub start: String,
    pub end: String,
    pub included_hours: String,
    pub status: TenantStatus,
    pub two_step_required: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminUserView {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub client: String,
    pub active: bool,
    pub last_login: String,
    pub me: bool,
    /// Two-step sign-in is set up.
    pub two_step: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminUsersView {
    pub users: Vec<AdminUserView>,
    pub clients: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRowView {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub client: String,
    pub action: AuditAction,
    pub target: String,
    pub ip: String,
    /// The browser's user agent, if there was one.
    pub user_agent: String,
    /// What an edit changed.
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditView {
    pub rows: Vec<AuditRowView>,
    pub actions: Vec<AuditAction>,
    pub clients: Vec<(String, String)>,
    /// The next (older) page's cursor.
    pub next: Option<i64>,
}

/// `/msp/admin/integrations`: the API tokens, never the tokens themselves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntegrationsView {
    pub tokens: Vec<ApiTokenView>,
    /// What automated work of each kind tells the client about why it matters.
    pub wordings: Vec<WordingView>,
    /// Active clients (slug, name), for a token's scope.
    pub clients: Vec<(String, String)>,
    pub webhooks: Vec<WebhookView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookView {
    pub id: i64,
    pub url: String,
    pub event: vocabulary::WebhookEvent,
    pub format: vocabulary::WebhookFormat,
    /// The latest deliveries, newest first.
    pub deliveries: Vec<DeliveryView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryView {
    pub created: String,
    pub status: vocabulary::DeliveryStatus,
    pub attempts: i32,
    /// The receiver's last answer, or what went wrong.
    pub last: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiTokenView {
    pub name: String,
    /// The token's first characters, to recognise it.
    pub prefix: String,
    /// "All clients" or the client's name.
    pub scope: String,
    pub permissions: String,
    pub last_day: String,
    pub created: String,
    pub last_used: String,
    pub last_used_from: String,
    pub status: String,
    pub live: bool,
}

/// A client's automation, on its staff page: its name in the MSP's tools, and the systems the
/// tools name that no system of the client answers to yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientAutomationView {
    pub external_ref: String,
    pub events: usize,
    pub unmatched: Vec<UnmatchedNameView>,
    pub mappings: Vec<NameMappingView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnmatchedNameView {
    pub name: String,
    pub events: usize,
    pub last_seen: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NameMappingView {
    pub name: String,
    pub system: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WordingView {
    pub kind: vocabulary::EventKind,
    pub why_it_matters: String,
    pub is_default: bool,
}

/// `/msp/admin/jobs`: what the server does in the background, and how its runs went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobsView {
    pub jobs: Vec<JobLineView>,
    /// Runs that did something, failed or were interrupted, newest first.
    pub runs: Vec<JobRunView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobLineView {
    pub label: String,
    /// "Running on host:pid", or "Waiting".
    pub state: String,
    pub last_run: String,
    pub last_outcome: Option<vocabulary::JobOutcome>,
    pub last_error: Option<String>,
    pub last_success: String,
    /// Failed runs in a row (0 when the last one succeeded).
    pub failures: i32,
    pub next_run: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobRunView {
    pub label: String,
    pub started: String,
    pub took: String,
    pub outcome: vocabulary::JobOutcome,
    pub items: i32,
    pub holder: String,
    pub error: Option<String>,
}

/// An open incident on the staff's board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffIncidentRow {
    pub item: crate::views::IncidentListItem,
    /// "All clients" or "2 clients".
    pub affected: String,
    /// Tickets clients linked to it.
    pub tickets: u64,
}

/// `/msp/incidents`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentBoardView {
    pub open: Vec<StaffIncidentRow>,
    pub resolved: Vec<crate::views::IncidentListItem>,
    pub notices: Vec<crate::views::NoticeView>,
    /// (slug, name) of the active clients, for the forms.
    pub clients: Vec<(String, String)>,
    /// Today, as a form's default date ("2026-12-03").
    pub today: String,
}

/// `/msp/incidents/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffIncidentView {
    pub incident: crate::views::IncidentView,
    pub all_clients: bool,
    pub email_clients: bool,
    /// (name, slug)
    pub clients: Vec<(String, String)>,
    /// (ticket id, client, "#4 Subject")
    pub tickets: Vec<(i64, String, String)>,
    pub clients_with_tickets: usize,
}

/// The open incidents a ticket's client may be affected by, and the one it is linked to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketIncidentChoice {
    pub open: Vec<(i64, String)>,
    pub linked: Option<i64>,
}
