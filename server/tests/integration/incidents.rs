//! Incidents and notices: staff post them; exactly the affected clients see the banner, the
//! timeline and (when asked) the emails; tickets say which incident they are about.

use crate::common::*;
use domain::entities::{audit_event, incident, incident_ticket, notice, ticket};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

async fn page(c: &reqwest::Client, app: &TestApp, path: &str) -> (u16, String) {
    let res = c.get(app.url(path)).send_or_fail().await;
    (res.status().as_u16(), res.text().await.unwrap())
}

fn to(mail: &[String], who: &str, subject: &str) -> usize {
    mail.iter().filter(|m| m.contains(&format!("To: {who}")) && m.contains(subject)).count()
}

#[tokio::test]
async fn an_incident_for_two_clients_reaches_them_and_not_a_third() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let sam = app.signed_in("sam@limelight.test").await;
    let res = call(
        &sam,
        &app,
        "msp/incident-open",
        &[
            ("title", "File sync is slow"),
            ("impact", "Files you save may take ten minutes to reach your colleagues."),
            ("status", "investigating"),
            ("clients[]", "acme-dental"),
            ("clients[]", "harbor-architects"),
            ("email_clients", "1"),
        ],
    )
    .await;
    assert_eq!(res.status(), 200);
    let id: i64 = res.json().await.unwrap();

    let lee = app.signed_in("lee@acme-dental.test").await;
    let maya = app.signed_in("maya@harbor-architects.test").await;
    let priya = app.signed_in("priya@northwind-legal.test").await;
    for (c, path) in [(&lee, "/portal"), (&lee, "/portal/systems"), (&maya, "/portal/tickets")] {
        let (status, html) = page(c, &app, path).await;
        assert_eq!(status, 200);
        assert!(html.contains("File sync is slow") && html.contains(&format!("/portal/incidents/{id}")), "{path}");
    }
    let (_, html) = page(&priya, &app, "/portal").await;
    assert!(!html.contains("File sync is slow"), "Northwind is not affected");
    assert_eq!(page(&priya, &app, &format!("/portal/incidents/{id}")).await.0, 404);
    assert_eq!(call(&priya, &app, "portal/incident", &[("id", &id.to_string())]).await.status(), 404);
    let (status, html) = page(&lee, &app, &format!("/portal/incidents/{id}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Files you save may take ten minutes"));

    // The affected clients' admins are emailed; no one else.
    let mail = app.outbox().await;
    assert_eq!(to(&mail, "dana@acme-dental.test", "We are working on it: File sync is slow"), 1);
    assert_eq!(to(&mail, "maya@harbor-architects.test", "We are working on it: File sync is slow"), 1);
    assert_eq!(to(&mail, "priya@northwind-legal.test", "File sync"), 0);
    assert_eq!(to(&mail, "lee@acme-dental.test", "File sync"), 0, "client admins only");

    // An account manager posts updates; resolving it ends the banner and emails again.
    let alex = app.signed_in("alex@limelight.test").await;
    let update = |status: &'static str, body: &'static str| {
        let (alex, app, id) = (&alex, &app, id.to_string());
        async move { call(alex, app, "msp/incident-update", &[("id", &id), ("status", status), ("body", body)]).await }
    };
    assert_eq!(update("identified", "The sync server's disk is full; we are adding space.").await.status(), 200);
    let (_, html) = page(&lee, &app, "/portal").await;
    assert!(html.contains("Cause found, fix under way"));
    assert_eq!(update("resolved", "Space added; files sync within seconds again.").await.status(), 200);
    let (_, html) = page(&lee, &app, "/portal").await;
    assert!(!html.contains("File sync is slow"), "no banner once resolved");
    let history: serde_json::Value = call(&lee, &app, "portal/incidents", &[]).await.json().await.unwrap();
    let item = history.as_array().unwrap().iter().find(|i| i["id"] == id).expect("in the client's history");
    assert!(item["resolved"].is_string());
    let (_, html) = page(&lee, &app, &format!("/portal/incidents/{id}")).await;
    assert!(html.contains("Space added; files sync within seconds again."));
    let mail = app.outbox().await;
    assert_eq!(to(&mail, "dana@acme-dental.test", "Resolved: File sync is slow"), 1);
    // A resolved incident takes no more updates.
    let res = update("monitoring", "Back?").await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("open a new one"));

    let audit = |action: &'static str| {
        let db = app.db.clone();
        async move { audit_event::Entity::find().filter(audit_event::Column::Action.eq(action)).count(&db).await.unwrap() }
    };
    assert_eq!(audit("incident_opened").await, 1);
    assert_eq!(audit("incident_updated").await, 2, "the refused update is not recorded");
}

#[tokio::test]
async fn bad_input_gets_a_message_and_writes_nothing() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let sam = app.signed_in("sam@limelight.test").await;
    let before =
        (incident::Entity::find().count(&app.db).await.unwrap(), notice::Entity::find().count(&app.db).await.unwrap());
    let ok = [("title", "Down"), ("impact", "Nothing works."), ("status", "investigating"), ("all_clients", "1")];
    for (change, message) in [
        (("title", " "), "short title"),
        (("impact", ""), "plain words"),
        (("status", "resolved"), "opens unresolved"),
        (("status", "panic"), "choose a status"),
        (("all_clients", ""), "clients affected"),
    ] {
        let mut form: Vec<(&str, &str)> = ok.iter().copied().filter(|(k, _)| *k != change.0).collect();
        if !(change.0 == "all_clients") {
            form.push(change);
        }
        let res = call(&sam, &app, "msp/incident-open", &form).await;
        assert_eq!(res.status(), 422, "{message}");
        assert!(res.text().await.unwrap().contains(message), "{message}");
    }
    let res = call(
        &sam,
        &app,
        "msp/incident-open",
        &[("title", "Down"), ("impact", "x"), ("status", "investigating"), ("clients[]", "no-such-client")],
    )
    .await;
    assert_eq!(res.status(), 422);
    for (form, message) in [
        (vec![("title", "Move"), ("body", "Phones off"), ("shown_until", "2020-01-01")], "has passed"),
        (vec![("title", "Move"), ("body", "Phones off"), ("shown_until", "friday")], "as a date"),
        (vec![("title", "Move"), ("body", " "), ("shown_until", "2099-01-01")], "write the message"),
        (vec![("title", "Move"), ("body", "x"), ("shown_until", "2099-01-01"), ("client", "nobody")], "does not exist"),
    ] {
        let res = call(&sam, &app, "msp/notice-post", &form).await;
        assert_eq!(res.status(), 422, "{message}");
        assert!(res.text().await.unwrap().contains(message), "{message}");
    }
    // Clients cannot post either.
    let dana = app.signed_in("dana@acme-dental.test").await;
    assert_eq!(call(&dana, &app, "msp/incident-open", &ok).await.status(), 404);
    let after =
        (incident::Entity::find().count(&app.db).await.unwrap(), notice::Entity::find().count(&app.db).await.unwrap());
    assert_eq!(before, after);
}

#[tokio::test]
async fn tickets_about_an_incident_count_the_clients_affected() {
    let app = spawn_app().await;
    app.seed_demo().await;
    // The demo's open incident concerns Acme and Northwind.
    let open =
        incident::Entity::find().filter(incident::Column::ResolvedAt.is_null()).one(&app.db).await.unwrap().unwrap();
    let id = open.id.to_string();
    let new = |incident: &str| {
        vec![
            ("subject", "Email is slow".to_string()),
            ("description", "A client's email came an hour late.".to_string()),
            ("impact", "department".to_string()),
            ("urgency", "work_degraded".to_string()),
            ("incident", incident.to_string()),
        ]
    };
    let post = |c: reqwest::Client, form: Vec<(&'static str, String)>| {
        let app = &app;
        async move {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            call(&c, app, "portal/ticket-new", &form).await
        }
    };
    // The new-ticket form offers the incident to those it concerns.
    let lee = app.signed_in("lee@acme-dental.test").await;
    let (_, form) = page(&lee, &app, "/portal/tickets/new").await;
    assert!(form.contains("Microsoft 365 email is delayed"));
    assert_eq!(post(lee, new(&id)).await.status(), 200);
    assert_eq!(post(app.signed_in("priya@northwind-legal.test").await, new(&id)).await.status(), 200);
    let tickets = ticket::Entity::find().count(&app.db).await.unwrap();
    let maya = app.signed_in("maya@harbor-architects.test").await;
    let (_, form) = page(&maya, &app, "/portal/tickets/new").await;
    assert!(!form.contains("Microsoft 365 email is delayed"), "not offered to a client it does not concern");
    let res = post(maya, new(&id)).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("not open for this client"));
    assert_eq!(ticket::Entity::find().count(&app.db).await.unwrap(), tickets, "nothing filed");

    let sam = app.signed_in("sam@limelight.test").await;
    let view: serde_json::Value = call(&sam, &app, "msp/incident", &[("id", &id)]).await.json().await.unwrap();
    assert_eq!(view["tickets"].as_array().unwrap().len(), 2);
    assert_eq!(view["clients_with_tickets"], 2);
    let (_, html) = page(&sam, &app, &format!("/msp/incidents/{id}")).await;
    assert!(html.contains("2 tickets from 2 clients"));

    // Staff link a ticket from the ticket's page; Harbor's cannot be linked to it.
    let harbor_ticket =
        ticket::Entity::find().filter(ticket::Column::Subject.contains("shared drive")).all(&app.db).await.unwrap();
    let (acme_t, harbor_t) = {
        let acme = app.operator().unscoped().tenant_id_of("acme-dental").await.unwrap();
        let harbor = app.operator().unscoped().tenant_id_of("harbor-architects").await.unwrap();
        (
            harbor_ticket.iter().find(|t| t.tenant_id == acme).unwrap().id,
            harbor_ticket.iter().find(|t| t.tenant_id == harbor).unwrap().id,
        )
    };
    let link = |t: i64| {
        let (sam, app, id) = (&sam, &app, id.clone());
        async move { call(sam, app, "msp/ticket-incident", &[("id", &t.to_string()), ("incident", &id)]).await }
    };
    assert_eq!(link(acme_t).await.status(), 200);
    assert_eq!(link(harbor_t).await.status(), 422);
    assert_eq!(incident_ticket::Entity::find().count(&app.db).await.unwrap(), 3);
    let staff_ticket: serde_json::Value =
        call(&sam, &app, "msp/ticket", &[("id", &acme_t.to_string())]).await.json().await.unwrap();
    assert_eq!(staff_ticket["incidents"]["linked"], open.id);
}

#[tokio::test]
async fn a_notice_shows_to_its_client_until_its_day() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let alex = app.signed_in("alex@limelight.test").await;
    let until = domain::time::now().date_naive().succ_opt().unwrap().format("%Y-%m-%d").to_string();
    let res = call(
        &alex,
        &app,
        "msp/notice-post",
        &[
            ("title", "Office move"),
            ("body", "Your office's network moves on Saturday."),
            ("client", "northwind-legal"),
            ("shown_until", &until),
        ],
    )
    .await;
    assert_eq!(res.status(), 200);
    let priya = app.signed_in("priya@northwind-legal.test").await;
    let lee = app.signed_in("lee@acme-dental.test").await;
    let (_, north) = page(&priya, &app, "/portal").await;
    let (_, acme) = page(&lee, &app, "/portal").await;
    assert!(north.contains("Office move") && north.contains("network moves on Saturday"));
    assert!(!acme.contains("Office move"), "for Northwind only");
    // The demo's notice is for every client.
    for html in [&north, &acme] {
        assert!(html.contains("Phones off on Friday evening"));
    }
    let notices: serde_json::Value = call(&lee, &app, "portal/notices", &[]).await.json().await.unwrap();
    assert_eq!(notices.as_array().unwrap().len(), 1);
}
