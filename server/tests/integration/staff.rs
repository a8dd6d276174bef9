//! The staff workspace: logging work, the ticket queue, coverage, time off, runbooks and the
//! portal preview. (Who may call what is in the isolation table.)

use crate::common::*;
use chrono::{Duration, TimeZone};
use domain::entities::{audit_event, tenant, ticket, time_off, work_entry, work_entry_system};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

async fn tenant_id(app: &TestApp, slug: &str) -> i64 {
    tenant::Entity::find().filter(tenant::Column::Slug.eq(slug)).one(&app.db).await.unwrap().unwrap().id
}

async fn user_id(app: &TestApp, email: &str) -> i64 {
    app.user_id(email).await
}

async fn systems_of(app: &TestApp, slug: &str) -> Vec<(i64, String)> {
    let id = tenant_id(app, slug).await;
    domain::entities::system::Entity::find()
        .filter(domain::entities::system::Column::TenantId.eq(id))
        .order_by_asc(domain::entities::system::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect()
}

/// Yesterday at this local time in New York, as the form's `datetime-local` text.
fn yesterday_at(hour: u32, minute: u32) -> String {
    let ny = chrono_tz::America::New_York;
    let day = domain::time::now().with_timezone(&ny).date_naive() - Duration::days(1);
    ny.from_local_datetime(&day.and_hms_opt(hour, minute, 0).unwrap()).unwrap().format("%Y-%m-%dT%H:%M").to_string()
}

/// The form with one field's value replaced.
fn with<'a>(mut form: Vec<(&'a str, &'a str)>, key: &'a str, value: &'a str) -> Vec<(&'a str, &'a str)> {
    form.retain(|(k, _)| *k != key);
    form.push((key, value));
    form
}

fn work_form<'a>(client: &'a str, title: &'a str, start: &'a str, systems: &'a [String]) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("client", client),
        ("category", "patch"),
        ("title", title),
        ("why_it_matters", "Closes a hole attackers use."),
        ("state", "done"),
        ("start", start),
        ("duration_minutes", "90"),
        ("proactive", "on"),
        ("visibility", "client"),
    ];
    for s in systems {
        form.push(("systems[]", s.as_str()));
    }
    form
}

async fn feed_titles(app: &TestApp, email: &str) -> Vec<String> {
    let c = app.signed_in(email).await;
    let json: serde_json::Value = call(&c, app, "portal/home", &[]).await.json().await.unwrap();
    json["feed"].as_array().unwrap().iter().map(|w| w["title"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn a_tech_logs_after_hours_work_on_two_systems_for_one_client_only() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let sam = app.signed_in("sam@limelight.test").await;
    let systems: Vec<String> = systems_of(&app, "acme-dental").await.iter().take(2).map(|s| s.0.to_string()).collect();
    let start = yesterday_at(22, 0);
    // Shown before saving: after hours for Acme (New York, 08:00–17:00).
    let check = call(&sam, &app, "msp/work-check", &[("client", "acme-dental"), ("start", &start), ("duration", "90")])
        .await
        .json::<String>()
        .await
        .unwrap();
    assert!(check.starts_with("After hours"), "{check}");
    let res =
        call(&sam, &app, "msp/work-save", &work_form("acme-dental", "Patched the servers overnight", &start, &systems))
            .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let entry = work_entry::Entity::find()
        .filter(work_entry::Column::Title.eq("Patched the servers overnight"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(entry.after_hours, "22:00 in New York is after hours");
    assert_eq!(entry.performed_by, user_id(&app, "sam@limelight.test").await);
    assert_eq!(entry.duration_minutes, 90);
    let links = work_entry_system::Entity::find()
        .filter(work_entry_system::Column::WorkEntryId.eq(entry.id))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(links, 2);
    assert!(feed_titles(&app, "dana@acme-dental.test").await.contains(&"Patched the servers overnight".to_string()));
    assert!(
        !feed_titles(&app, "tom@northwind-legal.test").await.contains(&"Patched the servers overnight".to_string())
    );
    // Within business hours it is not after hours.
    let midday = yesterday_at(11, 0);
    let check =
        call(&sam, &app, "msp/work-check", &[("client", "acme-dental"), ("start", &midday), ("duration", "30")])
            .await
            .json::<String>()
            .await
            .unwrap();
    // Yesterday may have been a weekend day, which is after hours all day.
    let weekday = chrono::Datelike::weekday(
        &(domain::time::now().with_timezone(&chrono_tz::America::New_York).date_naive() - Duration::days(1)),
    );
    let weekend = matches!(weekday, chrono::Weekday::Sat | chrono::Weekday::Sun);
    assert_eq!(check.starts_with("After hours"), weekend, "{check}");
}

#[tokio::test]
async fn bad_work_input_says_why_and_writes_nothing() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let sam = app.signed_in("sam@limelight.test").await;
    let before = work_entry::Entity::find().count(&app.db).await.unwrap();
    let start = yesterday_at(10, 0);
    let northwind: Vec<String> = systems_of(&app, "northwind-legal").await.iter().map(|s| s.0.to_string()).collect();
    let future = (domain::time::now() + Duration::days(3)).format("%Y-%m-%dT%H:%M").to_string();
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (work_form("", "T", &start, &[]), "choose the client"),
        (work_form("acme-dental", "  ", &start, &[]), "title"),
        (work_form("acme-dental", "T", "yesterday", &[]), "date and time"),
        (work_form("acme-dental", "T", "2026-03-08T02:30", &[]), "does not exist"),
        (work_form("acme-dental", "T", &start, &northwind[..1]), "systems of Acme Dental only"),
        (work_form("acme-dental", "T", &future, &[]), "cannot start in the future"),
        (with(work_form("acme-dental", "T", &start, &[]), "duration_minutes", "0"), "duration"),
        (with(work_form("acme-dental", "T", &start, &[]), "ticket", "999"), "no ticket #999"),
        (with(work_form("acme-dental", "T", &start, &[]), "category", "magic"), "category"),
        (with(work_form("acme-dental", "T", &start, &[]), "shadowed_by", "987654"), "shadowing"),
    ];
    for (form, message) in cases {
        let res = call(&sam, &app, "msp/work-save", &form).await;
        assert_eq!(res.status(), 422, "{form:?}");
        let body = res.text().await.unwrap();
        assert!(body.contains(message), "{message:?} not in {body}");
    }
    assert_eq!(work_entry::Entity::find().count(&app.db).await.unwrap(), before);
}

#[tokio::test]
async fn planned_work_is_marked_done_edited_and_deleted_with_an_audit_record() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let riley = app.signed_in("riley@limelight.test").await;
    let later = (domain::time::now().with_timezone(&chrono_tz::America::New_York) + Duration::days(2))
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    let form = with(work_form("acme-dental", "Firmware upgrade", &later, &[]), "state", "planned");
    let id = call(&riley, &app, "msp/work-save", &form).await.json::<i64>().await.unwrap();
    let planned = work_entry::Entity::find_by_id(id).one(&app.db).await.unwrap().unwrap();
    assert_eq!(planned.state.as_str(), "planned");
    // The edit form shows it, and the page offers "Mark done".
    let html = riley.get(app.url(&format!("/msp/work/{id}"))).send_or_fail().await.text().await.unwrap();
    assert!(html.contains("Firmware upgrade") && html.contains("Mark done"), "{html}");
    assert_eq!(call(&riley, &app, "msp/work-done", &[("id", &id.to_string())]).await.status(), 200);
    let done = work_entry::Entity::find_by_id(id).one(&app.db).await.unwrap().unwrap();
    assert_eq!(done.state.as_str(), "done");
    assert!(done.started_at <= domain::time::now(), "done now, not in two days");
    assert_eq!(call(&riley, &app, "msp/work-done", &[("id", &id.to_string())]).await.status(), 422);
    // Edit: the title and the visibility.
    let start = yesterday_at(9, 0);
    let id_text = id.to_string();
    let edit = with(
        with(work_form("acme-dental", "Firmware upgraded", &start, &[]), "visibility", "internal"),
        "entry_id",
        &id_text,
    );
    assert_eq!(call(&riley, &app, "msp/work-save", &edit).await.status(), 200);
    let edited = work_entry::Entity::find_by_id(id).one(&app.db).await.unwrap().unwrap();
    assert_eq!((edited.title.as_str(), edited.visibility.as_str()), ("Firmware upgraded", "internal"));
    assert!(!feed_titles(&app, "dana@acme-dental.test").await.contains(&"Firmware upgraded".to_string()));
    // An account manager cannot delete it; a tech can, and it is audited.
    let alex = app.signed_in("alex@limelight.test").await;
    assert_eq!(call(&alex, &app, "msp/work-delete", &[("id", &id_text)]).await.status(), 403);
    assert_eq!(call(&riley, &app, "msp/work-delete", &[("id", &id_text)]).await.status(), 200);
    assert!(work_entry::Entity::find_by_id(id).one(&app.db).await.unwrap().is_none());
    let audit = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("work_deleted"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the deletion is audited");
    assert_eq!(audit.actor_id, Some(user_id(&app, "riley@limelight.test").await));
    assert!(audit.target.contains("Firmware upgraded"));
}

#[tokio::test]
async fn a_new_ticket_is_emailed_to_whoever_covers_the_client_now() {
    let app = spawn_app().await;
    app.seed_demo().await;
    // Acme's primary (Sam) is on vacation: Riley, the first backup, covers and gets the email.
    let lee = app.signed_in("lee@acme-dental.test").await;
    let form = [
        ("subject", "Printer offline"),
        ("description", "Nothing prints."),
        ("impact", "department"),
        ("urgency", "work_degraded"),
    ];
    assert_eq!(call(&lee, &app, "portal/ticket-new", &form).await.status(), 200);
    let mail = app.outbox().await;
    assert_eq!(mail.len(), 1, "one notification");
    assert!(mail[0].contains("To: riley@limelight.test"), "{}", mail[0]);
    assert!(mail[0].contains("Printer offline") && mail[0].contains("you are covering"));
    // Staff open one for Northwind (primary Riley, in): Riley again, and the requester is checked.
    let jordan = app.signed_in("jordan@limelight.test").await;
    let bad = [
        ("client", "northwind-legal"),
        ("requester", "lee@acme-dental.test"),
        ("subject", "S"),
        ("description", "D"),
        ("impact", "individual"),
        ("urgency", "inconvenience"),
    ];
    let res = call(&jordan, &app, "msp/ticket-new", &bad).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("has no user"));
    let ok = [
        ("client", "harbor-architects"),
        ("requester", ""),
        ("subject", "VPN down"),
        ("description", "Nobody can connect."),
        ("impact", "organisation"),
        ("urgency", "work_stopped"),
        ("source", "phone"),
    ];
    let id = call(&jordan, &app, "msp/ticket-new", &ok).await.json::<i64>().await.unwrap();
    let t = ticket::Entity::find_by_id(id).one(&app.db).await.unwrap().unwrap();
    assert_eq!((t.priority, t.source.as_str()), (1, "phone"));
    // Harbor's primary is Jordan. (Notices of two-step set-ups aside.)
    let mail: Vec<String> = app.outbox().await.into_iter().filter(|m| !m.contains("Two-step sign-in")).collect();
    assert_eq!(mail.len(), 2);
    assert!(mail[1].contains("To: jordan@limelight.test") && mail[1].contains("[P1]"), "{}", mail[1]);
}

#[tokio::test]
async fn staff_work_a_ticket_through_the_queue() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let lee = app.signed_in("lee@acme-dental.test").await;
    let form = [
        ("subject", "Email down"),
        ("description", "Outlook cannot connect."),
        ("impact", "organisation"),
        ("urgency", "work_stopped"),
    ];
    let number = call(&lee, &app, "portal/ticket-new", &form).await.json::<i64>().await.unwrap();
    let t = ticket::Entity::find()
        .filter(ticket::Column::TenantId.eq(tenant_id(&app, "acme-dental").await))
        .filter(ticket::Column::Number.eq(number))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let id = t.id.to_string();
    let riley = app.signed_in("riley@limelight.test").await;
    // The queue: P1 first.
    let queue: serde_json::Value = call(&riley, &app, "msp/tickets", &[]).await.json().await.unwrap();
    let tickets = queue["tickets"].as_array().unwrap();
    let p1: Vec<&serde_json::Value> = tickets.iter().take_while(|t| t["priority"] == 1).collect();
    assert!(p1.iter().any(|r| r["id"] == t.id), "the new P1 is with the P1s at the head of the queue");
    let priorities: Vec<i64> = tickets.iter().map(|t| t["priority"].as_i64().unwrap()).collect();
    assert!(priorities.windows(2).all(|w| w[0] <= w[1]), "{priorities:?}");
    let filtered: serde_json::Value =
        call(&riley, &app, "msp/tickets", &[("client", "northwind-legal")]).await.json().await.unwrap();
    assert!(filtered["tickets"].as_array().unwrap().iter().all(|t| t["tenant_slug"] == "northwind-legal"));
    // Assign, internal note, public reply, resolve.
    let riley_id = user_id(&app, "riley@limelight.test").await.to_string();
    assert_eq!(call(&riley, &app, "msp/ticket-assign", &[("id", &id), ("assignee", &riley_id)]).await.status(), 200);
    assert_eq!(
        call(
            &riley,
            &app,
            "msp/ticket-comment",
            &[("id", &id), ("body", "Internal: restarting the relay"), ("internal", "1")]
        )
        .await
        .status(),
        200
    );
    let after_internal = ticket::Entity::find_by_id(t.id).one(&app.db).await.unwrap().unwrap();
    assert!(after_internal.first_response_at.is_none(), "an internal note is not a response");
    let before_mail = app.outbox().await.len();
    assert_eq!(
        call(
            &riley,
            &app,
            "msp/ticket-comment",
            &[("id", &id), ("body", "We are on it: mail flows again in 10 minutes.")]
        )
        .await
        .status(),
        200
    );
    let mail = app.outbox().await;
    assert_eq!(mail.len(), before_mail + 1);
    let reply = mail.last().unwrap();
    assert!(
        reply.contains("To: lee@acme-dental.test") && reply.contains("mail flows again"),
        "the requester hears: {reply}"
    );
    assert_eq!(call(&riley, &app, "msp/ticket-status", &[("id", &id), ("status", "resolved")]).await.status(), 200);
    let done = ticket::Entity::find_by_id(t.id).one(&app.db).await.unwrap().unwrap();
    assert_eq!(done.assignee_id, Some(riley_id.parse().unwrap()));
    assert!(done.first_response_at.is_some() && done.resolved_at.is_some());
    assert_eq!(done.status.as_str(), "resolved");
    assert_eq!(call(&riley, &app, "msp/ticket-status", &[("id", &id), ("status", "resolved")]).await.status(), 422);
    // The client sees the reply and the status, never the internal note.
    let html = lee.get(app.url(&format!("/portal/tickets/{number}"))).send_or_fail().await.text().await.unwrap();
    assert!(html.contains("mail flows again") && html.contains("Resolved"));
    assert!(!html.contains("restarting the relay"));
    // Staff see both.
    let page = riley.get(app.url(&format!("/msp/tickets/{id}"))).send_or_fail().await.text().await.unwrap();
    assert!(page.contains("restarting the relay") && page.contains("mail flows again"));
    // An account manager may reply in public but not assign.
    let alex = app.signed_in("alex@limelight.test").await;
    assert_eq!(
        call(&alex, &app, "msp/ticket-comment", &[("id", &id), ("body", "Thanks for your patience.")]).await.status(),
        200
    );
    assert_eq!(call(&alex, &app, "msp/ticket-assign", &[("id", &id), ("assignee", "")]).await.status(), 403);
}

#[tokio::test]
async fn the_preview_is_the_client_dashboard_without_internal_entries() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let acme = tenant_id(&app, "acme-dental").await;
    let internal = work_entry::Entity::find()
        .filter(work_entry::Column::TenantId.eq(acme))
        .filter(work_entry::Column::Visibility.eq("internal"))
        .all(&app.db)
        .await
        .unwrap();
    assert!(!internal.is_empty(), "the demo has internal entries");
    // Make one internal entry the newest of all, so a leak would head the feed.
    let mut newest: work_entry::ActiveModel = internal[0].clone().into();
    newest.started_at = sea_orm::Set(domain::time::now());
    sea_orm::ActiveModelTrait::update(newest, &app.db).await.unwrap();
    let alex = app.signed_in("alex@limelight.test").await;
    let preview: serde_json::Value =
        call(&alex, &app, "msp/preview", &[("slug", "acme-dental")]).await.json().await.unwrap();
    let dana = app.signed_in("dana@acme-dental.test").await;
    let own: serde_json::Value = call(&dana, &app, "portal/home", &[]).await.json().await.unwrap();
    assert_eq!(preview["feed"], own["feed"], "the same feed the client sees");
    assert_eq!(preview["tenant_name"], "Acme Dental");
    let html = alex.get(app.url("/msp/clients/acme-dental/preview")).send_or_fail().await.text().await.unwrap();
    for entry in &internal {
        assert!(!html.contains(&entry.title), "internal entry {:?} in the preview", entry.title);
    }
    // Staff's own client page does list it, marked internal.
    let page = alex.get(app.url("/msp/clients/acme-dental")).send_or_fail().await.text().await.unwrap();
    assert!(page.contains(&internal[0].title) && page.contains("internal"));
    assert!(!page.contains("Change the team"), "an account manager reads only");
}

#[tokio::test]
async fn time_off_merges_and_shows_gaps_before_they_happen() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let riley = app.signed_in("riley@limelight.test").await;
    let riley_id = user_id(&app, "riley@limelight.test").await;
    let day = |n: i64| (domain::time::now().date_naive() + Duration::days(n)).format("%Y-%m-%d").to_string();
    let count = || async {
        time_off::Entity::find().filter(time_off::Column::UserId.eq(riley_id)).count(&app.db).await.unwrap()
    };
    assert_eq!(count().await, 0);
    for (first, last) in [(30, 32), (33, 35), (31, 34)] {
        let res = call(
            &riley,
            &app,
            "msp/time-off-add",
            &[("first_day", &day(first)), ("last_day", &day(last)), ("note", "Trip")],
        )
        .await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    }
    let rows = time_off::Entity::find().filter(time_off::Column::UserId.eq(riley_id)).all(&app.db).await.unwrap();
    assert_eq!(rows.len(), 1, "touching and overlapping stretches merge");
    assert_eq!((rows[0].first_day.to_string(), rows[0].last_day.to_string()), (day(30), day(35)));
    // Bad input writes nothing.
    for (form, message) in [
        (vec![("first_day", day(5)), ("last_day", day(3))], "before the first"),
        (vec![("first_day", "soon".to_string())], "as a date"),
        (vec![("first_day", day(-10)), ("last_day", day(-9))], "already over"),
    ] {
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let res = call(&riley, &app, "msp/time-off-add", &form).await;
        assert_eq!(res.status(), 422);
        assert!(res.text().await.unwrap().contains(message));
    }
    assert_eq!(count().await, 1);
    // A tech cannot enter someone else's time off; an admin can.
    let jordan_id = user_id(&app, "jordan@limelight.test").await.to_string();
    let res = call(&riley, &app, "msp/time-off-add", &[("user_id", &jordan_id), ("first_day", &day(40))]).await;
    assert_eq!(res.status(), 403);
    let morgan = app.signed_in("morgan@limelight.test").await;
    // Jordan (Northwind's only backup) is already away on days 20–24: Riley away on 21–22 leaves
    // Northwind with nobody.
    let res = call(
        &morgan,
        &app,
        "msp/time-off-add",
        &[("user_id", &riley_id.to_string()), ("first_day", &day(21)), ("last_day", &day(22))],
    )
    .await;
    assert_eq!(res.status(), 200);
    let page: serde_json::Value = call(&riley, &app, "msp/time-off", &[]).await.json().await.unwrap();
    let gaps = page["gaps"].as_array().unwrap();
    let northwind = gaps.iter().find(|g| g["slug"] == "northwind-legal").expect("Northwind has a gap ahead");
    assert_eq!(northwind["team"]["gap_days"].as_array().unwrap().len(), 2);
    let overview = riley.get(app.url("/msp")).send_or_fail().await.text().await.unwrap();
    assert!(overview.contains("Northwind Legal</a>: nobody in on"), "the overview warns");
    // Removing: only one's own.
    let id = time_off::Entity::find()
        .filter(time_off::Column::UserId.eq(riley_id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id
        .to_string();
    let jordan = app.signed_in("jordan@limelight.test").await;
    assert_eq!(call(&jordan, &app, "msp/time-off-remove", &[("id", &id)]).await.status(), 403);
    assert_eq!(call(&riley, &app, "msp/time-off-remove", &[("id", &id)]).await.status(), 200);
    // Both the adding and the removing are in the audit log, by whom; the refused one too.
    assert!(audited(&app, "time_off_added").await.iter().any(|e| e.actor_id == Some(riley_id)));
    let removed = audited(&app, "time_off_removed").await;
    assert_eq!(removed.len(), 1);
    assert_eq!(removed[0].actor_id, Some(riley_id));
    assert!(audited(&app, "access_refused").await.is_empty(), "time off refuses by rule, not by role");
}

#[tokio::test]
async fn coverage_edits_reach_the_client_team_card() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let morgan = app.signed_in("morgan@limelight.test").await;
    let id = |e: &'static str| {
        let app = &app;
        async move { user_id(app, e).await.to_string() }
    };
    let (jordan, sam, riley, alex) = (
        id("jordan@limelight.test").await,
        id("sam@limelight.test").await,
        id("riley@limelight.test").await,
        id("alex@limelight.test").await,
    );
    // Bad: the primary as a backup too; a client user as a primary.
    let res = call(
        &morgan,
        &app,
        "msp/team-save",
        &[("client", "northwind-legal"), ("primary", &jordan), ("backup_1", &jordan)],
    )
    .await;
    assert_eq!(res.status(), 422);
    let client_user = id("lee@acme-dental.test").await;
    assert_eq!(
        call(&morgan, &app, "msp/team-save", &[("client", "northwind-legal"), ("primary", &client_user)])
            .await
            .status(),
        422
    );
    // Northwind: Jordan primary, Sam then Riley as backups. Sam is on vacation; Jordan is in.
    let ok = [
        ("client", "northwind-legal"),
        ("primary", jordan.as_str()),
        ("backup_1", sam.as_str()),
        ("backup_2", riley.as_str()),
        ("account_manager", alex.as_str()),
    ];
    assert_eq!(call(&morgan, &app, "msp/team-save", &ok).await.status(), 200);
    let tom = app.signed_in("tom@northwind-legal.test").await;
    let team: serde_json::Value = call(&tom, &app, "portal/team", &[]).await.json().await.unwrap();
    assert_eq!(team["covering"], "Jordan Silva");
    assert_eq!(team["backups"].as_array().unwrap().len(), 2);
    // Jordan takes today off: the first backup who is in (Riley, as Sam is away) covers.
    // Today where Northwind is (London): cover is counted in the client's own calendar.
    let today = domain::rules::today_in(chrono_tz::Europe::London, domain::time::now()).format("%Y-%m-%d").to_string();
    let jordan_client = app.signed_in("jordan@limelight.test").await;
    assert_eq!(call(&jordan_client, &app, "msp/time-off-add", &[("first_day", &today)]).await.status(), 200);
    let team: serde_json::Value = call(&tom, &app, "portal/team", &[]).await.json().await.unwrap();
    assert_eq!(team["covering"], "Riley Chen", "{team}");
    // Knowledge: recorded here, shown on the board.
    let (system, _) = systems_of(&app, "northwind-legal").await[0].clone();
    assert_eq!(
        call(
            &morgan,
            &app,
            "msp/knowledge",
            &[("system_id", &system.to_string()), ("user_id", &sam), ("level", "expert")]
        )
        .await
        .status(),
        200
    );
    let board: serde_json::Value = call(&morgan, &app, "msp/coverage", &[]).await.json().await.unwrap();
    let row = board["systems"].as_array().unwrap().iter().find(|s| s["system_id"] == system).unwrap().clone();
    let sam_cell = row["cells"].as_array().unwrap().iter().find(|c| c[0].to_string() == sam).unwrap().clone();
    assert_eq!(sam_cell[1], "expert");
    let knowledge = audited(&app, "knowledge_changed").await;
    assert_eq!(knowledge.last().unwrap().detail.as_deref(), Some(format!("user {sam}: expert").as_str()));
}

#[tokio::test]
async fn runbooks_are_written_reviewed_by_someone_else_and_rendered_safely() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let sam = app.signed_in("sam@limelight.test").await;
    let (system, _) = systems_of(&app, "acme-dental").await[2].clone();
    let body = "## Restore\n\n1. Open the console\n<script>alert('x')</script>\n[bad](javascript:alert(1))";
    let res = call(
        &sam,
        &app,
        "msp/runbook-save",
        &[
            ("client", "acme-dental"),
            ("system_id", &system.to_string()),
            ("title", "Restore the backup"),
            ("body", body),
        ],
    )
    .await;
    assert_eq!(res.status(), 200);
    let rb = domain::entities::runbook::Entity::find()
        .filter(domain::entities::runbook::Column::Title.eq("Restore the backup"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let html = sam.get(app.url("/msp/clients/acme-dental")).send_or_fail().await.text().await.unwrap();
    assert!(html.contains("<h2>Restore</h2>") && html.contains("Never reviewed"));
    // The edit form shows the Markdown as typed (as text); the rendered runbook has no script
    // and no script link.
    for bad in ["<script>alert", "href=\"javascript:", "</textarea><script"] {
        let at = html.find(bad);
        assert!(at.is_none(), "{bad} reached the page: {}", &html[at.unwrap().saturating_sub(300)..at.unwrap() + 100]);
    }
    // Its author cannot review it; the backup can.
    let id = rb.id.to_string();
    let res = call(&sam, &app, "msp/runbook-review", &[("id", &id)]).await;
    assert_eq!(res.status(), 422);
    let riley = app.signed_in("riley@limelight.test").await;
    assert_eq!(call(&riley, &app, "msp/runbook-review", &[("id", &id)]).await.status(), 200);
    let html = sam.get(app.url("/msp/clients/acme-dental")).send_or_fail().await.text().await.unwrap();
    assert!(html.contains("Reviewed today by Riley Chen"));
    // Systems: add one, then bad input writes nothing.
    let before = systems_of(&app, "acme-dental").await.len();
    let add = [
        ("client", "acme-dental"),
        ("name", "Phone system"),
        ("kind", "phone"),
        ("criticality", "medium"),
        ("vendor", "3CX"),
    ];
    assert_eq!(call(&sam, &app, "msp/system-save", &add).await.status(), 200);
    let bad = [("client", "acme-dental"), ("name", "X"), ("kind", "toaster"), ("criticality", "medium")];
    assert_eq!(call(&sam, &app, "msp/system-save", &bad).await.status(), 422);
    assert_eq!(systems_of(&app, "acme-dental").await.len(), before + 1);
    // Written, reviewed and added: each in the audit log, the refused review not.
    assert_eq!(audited(&app, "runbook_saved").await.len(), 1);
    let reviewed = audited(&app, "runbook_reviewed").await;
    assert_eq!(reviewed.len(), 1);
    assert_eq!(reviewed[0].actor_id, Some(user_id(&app, "riley@limelight.test").await));
    let added = audited(&app, "system_added").await;
    assert_eq!(added.len(), 1, "the bad one wrote nothing, to the log either");
    assert!(added[0].target.contains("Phone system"));
}

/// The audit events of one action, oldest first.
async fn audited(app: &TestApp, action: &str) -> Vec<audit_event::Model> {
    use sea_orm::QueryOrder;
    audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq(action))
        .order_by_asc(audit_event::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn every_change_and_every_refusal_is_audited_with_who_where_and_what() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let acme = domain::entities::tenant::Entity::find()
        .filter(domain::entities::tenant::Column::Slug.eq("acme-dental"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let riley = app.signed_in("riley@limelight.test").await;
    let riley_id = user_id(&app, "riley@limelight.test").await;
    // Work: logged internal, then edited to be shown to the client.
    let start = yesterday_at(10, 0);
    let form = with(work_form("acme-dental", "Rebuilt the RAID", &start, &[]), "visibility", "internal");
    let id = call(&riley, &app, "msp/work-save", &form).await.json::<i64>().await.unwrap();
    let id_text = id.to_string();
    let edit = with(work_form("acme-dental", "Rebuilt the RAID array", &start, &[]), "entry_id", &id_text);
    assert_eq!(call(&riley, &app, "msp/work-save", &edit).await.status(), 200);
    let logged = audited(&app, "work_logged").await;
    assert_eq!(logged.len(), 1);
    let e = &logged[0];
    assert_eq!((e.actor_id, e.tenant_id), (Some(riley_id), Some(acme)));
    assert_eq!((e.ip.as_deref(), e.user_agent.as_deref()), (Some("127.0.0.1"), Some(TEST_BROWSER)));
    assert!(e.target.contains("Rebuilt the RAID"), "{}", e.target);
    let edited = audited(&app, "work_edited").await;
    assert_eq!(edited.len(), 1);
    let detail = edited[0].detail.clone().unwrap();
    assert!(
        detail.contains("title") && detail.contains("visibility: internal → client (now shown to the client)"),
        "{detail}"
    );
    assert!(!detail.contains("duration"), "only what changed: {detail}");

    // Tickets: opened by the client, assigned, moved, commented on by both sides.
    let dana = app.signed_in("dana@acme-dental.test").await;
    let ticket_form = [
        ("subject", "Scanner offline"),
        ("description", "The front desk scanner."),
        ("impact", "individual"),
        ("urgency", "inconvenience"),
    ];
    let number = call(&dana, &app, "portal/ticket-new", &ticket_form).await.json::<i64>().await.unwrap();
    let t = domain::entities::ticket::Entity::find()
        .filter(domain::entities::ticket::Column::Number.eq(number))
        .filter(domain::entities::ticket::Column::TenantId.eq(acme))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let tid = t.id.to_string();
    let riley_text = riley_id.to_string();
    assert_eq!(call(&riley, &app, "msp/ticket-assign", &[("id", &tid), ("assignee", &riley_text)]).await.status(), 200);
    assert_eq!(call(&riley, &app, "msp/ticket-status", &[("id", &tid), ("status", "resolved")]).await.status(), 200);
    let note = [("id", tid.as_str()), ("body", "Replaced the cable."), ("internal", "1")];
    assert_eq!(call(&riley, &app, "msp/ticket-comment", &note).await.status(), 200);
    let reply = [("number", number.to_string()), ("body", "Thank you!".to_string())];
    let reply: Vec<(&str, &str)> = reply.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(call(&dana, &app, "portal/ticket-comment", &reply).await.status(), 200);
    let assigned = audited(&app, "ticket_assigned").await;
    assert_eq!(assigned.len(), 1);
    assert!(assigned[0].detail.as_deref().unwrap().contains(&format!("nobody → user {riley_id}")));
    let moved = audited(&app, "ticket_status_changed").await;
    assert_eq!(moved[0].detail.as_deref(), Some("status: new → resolved"));
    // Recorded deep in the domain, where no request is in sight: the request's address and
    // browser still come with it.
    let opened = audited(&app, "ticket_opened").await;
    let opened = opened.last().unwrap();
    assert_eq!((opened.ip.as_deref(), opened.user_agent.as_deref()), (Some("127.0.0.1"), Some(TEST_BROWSER)));
    let invite = [("email", "newcomer@acme-dental.test"), ("role", "client_user")];
    assert_eq!(call(&dana, &app, "portal/invite", &invite).await.status(), 200);
    let invited = audited(&app, "invitation_sent").await;
    assert_eq!(invited.last().unwrap().user_agent.as_deref(), Some(TEST_BROWSER));
    let comments = audited(&app, "ticket_commented").await;
    assert_eq!(comments.len(), 2);
    assert_eq!(comments[1].actor_id, Some(user_id(&app, "dana@acme-dental.test").await));
    assert_eq!(comments[1].tenant_id, Some(acme));

    // A CSV export says who took which history.
    assert_eq!(dana.get(app.url("/portal/work.csv?q=raid")).send_or_fail().await.status(), 200);
    let exported = audited(&app, "work_exported").await;
    assert_eq!(exported.len(), 1);
    assert_eq!(exported[0].detail.as_deref(), Some("filters: q=raid"));

    // Refused: a client at a staff function, an account manager at a change, a tech at the
    // administration. Each is answered as before, and logged.
    assert_eq!(call(&dana, &app, "msp/tickets", &[]).await.status(), 404);
    let alex = app.signed_in("alex@limelight.test").await;
    assert_eq!(call(&alex, &app, "msp/work-delete", &[("id", &id_text)]).await.status(), 403);
    assert_eq!(call(&riley, &app, "msp/admin/users", &[]).await.status(), 404);
    let refused = audited(&app, "access_refused").await;
    let seen: Vec<(Option<i64>, String)> = refused.iter().map(|r| (r.actor_id, r.target.clone())).collect();
    assert_eq!(
        seen,
        [
            (Some(user_id(&app, "dana@acme-dental.test").await), "/api/msp/tickets".to_string()),
            (Some(user_id(&app, "alex@limelight.test").await), "/api/msp/work-delete".to_string()),
            (Some(riley_id), "/api/msp/admin/users".to_string()),
        ]
    );
    assert_eq!(refused[0].tenant_id, Some(acme));
    assert!(refused.iter().all(|r| r.user_agent.as_deref() == Some(TEST_BROWSER)));
    assert!(work_entry::Entity::find_by_id(id).one(&app.db).await.unwrap().is_some(), "refused: nothing deleted");
    // The MSP admin reads it all on the audit page.
    let morgan = app.signed_in("morgan@limelight.test").await;
    let page = morgan.get(app.url("/msp/audit?action=work_edited")).send_or_fail().await.text().await.unwrap();
    assert!(
        page.contains("now shown to the client") && page.contains(TEST_BROWSER),
        "the page shows what and from where"
    );
}
