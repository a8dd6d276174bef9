//! `kill -9` under write load, twenty times, restarting the server each time. Whatever got a
//! success answer is there afterwards, whole (with its audit row); nothing is there twice; the
//! server starts cleanly every time; and the mail queue keeps its promise: every queued message
//! is sent, at least once, and more than once only for a message whose sending a kill
//! interrupted (see the README's "Email is sent at least once").

use crate::harness::*;
use rand::{Rng, SeedableRng};
use sea_orm::DatabaseConnection;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const KILLS: usize = 20;

/// What the writers were told was done, and what they were answered that they should not be.
#[derive(Default)]
struct Acked {
    /// Work entries, by title.
    work: Vec<String>,
    /// Tickets opened through the API or the portal: (number, subject).
    tickets: Vec<(i64, String)>,
    /// Portal tickets, whose opening queues an email to the tech who covers: their numbers.
    noticed: Vec<i64>,
    /// Public comments: (ticket number, body).
    comments: Vec<(i64, String)>,
    /// Answers that are neither a success nor a refusal to go faster: (what, status).
    unexpected: Vec<(String, u16)>,
}

type Shared = Arc<Mutex<Acked>>;

/// A request's outcome: its status and JSON body, or `None` when the server died under it.
async fn send(req: reqwest::RequestBuilder) -> Option<(u16, serde_json::Value)> {
    let res = req.send().await.ok()?;
    let status = res.status().as_u16();
    let body = res.json::<serde_json::Value>().await.ok()?;
    Some((status, body))
}

/// Logs work through the API until the server dies.
async fn work_writer(server: String, token: String, cycle: usize, w: usize, acked: Shared) {
    let c = plain();
    for n in 0.. {
        let title = format!("c{cycle} w{w} n{n}");
        let body = serde_json::json!({
            "category": "maintenance", "title": title, "state": "done",
            "started_at": "2026-11-02T09:00:00Z", "duration_minutes": 15, "performed_by": "sam@msp.test",
        });
        let req = c.post(format!("{server}/api/v1/clients/acme/work")).bearer_auth(&token).json(&body);
        match send(req).await {
            None => return,
            Some((201, _)) => acked.lock().unwrap().work.push(title),
            Some((s, _)) => acked.lock().unwrap().unexpected.push((title, s)),
        }
    }
}

/// Opens a ticket through the API, then comments on it until the server dies (or forty times).
async fn desk_writer(server: String, token: String, cycle: usize, acked: Shared) {
    let c = plain();
    let subject = format!("c{cycle} desk");
    let body = serde_json::json!({"subject": subject, "description": "From the help desk", "impact": "individual", "urgency": "inconvenience"});
    let number =
        match send(c.post(format!("{server}/api/v1/clients/acme/tickets")).bearer_auth(&token).json(&body)).await {
            None => return,
            Some((201, t)) => {
                let number = t["number"].as_i64().unwrap();
                acked.lock().unwrap().tickets.push((number, subject));
                number
            }
            Some((s, _)) => return acked.lock().unwrap().unexpected.push((subject, s)),
        };
    // At most forty a run: twenty runs stay inside the token's hour (1,200 comments).
    for n in 0..40 {
        let text = format!("c{cycle} comment {n}");
        let url = format!("{server}/api/v1/clients/acme/tickets/{number}/comments");
        match send(c.post(url).bearer_auth(&token).json(&serde_json::json!({ "body": text }))).await {
            None => return,
            Some((201, _)) => acked.lock().unwrap().comments.push((number, text)),
            Some((429, _)) => {}
            Some((s, _)) => acked.lock().unwrap().unexpected.push((text, s)),
        }
    }
}

/// Clients open two tickets in the portal (each queues an email), unless the server dies first.
async fn portal_writer(server: String, people: Vec<reqwest::Client>, cycle: usize, acked: Shared) {
    // Two a run: forty in all, twenty for each person, inside their hour's thirty.
    for n in 0..2 {
        let subject = format!("c{cycle} portal {n}");
        let form = [
            ("subject", subject.as_str()),
            ("description", "Printer"),
            ("impact", "individual"),
            ("urgency", "inconvenience"),
        ];
        let person = &people[n % people.len()];
        match send(person.post(format!("{server}/api/portal/ticket-new")).form(&form)).await {
            None => return,
            Some((200, number)) => {
                let number = number.as_i64().unwrap();
                let mut acked = acked.lock().unwrap();
                acked.tickets.push((number, subject));
                acked.noticed.push(number);
            }
            Some((s, _)) if s == 429 => {}
            Some((s, _)) => acked.lock().unwrap().unexpected.push((subject, s)),
        }
    }
}

async fn strings(db: &DatabaseConnection, sql: &str) -> Vec<String> {
    rows(db, sql).await.iter().map(|r| r.try_get_by_index::<String>(0).unwrap()).collect()
}

/// Each element's count, and those there more than once.
fn twice<T: std::hash::Hash + Eq + Clone + std::fmt::Debug>(items: &[T]) -> Vec<T> {
    let mut seen = HashMap::new();
    for i in items {
        *seen.entry(i.clone()).or_insert(0) += 1;
    }
    seen.into_iter().filter(|(_, n)| *n > 1).map(|(i, _)| i).collect()
}

async fn crash_under_write_load(setup: Setup, database_url: String) {
    setup.client_and_token();
    setup.cli(&["user", "add", "lee@acme.test", "--role", "client_user", "--tenant", "acme"], PASSWORD);
    let token = setup.tech_and_writer();
    let desk = setup
        .cli(&["token", "add", "--name", "desk", "--scope", "acme", "--permissions", "read,write"], "")
        .trim()
        .to_string();
    let seed: u64 =
        std::env::var("LIMELIGHT_CRASH_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(rand::random);
    eprintln!("kill moments from seed {seed} (LIMELIGHT_CRASH_SEED={seed} repeats them)");
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);

    let acked: Shared = Default::default();
    let mut people = Vec::new();
    for cycle in 0..KILLS {
        let began = Instant::now();
        let mut server = Server::start(&setup, &[]).await;
        let started = began.elapsed();
        if cycle == 0 {
            sam_covers_acme(&server, &token).await;
            // Sessions live in the database: these two stay signed in across every kill.
            people = vec![server.signed_in("dana@acme.test").await, server.signed_in("lee@acme.test").await];
        }
        let base = server.url("");
        let base = base.trim_end_matches('/').to_string();
        let mut writers = Vec::new();
        for w in 0..3 {
            writers.push(tokio::spawn(work_writer(base.clone(), token.clone(), cycle, w, acked.clone())));
        }
        writers.push(tokio::spawn(desk_writer(base.clone(), desk.clone(), cycle, acked.clone())));
        writers.push(tokio::spawn(portal_writer(base.clone(), people.clone(), cycle, acked.clone())));

        let moment = Duration::from_millis(rng.gen_range(150..1200));
        tokio::time::sleep(moment).await;
        assert!(server.running(), "the server died on its own in run {cycle}: {}", server.logs());
        server.kill();
        for w in writers {
            w.await.unwrap();
        }
        let logs = server.logs();
        assert!(!logs.contains("panicked"), "run {cycle} panicked: {logs}");
        eprintln!("run {cycle}: started in {started:?}, killed after {moment:?}");
    }

    // Some messages may be claimed, and the mail job leased, by a process that was killed: the
    // claims run out in two minutes, the lease in one; here they are made to have run out, and a
    // last server sends what is left.
    let db = sea_orm::Database::connect(&database_url).await.unwrap();
    rows(&db, "UPDATE mail_queue SET claimed_until = created_at, next_attempt_at = created_at WHERE status <> 'sent'")
        .await;
    rows(&db, "UPDATE job_lease SET lease_until = NULL, holder = NULL").await;
    let server = Server::start(&setup, &[]).await;
    let deadline = Instant::now() + Duration::from_secs(60);
    while count(&db, "SELECT COUNT(*) FROM mail_queue WHERE status <> 'sent'").await > 0 {
        assert!(Instant::now() < deadline, "mail still unsent a minute after the last start: {}", server.logs());
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    drop(server);

    let acked = acked.lock().unwrap();
    assert!(acked.unexpected.is_empty(), "answers that were neither success nor pacing: {:?}", acked.unexpected);
    assert!(
        acked.work.len() > 100 && acked.comments.len() > 20 && acked.noticed.len() > 10,
        "too little load to mean anything: {} work, {} comments, {} portal tickets",
        acked.work.len(),
        acked.comments.len(),
        acked.noticed.len()
    );

    // Every acknowledged entry is there, once; none without its audit row.
    let titles = strings(&db, "SELECT title FROM work_entry").await;
    let missing: Vec<&String> = acked.work.iter().filter(|t| !titles.contains(t)).collect();
    assert!(missing.is_empty(), "{} acknowledged work entries lost: {missing:?}", missing.len());
    assert_eq!(twice(&titles), Vec::<String>::new(), "work entries written twice");
    let audited = count(&db, "SELECT COUNT(*) FROM audit_event WHERE action = 'work_logged'").await;
    assert_eq!(audited, titles.len() as i64, "work entries and their audit rows differ: half-written entries");

    // Every acknowledged ticket, under the number it was answered with; numbers never reused.
    let tickets: Vec<(i64, String)> = rows(&db, "SELECT number, subject FROM ticket")
        .await
        .iter()
        .map(|r| (r.try_get_by_index::<i64>(0).unwrap(), r.try_get_by_index::<String>(1).unwrap()))
        .collect();
    let missing: Vec<&(i64, String)> = acked.tickets.iter().filter(|t| !tickets.contains(t)).collect();
    assert!(missing.is_empty(), "acknowledged tickets lost: {missing:?}");
    let numbers: Vec<i64> = tickets.iter().map(|t| t.0).collect();
    assert_eq!(twice(&numbers), Vec::<i64>::new(), "ticket numbers used twice");

    // Every acknowledged comment, on its ticket, once.
    let comments: Vec<(i64, String)> = rows(
        &db,
        "SELECT t.number, c.body FROM ticket_comment c JOIN ticket t ON t.id = c.ticket_id WHERE c.body LIKE 'c%comment%'",
    )
    .await
    .iter()
    .map(|r| (r.try_get_by_index::<i64>(0).unwrap(), r.try_get_by_index::<String>(1).unwrap()))
    .collect();
    let missing: Vec<&(i64, String)> = acked.comments.iter().filter(|c| !comments.contains(c)).collect();
    assert!(missing.is_empty(), "acknowledged comments lost: {missing:?}");
    assert_eq!(twice(&comments), Vec::<(i64, String)>::new(), "comments written twice");

    // The mail: a notice queued for every acknowledged portal ticket, each sent at least once,
    // and again only where a kill came between sending it and recording that it was sent.
    let subjects = strings(&db, "SELECT subject FROM mail_queue").await;
    for number in &acked.noticed {
        assert!(subjects.iter().any(|s| s.contains(&format!("#{number}:"))), "no email queued for ticket {number}");
    }
    let outbox = outbox(&setup);
    let mut extra = 0;
    for subject in &subjects {
        let sent = outbox.iter().filter(|m| m.contains(&format!("Subject: {subject}\r\n"))).count();
        assert!(sent >= 1, "queued, marked sent, never sent: {subject}");
        extra += sent - 1;
    }
    assert!(extra <= KILLS, "{extra} emails sent twice in {KILLS} kills: more than the queue's promise");
    eprintln!(
        "{} work entries, {} tickets, {} comments, {} emails ({extra} sent twice) acknowledged through {KILLS} kills",
        acked.work.len(),
        acked.tickets.len(),
        acked.comments.len(),
        subjects.len()
    );
}

#[tokio::test]
async fn killed_twenty_times_under_write_load_on_sqlite() {
    let data = TempDir::new("crash-sqlite");
    let setup = Setup { data_dir: data.0.join("data"), database_url: None };
    let url = format!("sqlite://{}?mode=rw", setup.data_dir.join("limelight.db").display());
    crash_under_write_load(setup, url).await;
}

#[tokio::test]
async fn killed_twenty_times_under_write_load_on_postgresql() {
    let Some(cluster) = Cluster::new() else { return cannot("there are no PostgreSQL binaries to run a cluster") };
    cluster.start();
    let data = TempDir::new("crash-pg");
    let setup = Setup { data_dir: data.0.clone(), database_url: Some(cluster.url()) };
    crash_under_write_load(setup, cluster.url()).await;
}
