//! `/portal/systems`: the client's systems and each one's history.

use crate::common::*;
use domain::entities::{system, tenant, work_entry, work_entry_system};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

#[tokio::test]
async fn each_system_shows_its_own_client_visible_work() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let acme =
        tenant::Entity::find().filter(tenant::Column::Slug.eq("acme-dental")).one(&app.db).await.unwrap().unwrap();
    let fs01 = system::Entity::find()
        .filter(system::Column::TenantId.eq(acme.id))
        .filter(system::Column::Name.eq("File server FS01"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let linked: Vec<i64> = work_entry_system::Entity::find()
        .filter(work_entry_system::Column::SystemId.eq(fs01.id))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|l| l.work_entry_id)
        .collect();
    let expected: Vec<i64> = work_entry::Entity::find()
        .filter(work_entry::Column::Id.is_in(linked))
        .filter(work_entry::Column::Visibility.eq("client"))
        .filter(work_entry::Column::State.eq("done"))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.id)
        .collect();

    let c = app.signed_in("lee@acme-dental.test").await;
    let mut seen = Vec::new();
    let mut after = String::new();
    loop {
        let d: serde_json::Value = call(&c, &app, "portal/system", &[("id", &fs01.id.to_string()), ("after", &after)])
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(d["system"]["name"], "File server FS01");
        seen.extend(d["work"].as_array().unwrap().iter().map(|w| w["id"].as_i64().unwrap()));
        match d["next"].as_str() {
            Some(n) => after = n.to_string(),
            None => break,
        }
    }
    let mut a = seen.clone();
    a.sort();
    let mut b = expected.clone();
    b.sort();
    assert_eq!(a, b, "exactly the system's client-visible work");

    let list: serde_json::Value = call(&c, &app, "portal/systems", &[]).await.json().await.unwrap();
    let rows = list.as_array().unwrap();
    assert_eq!(rows.len(), 5);
    let fs = rows.iter().find(|r| r["system"]["name"] == "File server FS01").unwrap();
    assert_eq!(fs["last_work"]["id"].as_i64(), seen.first().copied(), "the latest work on it");
    let html = c.get(app.url(&format!("/portal/systems/{}", fs01.id))).send_or_fail().await.text().await.unwrap();
    assert!(html.contains("Work on this system"));
}
