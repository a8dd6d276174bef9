//! The command line: good input works, bad input says why, exits 2 and writes nothing.

use crate::common::*;
use domain::entities::{tenant, user};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use std::io::Write;
use std::process::{Command, Stdio};

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn limelight(db: &TestDb, args: &[&str], stdin: &str) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_limelight"))
        .args(args)
        .env("DATABASE_URL", &db.config.url)
        .env("LIMELIGHT_DATA_DIR", &db.dir)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    // A command that hangs fails the test instead of the whole run.
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > std::time::Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("limelight {args:?} did not finish within 60 s");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into(),
        stderr: String::from_utf8_lossy(&out.stderr).into(),
    }
}

async fn counts(db: &TestDb) -> (u64, u64) {
    let c = db.connect().await;
    (tenant::Entity::find().count(&c).await.unwrap(), user::Entity::find().count(&c).await.unwrap())
}

#[tokio::test]
async fn adds_tenants_and_users() {
    let db = TestDb::new().await;
    let r = limelight(&db, &["tenant", "add", "acme", "Acme Dental", "--timezone", "America/New_York"], "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = limelight(
        &db,
        &["user", "add", "Dana@Acme.test", "--role", "client_admin", "--tenant", "acme", "--name", "Dana"],
        "a good password\n",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout.trim(), "dana@acme.test\tclient_admin\tacme");
    let r = limelight(&db, &["user", "add", "tech@msp.test", "--role", "tech"], "a good password");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(counts(&db).await, (1, 2));
    let r = limelight(&db, &["migrate"], "");
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[tokio::test]
async fn bad_input_says_why_and_writes_nothing() {
    let db = TestDb::new().await;
    assert_eq!(limelight(&db, &["tenant", "add", "acme", "Acme"], "").code, 0);
    assert_eq!(limelight(&db, &["user", "add", "taken@msp.test", "--role", "tech"], "a good password").code, 0);
    let before = counts(&db).await;
    let cases: &[(&[&str], &str, &str)] = &[
        (&["user", "add", "x@msp.test", "--role", "boss"], "a good password", "unknown role"),
        (&["user", "add", "x@acme.test", "--role", "client_user"], "a good password", "--tenant"),
        (&["user", "add", "x@msp.test", "--role", "tech", "--tenant", "acme"], "a good password", "leave out --tenant"),
        (&["user", "add", "x@acme.test", "--role", "client_user", "--tenant", "nope"], "a good password", "no client"),
        (&["user", "add", "TAKEN@msp.test", "--role", "tech"], "a good password", "already exists"),
        (&["user", "add", "not-an-email", "--role", "tech"], "a good password", "not an email"),
        (&["user", "add", "x@msp.test", "--role", "tech"], "short", "at least 8"),
        (&["tenant", "add", "Bad Slug", "Bad"], "", "not a valid slug"),
        (&["tenant", "add", "good", "Good", "--timezone", "Mars/Olympus"], "", "time zone"),
        (&["tenant", "add", "acme", "Again"], "", "already exists"),
        (&["tenant", "add", "blank", "   "], "", "must not be empty"),
    ];
    for (args, stdin, message) in cases {
        let r = limelight(&db, args, stdin);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains(message), "{args:?}: stderr {:?} lacks {message:?}", r.stderr);
        assert!(r.stdout.is_empty(), "{args:?}");
        assert_eq!(counts(&db).await, before, "{args:?} wrote something");
    }
}

#[tokio::test]
async fn seed_demo_prints_every_account_and_refuses_a_second_run() {
    let db = TestDb::new().await;
    let r = limelight(&db, &["seed-demo"], "demo password\n");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<Vec<&str>> = r.stdout.lines().map(|l| l.split('\t').collect()).collect();
    assert!(lines.len() >= 11);
    for role in ["msp_admin", "tech", "account_manager", "client_admin", "client_user"] {
        assert!(lines.iter().any(|l| l[1] == role), "no {role} account");
    }
    assert!(lines.iter().all(|l| l.len() == 3 && (l[2] == "-") == !l[1].starts_with("client")));
    let tenants: std::collections::HashSet<&str> = lines.iter().map(|l| l[2]).filter(|t| *t != "-").collect();
    assert!(tenants.len() >= 3);
    let before = counts(&db).await;
    let again = limelight(&db, &["seed-demo"], "demo password\n");
    assert_eq!(again.code, 2);
    assert_eq!(counts(&db).await, before);
    let short = limelight(&TestDb::new().await, &["seed-demo"], "short");
    assert_eq!(short.code, 2);
}

#[tokio::test]
async fn summaries_draft_makes_one_draft_per_client_and_month_however_often_it_runs() {
    let db = TestDb::new().await;
    assert_eq!(limelight(&db, &["tenant", "add", "acme", "Acme", "--timezone", "America/New_York"], "").code, 0);
    assert_eq!(limelight(&db, &["tenant", "add", "bolt", "Bolt", "--timezone", "Europe/London"], "").code, 0);
    let bad = limelight(&db, &["summaries", "draft", "--month", "January"], "");
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(bad.stderr.contains("YYYY-MM"));
    for _ in 0..2 {
        let run = limelight(&db, &["summaries", "draft", "--month", "2026-01"], "");
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    let conn = db.connect().await;
    let drafts = domain::entities::summary::Entity::find().all(&conn).await.unwrap();
    assert_eq!(drafts.len(), 2, "one per client");
    assert!(drafts.iter().all(|d| d.status.as_str() == "draft" && d.period_start.to_string() == "2026-01-01"));
    assert!(drafts.iter().all(|d| d.period_end.to_string() == "2026-01-31"));
}

#[tokio::test]
async fn api_tokens_from_the_command_line() {
    let db = TestDb::new().await;
    assert_eq!(limelight(&db, &["tenant", "add", "acme", "Acme"], "").code, 0);
    let r = limelight(
        &db,
        &[
            "token",
            "add",
            "--name",
            "ninja",
            "--scope",
            "acme",
            "--permissions",
            "ingest,read",
            "--expires",
            "2099-12-31",
        ],
        "",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let secret = r.stdout.trim().to_string();
    assert!(secret.starts_with("llt_") && secret.len() > 60 && !secret.contains('\t'), "only the token on stdout");
    let tokens = || async {
        use sea_orm::PaginatorTrait;
        domain::entities::api_token::Entity::find().count(&db.connect().await).await.unwrap()
    };
    // Bad input: exit 2, the reason, nothing made.
    for (args, why) in [
        (&["token", "add", "--name", "x", "--scope", "nope", "--permissions", "read"][..], "No client"),
        (&["token", "add", "--name", "x", "--scope", "all", "--permissions", "admin"][..], "unknown permission"),
        (
            &["token", "add", "--name", "x", "--scope", "all", "--permissions", "read", "--expires", "2001-01-01"][..],
            "passed",
        ),
        (&["token", "add", "--name", "ninja", "--scope", "all", "--permissions", "read"][..], "exists already"),
        (&["token", "revoke", "nope"][..], "no token"),
    ] {
        let r = limelight(&db, args, "");
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains(why), "{args:?}: {}", r.stderr);
    }
    assert_eq!(tokens().await, 1);
    let list = limelight(&db, &["token", "list"], "").stdout;
    assert!(list.contains("ninja\tacme\tingest,read\t2099-12-31\t-\t-\tlive"), "{list}");
    assert!(!list.contains(&secret[4..]));
    assert_eq!(limelight(&db, &["token", "revoke", "ninja"], "").code, 0);
    assert!(limelight(&db, &["token", "list"], "").stdout.contains("\trevoked"));
}

#[tokio::test]
async fn work_history_is_imported_from_csv_once_and_all_or_nothing() {
    use domain::entities::work_entry;
    let db = TestDb::new().await;
    assert_eq!(limelight(&db, &["tenant", "add", "acme", "Acme", "--timezone", "America/New_York"], "").code, 0);
    assert_eq!(limelight(&db, &["user", "add", "sam@msp.test", "--role", "tech"], "a good password").code, 0);
    assert_eq!(
        limelight(&db, &["user", "add", "alex@msp.test", "--role", "account_manager"], "a good password").code,
        0
    );
    let entries = || async {
        use sea_orm::PaginatorTrait;
        work_entry::Entity::find().count(&db.connect().await).await.unwrap()
    };
    let dir = &db.dir;
    let good = dir.join("good.csv");
    std::fs::write(
        &good,
        "date,time,category,title,duration_minutes,performed_by,visibility,import_key\n\
         2026-03-08,01:30,patch,\"Patched, and rebooted\",90,SAM@msp.test,,k1\n\
         2026-03-09,10:00,vendor,Called the vendor,1:15,sam@msp.test,internal,k2\n",
    )
    .unwrap();
    let path = good.to_str().unwrap();
    let r = limelight(&db, &["import", "work", "--client", "acme", "--dry-run", path], "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("2 new entries would be written"), "{}", r.stderr);
    assert_eq!(entries().await, 0, "a dry run writes nothing");
    let r = limelight(&db, &["import", "work", "--client", "acme", path], "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(entries().await, 2);
    let c = db.connect().await;
    let first =
        work_entry::Entity::find().filter(work_entry::Column::ImportKey.eq("k1")).one(&c).await.unwrap().unwrap();
    assert_eq!(first.title, "Patched, and rebooted");
    // 01:30 in New York on 8 March 2026 (before the clocks change at 02:00) is 06:30 UTC.
    assert_eq!(first.started_at.to_rfc3339(), "2026-03-08T06:30:00+00:00");
    assert!(first.after_hours);
    assert_eq!(first.duration_minutes, 90);
    // Again: nothing new.
    let r = limelight(&db, &["import", "work", "--client", "acme", path], "");
    assert!(r.stderr.contains("0 new entries written, 2 imported before"), "{}", r.stderr);
    assert_eq!(entries().await, 2);

    // One bad row, and nothing of the file is written; each bad row is named by its line.
    let bad = dir.join("bad.csv");
    std::fs::write(
        &bad,
        "date,time,category,title,duration_minutes,performed_by,systems\n\
         2026-04-01,09:00,patch,Fine,30,sam@msp.test,\n\
         2026-03-08,02:30,patch,In the clock change,30,sam@msp.test,\n\
         2026-04-02,09:00,patch,An account manager,30,alex@msp.test,\n\
         2026-04-03,09:00,patch,No such system,30,sam@msp.test,Mainframe\n",
    )
    .unwrap();
    let r = limelight(&db, &["import", "work", "--client", "acme", bad.to_str().unwrap()], "");
    assert_eq!(r.code, 2);
    for line in ["line 3: date and time", "line 4: performed_by", "line 5: systems"] {
        assert!(r.stderr.contains(line), "{line} in {}", r.stderr);
    }
    assert!(r.stderr.contains("nothing was written"));
    assert_eq!(entries().await, 2);
    let unknown = dir.join("unknown.csv");
    std::fs::write(&unknown, "date,time,colour\n2026-04-01,09:00,red\n").unwrap();
    let r = limelight(&db, &["import", "work", "--client", "acme", unknown.to_str().unwrap()], "");
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("unknown column \"colour\""), "{}", r.stderr);
}
