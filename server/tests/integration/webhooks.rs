//! Outbound webhooks: registered by an MSP admin, delivered signed, retried, never lost.

use crate::common::*;
use domain::entities::{ticket, webhook_delivery};
use domain::vocabulary::DeliveryStatus;
use domain::webhooks::WebhookQueue;
use hmac::{Hmac, Mac};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use std::sync::{Arc, Mutex};

/// A receiver on loopback: records each request (headers, body) and answers with `status`.
#[derive(Clone, Default)]
struct Receiver {
    got: Arc<Mutex<Vec<(http::HeaderMap, String)>>>,
    status: Arc<Mutex<u16>>,
}

async fn receiver() -> (Receiver, String) {
    let r = Receiver { status: Arc::new(Mutex::new(200)), ..Default::default() };
    let state = r.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: http::HeaderMap, body: String| {
            let state = state.clone();
            async move {
                state.got.lock().unwrap().push((headers, body));
                http::StatusCode::from_u16(*state.status.lock().unwrap()).unwrap()
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (r, url)
}

/// Sends what is due (the test server runs no webhook worker of its own, so this is the only
/// sender) and answers every delivery as it stands then.
async fn settled(app: &TestApp) -> Vec<webhook_delivery::Model> {
    WebhookQueue::new(app.db.clone()).deliver_due().await.unwrap();
    let rows = webhook_delivery::Entity::find().order_by_asc(webhook_delivery::Column::Id).all(&app.db).await.unwrap();
    assert!(rows.iter().all(|d| d.status != DeliveryStatus::Sending), "a delivery was left claimed");
    rows
}

#[tokio::test]
async fn a_new_ticket_is_posted_signed_retried_and_delivered_once() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let (rx, url) = receiver().await;
    let morgan = app.signed_in("morgan@limelight.test").await;
    let res =
        call(&morgan, &app, "msp/admin/webhook-new", &[("url", &url), ("event", "ticket_created"), ("format", "json")])
            .await;
    assert_eq!(res.status(), 200);
    let secret: String = res.json().await.unwrap();
    assert!(secret.starts_with("whsec_"));
    // Bad input says why; a tech may not.
    let res = call(
        &morgan,
        &app,
        "msp/admin/webhook-new",
        &[("url", "ftp://x"), ("event", "ticket_created"), ("format", "json")],
    )
    .await;
    assert_eq!(res.status(), 422);
    let sam = app.signed_in("sam@limelight.test").await;
    let res =
        call(&sam, &app, "msp/admin/webhook-new", &[("url", &url), ("event", "ticket_created"), ("format", "json")])
            .await;
    assert_eq!(res.status(), 404);

    // The receiver is down (500) when Dana opens a ticket.
    *rx.status.lock().unwrap() = 500;
    let dana = app.signed_in("dana@acme-dental.test").await;
    let form = [
        ("subject", "Printer offline"),
        ("description", "Front desk"),
        ("impact", "individual"),
        ("urgency", "inconvenience"),
    ];
    let number: i64 = call(&dana, &app, "portal/ticket-new", &form).await.json().await.unwrap();
    let rows = settled(&app).await;
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].status, rows[0].attempts, rows[0].last_status), (DeliveryStatus::Queued, 1, Some(500)));
    assert!(
        rows[0].next_attempt_at > domain::time::now() + chrono::Duration::seconds(50),
        "backoff: not retried early"
    );
    WebhookQueue::new(app.db.clone()).deliver_due().await.unwrap();
    assert_eq!(rx.got.lock().unwrap().len(), 1);

    // Back up, and the wait over: delivered, once.
    *rx.status.lock().unwrap() = 200;
    let mut due: webhook_delivery::ActiveModel = rows[0].clone().into();
    due.next_attempt_at = Set(domain::time::now() - chrono::Duration::seconds(1));
    due.update(&app.db).await.unwrap();
    let rows = settled(&app).await;
    assert_eq!((rows[0].status, rows[0].attempts, rows[0].last_status), (DeliveryStatus::Delivered, 2, Some(200)));
    WebhookQueue::new(app.db.clone()).deliver_due().await.unwrap();
    let got = rx.got.lock().unwrap().clone();
    assert_eq!(got.len(), 2, "delivered once after the failure");

    // The receiver's own check of the signature, as the README describes it.
    let (headers, body) = &got[1];
    assert_eq!(headers["x-limelight-event"], "ticket_created");
    let sig = headers["x-limelight-signature"].to_str().unwrap();
    let (t, v1) = sig.strip_prefix("t=").unwrap().split_once(",v1=").unwrap();
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{t}.{body}").as_bytes());
    mac.verify_slice(&hex::decode(v1).unwrap()).expect("the signature verifies");
    let age = domain::time::now().timestamp() - t.parse::<i64>().unwrap();
    assert!((0..60).contains(&age));
    let json: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(json["event"], "ticket_created");
    assert_eq!(json["data"]["client"], "acme-dental");
    assert_eq!(json["data"]["number"], number);

    // The admin page shows the delivery log.
    let page = call(&morgan, &app, "msp/admin/integrations", &[]).await.text().await.unwrap();
    assert!(page.contains("\"status\":\"delivered\""), "{page}");
}

#[tokio::test]
async fn a_status_change_goes_to_chat_as_text_and_a_removed_webhook_gets_nothing() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let (rx, url) = receiver().await;
    let morgan = app.signed_in("morgan@limelight.test").await;
    call(
        &morgan,
        &app,
        "msp/admin/webhook-new",
        &[("url", &url), ("event", "ticket_status_changed"), ("format", "chat")],
    )
    .await;
    let id = ticket::Entity::find()
        .filter(ticket::Column::Status.eq(domain::vocabulary::TicketStatus::New))
        .one(&app.db)
        .await
        .unwrap();
    let id = match id {
        Some(t) => t.id,
        None => ticket::Entity::find().one(&app.db).await.unwrap().unwrap().id,
    };
    let sam = app.signed_in("sam@limelight.test").await;
    let res = call(&sam, &app, "msp/ticket-status", &[("id", &id.to_string()), ("status", "waiting_on_vendor")]).await;
    assert!(res.status().is_success() || res.status().is_redirection(), "{}", res.status());
    settled(&app).await;
    let got = rx.got.lock().unwrap().clone();
    assert_eq!(got.len(), 1);
    let json: serde_json::Value = serde_json::from_str(&got[0].1).unwrap();
    assert!(json["text"].as_str().unwrap().contains("is now waiting on a vendor"), "{json}");
    assert!(got[0].0.get("x-limelight-signature").is_none(), "chat bodies go unsigned");

    // Removed: the next change posts nothing.
    let hooks = call(&morgan, &app, "msp/admin/integrations", &[]).await.json::<serde_json::Value>().await.unwrap();
    let hook_id = hooks["webhooks"][0]["id"].as_i64().unwrap().to_string();
    call(&morgan, &app, "msp/admin/webhook-remove", &[("id", &hook_id)]).await;
    call(&sam, &app, "msp/ticket-status", &[("id", &id.to_string()), ("status", "open")]).await;
    WebhookQueue::new(app.db.clone()).deliver_due().await.unwrap();
    assert!(webhook_delivery::Entity::find().all(&app.db).await.unwrap().is_empty());
    assert_eq!(rx.got.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn work_is_announced_when_the_client_can_read_it_not_before() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let (rx, url) = receiver().await;
    let morgan = app.signed_in("morgan@limelight.test").await;
    call(&morgan, &app, "msp/admin/webhook-new", &[("url", &url), ("event", "work_published"), ("format", "json")])
        .await;
    let sam = app.signed_in("sam@limelight.test").await;
    let form = |title: &'static str, visibility: &'static str| {
        vec![
            ("client", "acme-dental"),
            ("category", "maintenance"),
            ("title", title),
            ("state", "done"),
            ("start", "2026-11-20T22:00"),
            ("duration_minutes", "30"),
            ("visibility", visibility),
        ]
    };
    let internal: i64 =
        call(&sam, &app, "msp/work-save", &form("Quiet internal fix", "internal")).await.json().await.unwrap();
    assert!(webhook_delivery::Entity::find().all(&app.db).await.unwrap().is_empty(), "internal work is not announced");
    call(&sam, &app, "msp/work-save", &form("Cleaned up the file server", "client")).await;
    // The internal entry made client-visible: announced then.
    let id = internal.to_string();
    let mut public = form("Quiet internal fix", "client");
    public.push(("entry_id", id.as_str()));
    call(&sam, &app, "msp/work-save", &public).await;
    settled(&app).await;
    let titles: Vec<String> = rx
        .got
        .lock()
        .unwrap()
        .iter()
        .map(|(_, b)| {
            serde_json::from_str::<serde_json::Value>(b).unwrap()["data"]["title"].as_str().unwrap().to_string()
        })
        .collect();
    assert_eq!(titles.len(), 2);
    assert!(titles.contains(&"Cleaned up the file server".to_string()));
    assert!(titles.contains(&"Quiet internal fix".to_string()));
}

#[tokio::test]
async fn a_coverage_gap_ahead_is_announced_once() {
    use domain::entities::{coverage, time_off};
    let app = spawn_app().await;
    app.seed_demo().await;
    let (rx, url) = receiver().await;
    let watch = domain::webhooks::GapWatch::new(app.db.clone());
    assert_eq!(watch.run().await.unwrap(), 0, "nobody listens yet");
    let morgan = app.signed_in("morgan@limelight.test").await;
    call(&morgan, &app, "msp/admin/webhook-new", &[("url", &url), ("event", "coverage_gap_ahead"), ("format", "json")])
        .await;
    let before = watch.run().await.unwrap();
    // Everyone on Acme's team away on the same two days, three weeks ahead: a gap.
    let acme = app.operator().unscoped().tenant_id_of("acme-dental").await.unwrap();
    let team: Vec<i64> = coverage::Entity::find()
        .filter(coverage::Column::TenantId.eq(acme))
        .filter(coverage::Column::SystemId.is_null())
        .filter(coverage::Column::Role.ne(domain::vocabulary::CoverageRole::AccountManager))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.user_id)
        .collect();
    let first =
        chrono::Utc::now().with_timezone(&chrono_tz::America::New_York).date_naive() + chrono::Duration::days(21);
    for who in &team {
        time_off::ActiveModel {
            user_id: Set(*who),
            first_day: Set(first),
            last_day: Set(first + chrono::Duration::days(1)),
            note: Set(String::new()),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .unwrap();
    }
    // Acme's gap (its people look after other clients too, whose gaps are announced as well).
    let now_announced = watch.run().await.unwrap();
    assert!(now_announced >= 1);
    assert_eq!(watch.run().await.unwrap(), 0, "announced once");
    settled(&app).await;
    let got = rx.got.lock().unwrap().clone();
    assert_eq!(got.len(), before + now_announced);
    let notice = got
        .iter()
        .map(|(_, b)| serde_json::from_str::<serde_json::Value>(b).unwrap())
        .find(|j| j["data"]["client"] == "acme-dental" && j["data"]["first_day"] == first.to_string())
        .expect("the gap is announced");
    assert_eq!(notice["event"], "coverage_gap_ahead");
    assert_eq!(notice["data"]["last_day"], (first + chrono::Duration::days(1)).to_string());
}

#[tokio::test]
async fn a_new_p1_while_the_primary_is_away_goes_to_chat() {
    use domain::entities::{coverage, tenant, time_off};
    let app = spawn_app().await;
    app.seed_demo().await;
    let (rx, url) = receiver().await;
    let morgan = app.signed_in("morgan@limelight.test").await;
    let res = call(
        &morgan,
        &app,
        "msp/admin/webhook-new",
        &[("url", &url), ("event", "p1_while_primary_away"), ("format", "chat")],
    )
    .await;
    assert_eq!(res.status(), 200);
    let dana = app.signed_in("dana@acme-dental.test").await;
    let open = |subject: &'static str, impact: &'static str, urgency: &'static str| {
        let (dana, app) = (&dana, &app);
        async move {
            let form =
                [("subject", subject), ("description", "Nobody can work"), ("impact", impact), ("urgency", urgency)];
            let res = call(dana, app, "portal/ticket-new", &form).await;
            assert_eq!(res.status(), 200);
        }
    };

    // The primary is in (the demo's time off removed): a P1 is the usual ticket_created, nothing
    // for this hook.
    time_off::Entity::delete_many().exec(&app.db).await.unwrap();
    open("Server down", "organisation", "work_stopped").await;
    assert!(settled(&app).await.is_empty());

    // The primary is away today: a P1 reaches the chat, naming who covers; a P3 does not.
    let acme =
        tenant::Entity::find().filter(tenant::Column::Slug.eq("acme-dental")).one(&app.db).await.unwrap().unwrap();
    let primary = coverage::Entity::find()
        .filter(coverage::Column::TenantId.eq(acme.id))
        .filter(coverage::Column::SystemId.is_null())
        .filter(coverage::Column::Role.eq(domain::vocabulary::CoverageRole::Primary))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let today = domain::time::now().date_naive();
    time_off::ActiveModel {
        user_id: Set(primary.user_id),
        first_day: Set(today - chrono::Duration::days(1)),
        last_day: Set(today + chrono::Duration::days(1)),
        note: Set(String::new()),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    open("Printer jammed", "individual", "inconvenience").await;
    assert!(settled(&app).await.is_empty());
    open("Phones down", "organisation", "work_stopped").await;
    let rows = settled(&app).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].status, DeliveryStatus::Delivered);
    let got = rx.got.lock().unwrap().clone();
    let chat: serde_json::Value = serde_json::from_str(&got[0].1).unwrap();
    let text = chat["text"].as_str().unwrap();
    assert!(text.contains("New P1") && text.contains("Acme Dental") && text.contains("Phones down"), "{text}");
    assert!(text.contains("is away;") && text.contains("covers"), "{text}");
}
