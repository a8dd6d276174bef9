//! The team card and `/portal/team`: who covers today, and backup readiness in client words.

use crate::common::*;
use domain::entities::{time_off, user};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

#[tokio::test]
async fn a_backup_covers_while_the_primary_is_away() {
    let app = spawn_app().await;
    app.seed_demo().await;
    // Acme's primary (Sam) is on vacation in the demo: Riley, the first backup, covers.
    let acme = app.signed_in("lee@acme-dental.test").await;
    let team: serde_json::Value = call(&acme, &app, "portal/team", &[]).await.json().await.unwrap();
    assert_eq!(team["covering"], "Riley Chen");
    assert!(team["today"].as_str().unwrap().starts_with("Sam is away (back on "), "{team}");
    assert!(team["primary"]["away"].as_str().unwrap().starts_with("back on"));
    assert_eq!(team["account_manager"]["name"], "Alex Novak");
    let dashboard = acme.get(app.url("/portal")).send_or_fail().await.text().await.unwrap();
    assert!(dashboard.contains("so Riley Chen is covering"), "the dashboard's team card says who covers");

    // Northwind's primary (Riley) is in.
    let northwind = app.signed_in("tom@northwind-legal.test").await;
    let team: serde_json::Value = call(&northwind, &app, "portal/team", &[]).await.json().await.unwrap();
    assert_eq!(team["covering"], "Riley Chen");
    assert_eq!(team["today"], "Riley is looking after you today.");

    // Everyone on Acme's team away: a gap, said plainly.
    let today = domain::time::now().date_naive();
    for email in ["riley@limelight.test", "jordan@limelight.test"] {
        let id = user::Entity::find().filter(user::Column::Email.eq(email)).one(&app.db).await.unwrap().unwrap().id;
        time_off::ActiveModel {
            user_id: Set(id),
            first_day: Set(today - chrono::Duration::days(1)),
            last_day: Set(today + chrono::Duration::days(1)),
            note: Set(String::new()),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .unwrap();
    }
    let team: serde_json::Value = call(&acme, &app, "portal/team", &[]).await.json().await.unwrap();
    assert!(team["covering"].is_null());
    assert!(team["today"].as_str().unwrap().contains("usual team is away"));
}

#[tokio::test]
async fn backup_readiness_in_client_words() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let c = app.signed_in("dana@acme-dental.test").await;
    let team: serde_json::Value = call(&c, &app, "portal/team", &[]).await.json().await.unwrap();
    let system = |name: &str| team["systems"].as_array().unwrap().iter().find(|s| s["name"] == name).unwrap().clone();
    // Two people know it, its runbook was reviewed a month ago.
    assert_eq!(system("File server FS01")["ready"], true);
    // Its runbook was last reviewed 220 days ago.
    let firewall = system("Firewall");
    assert_eq!(firewall["ready"], false);
    assert!(firewall["words"].to_string().contains("reviewing the written steps"));
    // No runbook at all.
    assert!(system("Offsite backup")["words"].to_string().contains("writing down how"));
    let html = c.get(app.url("/portal/team")).send_or_fail().await.text().await.unwrap();
    assert!(html.contains("Backup readiness") && html.contains("Offsite backup"));
    assert!(!html.contains("Northwind"));
}
