//! A flood of password requests: the portal keeps answering, the excess is turned away with 503,
//! and a link that opens nothing costs no password work. In its own test binary (cargo runs test
//! binaries one after another) because the password gate is process-wide: a flood here would
//! turn away the password work of tests running beside it.

#[allow(dead_code)]
#[path = "integration/common.rs"]
mod common;

use common::*;
use futures::future::join_all;

#[tokio::test]
async fn a_flood_of_password_requests_leaves_the_portal_answering() {
    // Behind a load balancer (this machine), so that each request can come from its own address:
    // the sign-in throttle, which slows one address's flood, does not stand in front of the gate.
    let app = spawn_app_with(|c| {
        c.trusted_proxies = server::http::client_addr::TrustedProxies::parse("127.0.0.1").unwrap();
    })
    .await;
    app.seed_demo().await;
    let dana = app.signed_in("dana@acme-dental.test").await;
    let flood = browser();

    // 300 wrong passwords at once from 300 addresses, and 300 invitation acceptances with links
    // that open nothing.
    let logins = (0..300).map(|i| {
        let form = [("email", format!("nobody{i}@acme-dental.test")), ("password", "not the password".into())];
        let from = if i < 250 { format!("203.0.113.{i}") } else { format!("198.51.100.{}", i - 250) };
        flood.post(app.url("/login")).header("x-forwarded-for", from).form(&form).send()
    });
    let accepts = (0..300).map(|i| {
        let form = [
            ("token", format!("no-such-invitation-{i}")),
            ("name", "Mallory".to_string()),
            ("password", "a long enough password".to_string()),
            ("confirm_password", "a long enough password".to_string()),
        ];
        flood.post(app.url("/api/invite/accept")).form(&form).send()
    });
    let logins = tokio::spawn(join_all(logins));
    let accepts = tokio::spawn(join_all(accepts));

    // Meanwhile the health check and a signed-in page answer.
    let health = browser().get(app.url("/healthz")).send_or_fail().await;
    assert_eq!(health.status(), 200);
    let page = dana.get(app.url("/portal")).send_or_fail().await;
    assert_eq!(page.status(), 200);

    let logins = logins.await.unwrap();
    let mut busy = 0;
    for res in logins {
        let res = res.expect("every login is answered");
        match res.status().as_u16() {
            303 => {}
            503 => {
                assert_eq!(res.headers()["retry-after"], "2");
                busy += 1;
            }
            other => {
                // Which failure: the server logged its cause on the line with the request's id.
                let id = res.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
                let logs = String::from_utf8_lossy(&captured_logs().lock().unwrap()).to_string();
                let cause: Vec<&str> = logs.lines().filter(|l| !id.is_empty() && l.contains(&id)).collect();
                panic!("a login answered {other} (request {id}); the server logged:\n{}", cause.join("\n"))
            }
        }
    }
    assert!(busy > 0, "the gate turned the excess away instead of queueing 300 argon2 runs");
    // An invitation link is looked up before any password work: none waits for the gate.
    for res in accepts.await.unwrap() {
        assert_eq!(res.expect("every acceptance is answered").status(), 404);
    }
}
