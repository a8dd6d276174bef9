//! The schema: migrations are repeatable and concurrent-safe, and the database itself refuses a
//! child row that points at another tenant's parent.

use crate::common::*;
use domain::entities::{system, work_entry_system};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, PaginatorTrait, Set};

#[tokio::test]
async fn migrations_run_twice_and_concurrently() {
    let test_db = TestDb::new().await;
    let db = test_db.connect().await;
    domain::db::migrate(&db).await.unwrap();
    domain::db::migrate(&db).await.unwrap();
    // Several processes starting at once: separate pools racing on a fresh database. (On SQLite
    // the file is created first: three processes creating one file at once is not the case here.)
    let fresh = TestDb::new().await;
    fresh.connect().await.close().await.unwrap();
    let mut runs = Vec::new();
    for _ in 0..3 {
        let config = fresh.config.clone();
        runs.push(tokio::spawn(async move {
            let db = domain::db::connect(&config).await.unwrap();
            domain::db::migrate(&db).await
        }));
    }
    for r in runs {
        r.await.unwrap().expect("a concurrent migration run failed");
    }
    let db = fresh.connect().await;
    assert_eq!(domain::entities::tenant::Entity::find().count(&db).await.unwrap(), 0);
}

async fn insert_system(db: &sea_orm::DatabaseConnection, tenant_id: i64) -> i64 {
    system::ActiveModel {
        tenant_id: Set(tenant_id),
        name: Set("Server".into()),
        kind: Set("server".parse().unwrap()),
        criticality: Set("high".parse().unwrap()),
        vendor: Set(None),
        notes: Set(String::new()),
        created_at: Set(domain::time::now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap()
    .id
}

#[tokio::test]
async fn a_child_cannot_point_at_another_tenants_parent() {
    let app = spawn_app().await;
    let a = app.add_tenant("tenant-a").await;
    let b = app.add_tenant("tenant-b").await;
    let tech = app.add_user("tech@msp.test", "tech", None).await;
    let system_b = insert_system(&app.db, b).await;
    let system_a = insert_system(&app.db, a).await;
    let entry_a = crate::common::work_entry(a, tech, "Patched").insert(&app.db).await.unwrap().id;

    // Tenant A's entry linked to tenant B's system: refused by the database.
    let mixed =
        work_entry_system::ActiveModel { tenant_id: Set(a), work_entry_id: Set(entry_a), system_id: Set(system_b) };
    assert!(work_entry_system::Entity::insert(mixed).exec(&app.db).await.is_err(), "cross-tenant link accepted");
    // Claiming tenant B for the link does not help either: the entry is A's.
    let mixed =
        work_entry_system::ActiveModel { tenant_id: Set(b), work_entry_id: Set(entry_a), system_id: Set(system_b) };
    assert!(work_entry_system::Entity::insert(mixed).exec(&app.db).await.is_err(), "cross-tenant link accepted");
    // The same-tenant link is fine.
    let ok =
        work_entry_system::ActiveModel { tenant_id: Set(a), work_entry_id: Set(entry_a), system_id: Set(system_a) };
    work_entry_system::Entity::insert(ok).exec(&app.db).await.unwrap();

    // Same for raw SQL: a comment on tenant B's ticket filed under tenant A.
    let res = app
        .db
        .execute_unprepared(&format!(
            "INSERT INTO knowledge (tenant_id, system_id, user_id, level) VALUES ({a}, {system_b}, {tech}, 'expert')"
        ))
        .await;
    assert!(res.is_err(), "knowledge of another tenant's system accepted");
}

#[tokio::test]
async fn sqlite_runs_in_wal_with_full_sync_and_foreign_keys() {
    if use_postgres() {
        return;
    }
    let app = spawn_app().await;
    let pragma = |name: &'static str| {
        let db = app.db.clone();
        async move {
            let row = db
                .query_one_raw(sea_orm::Statement::from_string(db.get_database_backend(), format!("PRAGMA {name}")))
                .await
                .unwrap()
                .unwrap();
            row.try_get_by_index::<i64>(0)
                .map(|v| v.to_string())
                .or_else(|_| row.try_get_by_index::<String>(0))
                .unwrap()
        }
    };
    assert_eq!(pragma("journal_mode").await, "wal");
    assert_eq!(pragma("synchronous").await, "2", "FULL");
    assert_eq!(pragma("foreign_keys").await, "1");
    assert!(pragma("busy_timeout").await.parse::<i64>().unwrap() >= 5000);
}

/// A word in a closed-set column that is not in its set (written by hand, or by an older or newer
/// version) fails the read: the page answers an opaque 500 instead of guessing a word.
#[tokio::test]
async fn a_stored_word_outside_its_set_is_an_error_not_a_default() {
    let app = spawn_app().await;
    let acme = app.add_tenant("acme").await;
    app.add_user("dana@acme.test", "client_admin", Some("acme")).await;
    let tech = app.add_user("sam@msp.test", "tech", None).await;
    let entry = crate::common::work_entry(acme, tech, "Patched the file server").insert(&app.db).await.unwrap().id;
    let client = app.signed_in("dana@acme.test").await;
    let page = client.get(app.url(&format!("/portal/work/{entry}"))).send_or_fail().await;
    assert_eq!(page.status(), 200);

    app.db
        .execute_unprepared(&format!("UPDATE work_entry SET category = 'gardening' WHERE id = {entry}"))
        .await
        .unwrap();
    let page = client.get(app.url(&format!("/portal/work/{entry}"))).send_or_fail().await;
    assert_eq!(page.status(), 500);
    let body = page.text().await.unwrap();
    assert!(!body.contains("Patched the file server"), "the entry was shown with a guessed category");

    // A role nobody knows: the person is not signed in as some default role.
    app.db.execute_unprepared("UPDATE user_account SET role = 'boss' WHERE email = 'sam@msp.test'").await.unwrap();
    let res = app.post_login(&browser(), "sam@msp.test", PASSWORD).await;
    assert_eq!(res.status(), 500, "signed in with an unknown role");
}
