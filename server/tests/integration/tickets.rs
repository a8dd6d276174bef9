//! Client tickets: who sees which, filing one, replying, and internal comments staying internal.

use crate::common::*;
use domain::entities::{ticket, ticket_comment};
use sea_orm::{EntityTrait, PaginatorTrait};

async fn list(app: &TestApp, c: &reqwest::Client, form: &[(&str, &str)]) -> Vec<serde_json::Value> {
    let res = call(c, app, "portal/tickets", form).await;
    assert_eq!(res.status(), 200);
    let v: serde_json::Value = res.json().await.unwrap();
    v["tickets"].as_array().unwrap().clone()
}

#[tokio::test]
async fn a_client_user_sees_their_own_tickets_and_an_admin_all() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let admin = app.signed_in("dana@acme-dental.test").await;
    let user = app.signed_in("lee@acme-dental.test").await;
    let all = list(&app, &admin, &[]).await;
    let own = list(&app, &user, &[]).await;
    assert_eq!(all.len(), 6);
    assert_eq!(own.len(), 3);
    assert!(own.iter().all(|t| t["requester"] == "Lee Park"));
    // Filters.
    let open = list(&app, &admin, &[("status", "open")]).await;
    assert!(open.iter().all(|t| !["resolved", "closed"].contains(&t["status"].as_str().unwrap())));
    assert_eq!(list(&app, &admin, &[("status", "closed")]).await.len(), 1);
    let p1 = list(&app, &admin, &[("priority", "1")]).await;
    assert!(p1.iter().all(|t| t["priority"] == 1));
    assert_eq!(call(&admin, &app, "portal/tickets", &[("status", "lost")]).await.status(), 422);
}

#[tokio::test]
async fn internal_comments_never_reach_a_client() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let admin = app.signed_in("dana@acme-dental.test").await;
    let internal = ticket_comment::Entity::find().all(&app.db).await.unwrap();
    assert!(internal.iter().any(|c| c.visibility.as_str() == "internal" && c.body.starts_with("Internal:")));
    for n in 1..=6 {
        let html = admin.get(app.url(&format!("/portal/tickets/{n}"))).send_or_fail().await.text().await.unwrap();
        assert!(!html.contains("Internal:"), "ticket {n}'s page");
        let json = call(&admin, &app, "portal/ticket", &[("number", &n.to_string())]).await.text().await.unwrap();
        assert!(!json.contains("Internal:"), "ticket {n}'s data");
    }
    let html = admin.get(app.url("/portal/tickets/2")).send_or_fail().await.text().await.unwrap();
    assert!(
        html.contains("we&#39;re looking at it now") || html.contains("we're looking at it now"),
        "public replies show"
    );
}

#[tokio::test]
async fn filing_a_ticket_checks_input_and_numbers_it_next() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let c = app.signed_in("lee@acme-dental.test").await;
    let before = ticket::Entity::find().count(&app.db).await.unwrap();
    for (form, message) in [
        (
            vec![("subject", ""), ("description", "x"), ("impact", "individual"), ("urgency", "inconvenience")],
            "subject",
        ),
        (
            vec![("subject", "x"), ("description", "  "), ("impact", "individual"), ("urgency", "inconvenience")],
            "describe",
        ),
        (
            vec![("subject", "x"), ("description", "y"), ("impact", "everyone"), ("urgency", "inconvenience")],
            "who is affected",
        ),
        (vec![("subject", "x"), ("description", "y"), ("impact", "individual"), ("urgency", "")], "how badly"),
    ] {
        let res = call(&c, &app, "portal/ticket-new", &form).await;
        assert_eq!(res.status(), 422);
        assert!(res.text().await.unwrap().contains(message), "{message}");
    }
    assert_eq!(ticket::Entity::find().count(&app.db).await.unwrap(), before, "bad input wrote nothing");

    let res = call(
        &c,
        &app,
        "portal/ticket-new",
        &[
            ("subject", "Nobody can print"),
            ("description", "All printers are offline."),
            ("impact", "organisation"),
            ("urgency", "work_stopped"),
        ],
    )
    .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["location"], "/portal/tickets/7");
    assert_eq!(res.json::<i64>().await.unwrap(), 7);
    let t: serde_json::Value = call(&c, &app, "portal/ticket", &[("number", "7")]).await.json().await.unwrap();
    assert_eq!(t["ticket"]["priority"], 1, "organisation × work stopped is P1");
    assert_eq!(t["ticket"]["status"], "new");
    assert!(t["ticket"]["target"].as_str().unwrap().starts_with("First response by"));
    assert_eq!(t["history"][0][0], "Opened (New)");

    // Numbers stay unique when several tickets are filed at once.
    let mut handles = Vec::new();
    for i in 0..5 {
        let c = c.clone();
        let url = app.url("/api/portal/ticket-new");
        handles.push(tokio::spawn(async move {
            let subject = format!("Parallel {i}");
            c.post(url)
                .form(&[
                    ("subject", subject.as_str()),
                    ("description", "d"),
                    ("impact", "individual"),
                    ("urgency", "inconvenience"),
                ])
                .send()
                .await
                .unwrap()
                .json::<i64>()
                .await
                .unwrap()
        }));
    }
    let mut numbers = Vec::new();
    for h in handles {
        numbers.push(h.await.unwrap());
    }
    numbers.sort();
    assert_eq!(numbers, vec![8, 9, 10, 11, 12]);
}

#[tokio::test]
async fn replying_adds_a_public_comment_on_own_tickets_only() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let lee = app.signed_in("lee@acme-dental.test").await;
    let res = call(&lee, &app, "portal/ticket-comment", &[("number", "2"), ("body", "  ")]).await;
    assert_eq!(res.status(), 422);
    let res =
        call(&lee, &app, "portal/ticket-comment", &[("number", "2"), ("body", "Still broken <b>today</b>")]).await;
    assert_eq!(res.status(), 200);
    let html = lee.get(app.url("/portal/tickets/2")).send_or_fail().await.text().await.unwrap();
    assert!(html.contains("Still broken &lt;b&gt;today&lt;/b&gt;"), "shown, as text");
    // Ticket 1 was filed by a colleague: a client_user cannot reply to it.
    let res = call(&lee, &app, "portal/ticket-comment", &[("number", "1"), ("body", "me too")]).await;
    assert_eq!(res.status(), 404);
}
