//! The dashboard's figures, chart, planned work and open tickets.

use crate::common::*;
use chrono::{Datelike, TimeZone};
use domain::entities::{tenant, work_entry};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

#[tokio::test]
async fn the_dashboard_adds_up() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let acme =
        tenant::Entity::find().filter(tenant::Column::Slug.eq("acme-dental")).one(&app.db).await.unwrap().unwrap();
    let tz = chrono_tz::America::New_York;
    let now = domain::time::now();
    let today = now.with_timezone(&tz).date_naive();
    let month_start = tz.from_local_datetime(&today.with_day(1).unwrap().and_hms_opt(0, 0, 0).unwrap()).unwrap();
    // Hand count: client-visible, done, started this month (tenant time).
    let entries = work_entry::Entity::find()
        .filter(work_entry::Column::TenantId.eq(acme.id))
        .filter(work_entry::Column::Visibility.eq("client"))
        .filter(work_entry::Column::State.eq("done"))
        .all(&app.db)
        .await
        .unwrap();
    let this_month: Vec<_> = entries.iter().filter(|e| e.started_at >= month_start).collect();
    let minutes: i64 = this_month.iter().map(|e| e.duration_minutes as i64).sum();
    let patches = this_month.iter().filter(|e| e.category.as_str() == "patch").count();

    let c = app.signed_in("dana@acme-dental.test").await;
    let d: serde_json::Value = call(&c, &app, "portal/home", &[]).await.json().await.unwrap();
    let figure =
        |label: &str| d["glance"]["figures"].as_array().unwrap().iter().find(|f| f["label"] == label).unwrap().clone();
    assert_eq!(figure("Pieces of work")["value"], this_month.len().to_string());
    assert_eq!(figure("Patches applied")["value"], patches.to_string());
    let hours = minutes as f64 / 60.0;
    let shown: f64 = figure("Hours of work")["value"].as_str().unwrap().parse().unwrap();
    assert!((shown - hours).abs() < 0.051, "{shown} vs {hours}");
    assert!(d["glance"]["hours"].as_str().unwrap().ends_with("of 20 hours"), "against the agreement");

    // The chart: twelve months, and its current month matches the glance.
    let months = d["chart"]["months"].as_array().unwrap();
    assert_eq!(months.len(), 12);
    let last: i64 = d["chart"]["series"].as_array().unwrap().iter().map(|s| s[1][11].as_i64().unwrap()).sum();
    assert_eq!(last, this_month.len() as i64);

    // Planned work: ahead of now, soonest first; open tickets: open only.
    let planned = d["planned"].as_array().unwrap();
    assert!(!planned.is_empty());
    let whens: Vec<&str> = planned.iter().map(|p| p["when_iso"].as_str().unwrap()).collect();
    assert!(whens.windows(2).all(|w| w[0] <= w[1]));
    assert!(
        d["open_tickets"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| !["resolved", "closed"].contains(&t["status"].as_str().unwrap()))
    );

    let html = c.get(app.url("/portal")).send_or_fail().await.text().await.unwrap();
    assert!(html.contains("role=\"img\"") && html.contains("<title id=\"chart-title\">"), "accessible SVG chart");
    assert!(html.contains("<caption>Pieces of work per month by category</caption>"), "the chart's data table");
    assert!(html.contains("at a glance"));
}
