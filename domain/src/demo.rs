//! The demo installation: three client companies and an MSP team with a year of history.
//!
//! Deterministic for a given day: the same accounts, tenants, systems and entries, laid out
//! relative to the day it runs, so that the demo always has work in the current month (through
//! today), last month's summary, this week's time off, maintenance planned ahead and open tickets
//! mostly within their targets (one breached on purpose). Only the freshest tickets' times follow
//! the clock, so that they are within their targets whatever the hour. Refuses to run on a database
//! that already has users.

use crate::auth::password;
use crate::entities::*;
use crate::error::{DomainError, Result};
use crate::input::{DisplayName, Email, Password};
use crate::rules::{BusinessHours, after_hours};
use crate::tenants::NewTenant;
use crate::time::now;
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait, Set};
use vocabulary::*;

/// One demo account, as printed for the person trying the demo.
#[derive(Clone, Debug)]
pub struct DemoAccount {
    pub email: String,
    pub role: Role,
    pub tenant: Option<String>,
}

const STAFF: &[(&str, &str, Role)] = &[
    ("morgan@limelight.test", "Morgan Reyes", Role::MspAdmin),
    ("sam@limelight.test", "Sam Okafor", Role::Tech),
    ("riley@limelight.test", "Riley Chen", Role::Tech),
    ("jordan@limelight.test", "Jordan Silva", Role::Tech),
    ("alex@limelight.test", "Alex Novak", Role::AccountManager),
];

struct DemoTenant {
    slug: &'static str,
    name: &'static str,
    tz: &'static str,
    included_hours: i32,
    /// Indexes into STAFF: primary, backups in order.
    primary: usize,
    backups: &'static [usize],
    users: &'static [(&'static str, &'static str, Role)],
    systems: &'static [(&'static str, SystemKind, Criticality, &'static str)],
}

const TENANTS: &[DemoTenant] = &[
    DemoTenant {
        slug: "acme-dental",
        name: "Acme Dental",
        tz: "America/New_York",
        included_hours: 20,
        primary: 1,
        backups: &[2, 3],
        users: &[
            ("dana@acme-dental.test", "Dana Whitfield", Role::ClientAdmin),
            ("lee@acme-dental.test", "Lee Park", Role::ClientUser),
        ],
        systems: &[
            ("File server FS01", SystemKind::Server, Criticality::High, "Dell"),
            ("Firewall", SystemKind::Firewall, Criticality::High, "Fortinet"),
            ("Practice management (Dentrix)", SystemKind::Application, Criticality::High, "Henry Schein"),
            ("Front desk workstations", SystemKind::Workstations, Criticality::Medium, "HP"),
            ("Offsite backup", SystemKind::Backup, Criticality::High, "Veeam"),
        ],
    },
    DemoTenant {
        slug: "northwind-legal",
        name: "Northwind Legal",
        tz: "Europe/London",
        included_hours: 30,
        primary: 2,
        backups: &[3],
        users: &[
            ("priya@northwind-legal.test", "Priya Raman", Role::ClientAdmin),
            ("tom@northwind-legal.test", "Tom Ellis", Role::ClientUser),
        ],
        systems: &[
            ("Microsoft 365", SystemKind::Email, Criticality::High, "Microsoft"),
            ("Document management (iManage)", SystemKind::Application, Criticality::High, "iManage"),
            ("Office network", SystemKind::Network, Criticality::Medium, "Ubiquiti"),
            ("Phone system", SystemKind::Phone, Criticality::Medium, "RingCentral"),
        ],
    },
    DemoTenant {
        slug: "harbor-architects",
        name: "Harbor Architects",
        tz: "America/Los_Angeles",
        included_hours: 15,
        primary: 3,
        backups: &[1],
        users: &[
            ("maya@harbor-architects.test", "Maya Torres", Role::ClientAdmin),
            ("ben@harbor-architects.test", "Ben Carter", Role::ClientUser),
        ],
        systems: &[
            ("CAD workstations", SystemKind::Workstations, Criticality::High, "Lenovo"),
            ("NAS storage", SystemKind::Server, Criticality::High, "Synology"),
            ("Cloud backup", SystemKind::Cloud, Criticality::Medium, "Backblaze"),
            ("Wi-Fi", SystemKind::Network, Criticality::Low, "Cisco Meraki"),
        ],
    },
];

/// (category, title, why it matters, visibility, vendor)
const WORK: &[(Category, &str, &str, Visibility, Option<&str>)] = &[
    (
        Category::Patch,
        "Applied monthly security patches",
        "Closes the holes attackers use to get in, before they can use them.",
        Visibility::Client,
        None,
    ),
    (
        Category::Maintenance,
        "Cleaned up disk space and restarted services",
        "Keeps your systems quick and avoids a crash from a full disk.",
        Visibility::Client,
        None,
    ),
    (
        Category::Upgrade,
        "Upgraded firmware to the latest stable release",
        "New firmware fixes known faults and keeps the vendor's support in place.",
        Visibility::Client,
        None,
    ),
    (
        Category::Vendor,
        "Worked with the vendor on a support case",
        "We dealt with the vendor so that your team didn't have to.",
        Visibility::Client,
        Some("vendor"),
    ),
    (
        Category::Security,
        "Reviewed sign-in alerts and blocked suspicious attempts",
        "Stops someone else from getting into your accounts.",
        Visibility::Client,
        None,
    ),
    (
        Category::Backup,
        "Tested a restore from last night's backup",
        "A backup only counts if it restores: we proved that yours does.",
        Visibility::Client,
        None,
    ),
    (
        Category::Monitoring,
        "Investigated a monitoring alert",
        "We caught an early warning before it turned into downtime.",
        Visibility::Client,
        None,
    ),
    (
        Category::Project,
        "Rolled out new laptops for new starters",
        "Your new colleagues could work from their first morning.",
        Visibility::Client,
        None,
    ),
    (Category::Maintenance, "Internal: adjusted RMM agent policy", "", Visibility::Internal, None),
    (Category::Other, "Internal: licence reconciliation", "", Visibility::Internal, None),
];

/// A tiny deterministic generator (64-bit LCG), so the demo is the same every time.
struct Dice(u64);

impl Dice {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// Creates the demo as of now; every account gets `password`. Answers the accounts created.
pub async fn seed(db: &sea_orm::DatabaseConnection, password: Password) -> Result<Vec<DemoAccount>> {
    seed_as_of(db, password, now()).await
}

/// The demo tickets in the order they were filed (so numbered): one in every status, and how long
/// ago each was opened. The open ones are within their targets (a P1 two hours old, a P3 from
/// yesterday, another from 45 minutes ago), except the first client's ticket waiting on a vendor,
/// a P4 a week old: breached on purpose.
fn demo_tickets(tenant: usize) -> [(TicketStatus, &'static str, Impact, Urgency, Duration); 6] {
    use TicketStatus::*;
    [
        (Closed, "Wi-Fi drops in the meeting room", Impact::Department, Urgency::WorkDegraded, Duration::days(20)),
        (Resolved, "Email to one supplier bounces", Impact::Department, Urgency::Inconvenience, Duration::days(10)),
        (
            WaitingOnVendor,
            "Please set up an account for our new hire",
            Impact::Individual,
            Urgency::Inconvenience,
            if tenant == 0 { Duration::days(7) } else { Duration::days(2) },
        ),
        (Open, "Can't reach the shared drive from home", Impact::Individual, Urgency::WorkStopped, Duration::days(1)),
        (
            WaitingOnClient,
            "Nobody can log in to the practice software",
            Impact::Organisation,
            Urgency::WorkStopped,
            Duration::hours(2),
        ),
        (
            New,
            "Printer on the second floor prints blank pages",
            Impact::Department,
            Urgency::WorkDegraded,
            Duration::minutes(45),
        ),
    ]
}

/// Creates the demo as it would be at `at` (tests seed other days and hours with it).
pub async fn seed_as_of(
    db: &sea_orm::DatabaseConnection,
    password: Password,
    at: DateTime<Utc>,
) -> Result<Vec<DemoAccount>> {
    let now = || at;
    if user::Entity::find().count(db).await? > 0 || tenant::Entity::find().count(db).await? > 0 {
        return Err(DomainError::Conflict(
            "the database already has users or clients: the demo only seeds an empty database".into(),
        ));
    }
    let hash = password::hash(&password).await?;
    // One transaction: the demo is all there or not at all.
    let tx = crate::db::write(db).await?;
    let mut accounts = Vec::new();
    let mut staff_ids = Vec::new();
    for (email, name, role) in STAFF {
        staff_ids.push(insert_user(&tx, email, name, *role, None, &hash).await?);
        accounts.push(DemoAccount { email: email.to_string(), role: *role, tenant: None });
    }
    let account_manager = staff_ids[4];
    let today = at.date_naive();
    let mut dice = Dice(0x11e1_1647);

    // Sam (the Acme primary) is on vacation this week: Riley covers Acme.
    for (who, from, to, note) in [(1, -2, 4, "Vacation"), (3, 20, 24, "Conference")] {
        time_off::ActiveModel {
            user_id: Set(staff_ids[who]),
            first_day: Set(today + Duration::days(from)),
            last_day: Set(today + Duration::days(to)),
            note: Set(note.into()),
            ..Default::default()
        }
        .insert(&tx)
        .await?;
    }

    let mut tenant_ids = Vec::new();
    for (tenant_index, dt) in TENANTS.iter().enumerate() {
        let t =
            crate::tenants::insert(&tx, &NewTenant::parse(dt.slug, dt.name, dt.tz)?, Some(dt.included_hours)).await?;
        let tz: chrono_tz::Tz = dt.tz.parse().expect("demo time zones are valid");
        tenant_ids.push(t.id);
        let hours = BusinessHours { time_zone: tz, days: 0b0011111, start_minute: 8 * 60, end_minute: 17 * 60 };

        // Coverage: primary, ordered backups, account manager.
        let mut cover = vec![(staff_ids[dt.primary], CoverageRole::Primary, 0)];
        for (i, b) in dt.backups.iter().enumerate() {
            cover.push((staff_ids[*b], CoverageRole::Backup, i as i16));
        }
        cover.push((account_manager, CoverageRole::AccountManager, 0));
        for (user_id, role, position) in cover {
            coverage::ActiveModel {
                tenant_id: Set(t.id),
                system_id: Set(None),
                user_id: Set(user_id),
                role: Set(role),
                position: Set(position),
                ..Default::default()
            }
            .insert(&tx)
            .await?;
        }

        let mut client_ids = Vec::new();
        for (email, name, role) in dt.users {
            let id = insert_user(&tx, email, name, *role, Some(t.id), &hash).await?;
            client_ids.push(id);
            accounts.push(DemoAccount { email: email.to_string(), role: *role, tenant: Some(dt.slug.to_string()) });
        }

        let mut system_ids = Vec::new();
        for (i, (name, kind, crit, vendor)) in dt.systems.iter().enumerate() {
            let s = system::ActiveModel {
                tenant_id: Set(t.id),
                name: Set(name.to_string()),
                kind: Set(*kind),
                criticality: Set(*crit),
                vendor: Set(Some(vendor.to_string())),
                notes: Set(String::new()),
                created_at: Set(now()),
                ..Default::default()
            }
            .insert(&tx)
            .await?;
            system_ids.push(s.id);
            // Knowledge: the primary is expert everywhere; the first backup can cover half of it,
            // so some systems have a single point of failure.
            knowledge::ActiveModel {
                tenant_id: Set(t.id),
                system_id: Set(s.id),
                user_id: Set(staff_ids[dt.primary]),
                level: Set(KnowledgeLevel::Expert),
                updated_at: Set(now()),
                ..Default::default()
            }
            .insert(&tx)
            .await?;
            let level = if i % 2 == 0 { KnowledgeLevel::CanCover } else { KnowledgeLevel::Learning };
            knowledge::ActiveModel {
                tenant_id: Set(t.id),
                system_id: Set(s.id),
                user_id: Set(staff_ids[dt.backups[0]]),
                level: Set(level),
                updated_at: Set(now()),
                ..Default::default()
            }
            .insert(&tx)
            .await?;
            // Runbooks for the first systems only: the rest are flagged as risks.
            if i < 2 {
                runbook::ActiveModel {
                    tenant_id: Set(t.id),
                    system_id: Set(Some(s.id)),
                    title: Set(format!("{name}: restart and recovery")),
                    body: Set(format!(
                        "## {name}\n\n1. Check the monitoring dashboard.\n2. Restart the service from the console.\n3. Confirm users can work again.\n"
                    )),
                    author_id: Set(Some(staff_ids[dt.primary])),
                    created_at: Set(now() - Duration::days(300)),
                    updated_at: Set(now() - Duration::days(if i == 0 { 30 } else { 220 })),
                    reviewed_at: Set(Some(now() - Duration::days(if i == 0 { 30 } else { 220 }))),
                    reviewed_by: Set(Some(staff_ids[dt.backups[0]])),
                    ..Default::default()
                }
                .insert(&tx)
                .await?;
            }
        }

        // Tickets: one in every status, with public and internal comments.
        let mut ticket_ids = Vec::new();
        for (n, (status, subject, impact, urgency, age)) in demo_tickets(tenant_index).iter().enumerate() {
            let (status, subject, impact, urgency) = (status, *subject, *impact, *urgency);
            let created = now() - *age;
            let priority = Priority::of(impact, urgency);
            let sla = priority.sla();
            let responded = (*status != TicketStatus::New).then(|| created + Duration::minutes(25));
            let resolved =
                matches!(status, TicketStatus::Resolved | TicketStatus::Closed).then(|| created + Duration::hours(6));
            let requester = client_ids[n % client_ids.len()];
            let ticket = ticket::ActiveModel {
                tenant_id: Set(t.id),
                number: Set(n as i64 + 1),
                subject: Set(subject.into()),
                description: Set(format!("{subject}. It started this morning.")),
                requester_id: Set(Some(requester)),
                assignee_id: Set(Some(staff_ids[dt.primary])),
                status: Set(*status),
                impact: Set(impact),
                urgency: Set(urgency),
                priority: Set(priority.number() as i16),
                first_response_due_at: Set(created + Duration::minutes(sla.first_response_minutes as i64)),
                resolution_due_at: Set(created + Duration::minutes(sla.resolution_minutes as i64)),
                first_response_at: Set(responded),
                resolved_at: Set(resolved),
                closed_at: Set((*status == TicketStatus::Closed).then(|| created + Duration::days(2))),
                source: Set(TicketSource::Portal),
                created_at: Set(created),
                updated_at: Set((created + Duration::hours(6)).min(now())),
                ..Default::default()
            }
            .insert(&tx)
            .await?;
            ticket_ids.push(ticket.id);
            // The requester's answer to "how did we do?" on the resolved ones: mostly good, one
            // poor with a comment (the account manager's board shows it), one okay.
            if let Some(resolved_at) = resolved {
                let (rating, comment) = match (tenant_index, *status) {
                    (1, TicketStatus::Closed) => {
                        (Rating::Poor, "It took two days and three calls before anyone looked at it.")
                    }
                    (2, TicketStatus::Resolved) => (Rating::Okay, ""),
                    _ => (Rating::Good, "Quick and friendly, thank you."),
                };
                ticket_rating::ActiveModel {
                    tenant_id: Set(t.id),
                    ticket_id: Set(ticket.id),
                    rated_by: Set(Some(requester)),
                    tech_id: Set(Some(staff_ids[dt.primary])),
                    rating: Set(rating),
                    comment: Set(comment.into()),
                    created_at: Set(resolved_at + Duration::hours(2)),
                    updated_at: Set(resolved_at + Duration::hours(2)),
                    ..Default::default()
                }
                .insert(&tx)
                .await?;
            }
            ticket_status_change::ActiveModel {
                tenant_id: Set(t.id),
                ticket_id: Set(ticket.id),
                changed_by: Set(Some(requester)),
                from_status: Set(None),
                to_status: Set(TicketStatus::New),
                created_at: Set(created),
                ..Default::default()
            }
            .insert(&tx)
            .await?;
            if *status != TicketStatus::New {
                ticket_status_change::ActiveModel {
                    tenant_id: Set(t.id),
                    ticket_id: Set(ticket.id),
                    changed_by: Set(Some(staff_ids[dt.primary])),
                    from_status: Set(Some(TicketStatus::New)),
                    to_status: Set(*status),
                    created_at: Set(created + Duration::minutes(25)),
                    ..Default::default()
                }
                .insert(&tx)
                .await?;
                for (body, visibility, author, after) in [
                    (
                        "Thanks for letting us know: we're looking at it now.",
                        Visibility::Client,
                        staff_ids[dt.primary],
                        25,
                    ),
                    (
                        "Internal: probably the driver pushed last week; check the RMM log.",
                        Visibility::Internal,
                        staff_ids[dt.primary],
                        30,
                    ),
                    ("Thank you! It's working again on my side.", Visibility::Client, requester, 300),
                ] {
                    // Thanks come once it works again; nothing is written after now.
                    if after == 300 && status.is_open() {
                        continue;
                    }
                    ticket_comment::ActiveModel {
                        tenant_id: Set(t.id),
                        ticket_id: Set(ticket.id),
                        author_id: Set(Some(author)),
                        body: Set(body.into()),
                        visibility: Set(visibility),
                        created_at: Set((created + Duration::minutes(after)).min(now())),
                        ..Default::default()
                    }
                    .insert(&tx)
                    .await?;
                }
            }
        }
        let mut am = tenant::ActiveModel::from(t.clone());
        am.next_ticket_number = Set(ticket_ids.len() as i64 + 1);
        am.update(&tx).await?;

        // Twelve months of work, plus two weeks of planned maintenance ahead. Every day of the
        // client's current month through today has work, so "this month" is never empty; today's
        // is from the small hours.
        let techs = [staff_ids[dt.primary], staff_ids[dt.backups[0]]];
        let local_today = at.with_timezone(&tz).date_naive();
        let month_start = NaiveDate::from_ymd_opt(local_today.year(), local_today.month(), 1).expect("valid date");
        for day_back in (-14i64..365).rev() {
            let date = today - Duration::days(day_back);
            let this_month = (month_start..=local_today).contains(&date);
            // About three entries a week.
            if dice.next(7) > 2 && !this_month {
                continue;
            }
            let mut pick = dice.next(WORK.len() as u64) as usize;
            // Today's entry is one the client sees: on the first of a month it is all there is.
            if date == local_today && WORK[pick].3 == Visibility::Internal {
                pick %= WORK.iter().filter(|w| w.3 == Visibility::Client).count();
            }
            let (category, title, why, visibility, vendor) = WORK[pick];
            let night = dice.next(3) == 0;
            let local_hour = if date == local_today {
                1
            } else if night {
                22
            } else {
                9 + dice.next(7) as u32
            };
            let started_at = local_to_utc(tz, date, local_hour);
            let duration = [30, 45, 60, 90, 120][dice.next(5) as usize];
            // Work starting later than now is still planned (today's evening work included).
            let planned = started_at > now();
            let performer = techs[dice.next(2) as usize];
            let shadow = (dice.next(5) == 0).then(|| techs.iter().copied().find(|x| *x != performer)).flatten();
            let e = work_entry::ActiveModel {
                tenant_id: Set(t.id),
                category: Set(category),
                title: Set(if planned { format!("Planned: {}", title.to_lowercase()) } else { title.into() }),
                details: Set(format!("**What we did**\n\n- {title}\n- Checked everything came back up\n")),
                why_it_matters: Set(why.into()),
                state: Set(if planned { WorkState::Planned } else { WorkState::Done }),
                started_at: Set(started_at),
                duration_minutes: Set(duration),
                after_hours: Set(after_hours(&hours, started_at, duration)),
                proactive: Set(dice.next(5) != 0),
                visibility: Set(visibility),
                performed_by: Set(performer),
                shadowed_by: Set(shadow),
                vendor_name: Set(vendor.map(|_| dt.systems[0].3.to_string())),
                vendor_case_ref: Set(vendor.map(|_| format!("CASE-{:06}", 100_000 + dice.next(900_000)))),
                ticket_id: Set(None),
                highlight: Set(dice.next(8) == 0),
                created_at: Set(started_at),
                updated_at: Set(started_at),
                ..Default::default()
            }
            .insert(&tx)
            .await?;
            let system = system_ids[dice.next(system_ids.len() as u64) as usize];
            work_entry_system::ActiveModel { tenant_id: Set(t.id), work_entry_id: Set(e.id), system_id: Set(system) }
                .insert(&tx)
                .await?;
        }

        // A request for the client's approval: Acme's waits for Dana, Northwind's is approved,
        // Harbor's declined.
        let asker = staff_ids[dt.primary];
        demo_approval(&tx, tenant_index, t.id, &hours, asker, client_ids[0], local_today, at).await?;

        // Last month's thank-you summary, sent.
        let first_this_month = NaiveDate::from_ymd_opt(today.year(), today.month(), 1).expect("valid date");
        let last_month_end = first_this_month - Duration::days(1);
        let last_month_start =
            NaiveDate::from_ymd_opt(last_month_end.year(), last_month_end.month(), 1).expect("valid");
        summary::ActiveModel {
            tenant_id: Set(t.id),
            period_start: Set(last_month_start),
            period_end: Set(last_month_end),
            author_id: Set(Some(account_manager)),
            subject: Set(format!("Thank you, {}: your IT in {}", dt.name, last_month_start.format("%B %Y"))),
            personal_note: Set(
                "Thank you for another month of working with us. Your team was a pleasure to help.".into()
            ),
            content: Set(String::new()),
            status: Set(SummaryStatus::Sent),
            sent_at: Set(Some(local_to_utc(tz, first_this_month, 9))),
            recipients: Set(format!("[\"{}\"]", dt.users[0].0)),
            created_at: Set(now()),
            updated_at: Set(now()),
            ..Default::default()
        }
        .insert(&tx)
        .await?;
    }
    incidents_and_notices(&tx, at, &tenant_ids, &staff_ids).await?;
    tx.commit().await?;
    // The sent summaries get their snapshot from the committed work log.
    for s in summary::Entity::find().all(db).await? {
        let scope = crate::scope::TenantScope::new(db.clone(), s.tenant_id, None);
        let content = scope.summary_content(s.period_start, s.period_end).await?;
        let mut am = summary::ActiveModel::from(s);
        am.content = Set(serde_json::to_string(&content).expect("serialisable"));
        am.update(db).await?;
    }
    Ok(accounts)
}

/// The demo's requests for approval, one a client: (title, category, downtime, risk, rollback,
/// the reason it was declined).
const APPROVALS: [(&str, Category, &str, &str, &str, &str); 3] = [
    (
        "Restart the file server for its updates",
        Category::Patch,
        "About 20 minutes: nobody can open shared files, the practice software included.",
        "Low: these updates are widely installed. If the server does not come back by itself, we start it by hand.",
        "We restore last night's snapshot of the server: about 15 minutes more.",
        "",
    ),
    (
        "Upgrade the firewall's firmware",
        Category::Upgrade,
        "About 10 minutes without internet or remote access.",
        "Low to medium: a firmware upgrade can reset settings, so we saved them first.",
        "We go back to the previous firmware and restore the saved settings: 15 minutes.",
        "",
    ),
    (
        "Move email filtering to the new spam filter",
        Category::Security,
        "None expected: for an hour, email may arrive a few minutes late.",
        "Some wanted email could be held as spam in the first days; we check the quarantine daily.",
        "We point email back at the old filter, effective within the hour.",
        "Our competition entry is due that week: please ask again after it.",
    ),
];

/// One planned entry asking for approval, with two windows ahead: waiting (client 0), approved
/// for the second window by the client's admin (1), or declined by them (2).
#[allow(clippy::too_many_arguments)]
async fn demo_approval(
    tx: &impl ConnectionTrait,
    which: usize,
    tenant_id: i64,
    hours: &BusinessHours,
    asker: i64,
    admin: i64,
    local_today: NaiveDate,
    at: DateTime<Utc>,
) -> Result<()> {
    let Some((title, category, downtime, risk, rollback, reason)) = APPROVALS.get(which).copied() else {
        return Ok(());
    };
    let tz = hours.time_zone;
    let windows =
        [local_to_utc(tz, local_today + Duration::days(3), 22), local_to_utc(tz, local_today + Duration::days(4), 21)];
    let approved = which == 1;
    let start = if approved { windows[1] } else { windows[0] };
    let asked = at - Duration::days(2);
    let e = work_entry::ActiveModel {
        tenant_id: Set(tenant_id),
        category: Set(category),
        title: Set(title.into()),
        details: Set(format!("**What we will do**\n\n- {title}\n- Check everything comes back up\n")),
        why_it_matters: Set("Keeps your systems supported, patched and safe.".into()),
        state: Set(WorkState::Planned),
        started_at: Set(start),
        duration_minutes: Set(45),
        after_hours: Set(after_hours(hours, start, 45)),
        proactive: Set(true),
        visibility: Set(Visibility::Client),
        performed_by: Set(asker),
        created_at: Set(asked),
        updated_at: Set(asked),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    let status = [ApprovalStatus::Waiting, ApprovalStatus::Approved, ApprovalStatus::Declined][which];
    let decided = (status != ApprovalStatus::Waiting).then(|| at - Duration::days(1));
    let a = approval::ActiveModel {
        tenant_id: Set(tenant_id),
        work_entry_id: Set(e.id),
        asked_by: Set(Some(asker)),
        downtime: Set(downtime.into()),
        risk: Set(risk.into()),
        rollback: Set(rollback.into()),
        deadline: Set((which == 0).then(|| local_to_utc(tz, local_today + Duration::days(2), 17))),
        approvals_needed: Set(1),
        status: Set(status),
        created_at: Set(asked),
        decided_at: Set(decided),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    let mut ids = Vec::new();
    for w in windows {
        let w = approval_window::ActiveModel {
            tenant_id: Set(tenant_id),
            approval_id: Set(a.id),
            starts_at: Set(w),
            from_client: Set(false),
            ..Default::default()
        }
        .insert(tx)
        .await?;
        ids.push(w.id);
    }
    if let Some(decided) = decided {
        approval_decision::ActiveModel {
            tenant_id: Set(tenant_id),
            approval_id: Set(a.id),
            user_id: Set(admin),
            answer: Set(if approved { ApprovalAnswer::Approve } else { ApprovalAnswer::Decline }),
            window_id: Set(approved.then_some(ids[1])),
            proposed_start: Set(None),
            note: Set(reason.into()),
            created_at: Set(decided),
            ..Default::default()
        }
        .insert(tx)
        .await?;
        if approved {
            let mut a = a.into_active_model();
            a.approved_window_id = Set(Some(ids[1]));
            a.update(tx).await?;
        }
    }
    Ok(())
}

/// An open incident for the first two clients (email, since this morning, with two updates), one
/// resolved last month for every client, and a notice to every client for the end of the week.
async fn incidents_and_notices(
    tx: &impl ConnectionTrait,
    at: DateTime<Utc>,
    tenants: &[i64],
    staff: &[i64],
) -> Result<()> {
    let incidents = [
        (
            "Microsoft 365 email is delayed",
            "Email to and from outside addresses may arrive up to an hour late. Nothing is lost: \
             it is queued and will arrive. Email between colleagues is not affected.",
            false,
            vec![
                (
                    IncidentStatus::Investigating,
                    "Microsoft is looking into delays for some customers; we are watching it for you.",
                    150,
                ),
                (
                    IncidentStatus::Identified,
                    "Microsoft found the cause (a faulty update on their side) and is rolling back.",
                    60,
                ),
            ],
        ),
        (
            "Internet outage at the data centre",
            "Remote access and cloud backups were unavailable for about 40 minutes.",
            true,
            vec![
                (
                    IncidentStatus::Investigating,
                    "Our data centre's internet link is down; the provider is on site.",
                    24 * 60 * 30,
                ),
                (
                    IncidentStatus::Resolved,
                    "The provider replaced a failed router; everything is back and backups have caught up.",
                    24 * 60 * 30 - 40,
                ),
            ],
        ),
    ];
    for (title, impact, all_clients, updates) in incidents {
        let opened = at - Duration::minutes(updates[0].2);
        let last = updates.last().expect("an update");
        let resolved = (last.0 == IncidentStatus::Resolved).then(|| at - Duration::minutes(last.2));
        let row = incident::ActiveModel {
            title: Set(title.into()),
            impact: Set(impact.into()),
            status: Set(last.0),
            all_clients: Set(all_clients),
            email_clients: Set(false),
            author_id: Set(Some(staff[1])),
            created_at: Set(opened),
            updated_at: Set(at - Duration::minutes(last.2)),
            resolved_at: Set(resolved),
            ..Default::default()
        }
        .insert(tx)
        .await?;
        if !all_clients {
            for tenant_id in &tenants[..2] {
                incident_client::ActiveModel { incident_id: Set(row.id), tenant_id: Set(*tenant_id) }
                    .insert(tx)
                    .await?;
            }
        }
        for (status, body, ago) in updates {
            incident_update::ActiveModel {
                incident_id: Set(row.id),
                status: Set(status),
                body: Set(body.into()),
                author_id: Set(Some(staff[1])),
                created_at: Set(at - Duration::minutes(ago)),
                ..Default::default()
            }
            .insert(tx)
            .await?;
        }
    }
    notice::ActiveModel {
        title: Set("Phones off on Friday evening, 6–8 pm".into()),
        body: Set("Our phone provider is moving us to a new system. Email and the portal work as usual.".into()),
        tenant_id: Set(None),
        shown_until: Set(at.date_naive() + Duration::days(7)),
        author_id: Set(Some(staff[4])),
        created_at: Set(at),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    Ok(())
}

/// The UTC instant of a local wall-clock hour (the earlier one when the clock goes back; an hour
/// later when it skips forward).
fn local_to_utc(tz: chrono_tz::Tz, date: NaiveDate, hour: u32) -> DateTime<Utc> {
    let naive = date.and_hms_opt(hour, 0, 0).expect("valid hour");
    tz.from_local_datetime(&naive)
        .earliest()
        .or_else(|| tz.from_local_datetime(&(naive + Duration::hours(1))).earliest())
        .expect("an hour later always exists")
        .with_timezone(&Utc)
}

async fn insert_user(
    db: &impl ConnectionTrait,
    email: &str,
    name: &str,
    role: Role,
    tenant_id: Option<i64>,
    hash: &str,
) -> Result<i64> {
    let (email, name) = (Email::parse(email)?, DisplayName::parse("name", name)?);
    Ok(crate::users::insert(db, &email, &name, role, tenant_id, hash.to_string()).await?.id)
}
