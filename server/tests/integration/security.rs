//! Answers that keep a person's data out of caches, and HTTPS made sticky. (The flood of password
//! requests has its own test binary, `tests/flood.rs`: the password gate is process-wide.)

use crate::common::*;

#[tokio::test]
async fn nothing_with_a_persons_data_may_be_cached() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let dana = app.signed_in("dana@acme-dental.test").await;
    let token = crate::api::token(&app, "reader", "acme-dental", "read").await;
    let answers = [
        dana.get(app.url("/portal")).send_or_fail().await,
        dana.get(app.url("/portal/work.csv")).send_or_fail().await,
        call(&dana, &app, "portal/users", &[]).await,
        browser().get(app.url("/login")).send_or_fail().await,
        crate::api::get(&app, &token, "/api/v1/clients").await,
    ];
    for res in answers {
        let url = res.url().to_string();
        assert_eq!(res.headers()["cache-control"], "no-store", "{url}");
        assert!(res.headers().get("strict-transport-security").is_none(), "plain HTTP: no HSTS ({url})");
    }
    // The icon and the bundle may be kept.
    let icon = browser().get(app.url("/favicon.svg")).send_or_fail().await;
    assert!(icon.headers().get("cache-control").is_none_or(|v| v != "no-store"));
}

#[tokio::test]
async fn served_over_https_the_portal_says_so_and_its_cookie_is_host_only() {
    let app = spawn_app_with(|c| {
        c.public_url = "https://portal.example.test".into();
        c.secure_cookies = true;
    })
    .await;
    app.seed_demo().await;
    let res = app.post_login(&browser(), "dana@acme-dental.test", PASSWORD).await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["strict-transport-security"], "max-age=31536000; includeSubDomains");
    let cookie = res.headers()["set-cookie"].to_str().unwrap();
    assert!(cookie.starts_with("__Host-") && cookie.contains("Secure"), "{cookie}");
}

/// A sign-in from `address`, as the load balancer forwards it.
async fn login_from(app: &TestApp, address: &str, email: &str, password: &str) -> String {
    let res = browser()
        .post(app.url("/login"))
        .header("x-forwarded-for", address)
        .form(&[("email", email), ("password", password)])
        .send_or_fail()
        .await;
    res.headers().get("location").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default()
}

async fn failures_recorded(app: &TestApp, email: &str) -> Vec<Option<String>> {
    use domain::entities::audit_event;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq(domain::vocabulary::AuditAction::LoginFailed))
        .filter(audit_event::Column::Target.eq(email))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.ip)
        .collect()
}

fn behind_the_balancer(c: &mut server::Config) {
    c.trusted_proxies = server::http::client_addr::TrustedProxies::parse("127.0.0.1").unwrap();
}

#[tokio::test]
async fn behind_a_shared_proxy_one_address_flooding_stops_only_itself() {
    let app = spawn_app_with(behind_the_balancer).await;
    app.seed_demo().await;
    let free = domain::auth::throttle::ADDRESS_FREE as usize;
    for i in 0..free + 5 {
        let to = login_from(&app, "203.0.113.7", &format!("guess{i}@acme-dental.test"), "wrong").await;
        let expected = if i < free { "/login?failed" } else { "/login?throttled" };
        assert_eq!(to, expected, "attempt {i}");
    }
    // The address recorded is the caller's, not the balancer's.
    assert_eq!(failures_recorded(&app, "guess0@acme-dental.test").await, vec![Some("203.0.113.7".to_string())]);
    // Everyone else, through the same balancer, signs in.
    assert_eq!(login_from(&app, "198.51.100.20", "dana@acme-dental.test", PASSWORD).await, "/portal");
}

#[tokio::test]
async fn an_address_nobody_trusts_cannot_name_another() {
    let app = spawn_app().await;
    app.seed_demo().await;
    assert_eq!(login_from(&app, "203.0.113.7", "dana@acme-dental.test", "wrong").await, "/login?failed");
    assert_eq!(failures_recorded(&app, "dana@acme-dental.test").await, vec![Some("127.0.0.1".to_string())]);
}

#[tokio::test]
async fn someone_failing_at_an_account_does_not_lock_its_owner_out() {
    let app = spawn_app_with(behind_the_balancer).await;
    app.seed_demo().await;
    let free = domain::auth::throttle::PAIR_FREE as usize;
    for i in 0..free + 3 {
        let to = login_from(&app, "203.0.113.7", "dana@acme-dental.test", "guess").await;
        assert_eq!(to, if i < free { "/login?failed" } else { "/login?throttled" }, "attempt {i}");
    }
    // The attacker's next guess waits, even the right password.
    assert_eq!(login_from(&app, "203.0.113.7", "dana@acme-dental.test", PASSWORD).await, "/login?throttled");
    // Dana, at her own desk, signs in.
    assert_eq!(login_from(&app, "198.51.100.20", "dana@acme-dental.test", PASSWORD).await, "/portal");
    // An IPv6 neighbour in the attacker's /64 shares its count.
    for _ in 0..free {
        login_from(&app, "2001:db8:1:2::1", "lee@acme-dental.test", "guess").await;
    }
    assert_eq!(login_from(&app, "2001:db8:1:2:ffff::9", "lee@acme-dental.test", "guess").await, "/login?throttled");
}

#[tokio::test]
async fn parallel_wrong_passwords_are_counted_one_by_one() {
    let app = spawn_app_with(behind_the_balancer).await;
    app.seed_demo().await;
    let attempts = (0..40).map(|_| login_from(&app, "203.0.113.7", "dana@acme-dental.test", "guess"));
    let answers = futures::future::join_all(attempts).await;
    let failed = answers.iter().filter(|a| *a == "/login?failed").count();
    let throttled = answers.iter().filter(|a| *a == "/login?throttled").count();
    assert_eq!((failed, throttled), (domain::auth::throttle::PAIR_FREE as usize, 40 - failed), "{answers:?}");
    assert_eq!(failures_recorded(&app, "dana@acme-dental.test").await.len(), failed, "no more checked than allowed");
}

#[tokio::test]
async fn tickets_and_reset_requests_are_paced_per_person_and_address() {
    use domain::auth::throttle::Paced;
    let app = spawn_app().await;
    app.seed_demo().await;
    let count = || async {
        use sea_orm::{EntityTrait, PaginatorTrait};
        domain::entities::ticket::Entity::find().count(&app.db).await.unwrap()
    };
    let dana = app.signed_in("dana@acme-dental.test").await;
    let form =
        [("subject", "Printer"), ("description", "Jammed"), ("impact", "individual"), ("urgency", "inconvenience")];
    let (per_user, _) = Paced::Ticket.limits();
    for _ in 0..per_user {
        assert_eq!(call(&dana, &app, "portal/ticket-new", &form).await.status(), 200);
    }
    let before = count().await;
    let res = call(&dana, &app, "portal/ticket-new", &form).await;
    assert_eq!(res.status(), 429);
    let wait: u64 = res.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=3600).contains(&wait), "{wait}");
    assert!(
        res.text().await.unwrap().contains("TooMany"),
        "the form shows: you have done this many times in the last hour"
    );
    assert_eq!(count().await, before, "a refused ticket is not made");
    // Lee, a colleague, is not held back by Dana's hour.
    let lee = app.signed_in("lee@acme-dental.test").await;
    assert_eq!(call(&lee, &app, "portal/ticket-new", &form).await.status(), 200);

    // "Forgot your password?" from one address: its hour's worth, whatever the emails, then 429.
    let (_, per_address) = Paced::ResetRequest.limits();
    let visitor = browser();
    for i in 0..per_address {
        let email = format!("someone{i}@acme-dental.test");
        assert_eq!(call(&visitor, &app, "account/forgot", &[("email", &email)]).await.status(), 200);
    }
    let res = call(&visitor, &app, "account/forgot", &[("email", "lee@acme-dental.test")]).await;
    assert_eq!(res.status(), 429);
    assert!(res.headers().contains_key("retry-after"));
}

#[tokio::test]
async fn a_connection_that_never_finishes_its_headers_is_closed() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = spawn_app_with(|c| c.header_read_timeout = std::time::Duration::from_secs(1)).await;
    let mut slow = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n").await.unwrap();
    // Others are served meanwhile.
    assert_eq!(browser().get(app.url("/healthz")).send_or_fail().await.status(), 200);
    // The server closes it (after answering 408 or not); the bound only fails a hang.
    let mut got = Vec::new();
    let closed = tokio::time::timeout(std::time::Duration::from_secs(20), slow.read_to_end(&mut got)).await;
    assert!(closed.is_ok(), "the half-sent request was never cut off");
    let text = String::from_utf8_lossy(&got);
    assert!(got.is_empty() || text.starts_with("HTTP/1.1 408"), "{text}");
}

#[tokio::test]
async fn a_request_whose_body_trickles_is_cut_off_in_time() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = spawn_app_with(|c| c.request_timeout = std::time::Duration::from_secs(1)).await;
    let mut slow = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    // The headers promise a body that never all comes.
    slow.write_all(
        b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n\
          Content-Length: 100\r\n\r\nemail=",
    )
    .await
    .unwrap();
    assert_eq!(browser().get(app.url("/healthz")).send_or_fail().await.status(), 200, "others are served");
    let mut got = Vec::new();
    let closed = tokio::time::timeout(std::time::Duration::from_secs(20), slow.read_to_end(&mut got)).await;
    assert!(closed.is_ok(), "the trickling request was never cut off");
    let text = String::from_utf8_lossy(&got);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
}

/// A request that declares a body of 9 MiB and sends none of it: the answer, whole, as text.
async fn declaring_too_large(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    let mut head = format!(
        "POST {path} HTTP/1.1\r\nHost: {}\r\nContent-Length: {}\r\nConnection: close\r\n",
        app.addr,
        9 * 1024 * 1024
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(std::time::Duration::from_secs(10), stream.read_to_end(&mut answer))
        .await
        .expect("answered at once, without waiting for the body")
        .unwrap();
    String::from_utf8_lossy(&answer).to_string()
}

#[tokio::test]
async fn oversized_bodies_are_refused_with_413_before_they_are_read() {
    let app = spawn_app().await;
    app.add_tenant("acme").await;
    app.add_user("dana@acme.test", "client_admin", Some("acme")).await;
    let dana = app.signed_in("dana@acme.test").await;
    let token = crate::api::token(&app, "big", "all", "ingest,read,write").await;
    let form = [("Content-Type", "application/x-www-form-urlencoded")];
    let json = [("Content-Type", "application/json"), ("Authorization", &format!("Bearer {token}"))];

    // A server function, as the browser's script calls it: the error it decodes.
    let answer = declaring_too_large(&app, "/api/portal/ticket-new", &form).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("larger than Limelight accepts (1 MB)"), "{answer}");
    // A form posted by a browser without script: a page.
    let answer = declaring_too_large(&app, "/login", &[form[0], ("Accept", "text/html")]).await;
    assert!(answer.starts_with("HTTP/1.1 413") && answer.contains("That was too large"), "{answer}");
    assert!(answer.to_lowercase().contains("content-security-policy:"), "the page has the site's headers: {answer}");
    // The API, and its events endpoint (which takes 8 MiB): a problem document.
    for path in ["/api/v1/clients/acme/tickets", "/api/v1/events"] {
        let answer = declaring_too_large(&app, path, &json).await;
        assert!(answer.starts_with("HTTP/1.1 413"), "{path}: {answer}");
        assert!(answer.contains("application/problem+json") && answer.contains("payload_too_large"), "{answer}");
    }

    // A body within the declared limit that is still too large for a field says which.
    let tickets = || async {
        use sea_orm::{EntityTrait, PaginatorTrait};
        domain::entities::ticket::Entity::find().count(&app.db).await.unwrap()
    };
    let before = tickets().await;
    let long = "x".repeat(900 * 1024);
    let fields =
        [("subject", "Long"), ("description", long.as_str()), ("impact", "individual"), ("urgency", "inconvenience")];
    let res = call(&dana, &app, "portal/ticket-new", &fields).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("20,000"));
    // Over the limit, sent whole: refused, nothing written.
    let huge = "x".repeat(2 * 1024 * 1024);
    let fields =
        [("subject", "Huge"), ("description", huge.as_str()), ("impact", "individual"), ("urgency", "inconvenience")];
    if let Ok(res) = dana.post(app.url("/api/portal/ticket-new")).form(&fields).send().await {
        assert_eq!(res.status(), 413);
    }
    assert_eq!(tickets().await, before, "a refused body wrote nothing");
}

#[tokio::test]
async fn hundreds_of_idle_connections_do_not_starve_the_others() {
    let app = spawn_app().await;
    app.add_tenant("acme").await;
    app.add_user("dana@acme.test", "client_admin", Some("acme")).await;
    let dana = app.signed_in("dana@acme.test").await;
    // Three hundred connections that say nothing, and a hundred that start a request and stall.
    let mut idle = Vec::new();
    for i in 0..400 {
        let mut c = tokio::net::TcpStream::connect(app.addr).await.unwrap();
        if i % 4 == 0 {
            use tokio::io::AsyncWriteExt;
            c.write_all(b"GET /portal HTTP/1.1\r\nHost: x\r\n").await.unwrap();
        }
        idle.push(c);
    }
    for _ in 0..3 {
        let started = std::time::Instant::now();
        assert_eq!(browser().get(app.url("/healthz")).send_or_fail().await.status(), 200);
        assert_eq!(dana.get(app.url("/portal")).send_or_fail().await.status(), 200);
        assert!(started.elapsed() < std::time::Duration::from_secs(2), "took {:?}", started.elapsed());
    }
    drop(idle);
}
