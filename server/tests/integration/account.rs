//! `/portal/account`: one's own sessions, and ending them.

use crate::common::*;

async fn sessions(app: &TestApp, c: &reqwest::Client) -> Vec<serde_json::Value> {
    let res = call(c, app, "account/sessions", &[]).await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

#[tokio::test]
async fn people_see_and_end_their_own_sessions_only() {
    let app = spawn_app().await;
    app.add_tenant("acme").await;
    app.add_user("a@acme.test", "client_admin", Some("acme")).await;
    app.add_user("b@acme.test", "client_user", Some("acme")).await;
    let laptop = app.signed_in("a@acme.test").await;
    let phone = app.signed_in("a@acme.test").await;
    let colleague = app.signed_in("b@acme.test").await;

    let list = sessions(&app, &laptop).await;
    assert_eq!(list.len(), 2, "{list:?}");
    assert_eq!(list.iter().filter(|s| s["current"] == true).count(), 1);
    let phone_id =
        sessions(&app, &phone).await.into_iter().find(|s| s["current"] == true).unwrap()["id"].as_i64().unwrap();
    let colleague_id =
        sessions(&app, &colleague).await.into_iter().find(|s| s["current"] == true).unwrap()["id"].as_i64().unwrap();

    // Someone else's session: 404, and it lives on.
    let res = call(&laptop, &app, "account/end-session", &[("id", &colleague_id.to_string())]).await;
    assert_eq!(res.status(), 404);
    assert_eq!(colleague.get(app.url("/portal")).send_or_fail().await.status(), 200);

    // One's own other device: signed out.
    let res = call(&laptop, &app, "account/end-session", &[("id", &phone_id.to_string())]).await;
    assert_eq!(res.status(), 200);
    assert_eq!(phone.get(app.url("/portal")).send_or_fail().await.status(), 303);
    assert_eq!(laptop.get(app.url("/portal")).send_or_fail().await.status(), 200);
    assert_eq!(sessions(&app, &laptop).await.len(), 1);

    let res = call(&browser(), &app, "account/end-session", &[("id", &phone_id.to_string())]).await;
    assert_eq!(res.status(), 401);
}

#[tokio::test]
async fn the_password_form_works_without_javascript() {
    let app = spawn_app().await;
    app.add_tenant("acme").await;
    app.add_user("a@acme.test", "client_user", Some("acme")).await;
    let c = app.signed_in("a@acme.test").await;
    let page = c.get(app.url("/portal/account")).send_or_fail().await.text().await.unwrap();
    assert!(page.contains(r#"action="/api/account/password""#), "the form posts to the server function");
    // As a browser posts it: text/html accepted, the account page as referrer.
    let post = |fields: Vec<(&'static str, &'static str)>| {
        c.post(app.url("/api/account/password"))
            .header("accept", "text/html")
            .header("referer", app.url("/portal/account"))
            .form(&fields)
            .send()
    };
    let res = post(vec![
        ("current_password", PASSWORD),
        ("new_password", "a brand new one"),
        ("confirm_password", "a different one"),
    ])
    .await
    .unwrap();
    assert_eq!(res.status(), 302);
    let back = res.headers()["location"].to_str().unwrap().to_string();
    assert!(back.contains("/portal/account") && back.contains("__err"), "{back}");
    let shown = c.get(&back).send_or_fail().await.text().await.unwrap();
    assert!(shown.contains("not the same"), "the error is shown on the page");

    let res = post(vec![
        ("current_password", PASSWORD),
        ("new_password", "a brand new one"),
        ("confirm_password", "a brand new one"),
    ])
    .await
    .unwrap();
    assert_eq!(res.status(), 302);
    assert_eq!(res.headers()["location"], "/portal/account?changed");
    let shown = c.get(app.url("/portal/account?changed")).send_or_fail().await.text().await.unwrap();
    assert!(shown.contains("Your password is changed"));
}
