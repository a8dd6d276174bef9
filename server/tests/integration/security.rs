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
