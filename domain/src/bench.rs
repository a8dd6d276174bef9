//! Data at an MSP's scale, for the benchmark (`cargo xtask bench`): the demo, then a thousand
//! clients' worth of users, systems, coverage, work, tickets, comments, mail and audit rows,
//! written with a handful of `INSERT … SELECT` statements over a table of numbers. One-row
//! inserts through the app would take hours at a million entries; these take a minute or two.
//!
//! What is written is a function of the row's number, not of a random generator, so two runs at
//! one scale hold the same data. The work is spread unevenly, as an MSP's is: the demo's first
//! client (the one the benchmark signs in to) gets a tenth of it, nine large clients a twentieth
//! each, and the rest is spread thinly over the long tail.

use crate::auth::session::{self, SessionPolicy};
use crate::entities::{tenant, user};
use crate::error::{DomainError, Result};
use crate::input::Password;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, PaginatorTrait, QueryFilter};

/// How much to write on top of the demo.
#[derive(Clone, Copy, Debug)]
pub struct BenchScale {
    /// Clients in all, the demo's three included.
    pub clients: u32,
    /// Work entries to add (the demo's are kept: the report counts both).
    pub entries: u32,
}

impl BenchScale {
    /// Tickets: one for every five entries; each has two comments.
    pub fn tickets(self) -> u32 {
        self.entries / 5
    }
}

/// Sessions made for the benchmark's three people (tokens for the session cookie).
#[derive(Debug)]
pub struct BenchSessions {
    /// A client user of the demo's first client, which holds a tenth of the work.
    pub client: String,
    pub admin: String,
    pub tech: String,
}

/// The slug of the client the benchmark signs in to.
pub const BENCH_CLIENT: &str = "acme-dental";

/// Fills an empty, migrated database: the demo (every account with `password`), then `scale`.
pub async fn fill(db: &DatabaseConnection, password: Password, scale: BenchScale) -> Result<BenchSessions> {
    if scale.clients < 13 {
        return Err(DomainError::Invalid(
            "The benchmark needs at least 13 clients (the demo's three and ten large ones).".into(),
        ));
    }
    crate::demo::seed(db, password.clone()).await?;
    let hash = crate::auth::password::hash(&password).await.map_err(|_| DomainError::Invalid("busy".into()))?;
    let sql = Sql::new(db.get_database_backend());
    let ids = DemoIds::read(db).await?;
    let tx = crate::db::write(db).await?;
    let run = |text: String| {
        let tx = &tx;
        async move { tx.execute_unprepared(&text).await.map(|_| ()) }
    };

    let numbers = scale.entries.max(scale.clients * 4).max(scale.tickets() * 2) as i64;
    run("CREATE TABLE bench_n (i BIGINT PRIMARY KEY)".into()).await?;
    // Numbers 1..=numbers: a recursive query, doubled in steps so that no statement recurses deep.
    run("INSERT INTO bench_n (i) VALUES (1)".into()).await?;
    let mut have = 1i64;
    while have < numbers {
        run(format!("INSERT INTO bench_n (i) SELECT i + {have} FROM bench_n WHERE i + {have} <= {numbers}")).await?;
        have *= 2;
    }

    // Clients 4..=clients, named `bench-<k>`; k is their number in the benchmark.
    let new_clients = scale.clients as i64 - 3;
    run(format!(
        "INSERT INTO tenant (slug, name, time_zone, business_days, business_start_minute, business_end_minute, \
         included_hours, status, next_ticket_number, external_ref, created_at, two_step_required) \
         SELECT 'bench-' || i, 'Client ' || i, CASE WHEN i % 3 = 0 THEN 'America/New_York' WHEN i % 3 = 1 \
         THEN 'Europe/London' ELSE 'America/Los_Angeles' END, 31, 480, 1020, 20, 'active', 1, NULL, {now}, {no} \
         FROM bench_n WHERE i <= {new_clients}",
        now = sql.ago("0"),
        no = sql.bool(false),
    ))
    .await?;
    // k → tenant id, the demo's first client as k = 0, for the inserts below.
    run("CREATE TABLE bench_tenant (k BIGINT PRIMARY KEY, tenant_id BIGINT NOT NULL)".into()).await?;
    run(format!("INSERT INTO bench_tenant (k, tenant_id) VALUES (0, {})", ids.client)).await?;
    run(format!(
        "INSERT INTO bench_tenant (k, tenant_id) SELECT n.i, t.id FROM bench_n n JOIN tenant t ON t.slug = 'bench-' || n.i \
         WHERE n.i <= {new_clients}"
    ))
    .await?;

    // Two people per client, with the demo's password.
    for (role, who) in [("client_admin", "admin"), ("client_user", "user")] {
        run(format!(
            "INSERT INTO user_account (email, display_name, password_hash, role, tenant_id, active, created_at, approver) \
             SELECT '{who}@bench-' || k || '.test', 'Person ' || k, '{hash}', '{role}', tenant_id, {yes}, {now}, {yes} \
             FROM bench_tenant WHERE k > 0",
            yes = sql.bool(true),
            now = sql.ago("0"),
        ))
        .await?;
    }
    // Four systems each.
    for (name, kind, criticality) in [
        ("File server", "server", "high"),
        ("Firewall", "firewall", "high"),
        ("Email", "email", "medium"),
        ("Backups", "backup", "medium"),
    ] {
        run(format!(
            "INSERT INTO system (tenant_id, name, kind, criticality, vendor, notes, created_at) \
             SELECT tenant_id, '{name}', '{kind}', '{criticality}', NULL, '', {now} FROM bench_tenant WHERE k > 0",
            now = sql.ago("0"),
        ))
        .await?;
    }
    // A primary and a backup tech (two of the three, turn about) and the account manager.
    let [t0, t1, t2] = ids.techs;
    for (role, position, who) in [
        ("primary", 0, format!("CASE WHEN k % 3 = 0 THEN {t0} WHEN k % 3 = 1 THEN {t1} ELSE {t2} END")),
        ("backup", 0, format!("CASE WHEN k % 3 = 0 THEN {t1} WHEN k % 3 = 1 THEN {t2} ELSE {t0} END")),
        ("account_manager", 0, ids.account_manager.to_string()),
    ] {
        run(format!(
            "INSERT INTO coverage (tenant_id, system_id, user_id, role, position) \
             SELECT tenant_id, NULL, {who}, '{role}', {position} FROM bench_tenant WHERE k > 0"
        ))
        .await?;
    }

    // Which client an entry or ticket belongs to: 10% the demo's first, 45% nine large clients,
    // 45% the long tail (every other generated client).
    let tail = new_clients - 9;
    let owner =
        format!("CASE WHEN i % 100 < 10 THEN 0 WHEN i % 100 < 55 THEN 1 + (i % 100 - 10) % 9 ELSE 10 + i % {tail} END");
    let techs = format!("CASE WHEN i % 3 = 0 THEN {t0} WHEN i % 3 = 1 THEN {t1} ELSE {t2} END");

    // Work over the last two years; one in fifty planned for the next two weeks; one in seven
    // internal; one in six after hours.
    let minutes_ago = "CASE WHEN i % 50 = 0 THEN -(i % 20160) ELSE (i * 7919) % 1051200 END";
    run(format!(
        "INSERT INTO work_entry (tenant_id, category, title, details, why_it_matters, state, started_at, \
         duration_minutes, after_hours, proactive, visibility, performed_by, shadowed_by, vendor_name, vendor_case_ref, \
         ticket_id, highlight, automated, import_key, created_at, updated_at) \
         SELECT b.tenant_id, \
         CASE i % 9 WHEN 0 THEN 'maintenance' WHEN 1 THEN 'patch' WHEN 2 THEN 'patch' WHEN 3 THEN 'upgrade' \
           WHEN 4 THEN 'vendor' WHEN 5 THEN 'security' WHEN 6 THEN 'backup' WHEN 7 THEN 'monitoring' ELSE 'other' END, \
         'Work item ' || i, 'Checked, applied and verified; nothing else needed.', 'Keeps the office running.', \
         CASE WHEN i % 50 = 0 THEN 'planned' ELSE 'done' END, {started}, 15 + (i % 8) * 15, {after_hours}, {proactive}, \
         CASE WHEN i % 7 = 0 THEN 'internal' ELSE 'client' END, {techs}, NULL, NULL, NULL, NULL, {no}, {no}, NULL, \
         {started}, {started} \
         FROM bench_n JOIN bench_tenant b ON b.k = {owner} WHERE i <= {entries}",
        started = sql.ago(minutes_ago),
        after_hours = sql.truth("i % 6 = 0"),
        proactive = sql.truth("i % 4 <> 0"),
        no = sql.bool(false),
        entries = scale.entries,
    ))
    .await?;
    // A third of the work names the client's file server.
    run(format!(
        "INSERT INTO work_entry_system (tenant_id, work_entry_id, system_id) \
         SELECT w.tenant_id, w.id, s.id FROM work_entry w JOIN system s ON s.tenant_id = w.tenant_id AND s.name = 'File server' \
         WHERE w.title LIKE 'Work item %' AND w.id % 3 = 0"
    ))
    .await?;

    // Tickets: numbered from 1000 up, per client unique because i is; nine in ten resolved.
    let tickets = scale.tickets();
    let opened = "(i * 6151) % 1051200 + 60";
    run(format!(
        "INSERT INTO ticket (tenant_id, number, subject, description, requester_id, assignee_id, status, impact, urgency, \
         priority, first_response_due_at, resolution_due_at, first_response_at, resolved_at, closed_at, source, \
         created_at, updated_at) \
         SELECT b.tenant_id, 1000 + i, 'Something is not working (' || i || ')', 'Since this morning.', NULL, {techs}, \
         CASE WHEN i % 10 = 0 THEN 'open' WHEN i % 10 = 1 THEN 'closed' ELSE 'resolved' END, 'individual', \
         'work_degraded', 3, {due}, {due}, {responded}, CASE WHEN i % 10 = 0 THEN NULL ELSE {resolved} END, \
         CASE WHEN i % 10 = 1 THEN {resolved} ELSE NULL END, 'portal', {created}, {created} \
         FROM bench_n JOIN bench_tenant b ON b.k = {owner} WHERE i <= {tickets}",
        created = sql.ago(opened),
        due = sql.ago(&format!("{opened} - 480")),
        responded = sql.ago(&format!("{opened} - 30")),
        resolved = sql.ago(&format!("{opened} - 240")),
    ))
    .await?;
    run(format!(
        "UPDATE tenant SET next_ticket_number = {} WHERE id IN (SELECT tenant_id FROM bench_tenant)",
        1001 + tickets as i64
    ))
    .await?;
    // Two comments on each: the client's, then the tech's.
    run(format!(
        "INSERT INTO ticket_comment (tenant_id, ticket_id, author_id, body, visibility, created_at) \
         SELECT t.tenant_id, t.id, {who}, {body}, 'client', t.created_at FROM ticket t \
         JOIN bench_n n ON n.i <= 2 WHERE t.subject LIKE 'Something is not working (%'",
        who = format!("CASE WHEN n.i = 1 THEN NULL ELSE {t0} END"),
        body = "CASE WHEN n.i = 1 THEN 'It happens every time I print.' ELSE 'Fixed: the driver was replaced.' END",
    ))
    .await?;

    // Mail sent, one for every twenty entries; audit rows, one for every ten.
    run(format!(
        "INSERT INTO mail_queue (to_address, subject, text_body, html_body, status, attempts, next_attempt_at, \
         claimed_until, last_error, sent_at, topic, created_at) \
         SELECT 'user@bench-' || (1 + i % {new_clients}) || '.test', 'Your ticket was resolved', 'Hello.', '<p>Hello.</p>', \
         'sent', 1, {at}, NULL, NULL, {at}, NULL, {at} FROM bench_n WHERE i <= {mails}",
        at = sql.ago("(i * 104729) % 1051200"),
        mails = scale.entries / 20,
    ))
    .await?;
    run(format!(
        "INSERT INTO audit_event (actor_id, tenant_id, action, target, ip, created_at, user_agent, detail) \
         SELECT {techs}, b.tenant_id, 'work_logged', 'work entry ' || i, '192.0.2.1', {at}, NULL, NULL \
         FROM bench_n JOIN bench_tenant b ON b.k = {owner} WHERE i <= {audits}",
        at = sql.ago("(i * 7919) % 1051200"),
        audits = scale.entries / 10,
    ))
    .await?;

    run("DROP TABLE bench_tenant".into()).await?;
    run("DROP TABLE bench_n".into()).await?;
    // Staff sessions stand for a finished sign-in, second step included.
    user::Entity::update_many()
        .col_expr(user::Column::TotpEnrolledAt, sea_orm::sea_query::Expr::value(crate::time::now()))
        .filter(user::Column::TenantId.is_null())
        .exec(&tx)
        .await?;
    tx.commit().await?;
    if db.get_database_backend() == DbBackend::Postgres {
        db.execute_unprepared("ANALYZE").await?;
    } else {
        db.execute_unprepared("ANALYZE").await?;
        db.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)").await?;
    }

    let policy = SessionPolicy::default();
    Ok(BenchSessions {
        client: session::create(db, ids.client_user, policy, None, None).await?.token,
        admin: session::create(db, ids.admin, policy, None, None).await?.token,
        tech: session::create(db, ids.techs[0], policy, None, None).await?.token,
    })
}

/// How many work entries there are in all (the report's scale).
pub async fn entries(db: &DatabaseConnection) -> Result<u64> {
    Ok(crate::entities::work_entry::Entity::find().count(db).await?)
}

/// The demo's people the generated rows refer to.
struct DemoIds {
    client: i64,
    client_user: i64,
    admin: i64,
    techs: [i64; 3],
    account_manager: i64,
}

impl DemoIds {
    async fn read(db: &DatabaseConnection) -> Result<DemoIds> {
        let id = |email: &'static str| async move {
            user::Entity::find()
                .filter(user::Column::Email.eq(email))
                .one(db)
                .await?
                .map(|u| u.id)
                .ok_or(DomainError::NotFound)
        };
        let client = tenant::Entity::find()
            .filter(tenant::Column::Slug.eq(BENCH_CLIENT))
            .one(db)
            .await?
            .ok_or(DomainError::NotFound)?
            .id;
        Ok(DemoIds {
            client,
            client_user: id("lee@acme-dental.test").await?,
            admin: id("morgan@limelight.test").await?,
            techs: [
                id("sam@limelight.test").await?,
                id("riley@limelight.test").await?,
                id("jordan@limelight.test").await?,
            ],
            account_manager: id("alex@limelight.test").await?,
        })
    }
}

/// The few places where SQLite and PostgreSQL write the same thing differently.
struct Sql(DbBackend);

impl Sql {
    fn new(backend: DbBackend) -> Sql {
        Sql(backend)
    }

    /// The instant `minutes` (an SQL expression; negative is ahead) before now, as the app's
    /// driver stores it (SQLite: RFC 3339 text with a `T` and `+00:00`, which sorts in time order).
    fn ago(&self, minutes: &str) -> String {
        match self.0 {
            DbBackend::Postgres => format!("(now() - make_interval(mins => ({minutes})::integer))"),
            _ => format!("(strftime('%Y-%m-%dT%H:%M:%S', 'now', (-({minutes})) || ' minutes') || '+00:00')"),
        }
    }

    fn bool(&self, b: bool) -> &'static str {
        match (self.0, b) {
            (DbBackend::Postgres, true) => "true",
            (DbBackend::Postgres, false) => "false",
            (_, true) => "1",
            (_, false) => "0",
        }
    }

    /// A condition as a stored boolean.
    fn truth(&self, condition: &str) -> String {
        format!("(CASE WHEN {condition} THEN {} ELSE {} END)", self.bool(true), self.bool(false))
    }
}
