//! `/api/v1` writes: work entries and systems by the pages' rules (a client-scoped token works
//! with what its client sees), and the staff records (clients, teams, time off) that only a token
//! for every client reaches. Bad input names its field and writes nothing.

use crate::api::{api, get, problem, token};
use crate::common::*;
use domain::entities::{audit_event, coverage, system, tenant, time_off, work_entry};
use domain::vocabulary::{AuditAction, Visibility};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

async fn send(
    app: &TestApp,
    method: reqwest::Method,
    token: &str,
    path: &str,
    body: Option<Value>,
) -> reqwest::Response {
    let mut req = api().request(method, app.url(path)).bearer_auth(token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    req.send_or_fail().await
}

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> reqwest::Response {
    send(app, reqwest::Method::POST, token, path, Some(body)).await
}

async fn put(app: &TestApp, token: &str, path: &str, body: Value) -> reqwest::Response {
    send(app, reqwest::Method::PUT, token, path, Some(body)).await
}

async fn delete(app: &TestApp, token: &str, path: &str) -> reqwest::Response {
    send(app, reqwest::Method::DELETE, token, path, None).await
}

/// A 422 naming `field`.
async fn wrong_field(res: reqwest::Response, field: &str) {
    let body = problem(res, 422, "invalid_request").await;
    assert_eq!(body["errors"][0]["field"], field, "{body}");
}

async fn system_of(app: &TestApp, slug: &str) -> i64 {
    let t = tenant::Entity::find().filter(tenant::Column::Slug.eq(slug)).one(&app.db).await.unwrap().unwrap();
    system::Entity::find().filter(system::Column::TenantId.eq(t.id)).one(&app.db).await.unwrap().unwrap().id
}

/// Last night at 22:00 in New York (the demo's clients' zone): after hours.
fn last_night() -> String {
    let ny = chrono_tz::America::New_York;
    let today = domain::time::now().with_timezone(&ny).date_naive();
    let at = (today - chrono::Duration::days(1)).and_hms_opt(22, 0, 0).unwrap();
    use chrono::TimeZone;
    ny.from_local_datetime(&at).earliest().unwrap().to_utc().to_rfc3339()
}

fn entry(title: &str, systems: Vec<i64>) -> Value {
    json!({"category": "maintenance", "title": title, "why_it_matters": "Fewer surprises on Monday.",
           "state": "done", "started_at": last_night(), "duration_minutes": 45,
           "performed_by": "sam@limelight.test", "systems": systems})
}

#[tokio::test]
async fn work_entries_through_the_api_follow_the_pages_rules() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let acme = token(&app, "acme-psa", "acme-dental", "read,write").await;
    let staff = token(&app, "psa", "all", "read,write").await;
    let reader = token(&app, "reader", "acme-dental", "read").await;
    let acme_system = system_of(&app, "acme-dental").await;
    let northwind_system = system_of(&app, "northwind-legal").await;
    let count = || async { work_entry::Entity::find().count(&app.db).await.unwrap() };
    let before = count().await;

    // Bad input: each names its field, and nothing is written.
    let mut e = entry("Rotated the backup drives", vec![acme_system]);
    e["title"] = json!("  ");
    wrong_field(post(&app, &acme, "/api/v1/clients/acme-dental/work", e).await, "title").await;
    let mut e = entry("x", vec![]);
    e["performed_by"] = json!("dana@acme-dental.test");
    wrong_field(post(&app, &acme, "/api/v1/clients/acme-dental/work", e).await, "performed_by").await;
    let e = entry("x", vec![northwind_system]);
    wrong_field(post(&app, &acme, "/api/v1/clients/acme-dental/work", e).await, "systems").await;
    let mut e = entry("x", vec![]);
    e["duration_minutes"] = json!(0);
    wrong_field(post(&app, &acme, "/api/v1/clients/acme-dental/work", e).await, "duration_minutes").await;
    let mut e = entry("x", vec![]);
    e["category"] = json!("galaxy");
    wrong_field(post(&app, &acme, "/api/v1/clients/acme-dental/work", e).await, "category").await;
    let mut e = entry("x", vec![]);
    e["started_at"] = json!((domain::time::now() + chrono::Duration::days(2)).to_rfc3339());
    wrong_field(post(&app, &acme, "/api/v1/clients/acme-dental/work", e).await, "started_at").await;
    let mut e = entry("x", vec![]);
    e["ticket"] = json!(98765);
    wrong_field(post(&app, &acme, "/api/v1/clients/acme-dental/work", e).await, "ticket").await;
    // Roles: read only; internal work from a client-scoped token; another client (as missing).
    let e = entry("x", vec![]);
    problem(post(&app, &reader, "/api/v1/clients/acme-dental/work", e.clone()).await, 403, "forbidden").await;
    let mut internal = entry("Reviewed the firewall rules", vec![]);
    internal["visibility"] = json!("internal");
    problem(post(&app, &acme, "/api/v1/clients/acme-dental/work", internal.clone()).await, 403, "forbidden").await;
    let other = post(&app, &acme, "/api/v1/clients/northwind-legal/work", e.clone()).await;
    let missing = post(&app, &acme, "/api/v1/clients/no-such-client/work", e).await;
    assert_eq!(other.status(), 404);
    assert_eq!(other.text().await.unwrap(), missing.text().await.unwrap());
    assert_eq!(count().await, before, "nothing written by a refused request");

    // Logged: after hours from the client's hours, the system linked, read back by id.
    let res =
        post(&app, &acme, "/api/v1/clients/acme-dental/work", entry("Rotated the backup drives", vec![acme_system]))
            .await;
    assert_eq!(res.status(), 201);
    let logged: Value = res.json().await.unwrap();
    assert_eq!(logged["after_hours"], true, "{logged}");
    assert_eq!(logged["system_ids"], json!([acme_system]));
    assert_eq!(logged["performed_by"], "Sam Okafor");
    let id = logged["id"].as_i64().unwrap();
    let path = format!("/api/v1/clients/acme-dental/work/{id}");
    assert_eq!(get(&app, &acme, &path).await.json::<Value>().await.unwrap(), logged);
    let dana = app.signed_in("dana@acme-dental.test").await;
    let feed = dana.get(app.url("/portal/work")).send_or_fail().await.text().await.unwrap();
    assert!(feed.contains("Rotated the backup drives"), "the client reads it");

    // Rewritten by the client-scoped token; its client's entry only.
    problem(put(&app, &reader, &path, entry("x", vec![])).await, 403, "forbidden").await;
    problem(delete(&app, &reader, &path).await, 403, "forbidden").await;
    // Each refusal is in the audit log: which token, what it asked, why not.
    let refused = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq(AuditAction::AccessRefused))
        .all(&app.db)
        .await
        .unwrap();
    let last = refused.last().expect("the refusals are audited");
    assert!(last.target.ends_with(&format!("DELETE {path}")), "{}", last.target);
    assert_eq!(last.detail.as_deref(), Some("This token lacks the write permission."));
    assert!(last.tenant_id.is_some(), "the token's client");
    let res = put(&app, &acme, &path, entry("Rotated and tested the backup drives", vec![])).await;
    assert_eq!(res.status(), 200);
    let row = work_entry::Entity::find_by_id(id).one(&app.db).await.unwrap().unwrap();
    assert_eq!(row.title, "Rotated and tested the backup drives");
    let other = put(&app, &acme, &format!("/api/v1/clients/northwind-legal/work/{id}"), entry("x", vec![])).await;
    assert_eq!(other.status(), 404);

    // Internal work: staff's token writes and reads it; the client's token never sees it.
    let res = post(&app, &staff, "/api/v1/clients/acme-dental/work", internal).await;
    assert_eq!(res.status(), 201);
    let secret = res.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let hidden = get(&app, &acme, &format!("/api/v1/clients/acme-dental/work/{secret}")).await;
    let missing = get(&app, &acme, "/api/v1/clients/acme-dental/work/987654321").await;
    assert_eq!(hidden.status(), 404);
    assert_eq!(hidden.text().await.unwrap(), missing.text().await.unwrap());
    let listed = |token: String| {
        let app = &app;
        async move {
            let page: Value = get(app, &token, "/api/v1/clients/acme-dental/work?limit=10").await.json().await.unwrap();
            page["items"].as_array().unwrap().iter().map(|w| w["id"].as_i64().unwrap()).collect::<Vec<_>>()
        }
    };
    assert!(!listed(acme.clone()).await.contains(&secret));
    assert!(listed(staff.clone()).await.contains(&secret));
    let path_secret = format!("/api/v1/clients/acme-dental/work/{secret}");
    assert_eq!(put(&app, &acme, &path_secret, entry("x", vec![])).await.status(), 404);
    assert_eq!(delete(&app, &acme, &path_secret).await.status(), 404);
    assert!(work_entry::Entity::find_by_id(secret).one(&app.db).await.unwrap().is_some());

    // Deleted by staff's token: gone, and the audit log names the token.
    assert_eq!(delete(&app, &staff, &path_secret).await.status(), 204);
    assert!(work_entry::Entity::find_by_id(secret).one(&app.db).await.unwrap().is_none());
    assert_eq!(delete(&app, &staff, &path_secret).await.status(), 404);
    let audited = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq(AuditAction::WorkDeleted))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(audited.target.starts_with("token psa: work entry"), "{}", audited.target);
    let row = work_entry::Entity::find_by_id(id).one(&app.db).await.unwrap().unwrap();
    assert_eq!(row.visibility, Visibility::Client);
}

#[tokio::test]
async fn systems_through_the_api() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let acme = token(&app, "acme-psa", "acme-dental", "read,write").await;
    let reader = token(&app, "reader", "acme-dental", "read").await;
    let northwind_system = system_of(&app, "northwind-legal").await;
    let before = system::Entity::find().count(&app.db).await.unwrap();
    let nas = json!({"name": "NAS", "kind": "server", "criticality": "high"});
    problem(post(&app, &reader, "/api/v1/clients/acme-dental/systems", nas).await, 403, "forbidden").await;

    let bad = json!({"name": "NAS", "kind": "toaster", "criticality": "high"});
    wrong_field(post(&app, &acme, "/api/v1/clients/acme-dental/systems", bad).await, "kind").await;
    let bad = json!({"name": " ", "kind": "server", "criticality": "high"});
    wrong_field(post(&app, &acme, "/api/v1/clients/acme-dental/systems", bad).await, "name").await;
    assert_eq!(system::Entity::find().count(&app.db).await.unwrap(), before);

    let res = post(
        &app,
        &acme,
        "/api/v1/clients/acme-dental/systems",
        json!({"name": "Imaging NAS", "kind": "server", "criticality": "high", "vendor": "Synology"}),
    )
    .await;
    assert_eq!(res.status(), 201);
    let id = res.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let path = format!("/api/v1/clients/acme-dental/systems/{id}");
    assert_eq!(get(&app, &acme, &path).await.json::<Value>().await.unwrap()["name"], "Imaging NAS");
    let res =
        put(&app, &acme, &path, json!({"name": "Imaging NAS 2", "kind": "server", "criticality": "medium"})).await;
    assert_eq!(res.status(), 200);
    assert_eq!(system::Entity::find_by_id(id).one(&app.db).await.unwrap().unwrap().name, "Imaging NAS 2");

    // Northwind's system: not there, by either client's path.
    for path in [
        format!("/api/v1/clients/northwind-legal/systems/{northwind_system}"),
        format!("/api/v1/clients/acme-dental/systems/{northwind_system}"),
    ] {
        assert_eq!(get(&app, &acme, &path).await.status(), 404, "{path}");
        let res = put(&app, &acme, &path, json!({"name": "Mine now", "kind": "server", "criticality": "low"})).await;
        assert_eq!(res.status(), 404, "{path}");
    }
    let theirs = system::Entity::find_by_id(northwind_system).one(&app.db).await.unwrap().unwrap();
    assert_ne!(theirs.name, "Mine now");
}

#[tokio::test]
async fn staff_records_need_a_token_for_every_client() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let acme = token(&app, "acme-psa", "acme-dental", "read,write").await;
    let staff = token(&app, "psa", "all", "read,write").await;
    let staff_reader = token(&app, "hr", "all", "read").await;
    let today = domain::time::now().date_naive();
    let day = |n: i64| (today + chrono::Duration::days(n)).to_string();

    // A client-scoped token is refused every staff record, whatever it asks.
    let client = json!({"slug": "fabrikam", "name": "Fabrikam", "time_zone": "Europe/London"});
    let team = json!({"primary": "riley@limelight.test", "backups": ["sam@limelight.test"], "account_manager": "alex@limelight.test"});
    let away = json!({"person": "sam@limelight.test", "first_day": day(10), "last_day": day(12)});
    problem(post(&app, &acme, "/api/v1/clients", client.clone()).await, 403, "forbidden").await;
    problem(put(&app, &acme, "/api/v1/clients/acme-dental/team", team.clone()).await, 403, "forbidden").await;
    problem(get(&app, &acme, "/api/v1/time-off").await, 403, "forbidden").await;
    problem(post(&app, &acme, "/api/v1/time-off", away.clone()).await, 403, "forbidden").await;
    problem(delete(&app, &acme, "/api/v1/time-off/1").await, 403, "forbidden").await;
    let refusals = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq(AuditAction::AccessRefused))
        .filter(audit_event::Column::Detail.eq("This needs a token for every client."))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(refusals, 5, "every staff record refused, and logged");
    problem(post(&app, &staff_reader, "/api/v1/time-off", away.clone()).await, 403, "forbidden").await;

    // Clients.
    let mut bad = client.clone();
    bad["time_zone"] = json!("Mars/Olympus");
    wrong_field(post(&app, &staff, "/api/v1/clients", bad).await, "time_zone").await;
    assert!(tenant::Entity::find().filter(tenant::Column::Slug.eq("fabrikam")).one(&app.db).await.unwrap().is_none());
    assert_eq!(post(&app, &staff, "/api/v1/clients", client.clone()).await.status(), 201);
    problem(post(&app, &staff, "/api/v1/clients", client).await, 409, "conflict").await;
    assert_eq!(get(&app, &staff, "/api/v1/clients/fabrikam").await.status(), 200);

    // A team: bad people are named and change nothing.
    let acme_id = app.operator().unscoped().tenant_id_of("acme-dental").await.unwrap();
    let rows = || async {
        coverage::Entity::find().filter(coverage::Column::TenantId.eq(acme_id)).all(&app.db).await.unwrap()
    };
    let before = rows().await;
    let mut bad = team.clone();
    bad["backups"] = json!(["riley@limelight.test"]);
    wrong_field(put(&app, &staff, "/api/v1/clients/acme-dental/team", bad).await, "backups[0]").await;
    let mut bad = team.clone();
    bad["primary"] = json!("alex@limelight.test");
    wrong_field(put(&app, &staff, "/api/v1/clients/acme-dental/team", bad).await, "primary").await;
    let mut bad = team.clone();
    bad["account_manager"] = json!("dana@acme-dental.test");
    wrong_field(put(&app, &staff, "/api/v1/clients/acme-dental/team", bad).await, "account_manager").await;
    assert_eq!(rows().await, before, "a refused team changes nothing");
    let res = put(&app, &staff, "/api/v1/clients/acme-dental/team", team).await;
    assert_eq!(res.status(), 200);
    let out: Value = res.json().await.unwrap();
    assert_eq!(out["primary"]["name"], "Riley Chen", "{out}");
    assert_eq!(out["backups"][0]["name"], "Sam Okafor");
    assert_eq!(out["account_manager"]["name"], "Alex Novak");
    assert_eq!(
        problem(put(&app, &staff, "/api/v1/clients/no-such/team", json!({})).await, 404, "not_found").await["status"],
        404
    );

    // Time off: added, merged with a stretch it touches, listed in pages, removed.
    let mut bad = away.clone();
    bad["person"] = json!("dana@acme-dental.test");
    wrong_field(post(&app, &staff, "/api/v1/time-off", bad).await, "person").await;
    let mut bad = away.clone();
    bad["last_day"] = json!(day(9));
    wrong_field(post(&app, &staff, "/api/v1/time-off", bad).await, "last_day").await;
    let sam_off = || async {
        let sam = domain::entities::user::Entity::find()
            .filter(domain::entities::user::Column::Email.eq("sam@limelight.test"))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        time_off::Entity::find().filter(time_off::Column::UserId.eq(sam.id)).count(&app.db).await.unwrap()
    };
    let before = sam_off().await;
    assert_eq!(post(&app, &staff, "/api/v1/time-off", away).await.status(), 201);
    let res = post(
        &app,
        &staff,
        "/api/v1/time-off",
        json!({"person": "sam@limelight.test", "first_day": day(13), "note": "Dentist"}),
    )
    .await;
    assert_eq!(res.status(), 201);
    let merged: Value = res.json().await.unwrap();
    assert_eq!(
        (merged["first_day"].as_str(), merged["last_day"].as_str()),
        (Some(day(10).as_str()), Some(day(13).as_str()))
    );
    assert_eq!(sam_off().await, before + 1, "one stretch, merged");
    let mut seen = Vec::new();
    let mut path = format!("/api/v1/time-off?person=sam@limelight.test&from={}&limit=1", day(0));
    loop {
        let page: Value = get(&app, &staff_reader, &path).await.json().await.unwrap();
        seen.extend(page["items"].as_array().unwrap().iter().map(|t| t["id"].as_i64().unwrap()));
        match page["next"].as_str() {
            Some(next) => {
                path = format!("/api/v1/time-off?person=sam@limelight.test&from={}&limit=1&after={next}", day(0))
            }
            None => break,
        }
    }
    let id = merged["id"].as_i64().unwrap();
    assert!(seen.contains(&id), "{seen:?}");
    assert_eq!(seen.iter().collect::<std::collections::HashSet<_>>().len(), seen.len(), "no stretch twice");
    assert_eq!(delete(&app, &staff, &format!("/api/v1/time-off/{id}")).await.status(), 204);
    problem(delete(&app, &staff, &format!("/api/v1/time-off/{id}")).await, 404, "not_found").await;
    assert_eq!(sam_off().await, before);
}

#[tokio::test]
async fn a_token_opens_tickets_at_a_bounded_pace() {
    use domain::auth::throttle::{Paced, TOKEN_FACTOR};
    use domain::entities::ticket;
    let app = spawn_app().await;
    app.seed_demo().await;
    let psa = token(&app, "psa", "acme-dental", "write").await;
    let before = ticket::Entity::find().count(&app.db).await.unwrap();
    let hourly = (Paced::Ticket.limits().0 * TOKEN_FACTOR) as u64;
    let body = json!({ "subject": "Printer jam", "description": "Tray 2.", "impact": "individual", "urgency": "inconvenience" });
    for i in 0..hourly {
        let res = post(&app, &psa, "/api/v1/clients/acme-dental/tickets", body.clone()).await;
        assert_eq!(res.status(), 201, "ticket {i}");
    }
    let res = post(&app, &psa, "/api/v1/clients/acme-dental/tickets", body.clone()).await;
    assert!(res.headers().contains_key("retry-after"));
    problem(res, 429, "too_many_requests").await;
    assert_eq!(ticket::Entity::find().count(&app.db).await.unwrap(), before + hourly, "the refused one made nothing");
    // Another tool's token has its own hour.
    let other = token(&app, "other", "acme-dental", "write").await;
    assert_eq!(post(&app, &other, "/api/v1/clients/acme-dental/tickets", body).await.status(), 201);
}
