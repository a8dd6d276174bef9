//! `limelight backup` while the server takes writes, then `limelight restore` into an empty data
//! directory: every write acknowledged before the backup began is in the copy, and the copy
//! serves as a portal.

use crate::harness::*;
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// The work entries in a SQLite database file, by title.
async fn titles_in(file: &std::path::Path) -> Vec<String> {
    let db = sea_orm::Database::connect(format!("sqlite://{}?mode=ro", file.display())).await.unwrap();
    let rows = db
        .query_all_raw(Statement::from_string(DbBackend::Sqlite, "SELECT title FROM work_entry".to_string()))
        .await
        .unwrap();
    let subjects = rows.iter().map(|r| r.try_get_by_index::<String>(0).unwrap()).collect();
    db.close().await.unwrap();
    subjects
}

#[tokio::test]
async fn a_backup_under_write_load_restores_with_every_acknowledged_write() {
    let data = TempDir::new("backup-live");
    let setup = Setup { data_dir: data.0.join("data"), database_url: None };
    setup.client_and_token();
    let token = setup.tech_and_writer();
    let server = Server::start(&setup, &[]).await;

    // Four writers log work as fast as they are answered, noting each entry acknowledged.
    let acked = Arc::new(Mutex::new(Vec::<String>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    // How many have been acknowledged so far: the test waits on this, not on the clock.
    let (count, mut counted) = tokio::sync::watch::channel(0usize);
    let count = Arc::new(count);
    let server = Arc::new(server);
    let mut writers = Vec::new();
    for w in 0..4 {
        let (server, token, acked, stop, count) =
            (server.clone(), token.clone(), acked.clone(), stop.clone(), count.clone());
        writers.push(tokio::spawn(async move {
            let c = plain();
            let mut n = 0;
            while !stop.load(Ordering::SeqCst) {
                let title = format!("writer {w} entry {n}");
                let status = log_work(&c, &server, &token, &title).await;
                assert_eq!(status, 201, "{}", server.logs());
                acked.lock().unwrap().push(title);
                count.send_modify(|c| *c += 1);
                n += 1;
            }
        }));
    }
    counted.wait_for(|c| *c >= 40).await.unwrap();

    // The backup, from another process, while the writers go on.
    let before: Vec<String> = acked.lock().unwrap().clone();
    let file = data.0.join("backup.db");
    let (s, f) = (setup.clone(), file.clone());
    let (code, _, stderr) =
        tokio::task::spawn_blocking(move || s.run(&["backup", f.to_str().unwrap()], "")).await.unwrap();
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("the integrity check passed"), "{stderr}");
    // Some more after it, so that writes both sides of the backup's moment are checked.
    let more = before.len() + 20;
    counted.wait_for(|c| *c >= more).await.unwrap();
    stop.store(true, Ordering::SeqCst);
    for w in writers {
        w.await.unwrap();
    }
    let all: Vec<String> = acked.lock().unwrap().clone();
    assert!(
        all.len() > before.len() + 4,
        "the writers did not write during the backup ({} then {})",
        before.len(),
        all.len()
    );
    assert!(before.len() > 20, "too little load before the backup: {}", before.len());

    // Restored into an empty data directory.
    let restored = Setup { data_dir: data.0.join("restored"), database_url: None };
    let (code, _, stderr) = restored.run(&["restore", file.to_str().unwrap()], "");
    assert_eq!(code, 0, "{stderr}");
    let titles = titles_in(&restored.data_dir.join("limelight.db")).await;
    let missing: Vec<&String> = before.iter().filter(|s| !titles.contains(s)).collect();
    assert!(missing.is_empty(), "acknowledged before the backup, missing from it: {missing:?}");
    // Nothing in the copy that was never acknowledged (a write is in it whole, or not at all).
    let unknown: Vec<&String> = titles.iter().filter(|s| !all.contains(s)).collect();
    assert!(unknown.is_empty(), "in the backup but never acknowledged: {unknown:?}");

    // The copy is a portal: the same client signs in and sees a ticket made before the backup.
    let copy = Server::start(&restored, &[]).await;
    let dana = copy.signed_in("dana@acme.test").await;
    let page = dana.get(copy.url("/portal/work")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("writer "), "the restored portal shows no work");
}

#[tokio::test]
async fn backup_and_restore_refuse_what_they_cannot_do_and_write_nothing() {
    let data = TempDir::new("backup-refusals");
    let setup = Setup { data_dir: data.0.join("data"), database_url: None };
    setup.client_and_token();
    let file = data.0.join("backup.db");
    setup.cli(&["backup", file.to_str().unwrap()], "");

    // Over an existing file.
    let (code, _, stderr) = setup.run(&["backup", file.to_str().unwrap()], "");
    assert_eq!((code, stderr.contains("exists already")), (2, true), "{stderr}");
    // Over a data directory that has a database.
    let (code, _, stderr) = setup.run(&["restore", file.to_str().unwrap()], "");
    assert_eq!((code, stderr.contains("restore into an empty data directory")), (2, true), "{stderr}");
    // A file that is no backup.
    let junk = data.0.join("junk.db");
    std::fs::write(&junk, "not a database").unwrap();
    let empty = Setup { data_dir: data.0.join("empty"), database_url: None };
    let (code, _, stderr) = empty.run(&["restore", junk.to_str().unwrap()], "");
    assert_eq!((code, stderr.contains("is not a Limelight backup")), (2, true), "{stderr}");
    // A damaged backup: a page of the copy overwritten.
    let damaged = data.0.join("damaged.db");
    let mut bytes = std::fs::read(&file).unwrap();
    let len = bytes.len();
    bytes[len / 2..len / 2 + 4096].fill(0x5a);
    std::fs::write(&damaged, bytes).unwrap();
    let (code, _, stderr) = empty.run(&["restore", damaged.to_str().unwrap()], "");
    assert_eq!(code, 2, "a damaged backup was restored: {stderr}");
    assert!(!empty.data_dir.join("limelight.db").exists(), "a refused restore wrote the database");
    // PostgreSQL: the advice, not an attempt.
    let pg = Setup { data_dir: data.0.join("pg"), database_url: Some("postgres://nobody@127.0.0.1:1/none".into()) };
    let (code, _, stderr) = pg.run(&["backup", data.0.join("pg.db").to_str().unwrap()], "");
    assert_eq!((code, stderr.contains("pg_dump")), (2, true), "{stderr}");
}
