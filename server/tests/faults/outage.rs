//! The database goes away under a running server: every caller gets a calm 503 within seconds
//! (a page for people, a problem document for the API, the decodable error for server functions),
//! `/readyz` says so while `/healthz` stays up, nothing panics, and when the database returns the
//! server carries on without a restart.

use crate::harness::*;
use std::time::{Duration, Instant};

/// How fast a caller must hear that the database is down.
const PROMPT: Duration = Duration::from_secs(5);

#[tokio::test]
async fn postgresql_stopped_and_started_under_a_running_server() {
    let Some(cluster) = Cluster::new() else { return cannot("there are no PostgreSQL binaries to run a cluster") };
    cluster.start();
    let data = TempDir::new("outage-pg");
    let setup = Setup { data_dir: data.0.clone(), database_url: Some(cluster.url()) };
    let token = setup.client_and_token();
    let mut server = Server::start(&setup, &[("LIMELIGHT_LOG_FORMAT", "json")]).await;
    let dana = server.signed_in("dana@acme.test").await;
    assert_eq!(dana.get(server.url("/portal")).send().await.unwrap().status(), 200);

    cluster.stop();

    // A person asking for a page.
    let (res, took) = timed(dana.get(server.url("/portal")).header("accept", "text/html")).await;
    assert_eq!(res.status(), 503, "a page");
    assert!(took < PROMPT, "the page took {took:?}");
    assert_eq!(res.headers()["retry-after"], "30");
    let reference = res.headers()["x-request-id"].to_str().unwrap().to_string();
    let page = res.text().await.unwrap();
    assert!(page.contains("Back in a moment"), "{page}");

    // The browser's own call to a server function.
    let (res, took) = timed(dana.post(server.url("/api/portal/home"))).await;
    assert_eq!(res.status(), 503, "a server function");
    assert!(took < PROMPT, "the server function took {took:?}");
    assert_eq!(res.json::<serde_json::Value>().await.unwrap(), serde_json::json!("Unavailable"));

    // A program on the API.
    let (res, took) = timed(plain().get(server.url("/api/v1/clients/acme")).bearer_auth(&token)).await;
    assert_eq!(res.status(), 503, "the API");
    assert!(took < PROMPT, "the API took {took:?}");
    assert_eq!(res.json::<serde_json::Value>().await.unwrap()["code"], "unavailable");

    // The probes.
    let (res, took) = timed(plain().get(server.url("/readyz"))).await;
    assert_eq!(res.status(), 503);
    assert!(took < PROMPT, "readyz took {took:?}");
    assert_eq!(plain().get(server.url("/healthz")).send().await.unwrap().status(), 200);

    // Logged as JSON, every line of the failed request carrying its id, with the cause.
    let logs = server.logs();
    let lines: Vec<serde_json::Value> =
        logs.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}"))).collect();
    let of_request: Vec<&serde_json::Value> = lines
        .iter()
        .filter(|l| l["spans"].as_array().is_some_and(|s| s.iter().any(|s| s["request_id"] == reference.as_str())))
        .collect();
    assert!(
        of_request.iter().any(|l| l["level"] == "ERROR" && l["error"].as_str().is_some_and(|e| !e.is_empty())),
        "no error with its cause for request {reference}: {logs}"
    );

    // The database returns: the same server, the same session, without a restart.
    cluster.start();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let status = dana.get(server.url("/portal")).send().await.unwrap().status();
        if status == 200 {
            break;
        }
        assert_eq!(status, 503);
        assert!(Instant::now() < deadline, "the server did not recover within 30 s");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert_eq!(plain().get(server.url("/readyz")).send().await.unwrap().status(), 200);
    let res = plain().get(server.url("/api/v1/clients/acme")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(server.running(), "the server exited");
    assert!(!server.logs().contains("panicked"), "{}", server.logs());
}

/// Opens a ticket as the signed-in client: a write.
async fn open_ticket(c: &reqwest::Client, server: &Server, subject: &str) -> (reqwest::Response, Duration) {
    let form = [
        ("subject", subject),
        ("description", "Printer offline"),
        ("impact", "individual"),
        ("urgency", "inconvenience"),
    ];
    let started = Instant::now();
    match c.post(server.url("/api/portal/ticket-new")).form(&form).send().await {
        Ok(res) => (res, started.elapsed()),
        Err(e) => panic!("no answer to a new ticket ({e}); the server's log:\n{}", server.logs()),
    }
}

#[tokio::test]
async fn sqlite_on_a_full_disk() {
    let Some(disk) = SmallDisk::new(24) else { return cannot("a small filesystem could not be mounted (not root?)") };
    let setup = Setup { data_dir: disk.path().join("data"), database_url: None };
    setup.client_and_token();
    let mut server = Server::start(&setup, &[]).await;
    let dana = server.signed_in("dana@acme.test").await;
    let (res, _) = open_ticket(&dana, &server, "Before").await;
    assert_eq!(res.status(), 200, "a ticket while there is room");

    // Fill the disk to the last byte.
    let filler = disk.path().join("filler");
    {
        use std::io::Write;
        let mut f = std::fs::File::create(&filler).unwrap();
        let block = vec![0u8; 64 * 1024];
        while f.write_all(&block).is_ok() {}
        let mut byte = [0u8; 1];
        while f.write_all(&mut byte).is_ok() {}
    }
    let mut refused = 0;
    // Enough writes to need new pages of the database file or its log.
    for n in 0..50 {
        let (res, took) = open_ticket(&dana, &server, &format!("Full {n} {}", "x".repeat(150))).await;
        assert!(took < PROMPT, "a write on a full disk took {took:?}: {}", server.logs());
        match res.status().as_u16() {
            200 => {}
            503 => {
                assert_eq!(res.headers()["retry-after"], "30");
                assert_eq!(res.json::<serde_json::Value>().await.unwrap(), serde_json::json!("Unavailable"));
                refused += 1;
            }
            other => panic!("a write on a full disk answered {other}: {}", res.text().await.unwrap()),
        }
    }
    assert!(refused > 0, "no write was refused on a full disk");
    assert!(server.logs().contains("the database is unavailable"), "no cause logged: {}", server.logs());
    let full = server.logs();
    assert!(full.contains("full"), "the cause does not say the disk is full: {full}");

    // Room again: writes work, without a restart.
    std::fs::remove_file(&filler).unwrap();
    let (res, _) = open_ticket(&dana, &server, "After the disk was freed").await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());

    assert!(server.running(), "the server exited");
    assert!(!server.logs().contains("panicked"), "{}", server.logs());
}
