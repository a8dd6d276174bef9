//! `/portal/summaries`: sent summaries only, each a snapshot that the work log no longer changes.

use crate::common::*;
use domain::entities::{summary, tenant, work_entry};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};

#[tokio::test]
async fn a_sent_summary_is_a_snapshot() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let acme =
        tenant::Entity::find().filter(tenant::Column::Slug.eq("acme-dental")).one(&app.db).await.unwrap().unwrap();
    let s = summary::Entity::find().filter(summary::Column::TenantId.eq(acme.id)).one(&app.db).await.unwrap().unwrap();
    let c = app.signed_in("dana@acme-dental.test").await;
    let list: serde_json::Value = call(&c, &app, "portal/summaries", &[]).await.json().await.unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
    let before = call(&c, &app, "portal/summary", &[("id", &s.id.to_string())]).await.text().await.unwrap();
    let parsed: serde_json::Value = serde_json::from_str(&before).unwrap();
    let pieces = parsed["figures"][0]["value"].as_str().unwrap().parse::<i64>().unwrap();
    assert!(pieces > 0, "last month had work");

    // Rewrite every work entry of the tenant: the sent summary does not move.
    work_entry::Entity::update_many()
        .col_expr(work_entry::Column::Title, Expr::value("Rewritten later"))
        .col_expr(work_entry::Column::Visibility, Expr::value("internal"))
        .filter(work_entry::Column::TenantId.eq(acme.id))
        .exec(&app.db)
        .await
        .unwrap();
    let after = call(&c, &app, "portal/summary", &[("id", &s.id.to_string())]).await.text().await.unwrap();
    assert_eq!(before, after);
    let html = c.get(app.url(&format!("/portal/summaries/{}", s.id))).send_retrying().await.text().await.unwrap();
    assert!(html.contains("What we worked on") && !html.contains("Rewritten later"));
}
