//! Login, sessions, roles' homes, cross-site refusal.

use crate::common::*;
use std::time::{Duration, Instant};

#[tokio::test]
async fn login_lands_each_role_on_its_home_with_a_safe_cookie() {
    let app = spawn_app().await;
    app.add_tenant("acme").await;
    app.add_user("client@acme.test", "client_user", Some("acme")).await;
    app.add_user("tech@msp.test", "tech", None).await;

    let c = browser();
    let res = app.post_login(&c, "Client@ACME.test", PASSWORD).await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), "/portal");
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.starts_with("limelight_session="), "{cookie}");
    for flag in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(flag), "{flag} missing from {cookie}");
    }
    let token = cookie.split(';').next().unwrap().split('=').nth(1).unwrap();
    assert!(token.len() >= 32, "token of at least 128 bits");
    let res = c.get(app.url("/")).send_or_fail().await;
    assert_eq!(location(&res), "/portal");
    let res = c.get(app.url("/portal")).send_or_fail().await;
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("Tenant acme"));
    let res = c.get(app.url("/login")).send_or_fail().await;
    assert_eq!((res.status().as_u16(), location(&res)), (303, "/portal".to_string()), "signed in: /login goes home");

    let staff = browser();
    let res = app.log_in(&staff, "tech@msp.test", PASSWORD).await;
    assert_eq!(location(&res), "/msp");
    let res = staff.get(app.url("/msp")).send_or_fail().await;
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("Tenant acme"));

    // Nobody: the sign-in page.
    let anon = browser();
    for path in ["/", "/portal", "/msp"] {
        let res = anon.get(app.url(path)).send_or_fail().await;
        assert_eq!(res.status(), 303, "{path}");
        assert_eq!(location(&res), "/login", "{path}");
    }
    // A deeper page is where the sign-in returns to.
    let res = anon.get(app.url("/portal/work/1")).send_or_fail().await;
    assert_eq!(location(&res), "/login?next=%2Fportal%2Fwork%2F1");
    let res = anon.get(app.url("/login")).send_or_fail().await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(
        html.contains(r#"name="email""#) && html.contains(r#"name="password""#) && html.contains(r#"method="post""#)
    );
}

#[tokio::test]
async fn secure_cookie_setting_uses_host_prefix() {
    let secure = server::http::cookies::CookieSettings { secure: true };
    let c = secure.session("abc", None);
    assert!(c.starts_with("__Host-limelight_session=abc;") && c.contains("; Secure") && c.contains("Path=/"), "{c}");
}

#[tokio::test]
async fn wrong_password_and_unknown_email_look_the_same() {
    let app = spawn_app().await;
    app.add_user("tech@msp.test", "tech", None).await;
    let c = browser();
    let wrong = app.post_login(&c, "tech@msp.test", "not the password").await;
    let (s1, l1, h1) = (wrong.status(), location(&wrong), wrong.headers().contains_key("set-cookie"));
    let b1 = wrong.text().await.unwrap();
    let unknown = app.post_login(&c, "nobody@msp.test", "not the password").await;
    let (s2, l2, h2) = (unknown.status(), location(&unknown), unknown.headers().contains_key("set-cookie"));
    let b2 = unknown.text().await.unwrap();
    assert_eq!((s1.as_u16(), &l1, h1, &b1), (s2.as_u16(), &l2, h2, &b2));
    assert_eq!(s1, 303);
    assert_eq!(l1, "/login?failed");
    assert!(!h1);
    // The page it lands on says so without saying which half was wrong.
    let page = c.get(app.url(&l1)).send_or_fail().await.text().await.unwrap();
    assert!(page.contains("don&#39;t match an account") || page.contains("don't match an account"), "{page}");
    // A password is never truncated or case-folded.
    let res = app.post_login(&c, "tech@msp.test", &PASSWORD.to_uppercase()).await;
    assert_eq!(location(&res), "/login?failed");
    let res = app.post_login(&c, "tech@msp.test", &format!("{PASSWORD}x")).await;
    assert_eq!(location(&res), "/login?failed");
}

#[tokio::test]
async fn hashing_passwords_does_not_stall_other_requests() {
    // The app runs on this test's single-threaded runtime: were argon2 run on it, nothing else
    // could be served until every queued hash was done.
    let app = spawn_app_on_one_worker().await;
    app.add_user("tech@msp.test", "tech", None).await;
    let logins: Vec<_> = (0..8)
        .map(|_| {
            let url = app.url("/login");
            tokio::spawn(async move {
                browser()
                    .post(url)
                    .form(&[("email", "tech@msp.test"), ("password", "wrong password")])
                    .send()
                    .await
                    .unwrap()
            })
        })
        .collect();
    // Let the logins reach the server and start hashing.
    tokio::time::sleep(Duration::from_millis(30)).await;
    let t = Instant::now();
    let res = browser().get(app.url("/healthz")).send_or_fail().await;
    assert_eq!(res.status(), 200);
    let health = t.elapsed();
    let pending = logins.iter().filter(|l| !l.is_finished()).count();
    assert!(pending > 0, "the health check ({health:?}) was only answered after all eight logins were done");
    for l in logins {
        assert_eq!(l.await.unwrap().status(), 303);
    }
}

#[tokio::test]
async fn logout_ends_the_session() {
    let app = spawn_app().await;
    app.add_user("tech@msp.test", "tech", None).await;
    let c = app.signed_in("tech@msp.test").await;
    // Keep a copy of the token to replay after logout.
    let replay = browser();
    let res = app.log_in(&replay, "tech@msp.test", PASSWORD).await;
    let token = res.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
    let res = replay.post(app.url("/logout")).send_or_fail().await;
    assert_eq!(res.status(), 303);
    assert!(res.headers()["set-cookie"].to_str().unwrap().contains("Max-Age=0"));
    let res = browser().get(app.url("/msp")).header("cookie", &token).send_or_fail().await;
    assert_eq!(res.status(), 303, "a logged-out token must not open a page");
    // The other browser's session is untouched.
    assert_eq!(c.get(app.url("/msp")).send_or_fail().await.status(), 200);
}

#[tokio::test]
async fn logging_in_again_issues_a_new_token_and_ends_the_old_one() {
    let app = spawn_app().await;
    app.add_user("tech@msp.test", "tech", None).await;
    let c = browser();
    let first = app.log_in(&c, "tech@msp.test", PASSWORD).await;
    let old = first.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
    let second = app.log_in(&c, "tech@msp.test", PASSWORD).await;
    let new = second.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
    assert_ne!(old, new);
    assert_eq!(browser().get(app.url("/msp")).header("cookie", &old).send_or_fail().await.status(), 303);
    assert_eq!(browser().get(app.url("/msp")).header("cookie", &new).send_or_fail().await.status(), 200);
}

#[tokio::test]
async fn deactivation_ends_every_session() {
    let app = spawn_app().await;
    app.add_tenant("acme").await;
    app.add_user("client@acme.test", "client_admin", Some("acme")).await;
    let a = app.signed_in("client@acme.test").await;
    let b = app.signed_in("client@acme.test").await;
    app.operator().deactivate_user("client@acme.test").await.unwrap();
    for c in [a, b] {
        assert_eq!(c.get(app.url("/portal")).send_or_fail().await.status(), 303);
    }
    let res = app.post_login(&browser(), "client@acme.test", PASSWORD).await;
    assert_eq!(location(&res), "/login?failed", "a deactivated user cannot sign in");
}

#[tokio::test]
async fn changing_the_password_ends_other_sessions_and_keeps_this_one() {
    let app = spawn_app().await;
    app.add_tenant("acme").await;
    app.add_user("client@acme.test", "client_user", Some("acme")).await;
    let here = app.signed_in("client@acme.test").await;
    let elsewhere = app.signed_in("client@acme.test").await;

    // Wrong current password: refused, nothing changes.
    let res =
        call(&here, &app, "account/password", &[("current_password", "nope nope"), ("new_password", "a new password")])
            .await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("current password"));
    assert_eq!(elsewhere.get(app.url("/portal")).send_or_fail().await.status(), 200);
    // Too short: refused.
    let res = call(&here, &app, "account/password", &[("current_password", PASSWORD), ("new_password", "short")]).await;
    assert_eq!(res.status(), 422);

    let res =
        call(&here, &app, "account/password", &[("current_password", PASSWORD), ("new_password", "a new password")])
            .await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    assert_eq!(elsewhere.get(app.url("/portal")).send_or_fail().await.status(), 303, "other sessions end");
    assert_eq!(here.get(app.url("/portal")).send_or_fail().await.status(), 200, "this browser got a new session");
    assert_eq!(location(&app.post_login(&browser(), "client@acme.test", PASSWORD).await), "/login?failed");
    assert_eq!(location(&app.post_login(&browser(), "client@acme.test", "a new password").await), "/portal");
    // The owner is told, in case it was not them.
    let mail = app.outbox().await;
    assert_eq!(mail.len(), 1, "only the successful change is announced");
    assert!(mail[0].contains("To: client@acme.test") && mail[0].contains("password was changed"), "{}", mail[0]);

    // Without a session the server function refuses.
    let res = call(&browser(), &app, "account/password", &[("current_password", "x"), ("new_password", "y")]).await;
    assert_eq!(res.status(), 401);
}

#[tokio::test]
async fn cross_site_posts_are_refused() {
    let app = spawn_app().await;
    app.add_user("tech@msp.test", "tech", None).await;
    let c = app.signed_in("tech@msp.test").await;
    let cases: [(&str, &str); 4] = [
        ("sec-fetch-site", "cross-site"),
        ("sec-fetch-site", "same-site"),
        ("origin", "http://evil.example"),
        ("origin", "null"),
    ];
    for (header, value) in cases {
        for path in ["/login", "/logout", "/api/account/password", "/api/msp/clients"] {
            let res = c.post(app.url(path)).header(header, value).form(&[("email", "x")]).send_or_fail().await;
            assert_eq!(res.status(), 403, "{path} with {header}: {value}");
        }
    }
    // Still signed in: the refused logout did nothing.
    assert_eq!(c.get(app.url("/msp")).send_or_fail().await.status(), 200);
    // Same-origin requests pass.
    let res = c.post(app.url("/api/msp/clients")).header("sec-fetch-site", "same-origin").send_or_fail().await;
    assert_eq!(res.status(), 200);
    let res = c.post(app.url("/api/msp/clients")).header("origin", format!("http://{}", app.addr)).send_or_fail().await;
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn health_and_readiness() {
    let app = spawn_app().await;
    assert_eq!(browser().get(app.url("/healthz")).send_or_fail().await.status(), 200);
    assert_eq!(browser().get(app.url("/readyz")).send_or_fail().await.status(), 200);
    app.server_db.clone().close().await.unwrap();
    assert_eq!(browser().get(app.url("/healthz")).send_or_fail().await.status(), 200);
    assert_eq!(browser().get(app.url("/readyz")).send_or_fail().await.status(), 503);
}

#[tokio::test]
async fn pages_carry_security_headers() {
    let app = spawn_app().await;
    let res = browser().get(app.url("/login")).send_or_fail().await;
    let csp = res.headers()["content-security-policy"].to_str().unwrap().to_string();
    assert!(csp.contains("script-src 'self' 'nonce-"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"));
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    let html = res.text().await.unwrap();
    let nonce = csp.split("'nonce-").nth(1).unwrap().split('\'').next().unwrap();
    assert!(html.contains(&format!("nonce=\"{nonce}\"")), "inline scripts carry the response's nonce");
}

#[tokio::test]
async fn idle_and_absolute_expiry_end_sessions() {
    use domain::entities::session;
    use sea_orm::{EntityTrait, PaginatorTrait, sea_query::Expr};
    let app = spawn_app().await;
    app.add_user("tech@msp.test", "tech", None).await;
    let idle = app.signed_in("tech@msp.test").await;
    assert_eq!(idle.get(app.url("/msp")).send_or_fail().await.status(), 200);
    // Unused for longer than the idle limit (8 h).
    session::Entity::update_many()
        .col_expr(session::Column::LastSeenAt, Expr::value(domain::time::now() - chrono::Duration::hours(9)))
        .exec(&app.db)
        .await
        .unwrap();
    assert_eq!(idle.get(app.url("/msp")).send_or_fail().await.status(), 303);
    assert_eq!(session::Entity::find().count(&app.db).await.unwrap(), 0, "an expired session is deleted");

    // Used a minute ago, but past its absolute lifetime.
    let old = app.signed_in("tech@msp.test").await;
    session::Entity::update_many()
        .col_expr(session::Column::ExpiresAt, Expr::value(domain::time::now() - chrono::Duration::minutes(1)))
        .exec(&app.db)
        .await
        .unwrap();
    assert_eq!(old.get(app.url("/msp")).send_or_fail().await.status(), 303);
}

#[tokio::test]
async fn repeated_failures_throttle_the_email_whether_it_exists_or_not() {
    let app = spawn_app().await;
    app.add_user("tech@msp.test", "tech", None).await;
    let c = browser();
    for email in ["tech@msp.test", "nobody@msp.test"] {
        for _ in 0..domain::auth::throttle::PAIR_FREE {
            assert_eq!(location(&app.post_login(&c, email, "wrong password").await), "/login?failed");
        }
        // Now even the right password is not checked.
        assert_eq!(location(&app.post_login(&c, email, PASSWORD).await), "/login?throttled", "{email}");
    }
    let page = c.get(app.url("/login?throttled")).send_or_fail().await.text().await.unwrap();
    assert!(page.contains("Too many sign-in attempts"));
    // Another account is not affected.
    app.add_user("other@msp.test", "tech", None).await;
    assert_eq!(location(&app.log_in(&c, "other@msp.test", PASSWORD).await), "/msp");
}
