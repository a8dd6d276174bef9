//! Calendar feeds: private links, what each person's feed holds, and a second parser's reading.

use crate::common::*;
use chrono::{Duration, NaiveDate, Utc};
use domain::entities::{coverage, time_off, user};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::json;

async fn new_link(app: &TestApp, who: &reqwest::Client) -> String {
    let res = call(who, app, "account/calendar-new", &[]).await;
    assert_eq!(res.status(), 200);
    let url: String = res.json().await.unwrap();
    assert!(url.starts_with(&app.url("/calendar/llc_")) && url.ends_with(".ics"), "{url}");
    url
}

async fn fetch(url: &str) -> (u16, String, String) {
    let res = reqwest::Client::new().get(url).send_or_fail().await;
    let kind = res.headers().get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    (res.status().as_u16(), kind, res.text().await.unwrap())
}

/// Reads the feed with Python's `icalendar` (xtask provides it as LIMELIGHT_PYTHON) and checks
/// the expected events there too. Without it, says so: CI always has it.
fn second_parser(feed: &str, expected: serde_json::Value) {
    let Ok(python) = std::env::var("LIMELIGHT_PYTHON") else {
        eprintln!("LIMELIGHT_PYTHON is not set: the feed was not read by a second parser (cargo xtask test sets it)");
        return;
    };
    let file = std::env::temp_dir().join(format!("limelight-feed-{}-{}.ics", std::process::id(), rand_id()));
    std::fs::write(&file, feed).unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../xtask/ical/check_feed.py");
    let out = std::process::Command::new(python).arg(script).arg(&file).arg(expected.to_string()).output().unwrap();
    let _ = std::fs::remove_file(&file);
    assert!(out.status.success(), "{}\n{}", String::from_utf8_lossy(&out.stderr), String::from_utf8_lossy(&out.stdout));
}

fn rand_id() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64
}

async fn planned(app: &TestApp, tenant: i64, by: i64, title: &str, at: chrono::DateTime<Utc>, internal: bool) -> i64 {
    let mut w = work_entry(tenant, by, title);
    w.state = Set("planned".parse().unwrap());
    w.started_at = Set(at);
    w.duration_minutes = Set(90);
    if internal {
        w.visibility = Set("internal".parse().unwrap());
    }
    w.insert(&app.db).await.unwrap().id
}

#[tokio::test]
async fn a_clients_feed_has_its_planned_work_and_who_covers() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let acme = app.operator().unscoped().tenant_id_of("acme-dental").await.unwrap();
    let northwind = app.operator().unscoped().tenant_id_of("northwind-legal").await.unwrap();
    let primary = coverage::Entity::find()
        .filter(coverage::Column::TenantId.eq(acme))
        .filter(coverage::Column::SystemId.is_null())
        .filter(coverage::Column::Role.eq(domain::vocabulary::CoverageRole::Primary))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .user_id;
    let primary_name = user::Entity::find_by_id(primary).one(&app.db).await.unwrap().unwrap().display_name;
    // Far ahead, where the demo has nobody away: three days off for Acme's primary.
    let today = Utc::now().with_timezone(&chrono_tz::America::New_York).date_naive();
    let first: NaiveDate = today + Duration::days(150);
    time_off::ActiveModel {
        user_id: Set(primary),
        first_day: Set(first),
        last_day: Set(first + Duration::days(2)),
        note: Set("Holiday".into()),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    // Within the feed's window (180 days ahead), whenever the test runs.
    let at = (Utc::now() + Duration::days(40)).date_naive().and_hms_opt(3, 0, 0).unwrap().and_utc();
    let visible = planned(&app, acme, primary, "Firewall firmware upgrade", at, false).await;
    planned(&app, acme, primary, "Secret internal plan", at, true).await;
    planned(&app, northwind, primary, "Northwind switch swap", at, false).await;

    let dana = app.signed_in("dana@acme-dental.test").await;
    let url = new_link(&app, &dana).await;
    let (status, kind, feed) = fetch(&url).await;
    assert_eq!(status, 200);
    assert_eq!(kind, "text/calendar; charset=utf-8");
    assert!(feed.starts_with("BEGIN:VCALENDAR\r\n"), "{feed}");
    assert!(feed.contains("Planned: Firewall firmware upgrade"));
    assert!(feed.contains(&format!("{primary_name} away")), "{feed}");
    assert!(feed.contains("covering"));
    assert!(!feed.contains("Secret internal plan"), "internal work never reaches a client");
    assert!(!feed.contains("Northwind"), "another client's work never does");
    let cover_uid = format!("cover-acme-dental-{first}@limelight");
    second_parser(
        &feed,
        json!({
            "timed": { format!("work-{visible}@limelight"): at.to_rfc3339() },
            "all_day": { cover_uid: [first.to_string(), (first + Duration::days(3)).to_string()] },
        }),
    );

    // A new link ends the old one; turning it off ends it too; the account page says so.
    let again = new_link(&app, &dana).await;
    assert_eq!(fetch(&url).await.0, 404);
    assert_eq!(fetch(&again).await.0, 200);
    let page = dana.get(app.url("/portal/account")).send_or_fail().await.text().await.unwrap();
    assert!(page.contains("Your link starts"));
    assert!(!page.contains(&again[again.len() - 20..]), "the link is never shown again");
    call(&dana, &app, "account/calendar-off", &[]).await;
    assert_eq!(fetch(&again).await.0, 404);
    assert_eq!(fetch(&app.url("/calendar/llc_0000.ics")).await.0, 404);
    assert_eq!(fetch(&app.url("/calendar/anything")).await.0, 404);
}

#[tokio::test]
async fn a_techs_feed_has_their_time_off_their_planned_work_and_the_teams_absences() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let sam = app.user_id("sam@limelight.test").await;
    let riley = app.user_id("riley@limelight.test").await;
    let acme = app.operator().unscoped().tenant_id_of("acme-dental").await.unwrap();
    let day = Utc::now().date_naive() + Duration::days(120);
    for (who, first, note) in [(sam, day, "Family visit"), (riley, day + Duration::days(7), "")] {
        time_off::ActiveModel {
            user_id: Set(who),
            first_day: Set(first),
            last_day: Set(first + Duration::days(1)),
            note: Set(note.into()),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .unwrap();
    }
    let mine = time_off::Entity::find().filter(time_off::Column::FirstDay.eq(day)).one(&app.db).await.unwrap().unwrap();
    let at = (Utc::now() + Duration::days(60)).date_naive().and_hms_opt(23, 30, 0).unwrap().and_utc();
    let work = planned(&app, acme, sam, "Server upgrade", at, true).await;
    planned(&app, acme, riley, "Riley's own job", at, false).await;

    let c = app.signed_in("sam@limelight.test").await;
    let url = new_link(&app, &c).await;
    let (status, _, feed) = fetch(&url).await;
    assert_eq!(status, 200);
    assert!(feed.contains("Time off: Family visit"));
    assert!(feed.contains("Riley"), "the team's absences");
    assert!(feed.contains("Acme Dental: Server upgrade"), "own planned work, internal included");
    assert!(!feed.contains("Riley's own job"));
    second_parser(
        &feed,
        json!({
            "timed": { format!("work-{work}@limelight"): at.to_rfc3339() },
            "all_day": { format!("time-off-{}@limelight", mine.id): [day.to_string(), (day + Duration::days(2)).to_string()] },
        }),
    );
    // A deactivated person's link stops.
    app.operator().deactivate_user("sam@limelight.test").await.unwrap();
    assert_eq!(fetch(&url).await.0, 404);
}
