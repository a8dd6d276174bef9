//! "Forgot your password?": one answer whatever the email, a single-use link that expires, and a
//! reset that ends the user's other sessions.

use crate::common::*;
use domain::entities::password_reset;
use sea_orm::{ActiveModelTrait, EntityTrait, PaginatorTrait, Set};

fn reset_link(eml: &str) -> String {
    // Quoted-printable may wrap the link: undo soft line breaks first.
    let eml = eml.replace("=\r\n", "").replace("=\n", "");
    let start = eml.find("/reset/").expect("a reset link");
    let token: String = eml[start + 7..].chars().take_while(|c| c.is_ascii_hexdigit()).collect();
    token
}

#[tokio::test]
async fn the_answer_is_the_same_for_known_and_unknown_emails() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let visitor = browser();
    let known = call(&visitor, &app, "account/forgot", &[("email", "lee@acme-dental.test")]).await;
    let unknown = call(&visitor, &app, "account/forgot", &[("email", "nobody@acme-dental.test")]).await;
    let malformed = call(&visitor, &app, "account/forgot", &[("email", "not an email")]).await;
    let answer = |r: reqwest::Response| async move {
        (r.status(), r.headers().get("location").cloned(), r.text().await.unwrap())
    };
    let known = answer(known).await;
    assert_eq!(known, answer(unknown).await);
    assert_eq!(known, answer(malformed).await);
    let mail = app.outbox().await;
    assert_eq!(mail.len(), 1, "only the real account gets an email");
    assert!(mail[0].contains("To: lee@acme-dental.test"));
    // A browser's plain form post comes back to the sign-in page with a notice.
    let res = visitor
        .post(app.url("/api/account/forgot"))
        .header("accept", "text/html")
        .form(&[("email", "lee@acme-dental.test")])
        .send_or_fail()
        .await;
    assert!(res.status().is_redirection());
    assert_eq!(res.headers()["location"], "/login?reset=sent");
    let html = visitor.get(app.url("/login?reset=sent")).send_or_fail().await.text().await.unwrap();
    assert!(html.contains("If that email belongs to an account"));
}

#[tokio::test]
async fn a_reset_link_works_once_and_ends_every_other_session() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let elsewhere = app.signed_in("lee@acme-dental.test").await;
    let visitor = browser();
    call(&visitor, &app, "account/forgot", &[("email", "LEE@acme-dental.test")]).await;
    // Queued, not yet sent: the link is sealed with the installation's key, not readable in the
    // database.
    let queued = domain::entities::mail_queue::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(queued.len(), 1);
    for body in [&queued[0].text_body, &queued[0].html_body] {
        assert!(body.starts_with("sealed:") && !body.contains("/reset/"), "{body}");
    }
    let token = reset_link(&app.outbox().await[0]);
    // Delivered: the stored copy keeps no working link (a backup of the database opens nothing).
    let stored = domain::entities::mail_queue::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert!(!stored[0].text_body.contains(&token) && !stored[0].html_body.contains(&token));
    assert!(stored[0].text_body.contains("/reset/…"));
    let page = visitor.get(app.url(&format!("/reset/{token}"))).send_or_fail().await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("lee@acme-dental.test"));
    // Bad input writes nothing.
    let res = call(
        &visitor,
        &app,
        "reset/complete",
        &[("token", &token), ("password", "short"), ("confirm_password", "short")],
    )
    .await;
    assert_eq!(res.status(), 422);
    let res = call(
        &visitor,
        &app,
        "reset/complete",
        &[("token", &token), ("password", "a new password"), ("confirm_password", "another one")],
    )
    .await;
    assert_eq!(res.status(), 422);
    // The reset: this browser is signed in, the other session is over, the old password too.
    let res = call(
        &visitor,
        &app,
        "reset/complete",
        &[("token", &token), ("password", "a brand new password"), ("confirm_password", "a brand new password")],
    )
    .await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    assert_eq!(visitor.get(app.url("/portal")).send_or_fail().await.status(), 200);
    let old = elsewhere.get(app.url("/portal")).send_or_fail().await;
    assert_eq!(old.status(), 303, "the other session ended");
    let res = app.post_login(&browser(), "lee@acme-dental.test", PASSWORD).await;
    assert_eq!(res.headers()["location"], "/login?failed");
    let res = app.post_login(&browser(), "lee@acme-dental.test", "a brand new password").await;
    assert_ne!(res.headers()["location"], "/login?failed");
    let mail = app.outbox().await;
    assert!(mail[1].contains("To: lee@acme-dental.test") && mail[1].contains("password was changed"));
    // Used: the link is dead.
    assert_eq!(visitor.get(app.url(&format!("/reset/{token}"))).send_or_fail().await.status(), 404);
    let again = call(
        &browser(),
        &app,
        "reset/complete",
        &[("token", &token), ("password", "yet another pass"), ("confirm_password", "yet another pass")],
    )
    .await;
    assert_eq!(again.status(), 404);
}

#[tokio::test]
async fn a_reset_link_expires_and_asking_too_often_sends_nothing_more() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let visitor = browser();
    for _ in 0..5 {
        call(&visitor, &app, "account/forgot", &[("email", "dana@acme-dental.test")]).await;
    }
    assert_eq!(app.outbox().await.len(), 3, "at most three links an hour");
    assert_eq!(password_reset::Entity::find().count(&app.db).await.unwrap(), 3);
    let token = reset_link(&app.outbox().await[0]);
    // An hour later.
    for r in password_reset::Entity::find().all(&app.db).await.unwrap() {
        let mut old: password_reset::ActiveModel = r.into();
        old.expires_at = Set(domain::time::now() - chrono::Duration::seconds(1));
        old.update(&app.db).await.unwrap();
    }
    assert_eq!(visitor.get(app.url(&format!("/reset/{token}"))).send_or_fail().await.status(), 404);
    let res = call(
        &visitor,
        &app,
        "reset/complete",
        &[("token", &token), ("password", "too late now!"), ("confirm_password", "too late now!")],
    )
    .await;
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn one_link_used_twice_at_once_works_once_and_a_reset_kills_the_other_links() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let visitor = browser();
    call(&visitor, &app, "account/forgot", &[("email", "lee@acme-dental.test")]).await;
    call(&visitor, &app, "account/forgot", &[("email", "lee@acme-dental.test")]).await;
    let mail = app.outbox().await;
    let (first, second) = (reset_link(&mail[0]), reset_link(&mail[1]));
    assert_ne!(first, second);

    // The second link, used from two browsers at the same moment: exactly one wins.
    let complete = |password: &'static str| {
        let (app, token) = (&app, second.clone());
        async move {
            let form = [("token", token.as_str()), ("password", password), ("confirm_password", password)];
            call(&browser(), app, "reset/complete", &form).await.status().as_u16()
        }
    };
    let (a, b) = tokio::join!(complete("the first new password"), complete("the second new password"));
    let mut answers = [a, b];
    answers.sort();
    assert_eq!(answers, [200, 404], "one wins, the other finds the link used");
    let signs_in = |password: &'static str| {
        let app = &app;
        async move {
            app.post_login(&browser(), "lee@acme-dental.test", password).await.headers()["location"] != "/login?failed"
        }
    };
    assert!(signs_in("the first new password").await ^ signs_in("the second new password").await);

    // The first link died with the reset.
    let res = call(
        &browser(),
        &app,
        "reset/complete",
        &[("token", &first), ("password", "a third password"), ("confirm_password", "a third password")],
    )
    .await;
    assert_eq!(res.status(), 404);
}
