//! SIGTERM while requests are in flight, as a service manager stops the service for an upgrade:
//! the requests already being served finish and are answered, new connections are refused, and
//! the process exits 0.

use crate::harness::*;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test]
async fn sigterm_lets_requests_in_flight_finish_refuses_new_ones_and_exits_0() {
    let data = TempDir::new("shutdown");
    let setup = Setup { data_dir: data.0.join("data"), database_url: None };
    setup.client_and_token();
    let token = setup.tech_and_writer();
    let mut server = Server::start(&setup, &[]).await;

    // A tool logging work over a slow link: its headers and half its body are in when the
    // signal comes.
    let body = serde_json::json!({
        "category": "patch", "title": "Patched during the upgrade", "state": "done",
        "started_at": "2026-11-02T09:00:00Z", "duration_minutes": 20, "performed_by": "sam@msp.test",
    })
    .to_string();
    let (first, rest) = body.split_at(body.len() / 2);
    let mut slow = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    let head = format!(
        "POST /api/v1/clients/acme/work HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        server.addr,
        body.len()
    );
    slow.write_all(head.as_bytes()).await.unwrap();
    slow.write_all(first.as_bytes()).await.unwrap();
    // An idle keep-alive connection that has finished its request: it must not hold the exit up.
    let idle = plain();
    assert_eq!(idle.get(server.url("/healthz")).send().await.unwrap().status(), 200);
    tokio::time::sleep(Duration::from_millis(300)).await;

    server.terminate();

    // New connections are refused once the signal is taken (at once, give or take the signal's
    // delivery).
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        match tokio::net::TcpStream::connect(server.addr).await {
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => break,
            _ => {
                assert!(Instant::now() < deadline, "still accepting connections 5 s after SIGTERM");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    }
    assert!(server.running(), "the server exited with a request still in flight");

    // The request in flight goes on, is served, and is answered.
    tokio::time::sleep(Duration::from_millis(500)).await;
    slow.write_all(rest.as_bytes()).await.unwrap();
    let mut answer = String::new();
    slow.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 201"), "the request in flight was not served: {answer}");

    // Then the process ends, cleanly.
    let code = server.exit_code(Duration::from_secs(10)).await;
    assert_eq!(code, Some(0), "exit after SIGTERM: {}", server.logs());
    let logs = server.logs();
    assert!(!logs.contains("panicked") && !logs.contains("ERROR"), "{logs}");

    // And what it answered is kept.
    let copy = Server::start(&setup, &[]).await;
    let list = plain()
        .get(copy.url("/api/v1/clients/acme/work"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(list.contains("Patched during the upgrade"), "{list}");
}
