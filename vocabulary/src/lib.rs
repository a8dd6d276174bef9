//! The product's vocabulary: every closed set of words the schema stores as text.
//!
//! One definition serves the database (the stored word), the server (parsing, rules) and the pages
//! (the plain-language label), so a word can't mean two things in two places.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

pub mod forms;

/// The error for a word that is not in the set; its message names the accepted words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownWord {
    pub kind: &'static str,
    pub word: String,
    pub accepted: &'static [&'static str],
}

impl fmt::Display for UnknownWord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown {} {:?} (expected one of: {})", self.kind, self.word, self.accepted.join(", "))
    }
}

impl std::error::Error for UnknownWord {}

macro_rules! words {
    ($(#[$meta:meta])* $name:ident, $kind:literal { $($variant:ident = $word:literal / $label:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        // Stored as its word; a stored word outside the set is a read error, never a default.
        #[cfg_attr(feature = "sea-orm", derive(sea_orm::DeriveValueType), sea_orm(value_type = "String"))]
        // In the REST API's OpenAPI document, a string of these words.
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            const WORDS: &'static [&'static str] = &[$($word),+];

            /// The word stored in the database and used in URLs and forms.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word),+ }
            }

            /// The word shown to people.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }
        }

        impl FromStr for $name {
            type Err = UnknownWord;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($word => Ok($name::$variant),)+
                    _ => Err(UnknownWord { kind: $kind, word: s.to_string(), accepted: Self::WORDS }),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

words!(
    /// Who someone is to Limelight. Staff belong to the MSP; client roles to one tenant.
    Role, "role" {
        MspAdmin = "msp_admin" / "MSP administrator",
        Tech = "tech" / "Technician",
        AccountManager = "account_manager" / "Account manager",
        ClientAdmin = "client_admin" / "Client administrator",
        ClientUser = "client_user" / "Client user",
    }
);

impl Role {
    /// Client roles belong to exactly one tenant; staff roles to none.
    pub fn is_client(self) -> bool {
        matches!(self, Role::ClientAdmin | Role::ClientUser)
    }

    pub fn is_staff(self) -> bool {
        !self.is_client()
    }

    /// Techs and MSP admins: the staff who do the work, cover clients and change the workspace
    /// (account managers read it). The one place this pairing is decided.
    pub fn does_the_work(self) -> bool {
        matches!(self, Role::Tech | Role::MspAdmin)
    }

    /// Account managers and MSP admins: the staff who look after a client's account (its
    /// thank-you summaries, its account manager slot).
    pub fn manages_accounts(self) -> bool {
        matches!(self, Role::AccountManager | Role::MspAdmin)
    }

    /// The page each role lands on after login.
    pub fn home(self) -> &'static str {
        if self.is_client() { "/portal" } else { "/msp" }
    }
}

words!(
    /// What kind of work a work entry is. Each has one colour and one icon everywhere.
    Category, "category" {
        Maintenance = "maintenance" / "Maintenance",
        Patch = "patch" / "Patches",
        Upgrade = "upgrade" / "Upgrades",
        Vendor = "vendor" / "Vendor work",
        Security = "security" / "Security",
        Backup = "backup" / "Backups",
        Monitoring = "monitoring" / "Monitoring",
        Project = "project" / "Projects",
        Other = "other" / "Other",
    }
);

words!(
    /// Who may see a row: client-visible, or MSP-internal (never sent to a client role).
    Visibility, "visibility" {
        Client = "client" / "Visible to the client",
        Internal = "internal" / "Internal",
    }
);

words!(
    WorkState, "work state" {
        Planned = "planned" / "Planned",
        Done = "done" / "Done",
    }
);

words!(
    SystemKind, "system kind" {
        Server = "server" / "Server",
        Firewall = "firewall" / "Firewall",
        Network = "network" / "Network",
        Workstations = "workstations" / "Workstations",
        Application = "application" / "Application",
        Cloud = "cloud" / "Cloud service",
        Backup = "backup" / "Backup",
        Email = "email" / "Email",
        Phone = "phone" / "Phone system",
        Other = "other" / "Other",
    }
);

words!(
    Criticality, "criticality" {
        High = "high" / "High",
        Medium = "medium" / "Medium",
        Low = "low" / "Low",
    }
);

words!(
    TicketStatus, "ticket status" {
        New = "new" / "New",
        Open = "open" / "In progress",
        WaitingOnClient = "waiting_on_client" / "Waiting on you",
        WaitingOnVendor = "waiting_on_vendor" / "Waiting on a vendor",
        Resolved = "resolved" / "Resolved",
        Closed = "closed" / "Closed",
    }
);

impl TicketStatus {
    pub fn is_open(self) -> bool {
        !matches!(self, TicketStatus::Resolved | TicketStatus::Closed)
    }
}

words!(
    /// How many people a problem touches.
    Impact, "impact" {
        Organisation = "organisation" / "The whole organisation",
        Department = "department" / "A team or department",
        Individual = "individual" / "One person",
    }
);

words!(
    /// How badly a problem stops work.
    Urgency, "urgency" {
        WorkStopped = "work_stopped" / "Work has stopped",
        WorkDegraded = "work_degraded" / "Work is slowed down",
        Inconvenience = "inconvenience" / "An inconvenience",
    }
);

words!(
    TicketSource, "ticket source" {
        Portal = "portal" / "Portal",
        Email = "email" / "Email",
        Phone = "phone" / "Phone",
        Staff = "staff" / "Staff",
        Api = "api" / "The MSP's tools (API)",
    }
);

words!(
    CoverageRole, "coverage role" {
        Primary = "primary" / "Primary tech",
        Backup = "backup" / "Backup tech",
        AccountManager = "account_manager" / "Account manager",
    }
);

words!(
    KnowledgeLevel, "knowledge level" {
        Learning = "learning" / "Learning",
        CanCover = "can_cover" / "Can cover",
        Expert = "expert" / "Expert",
    }
);

words!(
    SummaryStatus, "summary status" {
        Draft = "draft" / "Draft",
        Sent = "sent" / "Sent",
    }
);

words!(
    TenantStatus, "tenant status" {
        Active = "active" / "Active",
        Archived = "archived" / "Archived",
    }
);

words!(
    /// Where an email stands in the outgoing queue.
    MailStatus, "mail status" {
        Queued = "queued" / "Queued",
        Sending = "sending" / "Sending",
        Sent = "sent" / "Sent",
    }
);

words!(
    /// The work the server does on its own, in the background. Each runs in one process at a
    /// time, however many processes share the database.
    Job, "job" {
        Mail = "mail" / "Sending email",
        Webhooks = "webhooks" / "Delivering webhooks",
        MonthlyDrafts = "monthly_drafts" / "Drafting last month's summaries",
        CoverageGaps = "coverage_gaps" / "Announcing coverage gaps",
        Housekeeping = "housekeeping" / "Forgetting old sign-in counts and job runs",
    }
);

words!(
    /// How a run of a background job went. Interrupted: its process stopped (killed, crashed)
    /// before it finished, and another took the job over.
    JobOutcome, "job outcome" {
        Running = "running" / "Running",
        Succeeded = "succeeded" / "Succeeded",
        Failed = "failed" / "Failed",
        Interrupted = "interrupted" / "Interrupted",
    }
);

words!(
    /// Where an incident stands, in the words clients read.
    IncidentStatus, "incident status" {
        Investigating = "investigating" / "Investigating",
        Identified = "identified" / "Cause found, fix under way",
        Monitoring = "monitoring" / "Fixed, and watching",
        Resolved = "resolved" / "Resolved",
    }
);

words!(
    /// Where a request for a client's approval of planned work stands.
    ApprovalStatus, "approval status" {
        Waiting = "waiting" / "Waiting for a decision",
        NewTimeProposed = "new_time_proposed" / "Another time proposed",
        Approved = "approved" / "Approved",
        Declined = "declined" / "Declined",
    }
);

words!(
    /// What one approver decided about planned work.
    ApprovalAnswer, "approval answer" {
        Approve = "approve" / "Approved",
        Propose = "propose" / "Proposed another time",
        Decline = "decline" / "Declined",
    }
);

words!(
    /// A requester's answer to "how did we do?" about a resolved ticket.
    Rating, "rating" {
        Good = "good" / "Good",
        Okay = "okay" / "Okay",
        Poor = "poor" / "Poor",
    }
);

words!(
    /// What an audit event records: the security-relevant actions.
    AuditAction, "audit action" {
        Login = "login" / "Signed in",
        LoginFailed = "login_failed" / "Sign-in refused",
        LoginThrottled = "login_throttled" / "Sign-in throttled",
        Logout = "logout" / "Signed out",
        SessionEnded = "session_ended" / "Session ended",
        PasswordChanged = "password_changed" / "Password changed",
        PasswordResetRequested = "password_reset_requested" / "Password reset requested",
        PasswordReset = "password_reset" / "Password reset",
        UserCreated = "user_created" / "User created",
        UserDeactivated = "user_deactivated" / "User deactivated",
        UserReactivated = "user_reactivated" / "User reactivated",
        RoleChanged = "role_changed" / "Role changed",
        InvitationSent = "invitation_sent" / "Invitation sent",
        InvitationAccepted = "invitation_accepted" / "Invitation accepted",
        TenantCreated = "tenant_created" / "Client added",
        TenantEdited = "tenant_edited" / "Client edited",
        TenantArchived = "tenant_archived" / "Client archived",
        TenantRestored = "tenant_restored" / "Client brought back",
        CoverageChanged = "coverage_changed" / "Coverage changed",
        WorkDeleted = "work_deleted" / "Work entry deleted",
        SummarySent = "summary_sent" / "Summary sent",
        TicketOpened = "ticket_opened" / "Ticket opened",
        TicketRated = "ticket_rated" / "Ticket rated",
        IncidentOpened = "incident_opened" / "Incident opened",
        IncidentUpdated = "incident_updated" / "Incident updated",
        TicketLinkedToIncident = "ticket_linked_to_incident" / "Ticket linked to an incident",
        NoticePosted = "notice_posted" / "Notice posted",
        ApprovalAsked = "approval_asked" / "Client asked to approve planned work",
        ApprovalDecided = "approval_decided" / "Planned work approved, declined or another time proposed",
        ApprovalTimeAccepted = "approval_time_accepted" / "Client's proposed time accepted",
        ApproverChanged = "approver_changed" / "Approver named or removed",
        WorkDoneWithoutApproval = "work_done_without_approval" / "Work done without the client's approval",
        ApiTokenCreated = "api_token_created" / "API token created",
        ApiTokenRevoked = "api_token_revoked" / "API token revoked",
        ApiTokenUsed = "api_token_used" / "API token used",
        SystemRefMapped = "system_ref_mapped" / "Tool name mapped to a system",
        SystemRefRemoved = "system_ref_removed" / "Tool name mapping removed",
        ClientRefChanged = "client_ref_changed" / "Client's tool reference changed",
        AutomationWordingChanged = "automation_wording_changed" / "Wording of automated work changed",
        WebhookAdded = "webhook_added" / "Webhook added",
        WebhookRemoved = "webhook_removed" / "Webhook removed",
        TwoStepEnrolled = "two_step_enrolled" / "Two-step sign-in turned on",
        TwoStepTurnedOff = "two_step_turned_off" / "Two-step sign-in turned off",
        TwoStepReset = "two_step_reset" / "Two-step sign-in reset by an administrator",
        TwoStepFailed = "two_step_failed" / "Second step refused",
        RecoveryCodeUsed = "recovery_code_used" / "Recovery code used",
        TwoStepRequirementChanged = "two_step_requirement_changed" / "Two-step requirement changed",
        WorkLogged = "work_logged" / "Work logged",
        WorkEdited = "work_edited" / "Work edited",
        WorkMarkedDone = "work_marked_done" / "Planned work marked done",
        TicketStatusChanged = "ticket_status_changed" / "Ticket status changed",
        TicketAssigned = "ticket_assigned" / "Ticket assigned",
        TicketCommented = "ticket_commented" / "Ticket comment added",
        SystemAdded = "system_added" / "System added",
        SystemEdited = "system_edited" / "System edited",
        KnowledgeChanged = "knowledge_changed" / "Knowledge of a system changed",
        RunbookSaved = "runbook_saved" / "Runbook saved",
        RunbookReviewed = "runbook_reviewed" / "Runbook reviewed",
        TimeOffAdded = "time_off_added" / "Time off added",
        TimeOffRemoved = "time_off_removed" / "Time off removed",
        SummaryEdited = "summary_edited" / "Summary edited",
        WorkExported = "work_exported" / "Work history exported (CSV)",
        AccessRefused = "access_refused" / "Access refused",
    }
);

words!(
    /// Where a sign-in stands between the password and a session.
    ChallengeStage, "challenge stage" {
        Code = "code" / "Waiting for a code",
        Setup = "setup" / "Setting up an authenticator",
        RecoveryCodes = "recovery_codes" / "Showing the recovery codes",
    }
);

words!(
    /// What an RMM or backup tool reports it did (`POST /api/v1/events`).
    EventKind, "event kind" {
        Patch = "patch" / "Patch run",
        BackupCheck = "backup_check" / "Backup check",
        Maintenance = "maintenance" / "Maintenance",
        Upgrade = "upgrade" / "Upgrade",
        Security = "security" / "Security",
        Monitoring = "monitoring" / "Monitoring",
        Vendor = "vendor" / "Vendor work",
    }
);

impl EventKind {
    /// The work category the client reads the event under.
    pub fn category(self) -> Category {
        match self {
            EventKind::Patch => Category::Patch,
            EventKind::BackupCheck => Category::Backup,
            EventKind::Maintenance => Category::Maintenance,
            EventKind::Upgrade => Category::Upgrade,
            EventKind::Security => Category::Security,
            EventKind::Monitoring => Category::Monitoring,
            EventKind::Vendor => Category::Vendor,
        }
    }
}

words!(
    /// How a tool's run on one system ended.
    EventResult, "event result" {
        Succeeded = "succeeded" / "Succeeded",
        Failed = "failed" / "Failed",
        Partial = "partial" / "Partly done",
    }
);

words!(
    /// What an outbound webhook is told about.
    WebhookEvent, "webhook event" {
        TicketCreated = "ticket_created" / "Ticket created",
        TicketStatusChanged = "ticket_status_changed" / "Ticket status changed",
        WorkPublished = "work_published" / "Work published to a client",
        CoverageGapAhead = "coverage_gap_ahead" / "Coverage gap ahead",
        UrgentWhilePrimaryAway = "p1_while_primary_away" / "New P1 while the client's primary is away",
    }
);

words!(
    /// The body a webhook receives: Limelight's JSON, or a chat message (`{"text": …}`, what
    /// Slack's and Teams' incoming webhooks take).
    WebhookFormat, "webhook format" {
        Json = "json" / "JSON (signed)",
        Chat = "chat" / "Chat message (Slack, Teams)",
    }
);

words!(
    /// Where a webhook delivery stands: waiting for its next attempt, being sent, delivered.
    DeliveryStatus, "delivery status" {
        Queued = "queued" / "Waiting",
        Sending = "sending" / "Sending",
        Delivered = "delivered" / "Delivered",
    }
);

words!(
    /// What an API token may do. A token's scope (one client or all) limits each of them.
    ApiPermission, "permission" {
        Ingest = "ingest" / "Send events",
        Read = "read" / "Read",
        Write = "write" / "Write",
    }
);

/// A ticket's priority, P1 (most urgent) to P4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Priority(u8);

/// Service-level targets, in minutes, for one priority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaTarget {
    pub first_response_minutes: u32,
    pub resolution_minutes: u32,
}

/// The one table of SPEC.md "Priority": impact × urgency → priority, and each priority's SLA.
/// Rows: impact (organisation, department, individual); columns: urgency (stopped, degraded,
/// inconvenience).
pub const PRIORITY_MATRIX: [[u8; 3]; 3] = [[1, 2, 3], [2, 3, 3], [3, 3, 4]];

pub const SLA_TARGETS: [SlaTarget; 4] = [
    SlaTarget { first_response_minutes: 30, resolution_minutes: 4 * 60 },
    SlaTarget { first_response_minutes: 2 * 60, resolution_minutes: 8 * 60 },
    SlaTarget { first_response_minutes: 4 * 60, resolution_minutes: 3 * 24 * 60 },
    SlaTarget { first_response_minutes: 8 * 60, resolution_minutes: 5 * 24 * 60 },
];

impl Priority {
    pub fn of(impact: Impact, urgency: Urgency) -> Priority {
        let row = Impact::ALL.iter().position(|i| *i == impact).unwrap_or(2);
        let col = Urgency::ALL.iter().position(|u| *u == urgency).unwrap_or(2);
        Priority(PRIORITY_MATRIX[row][col])
    }

    pub fn from_number(n: i64) -> Option<Priority> {
        (1..=4).contains(&n).then_some(Priority(n as u8))
    }

    pub fn number(self) -> u8 {
        self.0
    }

    pub fn sla(self) -> SlaTarget {
        SLA_TARGETS[(self.0 - 1) as usize]
    }
}

impl fmt::Display for Priority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "P{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_round_trip() {
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>().unwrap(), *r);
        }
        for c in Category::ALL {
            assert_eq!(c.as_str().parse::<Category>().unwrap(), *c);
        }
        let err = "boss".parse::<Role>().unwrap_err().to_string();
        assert!(err.contains("msp_admin") && err.contains("boss"), "{err}");
    }

    #[test]
    fn priority_matrix_corners() {
        assert_eq!(Priority::of(Impact::Organisation, Urgency::WorkStopped).number(), 1);
        assert_eq!(Priority::of(Impact::Individual, Urgency::Inconvenience).number(), 4);
        assert_eq!(Priority::of(Impact::Department, Urgency::WorkStopped).number(), 2);
        assert!(Priority(1).sla().resolution_minutes < Priority(4).sla().resolution_minutes);
    }

    #[test]
    fn role_homes() {
        assert_eq!(Role::ClientUser.home(), "/portal");
        assert_eq!(Role::Tech.home(), "/msp");
        assert!(Role::ClientAdmin.is_client() && Role::AccountManager.is_staff());
    }
}
