//! "How did we do?": a resolved ticket's requester answers from the email in one click (no
//! sign-in, once), or from the portal's ticket page; a poor answer reaches the account manager;
//! the staff see ratings on the ticket and on `/msp`, the client in their summary.

use crate::common::*;
use domain::entities::{audit_event, rating_link, ticket, ticket_rating};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, Set};
use vocabulary::Rating;

async fn acme_ticket(app: &TestApp, number: i64) -> ticket::Model {
    let acme = domain::entities::tenant::Entity::find()
        .filter(domain::entities::tenant::Column::Slug.eq("acme-dental"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    ticket::Entity::find()
        .filter(ticket::Column::TenantId.eq(acme.id))
        .filter(ticket::Column::Number.eq(number))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
}

async fn rating_of(app: &TestApp, ticket_id: i64) -> Option<ticket_rating::Model> {
    ticket_rating::Entity::find().filter(ticket_rating::Column::TicketId.eq(ticket_id)).one(&app.db).await.unwrap()
}

/// The three answer links of the newest "Resolved" email to `to`.
async fn answer_links(app: &TestApp, to: &str, number: i64) -> [String; 3] {
    let mail: Vec<String> = app.outbox().await.iter().map(|m| m.replace("=\r\n", "").replace("=\n", "")).collect();
    let email = mail
        .iter()
        .rev()
        .find(|m| m.contains(&format!("To: {to}")) && m.contains(&format!("Resolved: #{number}")))
        .unwrap_or_else(|| panic!("no resolution email to {to} about #{number}"));
    let link = |answer: &str| {
        let at = email.find("/rate/").expect("a rating link");
        let token: String = email[at + 6..].chars().take_while(|c| c.is_ascii_hexdigit()).collect();
        assert_eq!(token.len(), 64, "a whole token");
        format!("/rate/{token}/{answer}")
    };
    [link("good"), link("okay"), link("poor")]
}

async fn resolve(app: &TestApp, staff: &reqwest::Client, id: i64) {
    let res = call(staff, app, "msp/ticket-status", &[("id", &id.to_string()), ("status", "resolved")]).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
}

#[tokio::test]
async fn a_requester_rates_a_resolved_ticket_from_the_email_once_and_a_poor_answer_reaches_the_account_manager() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let sam = app.signed_in("sam@limelight.test").await;
    // Lee's open ticket #4 at Acme.
    let t = acme_ticket(&app, 4).await;
    assert!(rating_of(&app, t.id).await.is_none());
    resolve(&app, &sam, t.id).await;
    let [good, _okay, poor] = answer_links(&app, "lee@acme-dental.test", 4).await;

    // No sign-in: a bare browser clicks "poor".
    let anyone = browser();
    let res = anyone.get(app.url(&poor)).send_or_fail().await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), "/rated?ticket=4&answer=poor");
    let page = anyone.get(app.url("/rated?ticket=4&answer=poor")).send_or_fail().await.text().await.unwrap();
    assert!(page.contains("We have your answer for ticket #4: poor."), "{page}");
    let r = rating_of(&app, t.id).await.expect("recorded");
    assert_eq!(r.rating, Rating::Poor);
    assert_eq!(r.rated_by, Some(app.user_id("lee@acme-dental.test").await));
    assert_eq!(r.tech_id, t.assignee_id, "counted for the tech who had it");
    let audited = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("ticket_rated"))
        .filter(audit_event::Column::Target.eq("ticket #4"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(audited.len(), 1);
    assert_eq!(audited[0].detail.as_deref(), Some("rating: poor"));

    // Acme's account manager hears of it.
    let mail = app.outbox().await;
    let alert = mail
        .iter()
        .find(|m| m.contains("To: alex@limelight.test") && m.contains("Poor rating from Acme Dental"))
        .expect("the account manager is alerted");
    assert!(alert.contains(&format!("/msp/tickets/{}", t.id)));

    // The link is single-use: a second click (even another answer) records nothing.
    let again = anyone.get(app.url(&good)).send_or_fail().await;
    assert_eq!(location(&again), "/rated?unavailable");
    assert_eq!(rating_of(&app, t.id).await.unwrap().rating, Rating::Poor);
    let page = anyone.get(app.url("/rated?unavailable")).send_or_fail().await.text().await.unwrap();
    assert!(page.contains("This link can") && page.contains("already been used"));

    // Signed in, Lee sees the answer on the ticket and changes it, adding a comment.
    let lee = app.signed_in("lee@acme-dental.test").await;
    let view: serde_json::Value = call(&lee, &app, "portal/ticket", &[("number", "4")]).await.json().await.unwrap();
    assert_eq!(view["rating"]["rating"], "poor");
    assert_eq!(view["can_rate"], true);
    let res =
        call(&lee, &app, "portal/ticket-rate", &[("number", "4"), ("rating", "good"), ("comment", "Sorted now.")])
            .await;
    assert_eq!(res.status(), 200);
    let r = rating_of(&app, t.id).await.unwrap();
    assert_eq!((r.rating, r.comment.as_str()), (Rating::Good, "Sorted now."));
    let alerts = |mail: &[String]| mail.iter().filter(|m| m.contains("Poor rating from")).count();
    assert_eq!(alerts(&app.outbox().await), 1, "a good answer alerts nobody");

    // The staff see it on the ticket.
    let staff_view: serde_json::Value =
        call(&sam, &app, "msp/ticket", &[("id", &t.id.to_string())]).await.json().await.unwrap();
    assert_eq!(staff_view["rating"]["rating"], "good");
    assert_eq!(staff_view["rating"]["comment"], "Sorted now.");
}

#[tokio::test]
async fn a_link_that_expired_or_whose_ticket_reopened_or_with_a_wrong_answer_records_nothing() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let sam = app.signed_in("sam@limelight.test").await;
    let anyone = browser();
    let t = acme_ticket(&app, 4).await;
    resolve(&app, &sam, t.id).await;
    let [good, ..] = answer_links(&app, "lee@acme-dental.test", 4).await;

    // Not one of the three answers.
    let wrong = good.replace("/good", "/excellent");
    assert_eq!(location(&anyone.get(app.url(&wrong)).send_or_fail().await), "/rated?unavailable");
    // Reopened since: nothing resolved to rate.
    let reopen = call(&sam, &app, "msp/ticket-status", &[("id", &t.id.to_string()), ("status", "open")]).await;
    assert_eq!(reopen.status(), 200);
    assert_eq!(location(&anyone.get(app.url(&good)).send_or_fail().await), "/rated?unavailable");
    assert!(rating_of(&app, t.id).await.is_none());

    // Resolved again: a new email, a new link; run out, it records nothing.
    resolve(&app, &sam, t.id).await;
    let [good, ..] = answer_links(&app, "lee@acme-dental.test", 4).await;
    for link in rating_link::Entity::find().all(&app.db).await.unwrap() {
        let mut l = link.into_active_model();
        l.expires_at = Set(domain::time::now() - chrono::Duration::minutes(1));
        l.update(&app.db).await.unwrap();
    }
    assert_eq!(location(&anyone.get(app.url(&good)).send_or_fail().await), "/rated?unavailable");
    assert!(rating_of(&app, t.id).await.is_none());
    assert_eq!(
        audit_event::Entity::find()
            .filter(audit_event::Column::Action.eq("ticket_rated"))
            .count(&app.db)
            .await
            .unwrap(),
        0
    );
}

#[tokio::test]
async fn only_the_requester_rates_and_bad_input_writes_nothing() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let lee = app.signed_in("lee@acme-dental.test").await;
    let dana = app.signed_in("dana@acme-dental.test").await;
    let sam = app.signed_in("sam@limelight.test").await;
    // #2 is Lee's resolved ticket; its demo rating is there already; #4 is Lee's, open.
    let t = acme_ticket(&app, 2).await;
    let before = rating_of(&app, t.id).await.unwrap();
    let count = || async { ticket_rating::Entity::find().count(&app.db).await.unwrap() };
    let total = count().await;

    for (form, status, message) in [
        (vec![("number", "2"), ("rating", "great")], 422, "Please choose good, okay or poor."),
        (vec![("number", "2"), ("rating", "")], 422, "Please choose good, okay or poor."),
        (vec![("number", "4"), ("rating", "good")], 422, "once it is resolved"),
    ] {
        let res = call(&lee, &app, "portal/ticket-rate", &form).await;
        assert_eq!(res.status(), status);
        assert!(res.text().await.unwrap().contains(message), "{message}");
    }
    let long = "x".repeat(2_001);
    let res = call(&lee, &app, "portal/ticket-rate", &[("number", "2"), ("rating", "good"), ("comment", &long)]).await;
    assert_eq!(res.status(), 422);
    // The client admin sees Lee's ticket but the answer is Lee's: 404, as for a missing one.
    let res = call(&dana, &app, "portal/ticket-rate", &[("number", "2"), ("rating", "poor")]).await;
    assert_eq!(res.status(), 404);
    let dana_view: serde_json::Value =
        call(&dana, &app, "portal/ticket", &[("number", "2")]).await.json().await.unwrap();
    assert_eq!(dana_view["can_rate"], false);
    assert_eq!(dana_view["rating"]["rating"], before.rating.as_str(), "the admin reads the answer");
    // Staff: 404, as for every portal function.
    assert_eq!(call(&sam, &app, "portal/ticket-rate", &[("number", "2"), ("rating", "poor")]).await.status(), 404);
    assert_eq!(rating_of(&app, t.id).await.unwrap(), before, "nothing changed");
    assert_eq!(count().await, total);
}

#[tokio::test]
async fn the_staff_board_counts_ratings_and_the_summary_says_how_many_were_good() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let alex = app.signed_in("alex@limelight.test").await;
    let page = alex.get(app.url("/msp")).send_or_fail().await.text().await.unwrap();
    assert!(page.contains("How clients rated us"));
    // The demo's poor answer, from Northwind Legal, with its comment.
    assert!(page.contains("It took two days and three calls"), "the latest poor ratings are listed");
    // A client never sees the board.
    let dana = app.signed_in("dana@acme-dental.test").await;
    assert_eq!(dana.get(app.url("/msp")).send_or_fail().await.status(), 404);

    // This month's summary for Acme counts the answers given this month.
    let sam = app.signed_in("sam@limelight.test").await;
    let t = acme_ticket(&app, 4).await;
    resolve(&app, &sam, t.id).await;
    let [good, ..] = answer_links(&app, "lee@acme-dental.test", 4).await;
    browser().get(app.url(&good)).send_or_fail().await;
    let month = domain::figures::Month::containing(
        domain::time::now().with_timezone(&chrono_tz::America::New_York).date_naive(),
    );
    let res = call(
        &alex,
        &app,
        "msp/summary-new",
        &[("client", "acme-dental"), ("month", &month.first_day.format("%Y-%m").to_string())],
    )
    .await;
    assert_eq!(res.status(), 200);
    let id: i64 = res.json().await.unwrap();
    let view = call(&alex, &app, "msp/summary", &[("id", &id.to_string())]).await.text().await.unwrap();
    assert!(view.contains("Your ratings"), "{view}");
    assert!(view.contains("tickets you rated were rated good"));
}
