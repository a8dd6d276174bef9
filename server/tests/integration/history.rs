//! `/portal/work`: filters, keyset pagination and the CSV export.

use crate::common::*;
use domain::entities::{tenant, user, work_entry};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use std::collections::HashSet;

async fn tenant_id(app: &TestApp, slug: &str) -> i64 {
    tenant::Entity::find().filter(tenant::Column::Slug.eq(slug)).one(&app.db).await.unwrap().unwrap().id
}

/// Every client-visible, done entry of a tenant.
async fn visible_done(app: &TestApp, tenant: i64) -> Vec<work_entry::Model> {
    work_entry::Entity::find()
        .filter(work_entry::Column::TenantId.eq(tenant))
        .filter(work_entry::Column::Visibility.eq("client"))
        .filter(work_entry::Column::State.eq("done"))
        .all(&app.db)
        .await
        .unwrap()
}

async fn insert_entry(app: &TestApp, tenant: i64, title: &str, minutes_ago: i64) -> i64 {
    let tech = user::Entity::find().filter(user::Column::Role.eq("tech")).one(&app.db).await.unwrap().unwrap().id;
    let at = domain::time::now() - chrono::Duration::minutes(minutes_ago);
    let mut entry = crate::common::work_entry(tenant, tech, title);
    entry.why_it_matters = Set("+ it matters".into());
    entry.started_at = Set(at);
    entry.insert(&app.db).await.unwrap().id
}

async fn history(app: &TestApp, c: &reqwest::Client, fields: &[(&str, &str)]) -> reqwest::Response {
    let form: Vec<(String, &str)> = fields.iter().map(|(k, v)| (format!("query[{k}]"), *v)).collect();
    c.post(app.url("/api/portal/work-history")).form(&form).send_or_fail().await
}

#[tokio::test]
async fn pages_hold_every_row_exactly_once_even_while_rows_arrive() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let acme = tenant_id(&app, "acme-dental").await;
    let expected: HashSet<i64> = visible_done(&app, acme).await.into_iter().map(|e| e.id).collect();
    assert!(expected.len() > 50, "the demo gives several pages");
    let c = app.signed_in("lee@acme-dental.test").await;
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    let mut pages = 0;
    loop {
        let mut fields = vec![];
        if let Some(a) = &after {
            fields.push(("after", a.as_str()));
        }
        let res = history(&app, &c, &fields).await;
        assert_eq!(res.status(), 200);
        let page: serde_json::Value = res.json().await.unwrap();
        for item in page["items"].as_array().unwrap() {
            seen.push(item["id"].as_i64().unwrap());
        }
        pages += 1;
        // New work keeps arriving while the client pages back through history.
        insert_entry(&app, acme, &format!("Arrived during page {pages}"), 1).await;
        match page["next"].as_str() {
            Some(n) => after = Some(n.to_string()),
            None => break,
        }
    }
    assert!(pages > 2);
    let unique: HashSet<i64> = seen.iter().copied().collect();
    assert_eq!(unique.len(), seen.len(), "a row appeared on two pages");
    // Rows that arrived while paging are newer than every cursor: they belong to page 1 of a new
    // walk, not to this one.
    assert_eq!(unique, expected, "a row was skipped, or a newer one slipped into an older page");
}

#[tokio::test]
async fn filters_narrow_the_history_and_bad_filters_say_why() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let acme = tenant_id(&app, "acme-dental").await;
    let all = visible_done(&app, acme).await;
    let c = app.signed_in("dana@acme-dental.test").await;

    let page: serde_json::Value = history(&app, &c, &[("category", "patch")]).await.json().await.unwrap();
    let items = page["items"].as_array().unwrap();
    assert!(!items.is_empty());
    assert!(items.iter().all(|i| i["category"] == "patch"));

    let page: serde_json::Value = history(&app, &c, &[("after_hours", "on")]).await.json().await.unwrap();
    assert!(page["items"].as_array().unwrap().iter().all(|i| i["after_hours"] == true));

    let marker = insert_entry(&app, acme, "Replaced the 50%_UPS battery", 5).await;
    let page: serde_json::Value = history(&app, &c, &[("q", "50%_ups")]).await.json().await.unwrap();
    let ids: Vec<i64> = page["items"].as_array().unwrap().iter().map(|i| i["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, vec![marker], "text search is case-insensitive and takes % and _ literally");

    // A date range: only work inside it (days in the tenant's time zone).
    let oldest = all.iter().map(|e| e.started_at).min().unwrap();
    let day = oldest.with_timezone(&chrono_tz::America::New_York).date_naive().to_string();
    let page: serde_json::Value = history(&app, &c, &[("from", &day), ("to", &day)]).await.json().await.unwrap();
    let items = page["items"].as_array().unwrap();
    assert!(!items.is_empty());
    assert!(items.iter().all(|i| i["when_iso"].as_str().unwrap() >= "2000"));

    for (k, v, msg) in [
        ("category", "gardening", "no category"),
        ("from", "21/11/2026", "not a date"),
        ("after", "garbage", "not valid"),
        ("system", "abc", "no system"),
    ] {
        let res = history(&app, &c, &[(k, v)]).await;
        assert_eq!(res.status(), 422, "{k}={v}");
        assert!(res.text().await.unwrap().contains(msg), "{k}={v}");
    }
    // Another tenant's system filters to nothing: its id gives no rows and no error.
    let page: serde_json::Value = history(&app, &c, &[("system", "999999")]).await.json().await.unwrap();
    assert!(page["items"].as_array().unwrap().is_empty());

    // The page itself, without JavaScript: filters in the query string.
    let html = c.get(app.url("/portal/work?category=backup")).send_or_fail().await.text().await.unwrap();
    assert!(html.contains("Work history") && html.contains("cat-backup"));
    assert!(!html.contains("cat-patch\""), "only backups listed");
}

#[tokio::test]
async fn csv_export_is_quoted_formula_safe_and_complete() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let acme = tenant_id(&app, "acme-dental").await;
    insert_entry(&app, acme, "=HYPERLINK(\"http://evil.example\",\"click\")", 3).await;
    let total = visible_done(&app, acme).await.len();
    let c = app.signed_in("lee@acme-dental.test").await;
    let res = c.get(app.url("/portal/work.csv")).send_or_fail().await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    assert!(res.headers()["content-disposition"].to_str().unwrap().contains("attachment"));
    let body = res.text().await.unwrap();
    let lines: Vec<&str> = body.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert!(lines[0].starts_with("\"Date\",\"Time\",\"Category\""));
    assert_eq!(lines.len() - 1, total, "one line per entry");
    assert!(body.contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\""), "formula defused");
    assert!(body.contains("\"'+ it matters\""));
    assert!(!body.contains("Internal:"));

    let patches = c.get(app.url("/portal/work.csv?category=patch")).send_or_fail().await.text().await.unwrap();
    assert!(patches.lines().skip(1).all(|l| l.contains("\"Patches\"")));
    let bad = c.get(app.url("/portal/work.csv?category=nope")).send_or_fail().await;
    assert_eq!(bad.status(), 422);
}
