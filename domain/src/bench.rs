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

    // Work over the last two years; one in a thousand planned for the next two weeks; one in seven
    // internal; one in six after hours.
    let minutes_ago = "CASE WHEN i % 1000 = 0 THEN -(i % 20160) ELSE (i * 7919) % 1051200 END";
    run(format!(
        "INSERT INTO work_entry (tenant_id, category, title, details, why_it_matters, state, started_at, \
         duration_minutes, after_hours, proactive, visibility, performed_by, shadowed_by, vendor_name, vendor_case_ref, \
         ticket_id, highlight, automated, import_key, created_at, updated_at) \
         SELECT b.tenant_id, \
         CASE i % 9 WHEN 0 THEN 'maintenance' WHEN 1 THEN 'patch' WHEN 2 THEN 'patch' WHEN 3 THEN 'upgrade' \
           WHEN 4 THEN 'vendor' WHEN 5 THEN 'security' WHEN 6 THEN 'backup' WHEN 7 THEN 'monitoring' ELSE 'other' END, \
         'Work item ' || i, 'Checked, applied and verified; nothing else needed.', 'Keeps the office running.', \
         CASE WHEN i % 1000 = 0 THEN 'planned' ELSE 'done' END, {started}, 15 + (i % 8) * 15, {after_hours}, {proactive}, \
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

/// The cursor of a history page `pages` deep in the benchmark client's work (`page_size` rows a
/// page), or as deep as its work goes: (the cursor, the depth reached).
pub async fn deep_cursor(db: &DatabaseConnection, pages: u64, page_size: u64) -> Result<Option<(String, u64)>> {
    use crate::entities::work_entry;
    use sea_orm::{QueryOrder, QuerySelect};
    let client = DemoIds::read(db).await?.client;
    let history = || {
        work_entry::Entity::find()
            .filter(work_entry::Column::TenantId.eq(client))
            .filter(work_entry::Column::Visibility.eq(vocabulary::Visibility::Client))
            .filter(work_entry::Column::State.eq(vocabulary::WorkState::Done))
    };
    // A whole page after the cursor: page 1,000 is the last full one for a smaller client.
    let depth = pages.min(history().count(db).await?.saturating_sub(page_size) / page_size);
    if depth == 0 {
        return Ok(None);
    }
    let row = history()
        .order_by_desc(work_entry::Column::StartedAt)
        .order_by_desc(work_entry::Column::Id)
        .offset(depth * page_size - 1)
        .limit(1)
        .one(db)
        .await?
        .ok_or(DomainError::NotFound)?;
    Ok(Some((crate::history::Cursor { started_at: row.started_at, id: row.id }.encode(), depth)))
}

/// The benchmark's floor: what the dashboard and the history page must read at the least, each
/// with plain prepared statements and written as HTML by hand, no framework. The benchmark
/// serves these beside the app (`limelight bench-baseline`) on the same database and pool.
pub mod baseline {
    use crate::error::Result;
    use crate::figures::Month;
    use crate::history::Cursor;
    use chrono::Utc;
    use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement, Value};
    use std::fmt::Write;

    /// A statement with `?` placeholders, numbered for PostgreSQL.
    fn statement(db: &DatabaseConnection, sql: &str, values: Vec<Value>) -> Statement {
        let backend = db.get_database_backend();
        let sql = if backend == DbBackend::Postgres {
            let mut n = 0;
            sql.chars()
                .map(|c| {
                    if c == '?' {
                        n += 1;
                        format!("${n}")
                    } else {
                        c.to_string()
                    }
                })
                .collect()
        } else {
            sql.to_string()
        };
        Statement::from_sql_and_values(backend, sql, values)
    }

    /// The signed-in client's tenant and time zone, from the session cookie's token; one query.
    pub async fn signed_in(db: &DatabaseConnection, token: &str) -> Result<Option<(i64, chrono_tz::Tz, String)>> {
        let row = db
            .query_one_raw(statement(
                db,
                "SELECT t.id, t.time_zone, t.name FROM session s JOIN user_account u ON u.id = s.user_id \
                 JOIN tenant t ON t.id = u.tenant_id WHERE s.token_hash = ? AND s.expires_at > ? AND u.active = ?",
                vec![crate::auth::session::hash_token(token).into(), Utc::now().into(), true.into()],
            ))
            .await?;
        Ok(match row {
            Some(r) => {
                let tz: String = r.try_get("", "time_zone")?;
                Some((r.try_get("", "id")?, tz.parse().unwrap_or(chrono_tz::UTC), r.try_get("", "name")?))
            }
            None => None,
        })
    }

    /// The dashboard: the latest ten pieces of work, the five planned next, the five open
    /// tickets, the team, and twelve months of totals by category (one grouped statement a month
    /// over the daily totals, by UTC month: the app's edges at the client's midnight are left
    /// out, so the floor is a little lower than the page could ever be).
    pub async fn dashboard(db: &DatabaseConnection, tenant: i64, tz: chrono_tz::Tz, name: &str) -> Result<String> {
        let mut html =
            format!("<!DOCTYPE html><html lang=\"en\"><head><title>{name}</title></head><body><h1>{name}</h1>");
        let now = Utc::now();
        let list = |sql: &'static str, values: Vec<Value>| db.query_all_raw(statement(db, sql, values));
        html.push_str("<h2>Recent work</h2><ul>");
        for r in list(
            "SELECT id, title, category, started_at, duration_minutes FROM work_entry WHERE tenant_id = ? \
             AND visibility = 'client' AND state = 'done' ORDER BY started_at DESC, id DESC LIMIT 10",
            vec![tenant.into()],
        )
        .await?
        {
            let (title, category): (String, String) = (r.try_get("", "title")?, r.try_get("", "category")?);
            let _ = write!(html, "<li>{title} ({category})</li>");
        }
        html.push_str("</ul><h2>Planned</h2><ul>");
        for r in list(
            "SELECT id, title FROM work_entry WHERE tenant_id = ? AND visibility = 'client' AND state = 'planned' \
             AND started_at >= ? ORDER BY started_at, id LIMIT 5",
            vec![tenant.into(), now.into()],
        )
        .await?
        {
            let title: String = r.try_get("", "title")?;
            let _ = write!(html, "<li>{title}</li>");
        }
        html.push_str("</ul><h2>Open tickets</h2><ul>");
        for r in list(
            "SELECT number, subject FROM ticket WHERE tenant_id = ? AND status NOT IN ('resolved', 'closed') \
             ORDER BY created_at DESC, id DESC LIMIT 5",
            vec![tenant.into()],
        )
        .await?
        {
            let (number, subject): (i64, String) = (r.try_get("", "number")?, r.try_get("", "subject")?);
            let _ = write!(html, "<li>#{number} {subject}</li>");
        }
        html.push_str("</ul><h2>Your team</h2><ul>");
        for r in list(
            "SELECT c.role, u.display_name FROM coverage c JOIN user_account u ON u.id = c.user_id \
             WHERE c.tenant_id = ? AND c.system_id IS NULL ORDER BY c.role, c.position",
            vec![tenant.into()],
        )
        .await?
        {
            let (role, who): (String, String) = (r.try_get("", "role")?, r.try_get("", "display_name")?);
            let _ = write!(html, "<li>{role}: {who}</li>");
        }
        html.push_str("</ul><h2>Twelve months</h2><table>");
        let mut month = Month::containing(now.with_timezone(&tz).date_naive());
        for _ in 0..11 {
            month = month.previous();
        }
        for _ in 0..12 {
            let _ = write!(html, "<tr><th>{}</th>", month.first_day.format("%b %Y"));
            for r in list(
                "SELECT category, SUM(entries) AS entries, SUM(minutes) AS minutes FROM work_day \
                 WHERE tenant_id = ? AND day >= ? AND day < ? GROUP BY category",
                vec![tenant.into(), month.first_day.into(), month.next().first_day.into()],
            )
            .await?
            {
                let (category, n): (String, i64) = (r.try_get("", "category")?, r.try_get("", "entries")?);
                let _ = write!(html, "<td>{category} {n}</td>");
            }
            html.push_str("</tr>");
            month = month.next();
        }
        html.push_str("</table></body></html>");
        Ok(html)
    }

    /// One history page of 25, after `cursor` if given, and the link to the next.
    pub async fn history(db: &DatabaseConnection, tenant: i64, name: &str, cursor: Option<&str>) -> Result<String> {
        let mut html = format!("<!DOCTYPE html><html lang=\"en\"><head><title>{name}</title></head><body><table>");
        let rows = match cursor.and_then(Cursor::decode) {
            Some(c) => {
                db.query_all_raw(statement(
                    db,
                    "SELECT id, title, category, started_at, duration_minutes FROM work_entry WHERE tenant_id = ? \
                     AND visibility = 'client' AND state = 'done' AND (started_at, id) < (?, ?) \
                     ORDER BY started_at DESC, id DESC LIMIT 26",
                    vec![tenant.into(), c.started_at.into(), c.id.into()],
                ))
                .await?
            }
            None => {
                db.query_all_raw(statement(
                    db,
                    "SELECT id, title, category, started_at, duration_minutes FROM work_entry WHERE tenant_id = ? \
                     AND visibility = 'client' AND state = 'done' ORDER BY started_at DESC, id DESC LIMIT 26",
                    vec![tenant.into()],
                ))
                .await?
            }
        };
        let mut last = None;
        for r in rows.iter().take(25) {
            let (id, title, category): (i64, String, String) =
                (r.try_get("", "id")?, r.try_get("", "title")?, r.try_get("", "category")?);
            let (started_at, minutes): (chrono::DateTime<Utc>, i32) =
                (r.try_get("", "started_at")?, r.try_get("", "duration_minutes")?);
            let _ = write!(html, "<tr><td>{started_at}</td><td>{title}</td><td>{category}</td><td>{minutes}</td></tr>");
            last = Some(Cursor { started_at, id });
        }
        html.push_str("</table>");
        if let (true, Some(c)) = (rows.len() > 25, last) {
            let _ = write!(html, "<a href=\"/portal/work?after={}\">Older</a>", c.encode());
        }
        html.push_str("</body></html>");
        Ok(html)
    }
}
