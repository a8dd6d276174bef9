//! What pages receive: plain, serialisable, safe for the browser build. Never entities.

use serde::{Deserialize, Serialize};
use vocabulary::{Category, Role, TenantStatus};

/// The person signed in, for the top bar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    pub name: String,
    pub role: Role,
    /// The client company, for client roles.
    pub tenant_name: Option<String>,
    /// For clients: the open incidents that concern them (the banner on every page).
    pub incidents: Vec<IncidentBannerView>,
}

/// An open incident, as the banner names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentBannerView {
    pub id: i64,
    pub title: String,
    pub status: vocabulary::IncidentStatus,
}

/// An incident in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentListItem {
    pub id: i64,
    pub title: String,
    pub status: vocabulary::IncidentStatus,
    pub opened: String,
    /// When it was resolved, if it is.
    pub resolved: Option<String>,
}

/// One update of an incident's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentUpdateView {
    pub status: vocabulary::IncidentStatus,
    pub body: String,
    pub author: Option<String>,
    pub when: String,
}

/// An incident with its timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentView {
    pub item: IncidentListItem,
    pub impact: String,
    /// Oldest first.
    pub updates: Vec<IncidentUpdateView>,
}

/// A request for a client's approval of planned work, in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalItemView {
    pub id: i64,
    pub client: String,
    pub client_slug: String,
    pub work_entry_id: i64,
    pub title: String,
    pub status: vocabulary::ApprovalStatus,
    /// Undecided past its deadline, or every window has begun.
    pub overdue: bool,
    pub asked_by: Option<String>,
    pub asked: String,
    /// The approved window, or the soonest one ahead (the client's time).
    pub when: Option<String>,
    pub deadline: Option<String>,
    /// When the work was marked done without an approval.
    pub done_without_approval: Option<String>,
}

/// A proposed window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalWindowView {
    pub id: i64,
    pub when: String,
    pub from_client: bool,
    pub approvals: usize,
    /// Still ahead: it can be approved.
    pub ahead: bool,
    pub approved: bool,
}

/// One approver's decision, in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalDecisionView {
    pub user_id: i64,
    pub name: String,
    pub answer: vocabulary::ApprovalAnswer,
    /// "Approved Sat 12 Dec 2026, 22:00", "Proposed …", "Declined".
    pub what: String,
    pub note: String,
    pub when: String,
}

/// A request for approval with everything a decision needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalView {
    pub item: ApprovalItemView,
    /// The entry's details, as sanitised HTML (formatting only).
    pub details_html: String,
    pub why_it_matters: String,
    pub duration: String,
    pub downtime: String,
    pub risk: String,
    pub rollback: String,
    pub approvals_needed: i32,
    pub windows: Vec<ApprovalWindowView>,
    pub decisions: Vec<ApprovalDecisionView>,
    /// The approved window has begun: nothing can change.
    pub locked: bool,
    /// The viewer may decide (a client admin or a named approver).
    pub can_decide: bool,
    pub time_zone: String,
    /// Now, in the client's time, for the proposal's field.
    pub now_local: String,
}

/// A notice, as a client reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeView {
    pub title: String,
    pub body: String,
    /// "Until Fri 4 Dec".
    pub until: String,
    /// The client it is for, on the staff's page ("All clients" otherwise).
    pub client: String,
}

/// One piece of work as a client reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkView {
    pub id: i64,
    pub category: Category,
    pub title: String,
    pub why_it_matters: String,
    pub systems: Vec<String>,
    /// Local to the tenant, e.g. "Tue 17 Nov 2026, 22:00".
    pub when: String,
    /// Machine-readable instant for `<time datetime>`.
    pub when_iso: String,
    pub duration: String,
    pub after_hours: bool,
    pub performed_by: String,
    pub vendor: Option<String>,
    /// Recorded by the MSP's tools (RMM, backup) rather than typed by a person.
    pub automated: bool,
}

/// One piece of work with its details, for its own page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkDetailView {
    pub work: WorkView,
    /// The Markdown details rendered and sanitised on the server: safe to insert as HTML.
    pub details_html: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardView {
    pub tenant_name: String,
    pub team: TeamView,
    pub glance: GlanceView,
    pub chart: ChartView,
    pub planned: Vec<WorkView>,
    pub open_tickets: Vec<TicketRow>,
    pub time_zone: String,
    pub feed: Vec<WorkView>,
    /// Notices from the MSP shown today.
    pub notices: Vec<NoticeView>,
    /// Planned work waiting for this person's decision (approvers only).
    pub approvals_waiting: Vec<ApprovalItemView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantListItem {
    pub slug: String,
    pub name: String,
    pub time_zone: String,
    pub status: TenantStatus,
}

/// The history filters as they travel in the URL's query: plain text, parsed on the server.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkQuery {
    pub category: Option<String>,
    pub system: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub after_hours: Option<String>,
    pub q: Option<String>,
    pub after: Option<String>,
}

impl WorkQuery {
    /// The query string for these filters (without the page cursor), for links and the CSV export.
    pub fn filters_query(&self) -> String {
        let pairs = [
            ("category", &self.category),
            ("system", &self.system),
            ("from", &self.from),
            ("to", &self.to),
            ("after_hours", &self.after_hours),
            ("q", &self.q),
        ];
        pairs
            .iter()
            .filter_map(|(k, v)| v.as_deref().filter(|v| !v.is_empty()).map(|v| format!("{k}={}", encode(v))))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// Percent-encodes a query value (everything but unreserved characters).
fn encode(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SystemOption {
    pub id: i64,
    pub name: String,
}

/// One page of the work history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkHistoryView {
    pub items: Vec<WorkView>,
    /// The cursor for the next (older) page, if any.
    pub next: Option<String>,
    pub systems: Vec<SystemOption>,
    pub time_zone: String,
}

/// "How we prioritise": the impact × urgency matrix and the SLA targets, from the one table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrioritiesView {
    /// Column headings: the urgencies, in plain words.
    pub urgencies: Vec<String>,
    /// One row per impact: its words and the priority (1–4) for each urgency.
    pub rows: Vec<(String, Vec<u8>)>,
    /// Per priority: first response and resolution targets, in words.
    pub targets: Vec<(u8, String, String)>,
}

/// One of the signed-in person's sessions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    pub id: i64,
    /// e.g. "Firefox on Windows".
    pub device: String,
    pub ip: String,
    pub signed_in: String,
    pub last_seen: String,
    /// The session of the browser looking at the list.
    pub current: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberView {
    pub name: String,
    /// "Back on Thu 26 Nov" when away today.
    pub away: Option<String>,
}

/// A system's backup readiness, in client words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadinessView {
    pub name: String,
    pub criticality: String,
    pub ready: bool,
    pub words: Vec<String>,
}

/// Who looks after the client and who covers today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamView {
    pub primary: Option<MemberView>,
    pub backups: Vec<MemberView>,
    pub account_manager: Option<MemberView>,
    /// The person covering today, if anyone.
    pub covering: Option<String>,
    /// One plain sentence about today's cover.
    pub today: String,
    /// Per-system readiness (the team page only; empty on the dashboard).
    pub systems: Vec<ReadinessView>,
}

/// A ticket in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketRow {
    pub number: i64,
    pub subject: String,
    pub status: vocabulary::TicketStatus,
    pub priority: u8,
    pub requester: String,
    pub opened: String,
    /// The next SLA target in words: "First response by …" or "Resolution by …"; none once resolved.
    pub target: Option<String>,
    /// That target has passed.
    pub overdue: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentView {
    pub author: String,
    pub from_staff: bool,
    pub body: String,
    pub when: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketDetailView {
    pub ticket: TicketRow,
    pub description: String,
    pub impact: String,
    pub urgency: String,
    pub comments: Vec<CommentView>,
    /// "Opened", "New → In progress", … with when.
    pub history: Vec<(String, String)>,
    /// The requester's answer to "how did we do?", once given.
    pub rating: Option<RatingView>,
    /// The viewer asked for this ticket and it is resolved: they may rate it.
    pub can_rate: bool,
}

/// A rating of a resolved ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingView {
    pub rating: vocabulary::Rating,
    pub comment: String,
    pub by: Option<String>,
    pub when: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketListView {
    pub tickets: Vec<TicketRow>,
    /// A client_admin sees the whole company's tickets; a client_user their own.
    pub whole_company: bool,
}

/// One number on the dashboard, with its context.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FigureView {
    pub label: String,
    pub value: String,
    pub context: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GlanceView {
    /// "November 2026".
    pub month: String,
    pub figures: Vec<FigureView>,
    pub by_category: Vec<(vocabulary::Category, i64)>,
    /// "6.5 of 20 hours" or "6.5 hours".
    pub hours: String,
    /// Share of the agreement used, when there is one (0–100, may exceed 100).
    pub percent_used: Option<u32>,
}

/// Work per category per month, for the 12-month chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChartView {
    /// "Dec", "Jan", … (oldest first) and the full names for the data table.
    pub months: Vec<(String, String)>,
    pub series: Vec<(vocabulary::Category, Vec<i64>)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SystemView {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub criticality: String,
    pub vendor: Option<String>,
}

/// A system with the latest work done on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SystemRow {
    pub system: SystemView,
    pub last_work: Option<WorkView>,
}

/// A system's page: its facts and one page of its work history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SystemDetailView {
    pub system: SystemView,
    pub work: Vec<WorkView>,
    pub next: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryListItem {
    pub id: i64,
    pub subject: String,
    /// "1 Oct – 31 Oct 2026".
    pub period: String,
    pub sent: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryView {
    pub item: SummaryListItem,
    pub personal_note: String,
    pub figures: Vec<FigureView>,
    /// (category, entries), largest first.
    pub by_category: Vec<(vocabulary::Category, i64)>,
    /// (day, title, why it matters).
    pub highlights: Vec<(String, String, String)>,
    /// Who did the work.
    pub looked_after_by: Vec<String>,
    /// "Tue 3 Nov: Riley Chen" for each day a backup covered.
    pub backup_days: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColleagueView {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub active: bool,
    pub last_login: String,
    /// The admin looking at the list.
    pub is_me: bool,
    /// Named to decide on planned work (admins always may).
    pub approver: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationView {
    pub email: String,
    pub tenant_name: String,
}

pub mod msp;

/// A person's calendar feed link, as the account page shows it once made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarFeedView {
    /// The link's first characters, to recognise it.
    pub prefix: String,
    pub made: String,
    pub last_fetched: Option<String>,
}

/// A new authenticator being set up: the secret as a QR code and as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TwoStepSetupView {
    /// In groups of four, for typing into an app by hand.
    pub secret: String,
    /// Rendered on the server from the secret alone: safe to insert as markup.
    pub qr_svg: String,
    pub account: String,
}

/// Where the person's second step stands, for their account page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TwoStepStatusView {
    /// e.g. "2 Dec 2026"; `None`: it is off.
    pub on_since: Option<String>,
    /// It cannot be turned off (staff, or the client requires it).
    pub required: bool,
    pub recovery_codes_left: u64,
}
