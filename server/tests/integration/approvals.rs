//! Approvals for planned work: a tech asks, the client's approvers (and only they) decide, the
//! approved window schedules the work, and the tech hears of it; another client's request is 404.

use crate::common::*;
use domain::entities::{approval, approval_decision, audit_event, tenant, work_entry};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, Set};

async fn page(c: &reqwest::Client, app: &TestApp, path: &str) -> (u16, String) {
    let res = c.get(app.url(path)).send_or_fail().await;
    (res.status().as_u16(), res.text().await.unwrap())
}

fn to(mail: &[String], who: &str, subject: &str) -> usize {
    mail.iter().filter(|m| m.contains(&format!("To: {who}")) && m.contains(subject)).count()
}

/// A client's time zone and a local time `days` ahead at `hour`, as a form types it.
async fn ahead(app: &TestApp, slug: &str, days: i64, hour: u32) -> String {
    let t = tenant::Entity::find().filter(tenant::Column::Slug.eq(slug)).one(&app.db).await.unwrap().unwrap();
    let tz: chrono_tz::Tz = t.time_zone.parse().unwrap();
    let day = (domain::time::now().with_timezone(&tz) + chrono::Duration::days(days)).date_naive();
    day.and_hms_opt(hour, 0, 0).unwrap().format("%Y-%m-%dT%H:%M").to_string()
}

/// A planned, client-visible entry for this client, by sam, three days ahead.
async fn planned(app: &TestApp, slug: &str, title: &str) -> i64 {
    let t = tenant::Entity::find().filter(tenant::Column::Slug.eq(slug)).one(&app.db).await.unwrap().unwrap();
    let mut e = work_entry(t.id, app.user_id("sam@limelight.test").await, title);
    e.state = Set("planned".parse().unwrap());
    e.started_at = Set(domain::time::now() + chrono::Duration::days(3));
    e.duration_minutes = Set(45);
    e.insert(&app.db).await.unwrap().id
}

async fn ask(c: &reqwest::Client, app: &TestApp, entry: i64, windows: &[&str], two: bool) -> reqwest::Response {
    let id = entry.to_string();
    let mut form = vec![
        ("id", id.as_str()),
        ("downtime", "About 20 minutes: nobody can open shared files."),
        ("risk", "Low: the update is widely used; it could fail to start."),
        ("rollback", "We restore last night's snapshot, about 15 minutes."),
        ("deadline", ""),
    ];
    form.extend(windows.iter().map(|w| ("windows[]", *w)));
    if two {
        form.push(("two_approvals", "1"));
    }
    call(c, app, "msp/approval-ask", &form).await
}

async fn request_of(app: &TestApp, entry: i64) -> Option<approval::Model> {
    approval::Entity::find().filter(approval::Column::WorkEntryId.eq(entry)).one(&app.db).await.unwrap()
}

async fn decide(c: &reqwest::Client, app: &TestApp, id: i64, form: &[(&str, &str)]) -> reqwest::Response {
    let id = id.to_string();
    let mut all = vec![("id", id.as_str())];
    all.extend_from_slice(form);
    call(c, app, "portal/approval-decide", &all).await
}

async fn audits(app: &TestApp, action: &str) -> u64 {
    audit_event::Entity::find().filter(audit_event::Column::Action.eq(action)).count(&app.db).await.unwrap()
}

#[tokio::test]
async fn the_client_admin_approves_the_second_window_and_the_work_is_scheduled_then() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let sam = app.signed_in("sam@limelight.test").await;
    let entry = planned(&app, "acme-dental", "Swap the server's failing disk").await;
    let (first, second) = (ahead(&app, "acme-dental", 4, 22).await, ahead(&app, "acme-dental", 5, 21).await);
    let res = ask(&sam, &app, entry, &[&first, &second], false).await;
    assert_eq!(res.status(), 200);
    let id: i64 = res.json().await.unwrap();

    // The approvers (the client admin) are emailed a link to the request; a plain user is not.
    let mail = app.outbox().await;
    let subject = "Your approval, please: Swap the server's failing disk";
    assert_eq!(to(&mail, "dana@acme-dental.test", subject), 1);
    assert_eq!(to(&mail, "lee@acme-dental.test", subject), 0);
    assert!(mail.iter().any(|m| m.replace("=\r\n", "").contains(&format!("/portal/approvals/{id}"))));

    // Until it is approved, it is not in the client's planned maintenance.
    let titles = |home: &serde_json::Value, list: &str| -> Vec<String> {
        home[list].as_array().unwrap().iter().map(|w| w["title"].as_str().unwrap().to_string()).collect()
    };
    let title = "Swap the server's failing disk".to_string();
    let dana = app.signed_in("dana@acme-dental.test").await;
    let home: serde_json::Value = call(&dana, &app, "portal/home", &[]).await.json().await.unwrap();
    assert!(titles(&home, "approvals_waiting").contains(&title));
    assert!(!titles(&home, "planned").contains(&title), "not planned until approved");
    let (_, html) = page(&dana, &app, "/portal").await;
    assert!(html.contains("Waiting for your decision"));
    let lee = app.signed_in("lee@acme-dental.test").await;
    let home: serde_json::Value = call(&lee, &app, "portal/home", &[]).await.json().await.unwrap();
    assert!(titles(&home, "approvals_waiting").is_empty(), "lee is not an approver");

    // Lee reads the request but cannot decide it; another client cannot even see it.
    let (status, html) = page(&lee, &app, &format!("/portal/approvals/{id}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("nobody can open shared files") && html.contains("snapshot"));
    let view: serde_json::Value =
        call(&dana, &app, "portal/approval", &[("id", &id.to_string())]).await.json().await.unwrap();
    let windows = view["windows"].as_array().unwrap();
    assert_eq!(windows.len(), 2);
    let second_window = windows[1]["id"].as_i64().unwrap().to_string();
    let res = decide(&lee, &app, id, &[("answer", "approve"), ("window", &second_window)]).await;
    assert_eq!(res.status(), 403);
    let priya = app.signed_in("priya@northwind-legal.test").await;
    assert_eq!(decide(&priya, &app, id, &[("answer", "approve"), ("window", &second_window)]).await.status(), 404);
    assert_eq!(page(&priya, &app, &format!("/portal/approvals/{id}")).await.0, 404);
    let decisions = || {
        let db = app.db.clone();
        async move {
            approval_decision::Entity::find()
                .filter(approval_decision::Column::ApprovalId.eq(id))
                .count(&db)
                .await
                .unwrap()
        }
    };
    assert_eq!(decisions().await, 0, "nothing written");

    // Nor in the client's calendar feed.
    let feed_url: String = call(&lee, &app, "account/calendar-new", &[]).await.json().await.unwrap();
    let feed = || async { reqwest::Client::new().get(&feed_url).send_or_fail().await.text().await.unwrap() };
    assert!(!feed().await.contains("failing disk"));

    // Dana approves the second window: the entry starts then, and sam hears of it.
    let res = decide(&dana, &app, id, &[("answer", "approve"), ("window", &second_window)]).await;
    assert_eq!(res.status(), 200);
    let a = request_of(&app, entry).await.unwrap();
    assert_eq!(a.status.as_str(), "approved");
    let e = work_entry::Entity::find_by_id(entry).one(&app.db).await.unwrap().unwrap();
    let t = tenant::Entity::find_by_id(e.tenant_id).one(&app.db).await.unwrap().unwrap();
    let tz: chrono_tz::Tz = t.time_zone.parse().unwrap();
    assert_eq!(e.started_at.with_timezone(&tz).format("%Y-%m-%dT%H:%M").to_string(), second);
    let mail = app.outbox().await;
    assert_eq!(to(&mail, "sam@limelight.test", "Acme Dental: Dana Whitfield approved it for"), 1);
    assert_eq!(audits(&app, "approval_decided").await, 1);
    assert_eq!(audits(&app, "approval_asked").await, 1);

    // Now it is planned maintenance for everyone at Acme, and staff see it decided.
    let home: serde_json::Value = call(&lee, &app, "portal/home", &[]).await.json().await.unwrap();
    assert!(titles(&home, "planned").contains(&title));
    assert!(feed().await.contains("failing disk"), "approved work is in the calendar feed");
    let board: serde_json::Value = call(&sam, &app, "msp/approvals", &[]).await.json().await.unwrap();
    assert!(board["decided"].as_array().unwrap().iter().any(|r| r["id"] == id && r["status"] == "approved"));
    let board: serde_json::Value =
        call(&sam, &app, "msp/approvals", &[("client", "northwind-legal")]).await.json().await.unwrap();
    let decided = board["decided"].as_array().unwrap();
    assert!(decided.iter().all(|r| r["client_slug"] == "northwind-legal") && !decided.is_empty());
    assert!(!decided.iter().any(|r| r["id"] == id), "the client's board is its own");
    let form: serde_json::Value =
        call(&sam, &app, "msp/work-form", &[("id", &entry.to_string())]).await.json().await.unwrap();
    assert_eq!(form["approval"]["item"]["status"], "approved");
    assert_eq!(form["approval"]["decisions"][0]["name"], "Dana Whitfield");
    assert_eq!(form["can_ask_approval"], false);

    // Once the approved window has begun, the decision cannot change.
    let mut w = domain::entities::approval_window::Entity::find_by_id(a.approved_window_id.unwrap())
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .into_active_model();
    w.starts_at = Set(domain::time::now() - chrono::Duration::minutes(5));
    w.update(&app.db).await.unwrap();
    let res = decide(&dana, &app, id, &[("answer", "decline"), ("note", "Changed our minds")]).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("has begun"));
    assert_eq!(request_of(&app, entry).await.unwrap().status.as_str(), "approved");
}

#[tokio::test]
async fn a_named_approver_decides_and_two_approvals_take_two_people() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let sam = app.signed_in("sam@limelight.test").await;
    let dana = app.signed_in("dana@acme-dental.test").await;
    let lee = app.signed_in("lee@acme-dental.test").await;
    let lee_id = app.user_id("lee@acme-dental.test").await.to_string();
    // Only a client admin names approvers, and only among its own users.
    assert_eq!(call(&lee, &app, "portal/user-approver", &[("id", &lee_id), ("approver", "yes")]).await.status(), 404);
    let priya = app.signed_in("priya@northwind-legal.test").await;
    assert_eq!(call(&priya, &app, "portal/user-approver", &[("id", &lee_id), ("approver", "yes")]).await.status(), 404);
    assert_eq!(
        call(&dana, &app, "portal/user-approver", &[("id", &lee_id), ("approver", "maybe")]).await.status(),
        422
    );
    assert_eq!(call(&dana, &app, "portal/user-approver", &[("id", &lee_id), ("approver", "yes")]).await.status(), 200);
    assert_eq!(audits(&app, "approver_changed").await, 1);

    let entry = planned(&app, "acme-dental", "Replace the core switch").await;
    let window = ahead(&app, "acme-dental", 6, 20).await;
    let res = ask(&sam, &app, entry, &[&window], true).await;
    assert_eq!(res.status(), 200);
    let id: i64 = res.json().await.unwrap();
    let mail = app.outbox().await;
    assert_eq!(to(&mail, "lee@acme-dental.test", "Your approval, please: Replace the core switch"), 1);
    let view: serde_json::Value =
        call(&lee, &app, "portal/approval", &[("id", &id.to_string())]).await.json().await.unwrap();
    assert_eq!(view["can_decide"], true);
    let w = view["windows"][0]["id"].as_i64().unwrap().to_string();

    assert_eq!(decide(&dana, &app, id, &[("answer", "approve"), ("window", &w)]).await.status(), 200);
    assert_eq!(request_of(&app, entry).await.unwrap().status.as_str(), "waiting", "one of two");
    assert_eq!(decide(&lee, &app, id, &[("answer", "approve"), ("window", &w)]).await.status(), 200);
    assert_eq!(request_of(&app, entry).await.unwrap().status.as_str(), "approved");
}

#[tokio::test]
async fn bad_requests_write_nothing_proposals_are_accepted_and_declined_work_done_is_flagged() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let sam = app.signed_in("sam@limelight.test").await;
    let entry = planned(&app, "acme-dental", "Move the mail server").await;
    let window = ahead(&app, "acme-dental", 4, 22).await;
    let past = ahead(&app, "acme-dental", -2, 22).await;
    for (windows, message) in [(vec![], "at least one window"), (vec![past.as_str()], "has passed")] {
        let res = ask(&sam, &app, entry, &windows, false).await;
        assert_eq!(res.status(), 422);
        assert!(res.text().await.unwrap().contains(message), "{message}");
    }
    let res = call(&sam, &app, "msp/approval-ask", &[("id", &entry.to_string()), ("windows[]", &window)]).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("how long things will be down"));
    // An account manager reads, never asks.
    let alex = app.signed_in("alex@limelight.test").await;
    assert_eq!(ask(&alex, &app, entry, &[&window], false).await.status(), 403);
    assert!(request_of(&app, entry).await.is_none(), "nothing written");
    // Internal work cannot be shown to a client, so it cannot ask.
    let internal = planned(&app, "acme-dental", "Rotate the backup keys").await;
    let mut e = work_entry::Entity::find_by_id(internal).one(&app.db).await.unwrap().unwrap().into_active_model();
    e.visibility = Set("internal".parse().unwrap());
    e.update(&app.db).await.unwrap();
    assert_eq!(ask(&sam, &app, internal, &[&window], false).await.status(), 422);

    // Dana proposes another time; sam accepts it, and the work is scheduled then.
    let id: i64 = ask(&sam, &app, entry, &[&window], false).await.json().await.unwrap();
    let dana = app.signed_in("dana@acme-dental.test").await;
    let res = decide(&dana, &app, id, &[("answer", "propose"), ("start", "not a time")]).await;
    assert_eq!(res.status(), 422);
    let later = ahead(&app, "acme-dental", 7, 6).await;
    let res = decide(&dana, &app, id, &[("answer", "propose"), ("start", &later), ("note", "Before we open")]).await;
    assert_eq!(res.status(), 200);
    assert_eq!(request_of(&app, entry).await.unwrap().status.as_str(), "new_time_proposed");
    assert_eq!(to(&app.outbox().await, "sam@limelight.test", "proposed another time"), 1);
    let dana_id = app.user_id("dana@acme-dental.test").await.to_string();
    assert_eq!(
        call(&alex, &app, "msp/approval-accept", &[("id", &id.to_string()), ("proposer", &dana_id)]).await.status(),
        403
    );
    let res = call(&sam, &app, "msp/approval-accept", &[("id", &id.to_string()), ("proposer", &dana_id)]).await;
    assert_eq!(res.status(), 200);
    assert_eq!(request_of(&app, entry).await.unwrap().status.as_str(), "approved");
    let e = work_entry::Entity::find_by_id(entry).one(&app.db).await.unwrap().unwrap();
    let tz: chrono_tz::Tz = "America/New_York".parse().unwrap();
    assert_eq!(e.started_at.with_timezone(&tz).format("%Y-%m-%dT%H:%M").to_string(), later, "scheduled then");
    // Accepting again is refused: nothing is proposed any more.
    let res = call(&sam, &app, "msp/approval-accept", &[("id", &id.to_string()), ("proposer", &dana_id)]).await;
    assert_eq!(res.status(), 422);
    // The approved work keeps its client, visibility and time: editing the time is refused.
    let acme =
        tenant::Entity::find().filter(tenant::Column::Slug.eq("acme-dental")).one(&app.db).await.unwrap().unwrap();
    assert_eq!(acme.time_zone, "America/New_York");
    let res = call(
        &sam,
        &app,
        "msp/work-save",
        &[
            ("entry_id", &entry.to_string()),
            ("client", "acme-dental"),
            ("category", "maintenance"),
            ("title", "Move the mail server"),
            ("state", "planned"),
            ("start", &window),
            ("duration_minutes", "45"),
            ("visibility", "client"),
        ],
    )
    .await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("stay as asked"));

    // Another request is declined (a reason is required); doing it anyway is flagged to admins.
    let other = planned(&app, "acme-dental", "Reboot the phone system").await;
    let id: i64 = ask(&sam, &app, other, &[&window], false).await.json().await.unwrap();
    let res = decide(&dana, &app, id, &[("answer", "decline"), ("note", "  ")]).await;
    assert_eq!(res.status(), 422);
    assert_eq!(request_of(&app, other).await.unwrap().status.as_str(), "waiting");
    assert_eq!(
        decide(&dana, &app, id, &[("answer", "decline"), ("note", "Month-end close that week")]).await.status(),
        200
    );
    assert_eq!(request_of(&app, other).await.unwrap().status.as_str(), "declined");
    assert_eq!(to(&app.outbox().await, "sam@limelight.test", "declined it"), 1);
    assert_eq!(call(&sam, &app, "msp/work-done", &[("id", &other.to_string())]).await.status(), 200);
    assert!(request_of(&app, other).await.unwrap().done_without_approval_at.is_some());
    assert_eq!(to(&app.outbox().await, "morgan@limelight.test", "Done without the client's approval"), 1);
    assert_eq!(audits(&app, "work_done_without_approval").await, 1);
    // Once done, its approval no longer changes.
    let res = decide(&dana, &app, id, &[("answer", "propose"), ("start", &later)]).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("This work is done"));
    // Approved work done within its window is not flagged; done before it, it is.
    let early = planned(&app, "acme-dental", "Patch the router").await;
    let early_id: i64 = ask(&sam, &app, early, &[&window], false).await.json().await.unwrap();
    let view: serde_json::Value =
        call(&dana, &app, "portal/approval", &[("id", &early_id.to_string())]).await.json().await.unwrap();
    let w = view["windows"][0]["id"].as_i64().unwrap().to_string();
    assert_eq!(decide(&dana, &app, early_id, &[("answer", "approve"), ("window", &w)]).await.status(), 200);
    assert_eq!(call(&sam, &app, "msp/work-done", &[("id", &early.to_string())]).await.status(), 200);
    assert!(request_of(&app, early).await.unwrap().done_without_approval_at.is_some(), "done before its window");
    // `entry` was approved for a time ahead: its window is moved to have begun, as if it were now.
    let a = request_of(&app, entry).await.unwrap();
    let begun = domain::time::now() - chrono::Duration::minutes(10);
    let mut w = domain::entities::approval_window::Entity::find_by_id(a.approved_window_id.unwrap())
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .into_active_model();
    w.starts_at = Set(begun);
    w.update(&app.db).await.unwrap();
    let mut e = work_entry::Entity::find_by_id(entry).one(&app.db).await.unwrap().unwrap().into_active_model();
    e.started_at = Set(begun);
    e.update(&app.db).await.unwrap();
    assert_eq!(call(&sam, &app, "msp/work-done", &[("id", &entry.to_string())]).await.status(), 200);
    assert!(request_of(&app, entry).await.unwrap().done_without_approval_at.is_none(), "done as approved");
    let board: serde_json::Value = call(&alex, &app, "msp/approvals", &[]).await.json().await.unwrap();
    assert!(board["done_without"].as_array().unwrap().iter().any(|r| r["id"] == id));
}

#[tokio::test]
async fn signing_in_returns_to_the_page_asked_for_through_the_second_step() {
    let app = spawn_app().await;
    app.seed_demo().await;
    // A client: the approval link leads to sign-in, then straight back.
    let c = browser();
    let res = c.get(app.url("/portal/approvals/1")).send_or_fail().await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), "/login?next=%2Fportal%2Fapprovals%2F1");
    let (status, html) = page(&c, &app, "/login?next=%2Fportal%2Fapprovals%2F1").await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"name="next" value="/portal/approvals/1""#));
    let login = |next: &'static str| {
        let (c, app) = (c.clone(), &app);
        async move {
            c.post(app.url("/login"))
                .form(&[("email", "dana@acme-dental.test"), ("password", PASSWORD), ("next", next)])
                .send_or_fail()
                .await
        }
    };
    assert_eq!(location(&login("/portal/approvals/1").await), "/portal/approvals/1");
    // A wrong password keeps the page to return to; another site, or another role's area, goes home.
    let res = c
        .post(app.url("/login"))
        .form(&[("email", "dana@acme-dental.test"), ("password", "wrong"), ("next", "/portal/approvals/1")])
        .send_or_fail()
        .await;
    assert_eq!(location(&res), "/login?failed&next=%2Fportal%2Fapprovals%2F1");
    for elsewhere in ["https://evil.example/portal", "//evil.example/portal", "/msp/work/1"] {
        let c = browser();
        let res = c
            .post(app.url("/login"))
            .form(&[("email", "dana@acme-dental.test"), ("password", PASSWORD), ("next", elsewhere)])
            .send_or_fail()
            .await;
        assert_eq!(location(&res), "/portal", "{elsewhere}");
    }

    // Staff: through the second step (setting up an authenticator, then with a code).
    let sam = browser();
    let res = sam
        .post(app.url("/login"))
        .form(&[("email", "sam@limelight.test"), ("password", PASSWORD), ("next", "/msp/work/1")])
        .send_or_fail()
        .await;
    assert_eq!(location(&res), "/login/setup");
    let done = app.set_up_authenticator(&sam, "sam@limelight.test").await;
    assert_eq!(location(&done), "/msp/work/1");
    let again = browser();
    let res = again
        .post(app.url("/login"))
        .form(&[("email", "sam@limelight.test"), ("password", PASSWORD), ("next", "/msp/work/2")])
        .send_or_fail()
        .await;
    assert_eq!(location(&res), "/login/code");
    let code = app.next_code("sam@limelight.test");
    let res = again.post(app.url("/login/code")).form(&[("code", code.as_str())]).send_or_fail().await;
    assert_eq!(location(&res), "/msp/work/2");
}
