//! Several server processes on one PostgreSQL, behind no sticky sessions: a session made on one
//! is valid on the others and ended on all by a logout on any; the monthly drafts are made once
//! in total and each email sent once; and the mail job of a process killed in the middle of
//! sending is taken over by the others once its lease and claim run out.

use crate::harness::*;
use sea_orm::DatabaseConnection;
use std::time::{Duration, Instant};

/// Waits (at most `within`) until `sql` counts `want`.
async fn until_count(db: &DatabaseConnection, sql: &str, want: i64, within: Duration, what: &str) {
    let deadline = Instant::now() + within;
    loop {
        let n = count(db, sql).await;
        if n == want {
            return;
        }
        assert!(Instant::now() < deadline, "{what}: {n}, not {want}, after {within:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Opens a portal ticket as whoever `person` is signed in as, through `server`; its number.
async fn portal_ticket(person: &reqwest::Client, server: &Server, subject: &str) -> i64 {
    let form =
        [("subject", subject), ("description", "Printer"), ("impact", "individual"), ("urgency", "inconvenience")];
    let res = person.post(server.url("/api/portal/ticket-new")).form(&form).send().await.unwrap();
    assert_eq!(res.status(), 200, "{}", server.logs());
    res.json().await.unwrap()
}

/// A mail server that accepts connections and never says a word: a process sending to it is
/// stuck in the middle of sending, holding the mail job.
fn silent_mail_server() -> (std::net::TcpListener, u16) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    (listener, port)
}

#[tokio::test]
async fn three_servers_on_one_postgresql() {
    let Some(cluster) = Cluster::new() else { return cannot("there are no PostgreSQL binaries to run a cluster") };
    cluster.start();
    let data = TempDir::new("several");
    let setup = Setup { data_dir: data.0.clone(), database_url: Some(cluster.url()) };
    setup.client_and_token();
    let token = setup.tech_and_writer();
    let db = sea_orm::Database::connect(cluster.url()).await.unwrap();

    // Three processes start at once (each would migrate; they queue on the lock).
    let (a, b, c) = tokio::join!(Server::start(&setup, &[]), Server::start(&setup, &[]), Server::start(&setup, &[]));
    let servers = [&a, &b, &c];
    sam_covers_acme(&b, &token).await;

    // A session made on one is good on every one.
    let dana = a.signed_in("dana@acme.test").await;
    for s in servers {
        assert_eq!(dana.get(s.url("/portal")).send().await.unwrap().status(), 200, "the session on {}", s.addr);
    }
    // Signing out on one ends it on all.
    assert_eq!(dana.post(b.url("/logout")).send().await.unwrap().status(), 303);
    let again = a.signed_in("dana@acme.test").await;
    for s in servers {
        // The old session's cookie, replayed by someone who kept it.
        let old = dana.get(s.url("/portal")).send().await.unwrap();
        assert_ne!(old.status(), 200, "a session ended on {} still works on {}", b.addr, s.addr);
        assert_eq!(again.get(s.url("/portal")).send().await.unwrap().status(), 200);
    }

    // Last month's drafts: the three all started due to make them; one did, once.
    until_count(
        &db,
        "SELECT COUNT(*) FROM job_run WHERE job = 'monthly_drafts' AND outcome = 'succeeded'",
        1,
        Duration::from_secs(10),
        "drafting runs",
    )
    .await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM job_run WHERE job = 'monthly_drafts'").await,
        1,
        "drafts run more than once"
    );
    assert_eq!(count(&db, "SELECT COUNT(*) FROM summary").await, 1, "one draft for the one client");

    // Nine tickets through the three: nine emails, each sent once, whichever process sent it.
    for n in 0..9 {
        portal_ticket(&again, servers[n % 3], &format!("ticket {n} through server {}", n % 3)).await;
    }
    until_count(
        &db,
        "SELECT COUNT(*) FROM mail_queue WHERE status = 'sent'",
        9,
        Duration::from_secs(30),
        "emails sent",
    )
    .await;
    let mail = outbox(&setup);
    assert_eq!(mail.len(), 9, "emails in the outbox");
    for n in 0..9 {
        let copies = mail.iter().filter(|m| m.contains(&format!(": ticket {n} through server {}", n % 3))).count();
        assert_eq!(copies, 1, "ticket {n}'s email sent {copies} times");
    }

    // A fourth process whose mail server never answers: it takes the mail job for the email its
    // own request queues, and is stuck sending it, holding the job's lease and the email's claim.
    // (The others' fifteen-second rounds are held off meanwhile, so that it is the fourth that
    // takes the email: it wakes its own mail job the moment its request queues one.)
    rows(&db, "UPDATE job_lease SET next_run_at = now() + interval '1 hour' WHERE job = 'mail'").await;
    let (_silent, port) = silent_mail_server();
    let mut d = Server::start(&setup, &[("LIMELIGHT_SMTP_URL", &format!("smtp://127.0.0.1:{port}"))]).await;
    portal_ticket(&again, &d, "ticket through the stuck server").await;
    let holder = format!("%:{}:%", d.pid());
    until_count(
        &db,
        &format!("SELECT COUNT(*) FROM job_lease WHERE job = 'mail' AND holder LIKE '{holder}'"),
        1,
        Duration::from_secs(10),
        "the stuck process holding the mail job",
    )
    .await;
    until_count(
        &db,
        "SELECT COUNT(*) FROM mail_queue WHERE status = 'sending'",
        1,
        Duration::from_secs(5),
        "the email claimed",
    )
    .await;
    // The others leave it alone while the lease and the claim hold.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM mail_queue WHERE status = 'sending'").await,
        1,
        "taken from a live holder"
    );

    // Killed mid-send. Its lease would run out in a minute and its claim in two; the test moves
    // them to the past rather than wait.
    d.kill();
    rows(&db, &format!("UPDATE job_lease SET lease_until = now() - interval '1 second' WHERE holder LIKE '{holder}'"))
        .await;
    rows(&db, "UPDATE mail_queue SET claimed_until = now() - interval '1 second' WHERE status = 'sending'").await;
    rows(&db, "UPDATE job_lease SET next_run_at = now() WHERE job = 'mail'").await;

    // Another process takes the job over, records the stuck run as interrupted, and sends the
    // email, once.
    until_count(
        &db,
        "SELECT COUNT(*) FROM mail_queue WHERE status = 'sent'",
        10,
        Duration::from_secs(30),
        "emails sent after the takeover",
    )
    .await;
    let taken = count(
        &db,
        &format!(
            "SELECT COUNT(*) FROM job_run WHERE job = 'mail' AND outcome = 'interrupted' AND holder LIKE '{holder}'"
        ),
    )
    .await;
    assert_eq!(taken, 1, "the killed process's run is not marked interrupted");
    let copies = outbox(&setup).iter().filter(|m| m.contains(": ticket through the stuck server")).count();
    assert_eq!(copies, 1);
    for s in servers {
        assert!(!s.logs().contains("panicked"), "{}", s.logs());
    }
}
