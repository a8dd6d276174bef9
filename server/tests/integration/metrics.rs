//! `/metrics`: Prometheus' text, for the MSP's monitoring with its token, and for nobody else.

use crate::common::*;

fn scrape(app: &TestApp, token: Option<&str>) -> reqwest::RequestBuilder {
    let req = browser().get(app.url("/metrics"));
    match token {
        Some(t) => req.bearer_auth(t),
        None => req,
    }
}

#[tokio::test]
async fn metrics_are_served_only_to_the_bearer_of_the_token() {
    let app = spawn_app().await;
    app.add_tenant("acme").await;
    app.add_user("dana@acme.test", "client_admin", Some("acme")).await;
    let dana = app.signed_in("dana@acme.test").await;

    let not_found = browser().get(app.url("/no-such-page")).send_or_fail().await.text().await.unwrap();
    for token in [None, Some("wrong-token-of-some-length"), Some(&METRICS_TOKEN[..METRICS_TOKEN.len() - 1])] {
        let res = scrape(&app, token).send_or_fail().await;
        assert_eq!(res.status(), 404, "{token:?}");
        assert!(!res.text().await.unwrap().contains("limelight_"), "{token:?}");
    }
    // A signed-in client is nobody special here: their cookie is not the token.
    let res = dana.get(app.url("/metrics")).send_or_fail().await;
    assert_eq!(res.status(), 404);
    assert!(!not_found.contains("limelight_http"));

    // Some traffic to count: a page, a server function, a failed sign-in, the API.
    assert_eq!(dana.get(app.url("/portal")).send_or_fail().await.status(), 200);
    assert_eq!(call(&dana, &app, "portal/home", &[]).await.status(), 200);
    app.post_login(&browser(), "dana@acme.test", "not her password").await;

    let res = scrape(&app, Some(METRICS_TOKEN)).send_or_fail().await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/plain; version=0.0.4"));
    let text = res.text().await.unwrap();
    for series in [
        // Requests by route pattern (not by path), method and status, with their latency.
        r#"limelight_http_requests_total{route="/portal",method="GET",status="200"}"#,
        r#"limelight_http_requests_total{route="/api/portal/home",method="POST",status="200"}"#,
        r#"limelight_http_request_duration_seconds_bucket{route="/portal",method="GET",status="200",le="0.5"}"#,
        r#"limelight_sign_ins_total{outcome="refused"}"#,
        r#"limelight_db_connections{state="idle"}"#,
        r#"limelight_password_checks{state="waiting"}"#,
        "limelight_mail_queue_depth ",
        "limelight_mail_queue_oldest_seconds ",
        "limelight_database_up 1",
    ] {
        assert!(text.contains(series), "{series} missing from:\n{text}");
    }
}

#[tokio::test]
async fn without_a_token_configured_there_are_no_metrics_at_all() {
    let app = spawn_app_with(|c| c.metrics_token = None).await;
    for token in [None, Some(METRICS_TOKEN), Some("")] {
        assert_eq!(scrape(&app, token).send_or_fail().await.status(), 404, "{token:?}");
    }
}
