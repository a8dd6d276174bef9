//! Two-step sign-in: set up at the first sign-in for staff (who can do nothing else before), a
//! code accepted once, recovery codes once, a short-lived challenge bound to its browser, a
//! client-wide requirement and an administrator's reset, sealed secrets, and an email on every
//! change.

use crate::common::*;
use domain::entities::{audit_event, recovery_code, sign_in_challenge, user};
use domain::vocabulary::AuditAction;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

async fn audited(app: &TestApp, action: AuditAction) -> Vec<audit_event::Model> {
    audit_event::Entity::find().filter(audit_event::Column::Action.eq(action)).all(&app.db).await.unwrap()
}

async fn user_row(app: &TestApp, email: &str) -> user::Model {
    user::Entity::find().filter(user::Column::Email.eq(email)).one(&app.db).await.unwrap().unwrap()
}

fn set_cookie_names(res: &reqwest::Response) -> Vec<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().split(['=', ';']).next().unwrap().to_string())
        .collect()
}

/// Clears the sign-in throttle's counts, for tests of what lies behind it.
async fn forget_throttle(app: &TestApp) {
    domain::entities::throttle::Entity::delete_many().exec(&app.db).await.unwrap();
}

/// A browser that has typed the password and waits at its second step (`/login/code`).
async fn at_code_step(app: &TestApp, email: &str) -> reqwest::Client {
    let c = browser();
    let res = app.post_login(&c, email, PASSWORD).await;
    assert_eq!(location(&res), "/login/code");
    c
}

async fn send_code(app: &TestApp, c: &reqwest::Client, code: &str) -> String {
    location(&c.post(app.url("/login/code")).form(&[("code", code)]).send_or_fail().await)
}

#[tokio::test]
async fn staff_set_up_an_authenticator_at_first_sign_in_and_can_do_nothing_else_before() {
    let app = spawn_app().await;
    app.add_user("tech@msp.test", "tech", None).await;
    let c = browser();
    let res = app.post_login(&c, "tech@msp.test", PASSWORD).await;
    assert_eq!(location(&res), "/login/setup");
    // The password alone makes no session: only the two-step cookie, strict and short-lived.
    assert_eq!(set_cookie_names(&res), ["limelight_sign_in"]);
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
    let max_age: i64 = cookie.split("Max-Age=").nth(1).unwrap().split(';').next().unwrap().parse().unwrap();
    assert!((590..=600).contains(&max_age), "ten minutes: {cookie}");
    assert_eq!(location(&c.get(app.url("/msp")).send_or_fail().await), "/login");
    let viewer = call(&c, &app, "account/viewer", &[]).await.text().await.unwrap();
    assert_eq!(viewer, "null", "no session for a server function either");
    assert_eq!(call(&c, &app, "msp/tickets", &[]).await.status(), 401);

    // The setup page: a QR code rendered on the server, and the key as text.
    let page = c.get(app.url("/login/setup")).send_or_fail().await.text().await.unwrap();
    assert!(page.contains("<svg") && page.contains("QR code"), "a QR code on the page");
    let key = setup_key_in(&page);
    assert!(key.replace(' ', "").len() >= 32, "a 160-bit key: {key}");
    // Another browser cannot see it.
    assert_eq!(browser().get(app.url("/login/setup")).send_or_fail().await.status(), 404);

    // A wrong first code is refused and counted, and sets nothing up.
    let res = c.post(app.url("/login/setup")).form(&[("code", wrong_code(&key).as_str())]).send_or_fail().await;
    assert_eq!(location(&res), "/login/setup?wrong=4");
    assert!(user_row(&app, "tech@msp.test").await.totp_enrolled_at.is_none());
    assert_eq!(location(&c.get(app.url("/msp")).send_or_fail().await), "/login");
}

/// Six digits that are not the code of any step the server accepts now.
fn wrong_code(key: &str) -> String {
    let now = chrono::Utc::now().timestamp();
    let right: Vec<String> = (-2..=2)
        .map(|d| {
            domain::auth::two_step::code_at(key, chrono::DateTime::from_timestamp(now + d * 30, 0).unwrap()).unwrap()
        })
        .collect();
    (0..10).map(|d| format!("{d}{d}{d}{d}{d}{d}")).find(|c| !right.contains(c)).unwrap()
}

#[tokio::test]
async fn setting_up_seals_the_secret_hashes_the_codes_and_tells_the_owner() {
    let app = spawn_app().await;
    app.add_user("tech@msp.test", "tech", None).await;
    let c = app.signed_in("tech@msp.test").await;
    assert_eq!(c.get(app.url("/msp")).send_or_fail().await.status(), 200);
    let auth = app.authenticator("tech@msp.test").unwrap();
    let u = user_row(&app, "tech@msp.test").await;
    assert!(u.totp_enrolled_at.is_some());
    let sealed = u.totp_secret.unwrap();
    let plain = auth.secret.replace(' ', "");
    assert!(!sealed.contains(&plain) && !sealed.to_lowercase().contains(&plain.to_lowercase()), "sealed at rest");
    let codes =
        recovery_code::Entity::find().filter(recovery_code::Column::UserId.eq(u.id)).all(&app.db).await.unwrap();
    assert_eq!(codes.len(), 10);
    for code in &auth.recovery_codes {
        assert!(codes.iter().all(|row| !row.code_hash.contains(&code.replace('-', ""))), "hashed at rest");
    }
    // The challenge is gone once the session exists.
    assert_eq!(sign_in_challenge::Entity::find().count(&app.db).await.unwrap(), 0);
    // The key file was made owner-only in the data directory.
    assert_eq!(audited(&app, AuditAction::TwoStepEnrolled).await.len(), 1);
    let mail = app.outbox().await;
    assert!(
        mail.iter()
            .any(|m| m.contains("To: tech@msp.test") && m.contains("Two-step sign-in") && m.contains("turned on"))
    );
    // The recovery codes page showed them once: the setup is over, so it is gone.
    assert_eq!(c.get(app.url("/login/recovery-codes")).send_or_fail().await.status(), 404);
}

#[tokio::test]
async fn a_code_works_once_and_only_in_the_browser_that_typed_the_password() {
    let app = spawn_app().await;
    app.add_user("tech@msp.test", "tech", None).await;
    app.signed_in("tech@msp.test").await;
    let code = app.next_code("tech@msp.test");
    // Without the two-step cookie, a right code does nothing.
    let stranger = browser();
    app.post_login(&browser(), "tech@msp.test", PASSWORD).await;
    assert_eq!(send_code(&app, &stranger, &code).await, "/login?expired");
    // The browser that typed the password: in.
    let first = at_code_step(&app, "tech@msp.test").await;
    assert_eq!(send_code(&app, &first, &code).await, "/msp");
    assert_eq!(first.get(app.url("/msp")).send_or_fail().await.status(), 200);
    // The same code again, from another sign-in: refused (replay).
    let second = at_code_step(&app, "tech@msp.test").await;
    assert_eq!(send_code(&app, &second, &code).await, "/login/code?wrong=4");
    assert_eq!(location(&second.get(app.url("/msp")).send_or_fail().await), "/login");
    assert_eq!(audited(&app, AuditAction::TwoStepFailed).await.len(), 1);
}

#[tokio::test]
async fn two_sign_ins_racing_with_one_code_let_exactly_one_in() {
    let app = spawn_app().await;
    app.add_user("tech@msp.test", "tech", None).await;
    app.signed_in("tech@msp.test").await;
    let code = app.next_code("tech@msp.test");
    let mut browsers = Vec::new();
    for _ in 0..4 {
        browsers.push(at_code_step(&app, "tech@msp.test").await);
    }
    // Each sign-in replaces the one before it: only the newest challenge lives.
    let newest = browsers.pop().unwrap();
    assert_eq!(send_code(&app, &browsers[0], &code).await, "/login?expired");
    forget_throttle(&app).await;
    let again = at_code_step(&app, "tech@msp.test").await;
    // Two requests of the same browser and code at once: one session, the other refused.
    let (a, b) = tokio::join!(send_code(&app, &again, &code), send_code(&app, &again, &code));
    let mut answers = [a, b];
    answers.sort();
    assert_eq!(answers[1], "/msp", "one of them signs in: {answers:?}");
    assert_ne!(answers[0], "/msp", "only one: {answers:?}");
    drop(newest);
}

#[tokio::test]
async fn a_recovery_code_signs_in_once_and_its_owner_hears_of_it() {
    let app = spawn_app().await;
    app.add_user("tech@msp.test", "tech", None).await;
    app.signed_in("tech@msp.test").await;
    let code = app.authenticator("tech@msp.test").unwrap().recovery_codes[0].clone();
    let c = at_code_step(&app, "tech@msp.test").await;
    // Typed loosely: small letters, no dash.
    assert_eq!(send_code(&app, &c, &code.to_lowercase().replace('-', " ")).await, "/msp");
    assert_eq!(audited(&app, AuditAction::RecoveryCodeUsed).await.len(), 1);
    let mail = app.outbox().await;
    assert!(mail.iter().any(|m| m.contains("recovery code") && m.contains("(9 left)")), "{mail:?}");
    let again = at_code_step(&app, "tech@msp.test").await;
    assert_eq!(send_code(&app, &again, &code).await, "/login/code?wrong=4", "a recovery code works once");
}

#[tokio::test]
async fn five_wrong_codes_end_the_sign_in_and_an_old_challenge_expires() {
    let app = spawn_app().await;
    app.add_user("tech@msp.test", "tech", None).await;
    app.signed_in("tech@msp.test").await;
    let c = at_code_step(&app, "tech@msp.test").await;
    // (The sign-in throttle would stop these sooner: set it aside to see the challenge's own limit.)
    for left in (1..=4).rev() {
        forget_throttle(&app).await;
        assert_eq!(send_code(&app, &c, "ABCDE-FGHJK").await, format!("/login/code?wrong={left}"));
    }
    forget_throttle(&app).await;
    let res = c.post(app.url("/login/code")).form(&[("code", "ABCDE-FGHJK")]).send_or_fail().await;
    assert_eq!(location(&res), "/login?expired");
    assert_eq!(
        send_code(&app, &c, &app.next_code("tech@msp.test")).await,
        "/login?expired",
        "over, even with a right code"
    );

    // Ten minutes is all a challenge lives.
    forget_throttle(&app).await;
    let late = at_code_step(&app, "tech@msp.test").await;
    use sea_orm::ConnectionTrait;
    let past = domain::time::now() - chrono::Duration::minutes(11);
    let sql = if use_postgres() {
        format!("UPDATE sign_in_challenge SET expires_at = '{}'", past.to_rfc3339())
    } else {
        format!("UPDATE sign_in_challenge SET expires_at = '{}'", past.format("%Y-%m-%d %H:%M:%S+00:00"))
    };
    app.db.execute_unprepared(&sql).await.unwrap();
    assert_eq!(send_code(&app, &late, &app.next_code("tech@msp.test")).await, "/login?expired");
}

#[tokio::test]
async fn a_staff_session_without_a_second_step_is_no_session() {
    let app = spawn_app().await;
    let id = app.add_user("tech@msp.test", "tech", None).await;
    // A session made before two steps were required (or any other way).
    let s = domain::auth::session::create(&app.db, id, Default::default(), None, None).await.unwrap();
    let res =
        browser().get(app.url("/msp")).header("cookie", format!("limelight_session={}", s.token)).send_or_fail().await;
    assert_eq!(location(&res), "/login");
}

#[tokio::test]
async fn an_emailed_link_stands_for_the_password_only() {
    let app = spawn_app().await;
    app.add_user("tech@msp.test", "tech", None).await;
    app.signed_in("tech@msp.test").await;
    let visitor = browser();
    call(&visitor, &app, "account/forgot", &[("email", "tech@msp.test")]).await;
    let eml = app.outbox().await.into_iter().find(|m| m.contains("/reset/")).unwrap().replace("=\r\n", "");
    let start = eml.find("/reset/").unwrap() + 7;
    let token: String = eml[start..].chars().take_while(|c| c.is_ascii_hexdigit()).collect();
    let res = visitor
        .post(app.url("/api/reset/complete"))
        .header("accept", "text/html")
        .form(&[
            ("token", token.as_str()),
            ("password", "a brand new password"),
            ("confirm_password", "a brand new password"),
        ])
        .send_or_fail()
        .await;
    assert_eq!(location(&res), "/login/code", "the reset leads to the second step, not into the workspace");
    assert_eq!(set_cookie_names(&res), ["limelight_sign_in"]);
    assert_eq!(location(&visitor.get(app.url("/msp")).send_or_fail().await), "/login");
    assert_eq!(send_code(&app, &visitor, &app.next_code("tech@msp.test")).await, "/msp");
}

#[tokio::test]
async fn a_client_user_may_turn_it_on_and_off_with_a_current_code() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let dana = app.signed_in("dana@acme-dental.test").await;
    let status = call(&dana, &app, "account/two-step", &[]).await.text().await.unwrap();
    assert!(status.contains("\"on_since\":null") && status.contains("\"required\":false"), "{status}");
    let res = dana.post(app.url("/account/two-step")).send_or_fail().await;
    assert_eq!(location(&res), "/login/setup");
    let done = app.set_up_authenticator(&dana, "dana@acme-dental.test").await;
    assert_eq!(location(&done), "/portal");
    assert_eq!(dana.get(app.url("/portal")).send_or_fail().await.status(), 200, "a new session for this browser");
    // The next sign-in asks for a code.
    let c = at_code_step(&app, "dana@acme-dental.test").await;
    assert_eq!(send_code(&app, &c, &app.next_code("dana@acme-dental.test")).await, "/portal");
    // Turning it off takes the current code: a wrong one changes nothing.
    let key = app.authenticator("dana@acme-dental.test").unwrap().secret;
    let res = call(&c, &app, "account/two-step-off", &[("code", wrong_code(&key).as_str())]).await;
    assert_eq!(res.status(), 422);
    assert!(user_row(&app, "dana@acme-dental.test").await.totp_enrolled_at.is_some());
    let code = app.next_code("dana@acme-dental.test");
    let res = call(&c, &app, "account/two-step-off", &[("code", code.as_str())]).await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    let u = user_row(&app, "dana@acme-dental.test").await;
    assert!(u.totp_enrolled_at.is_none() && u.totp_secret.is_none());
    assert_eq!(audited(&app, AuditAction::TwoStepTurnedOff).await.len(), 1);
    assert!(app.outbox().await.iter().any(|m| m.contains("To: dana@acme-dental.test") && m.contains("turned off")));
    assert_eq!(location(&app.post_login(&browser(), "dana@acme-dental.test", PASSWORD).await), "/portal");
}

#[tokio::test]
async fn staff_cannot_turn_it_off() {
    let app = spawn_app().await;
    app.add_user("tech@msp.test", "tech", None).await;
    let c = app.signed_in("tech@msp.test").await;
    let code = app.next_code("tech@msp.test");
    let res = call(&c, &app, "account/two-step-off", &[("code", code.as_str())]).await;
    assert_eq!(res.status(), 403);
    assert!(user_row(&app, "tech@msp.test").await.totp_enrolled_at.is_some());
}

#[tokio::test]
async fn a_client_that_requires_it_sends_its_users_to_set_it_up() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let dana = app.signed_in("dana@acme-dental.test").await;
    let priya = app.signed_in("priya@northwind-legal.test").await;
    // Only an MSP admin may require it: a tech and a client get 404, and nothing changes.
    let sam = app.signed_in("sam@limelight.test").await;
    for who in [&sam, &dana] {
        let res = call(who, &app, "msp/admin/client-two-step", &[("slug", "acme-dental"), ("required", "true")]).await;
        assert_eq!(res.status(), 404);
    }
    assert_eq!(dana.get(app.url("/portal")).send_or_fail().await.status(), 200);
    let morgan = app.signed_in("morgan@limelight.test").await;
    let res = call(&morgan, &app, "msp/admin/client-two-step", &[("slug", "acme-dental"), ("required", "true")]).await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    assert_eq!(audited(&app, AuditAction::TwoStepRequirementChanged).await.len(), 1);
    // Acme's users without it are signed out, and set it up at their next sign-in; Northwind's are not.
    assert_eq!(location(&dana.get(app.url("/portal")).send_or_fail().await), "/login");
    assert_eq!(priya.get(app.url("/portal")).send_or_fail().await.status(), 200);
    assert_eq!(location(&app.post_login(&browser(), "dana@acme-dental.test", PASSWORD).await), "/login/setup");
    assert_eq!(location(&app.post_login(&browser(), "priya@northwind-legal.test", PASSWORD).await), "/portal");
    let dana = app.signed_in("dana@acme-dental.test").await;
    let status = call(&dana, &app, "account/two-step", &[]).await.text().await.unwrap();
    assert!(status.contains("\"required\":true"), "{status}");
    let code = app.next_code("dana@acme-dental.test");
    assert_eq!(call(&dana, &app, "account/two-step-off", &[("code", code.as_str())]).await.status(), 403);
}

#[tokio::test]
async fn an_admin_resets_a_lost_authenticator_and_nobody_else_can() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let sam = app.signed_in("sam@limelight.test").await;
    let sam_id = app.user_id("sam@limelight.test").await.to_string();
    let riley = app.signed_in("riley@limelight.test").await;
    let dana = app.signed_in("dana@acme-dental.test").await;
    for who in [&riley, &dana] {
        let res = call(who, &app, "msp/admin/user-two-step-reset", &[("id", sam_id.as_str())]).await;
        assert_eq!(res.status(), 404);
    }
    assert!(user_row(&app, "sam@limelight.test").await.totp_enrolled_at.is_some());
    let morgan = app.signed_in("morgan@limelight.test").await;
    let res = call(&morgan, &app, "msp/admin/user-two-step-reset", &[("id", sam_id.as_str())]).await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    let u = user_row(&app, "sam@limelight.test").await;
    assert!(u.totp_enrolled_at.is_none() && u.totp_secret.is_none());
    assert_eq!(
        recovery_code::Entity::find().filter(recovery_code::Column::UserId.eq(u.id)).count(&app.db).await.unwrap(),
        0
    );
    assert_eq!(location(&sam.get(app.url("/msp")).send_or_fail().await), "/login", "sam's sessions ended");
    let reset = audited(&app, AuditAction::TwoStepReset).await;
    assert_eq!(reset.len(), 1);
    assert_eq!(reset[0].actor_id, Some(app.user_id("morgan@limelight.test").await));
    assert!(app.outbox().await.iter().any(|m| m.contains("To: sam@limelight.test") && m.contains("reset by Morgan")));
    assert_eq!(location(&app.post_login(&browser(), "sam@limelight.test", PASSWORD).await), "/login/setup");
}

#[tokio::test]
async fn codes_are_throttled_like_passwords() {
    let app = spawn_app().await;
    app.add_user("tech@msp.test", "tech", None).await;
    app.signed_in("tech@msp.test").await;
    // Each sign-in takes a password and a wrong code: the account at this address runs out of
    // free attempts, and then even the right code waits.
    let mut throttled = false;
    for _ in 0..6 {
        let c = browser();
        let to = location(&app.post_login(&c, "tech@msp.test", PASSWORD).await);
        if to == "/login?throttled" {
            throttled = true;
            break;
        }
        let answer = send_code(&app, &c, "ABCDE-FGHJK").await;
        if answer == "/login/code?throttled" {
            throttled = true;
            break;
        }
    }
    assert!(throttled, "wrong codes count toward the sign-in throttle");
}
