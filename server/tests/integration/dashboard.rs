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

/// The figures come from daily totals the database keeps with triggers, and from the entries for
/// the hours between the client's midnight and UTC's: through every kind of write (new entries
/// on both sides of both midnights, moves across months, changes of category, length,
/// visibility and state, deletions, bulk updates), the chart and this month's figures stay what
/// the entries themselves add up to.
#[tokio::test]
async fn the_figures_stay_exact_through_every_kind_of_change() {
    use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};
    let app = spawn_app().await;
    app.seed_demo().await;
    let acme =
        tenant::Entity::find().filter(tenant::Column::Slug.eq("acme-dental")).one(&app.db).await.unwrap().unwrap();
    let tz: chrono_tz::Tz = acme.time_zone.parse().unwrap();
    assert_ne!(tz, chrono_tz::UTC, "the client's midnight is not UTC's, so the edges are read from entries");
    let sam = domain::entities::user::Entity::find()
        .filter(domain::entities::user::Column::Email.eq("sam@limelight.test"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let dana = app.signed_in("dana@acme-dental.test").await;
    let today = domain::time::now().with_timezone(&tz).date_naive();
    let month_start = tz.from_local_datetime(&today.with_day(1).unwrap().and_hms_opt(0, 0, 0).unwrap()).unwrap();
    let month_start = month_start.with_timezone(&chrono::Utc);
    let utc_midnight = month_start.date_naive().and_hms_opt(0, 0, 0).unwrap().and_utc();
    let second = chrono::Duration::seconds(1);

    let check = |step: &'static str| {
        let (app, dana) = (&app, &dana);
        async move {
            let entries = work_entry::Entity::find()
                .filter(work_entry::Column::TenantId.eq(acme.id))
                .filter(work_entry::Column::Visibility.eq("client"))
                .filter(work_entry::Column::State.eq("done"))
                .all(&app.db)
                .await
                .unwrap();
            // Twelve months, oldest first, in the client's time zone.
            let mut months = vec![today.with_day(1).unwrap()];
            for _ in 0..11 {
                let m = *months.last().unwrap() - chrono::Duration::days(1);
                months.push(m.with_day(1).unwrap());
            }
            months.reverse();
            let mut series: Vec<serde_json::Value> = Vec::new();
            for c in vocabulary::Category::ALL {
                let counts: Vec<i64> = months
                    .iter()
                    .map(|m| {
                        entries
                            .iter()
                            .filter(|e| e.category == *c)
                            .filter(|e| e.started_at.with_timezone(&tz).date_naive().with_day(1).unwrap() == *m)
                            .count() as i64
                    })
                    .collect();
                if counts.iter().any(|n| *n > 0) {
                    series.push(serde_json::json!([c, counts]));
                }
            }
            let this_month: Vec<_> = entries.iter().filter(|e| e.started_at >= month_start).collect();
            let d: serde_json::Value = call(dana, app, "portal/home", &[]).await.json().await.unwrap();
            assert_eq!(d["chart"]["series"], serde_json::Value::Array(series), "the chart, after {step}");
            let figure = |label: &str| {
                d["glance"]["figures"].as_array().unwrap().iter().find(|f| f["label"] == label).unwrap()["value"]
                    .clone()
            };
            assert_eq!(figure("Pieces of work"), this_month.len().to_string(), "this month's work, after {step}");
            let minutes: i64 = this_month.iter().map(|e| e.duration_minutes as i64).sum();
            let shown: f64 = figure("Hours of work").as_str().unwrap().parse().unwrap();
            assert!((shown - minutes as f64 / 60.0).abs() < 0.051, "hours after {step}: {shown} vs {minutes} min");
        }
    };
    check("the demo").await;

    // New work on both sides of the client's midnight and of UTC's, and some that does not count.
    let mut added = Vec::new();
    for (at, title) in [
        (month_start - second, "just before the client's month"),
        (month_start, "at the client's midnight"),
        (month_start + second, "just after"),
        (utc_midnight - second, "just before UTC's midnight"),
        (utc_midnight, "at UTC's midnight"),
        (month_start - chrono::Duration::days(300), "ten months ago"),
    ] {
        let mut e = work_entry(acme.id, sam.id, title);
        (e.started_at, e.duration_minutes) = (Set(at), Set(45));
        added.push(e.insert(&app.db).await.unwrap());
    }
    let mut internal = work_entry(acme.id, sam.id, "internal");
    internal.visibility = Set("internal".parse().unwrap());
    let internal = internal.insert(&app.db).await.unwrap();
    let mut planned = work_entry(acme.id, sam.id, "planned");
    planned.state = Set("planned".parse().unwrap());
    let planned = planned.insert(&app.db).await.unwrap();
    check("new work at the edges").await;

    // Moves and changes of every counted field.
    let mut m = added[2].clone().into_active_model();
    m.started_at = Set(month_start - chrono::Duration::days(20));
    m.update(&app.db).await.unwrap();
    let mut m = added[1].clone().into_active_model();
    (m.category, m.duration_minutes) = (Set("backup".parse().unwrap()), Set(240));
    m.update(&app.db).await.unwrap();
    let mut m = internal.into_active_model();
    m.visibility = Set("client".parse().unwrap());
    m.update(&app.db).await.unwrap();
    let mut m = planned.into_active_model();
    m.state = Set("done".parse().unwrap());
    m.update(&app.db).await.unwrap();
    let mut m = added[4].clone().into_active_model();
    m.state = Set("planned".parse().unwrap());
    m.update(&app.db).await.unwrap();
    check("moves and changes").await;

    // Deletions, one and many, and a change to many at once.
    work_entry::Entity::delete_by_id(added[0].id).exec(&app.db).await.unwrap();
    work_entry::Entity::update_many()
        .col_expr(work_entry::Column::Visibility, sea_orm::sea_query::Expr::value("internal"))
        .filter(work_entry::Column::TenantId.eq(acme.id))
        .filter(work_entry::Column::Category.eq("monitoring"))
        .exec(&app.db)
        .await
        .unwrap();
    work_entry::Entity::delete_many()
        .filter(work_entry::Column::TenantId.eq(acme.id))
        .filter(work_entry::Column::Category.eq("patch"))
        .filter(work_entry::Column::StartedAt.lt(month_start))
        .filter(work_entry::Column::TicketId.is_null())
        .exec(&app.db)
        .await
        .unwrap();
    check("deletions and a bulk change").await;
}
