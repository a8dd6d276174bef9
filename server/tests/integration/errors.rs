//! Failures on our side: an opaque answer for the person, and one log line for us that says
//! which request, route, user and tenant it was, what failed and where.

use crate::common::*;
use sea_orm::{ActiveModelTrait, ConnectionTrait};

#[tokio::test]
async fn a_database_failure_is_logged_once_with_its_request_and_cause() {
    let logs = captured_logs();
    let app = spawn_app().await;
    let acme = app.add_tenant("acme").await;
    let dana = app.add_user("dana@acme.test", "client_admin", Some("acme")).await;
    let tech = app.add_user("sam@msp.test", "tech", None).await;
    let entry = work_entry(acme, tech, "Patched").insert(&app.db).await.unwrap().id;
    let client = app.signed_in("dana@acme.test").await;

    // The work log's table goes missing under the running server.
    app.db.execute_unprepared("ALTER TABLE work_entry RENAME TO work_entry_gone").await.unwrap();
    let res = client.get(app.url(&format!("/portal/work/{entry}"))).send_or_fail().await;
    assert_eq!(res.status(), 500);
    let id = res.headers()["x-request-id"].to_str().unwrap().to_string();
    let body = res.text().await.unwrap();
    assert!(body.contains("Something went wrong on our side"), "no calm message");
    assert!(!body.contains("work_entry"), "the cause reached the browser");
    assert!(body.contains(&format!(">{id}<")), "the page names the reference to quote, {id}");

    let text = String::from_utf8_lossy(&logs.lock().unwrap()).to_string();
    let ours: Vec<&str> = text.lines().filter(|l| l.contains(&id)).collect();
    let errors: Vec<&&str> = ours.iter().filter(|l| l.contains("internal error")).collect();
    assert_eq!(
        errors.len(),
        1,
        "logged once, with its request {id}: {ours:#?}\n{}",
        text.lines().filter(|l| l.contains("internal error")).collect::<Vec<_>>().join("\n")
    );
    let line = errors[0];
    for part in ["route=/portal/work/{id}", "method=GET", &format!("user={dana}"), &format!("tenant={acme}")] {
        assert!(line.contains(part), "{part} missing from {line}");
    }
    assert!(line.contains("work_entry") && line.contains("domain/src/"), "no cause or place: {line}");

    // A server function called directly answers with the status of its error, from its type.
    let res = call(&client, &app, "portal/work", &[("id", &entry.to_string())]).await;
    assert_eq!(res.status(), 500);
    let res = call(&client, &app, "portal/work", &[("id", "not-a-number")]).await;
    assert_eq!(res.status(), 422, "undecodable arguments are the caller's input");
}

#[tokio::test]
async fn without_its_database_the_portal_answers_a_calm_503_in_seconds_and_each_caller_in_its_language() {
    let app = spawn_app().await;
    app.add_tenant("acme").await;
    app.add_user("dana@acme.test", "client_admin", Some("acme")).await;
    let client = app.signed_in("dana@acme.test").await;
    let token = crate::api::token(&app, "rmm", "acme", "read").await;
    assert_eq!(client.get(app.url("/portal")).send_or_fail().await.status(), 200);

    // The server's pool is gone: nothing it asks of the database can be answered.
    app.server_db.clone().close().await.unwrap();
    let started = std::time::Instant::now();

    // A person: a page saying so, with when to try again.
    let res = client.get(app.url("/portal")).header("accept", "text/html").send_or_fail().await;
    assert_eq!(res.status(), 503);
    assert_eq!(res.headers()["retry-after"], "30");
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let page = res.text().await.unwrap();
    assert!(page.contains("Back in a moment") && page.contains("nothing was lost"), "{page}");
    assert!(!page.contains("Pool") && !page.contains("closed"), "the cause reached the browser: {page}");

    // A program calling a server function: the error its caller decodes.
    let res = call(&client, &app, "portal/home", &[]).await;
    assert_eq!(res.status(), 503);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body, serde_json::json!("Unavailable"));

    // The API: a problem document with its code.
    let res = browser().get(app.url("/api/v1/clients/acme")).bearer_auth(&token).send_or_fail().await;
    assert_eq!(res.status(), 503);
    assert_eq!(res.headers()["content-type"], "application/problem+json");
    assert_eq!(res.headers()["retry-after"], "30");
    let problem: serde_json::Value = res.json().await.unwrap();
    assert_eq!(problem["code"], "unavailable");

    // Pages that need no database still answer, and the process says it is alive but not ready.
    assert_eq!(browser().get(app.url("/login")).send_or_fail().await.status(), 200);
    assert_eq!(browser().get(app.url("/healthz")).send_or_fail().await.status(), 200);
    assert_eq!(browser().get(app.url("/readyz")).send_or_fail().await.status(), 503);
    assert!(started.elapsed() < std::time::Duration::from_secs(5), "took {:?}", started.elapsed());
}
