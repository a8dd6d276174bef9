//! Text typed by people is shown as text; Markdown is shown as formatting, never as script.

use crate::common::*;
use domain::entities::{tenant, user};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

const PAYLOAD: &str = "<script>alert('x')</script><img src=x onerror=alert(1)>";

#[tokio::test]
async fn work_entry_fields_are_inert_on_every_page() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let acme =
        tenant::Entity::find().filter(tenant::Column::Slug.eq("acme-dental")).one(&app.db).await.unwrap().unwrap();
    let tech = user::Entity::find().filter(user::Column::Role.eq("tech")).one(&app.db).await.unwrap().unwrap();
    let mut entry = crate::common::work_entry(acme.id, tech.id, &format!("Title {PAYLOAD}"));
    entry.category = Set("security".parse().unwrap());
    entry.details = Set(format!(
        "Details {PAYLOAD}

[link](javascript:alert(2)) and **bold**"
    ));
    entry.why_it_matters = Set(format!("Why {PAYLOAD}"));
    entry.vendor_name = Set(Some(format!("Vendor {PAYLOAD}")));
    entry.vendor_case_ref = Set(Some("\"><script>alert(3)</script>".into()));
    let id = entry.insert(&app.db).await.unwrap().id;
    let c = app.signed_in("dana@acme-dental.test").await;
    for path in ["/portal".to_string(), "/portal/work".to_string(), format!("/portal/work/{id}")] {
        let html = c.get(app.url(&path)).send_or_fail().await.text().await.unwrap();
        // The whole response: the page and the hydration data leptos appends after it.
        let body = html.split("<body>").nth(1).unwrap();
        assert!(body.contains("Title &lt;script&gt;"), "{path}: the title is not shown as text");
        for bad in ["<script>alert", "<img src=x onerror", "javascript:alert"] {
            assert!(!body.contains(bad), "{path}: {bad} reached the page");
        }
    }
    let html = c.get(app.url(&format!("/portal/work/{id}"))).send_or_fail().await.text().await.unwrap();
    assert!(html.contains("<strong>bold</strong>"), "Markdown is rendered");
}

#[tokio::test]
async fn typed_search_text_is_inert_where_it_is_echoed() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let c = app.signed_in("dana@acme-dental.test").await;
    let q = "\"><script>alert(5)</script>";
    let url = format!("/portal/work?q={}&category=%22%3E%3Cscript%3E", "%22%3E%3Cscript%3Ealert(5)%3C%2Fscript%3E");
    let res = c.get(app.url(&url)).send_or_fail().await;
    assert_eq!(res.status(), 422, "an unknown category is refused");
    let html =
        c.get(app.url(&format!("/portal/work?q={}", "%22%3E%3Cscript%3Ealert(5)%3C%2Fscript%3E"))).send_or_fail().await;
    let body = html.text().await.unwrap();
    assert!(!body.contains(q) && !body.contains("<script>alert(5)"), "the search text is escaped");
    assert!(body.contains("No work matches"));
}
