//! The demo has what a person trying Limelight needs to see.

use crate::common::*;
use domain::entities::{coverage, knowledge, runbook, summary, ticket, ticket_comment, time_off, work_entry};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use std::collections::HashSet;
use vocabulary::{Category, TicketStatus};

#[tokio::test]
async fn the_demo_has_a_year_of_every_kind_of_work_and_a_covered_absence() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let db = &app.db;
    let now = domain::time::now();
    let entries = work_entry::Entity::find().all(db).await.unwrap();

    let categories: HashSet<&str> = entries.iter().map(|e| e.category.as_str()).collect();
    for c in Category::ALL {
        assert!(categories.contains(c.as_str()), "no {c} work in the demo");
    }
    let oldest = entries.iter().map(|e| e.started_at).min().unwrap();
    assert!(now - oldest > chrono::Duration::days(330), "less than a year of history");
    assert!(entries.iter().any(|e| e.after_hours && e.visibility.as_str() == "client"), "no after-hours work");
    assert!(entries.iter().any(|e| e.visibility.as_str() == "internal"), "no internal work");
    assert!(entries.iter().any(|e| e.vendor_case_ref.is_some() && e.category.as_str() == "vendor"), "no vendor case");
    assert!(
        entries.iter().any(|e| e.state.as_str() == "planned" && e.started_at > now),
        "no planned maintenance ahead"
    );
    assert!(entries.iter().all(|e| e.state.as_str() == "planned" || e.started_at <= now), "done work in the future");

    let statuses: HashSet<String> =
        ticket::Entity::find().all(db).await.unwrap().into_iter().map(|t| t.status.as_str().to_string()).collect();
    for s in TicketStatus::ALL {
        assert!(statuses.contains(s.as_str()), "no ticket in status {s}");
    }
    assert!(
        ticket_comment::Entity::find()
            .filter(ticket_comment::Column::Visibility.eq("internal"))
            .count(db)
            .await
            .unwrap()
            > 0
    );
    assert!(
        ticket_comment::Entity::find().filter(ticket_comment::Column::Visibility.eq("client")).count(db).await.unwrap()
            > 0
    );

    // A primary tech is away today, and that tenant has a backup who is not.
    let today = now.date_naive();
    let away: HashSet<i64> = time_off::Entity::find()
        .filter(time_off::Column::FirstDay.lte(today))
        .filter(time_off::Column::LastDay.gte(today))
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.user_id)
        .collect();
    let cover = coverage::Entity::find().all(db).await.unwrap();
    let covered_absence = cover.iter().filter(|c| c.role.as_str() == "primary" && away.contains(&c.user_id)).any(|p| {
        cover.iter().any(|b| b.tenant_id == p.tenant_id && b.role.as_str() == "backup" && !away.contains(&b.user_id))
    });
    assert!(covered_absence, "no primary on time off today with a backup covering");

    assert!(knowledge::Entity::find().count(db).await.unwrap() > 0);
    assert!(runbook::Entity::find().count(db).await.unwrap() > 0);
    assert!(summary::Entity::find().filter(summary::Column::Status.eq("sent")).count(db).await.unwrap() >= 1);
}

/// The demo seeded at `at` on a database of its own.
async fn demo_as_of(at: chrono::DateTime<chrono::Utc>) -> (TestDb, domain::DatabaseConnection) {
    let test_db = TestDb::new().await;
    let db = test_db.connect().await;
    domain::db::migrate(&db).await.unwrap();
    let password = domain::input::Password::parse(PASSWORD.into()).unwrap();
    domain::demo::seed_as_of(&db, password, at).await.unwrap();
    (test_db, db)
}

fn utc(s: &str) -> chrono::DateTime<chrono::Utc> {
    s.parse().unwrap()
}

/// Whatever the day, the demo reads as today: this month has work for every client, nothing is
/// done or written after now, and open tickets are within their targets but for one breach on
/// purpose. (Seeded early on the first of a month, when "this month" is a few hours old.)
#[tokio::test]
async fn the_demo_reads_as_today_on_any_day() {
    use domain::entities::{tenant, ticket_status_change};
    use vocabulary::{Visibility, WorkState};
    for at in ["2026-12-01T07:30:00Z", "2027-03-17T15:05:00Z"] {
        let at = utc(at);
        let (_keep, db) = demo_as_of(at).await;
        for t in tenant::Entity::find().all(&db).await.unwrap() {
            let tz: chrono_tz::Tz = t.time_zone.parse().unwrap();
            let local = at.with_timezone(&tz);
            let month_start = chrono::TimeZone::from_local_datetime(
                &tz,
                &chrono::NaiveDate::from_ymd_opt(chrono::Datelike::year(&local), chrono::Datelike::month(&local), 1)
                    .unwrap()
                    .and_hms_opt(0, 0, 0)
                    .unwrap(),
            )
            .earliest()
            .unwrap()
            .with_timezone(&chrono::Utc);
            let this_month = work_entry::Entity::find()
                .filter(work_entry::Column::TenantId.eq(t.id))
                .filter(work_entry::Column::State.eq(WorkState::Done))
                .filter(work_entry::Column::Visibility.eq(Visibility::Client))
                .filter(work_entry::Column::StartedAt.gte(month_start))
                .count(&db)
                .await
                .unwrap();
            let entries = work_entry::Entity::find()
                .filter(work_entry::Column::TenantId.eq(t.id))
                .filter(work_entry::Column::StartedAt.gte(month_start))
                .all(&db)
                .await
                .unwrap();
            assert!(this_month >= 1, "{} has no client-visible work done this month as of {at}", t.slug);
            assert!(entries.iter().all(|e| e.state == WorkState::Planned || e.started_at <= at), "done work after now");
            assert!(entries.iter().any(|e| e.state == WorkState::Planned && e.started_at > at), "nothing planned");
        }
        let tickets = ticket::Entity::find().all(&db).await.unwrap();
        let open: Vec<_> = tickets.iter().filter(|t| t.status.is_open()).collect();
        let breached = open
            .iter()
            .filter(|t| t.resolution_due_at < at || (t.first_response_at.is_none() && t.first_response_due_at < at))
            .count();
        assert_eq!(breached, 1, "one open ticket past its target on purpose, as of {at}");
        assert!(open.len() >= 9, "open tickets for every client");
        assert!(tickets.iter().all(|t| t.created_at <= at && t.updated_at <= at));
        for c in ticket_comment::Entity::find().all(&db).await.unwrap() {
            assert!(c.created_at <= at, "a comment written after now");
        }
        for c in ticket_status_change::Entity::find().all(&db).await.unwrap() {
            assert!(c.created_at <= at, "a status change after now");
        }
    }
}

/// The same day gives the same demo, whatever the hour it is seeded.
#[tokio::test]
async fn the_demo_is_the_same_for_a_given_day() {
    let layout = |db: domain::DatabaseConnection| async move {
        let mut rows: Vec<(i64, String, String, chrono::NaiveDate)> = work_entry::Entity::find()
            .all(&db)
            .await
            .unwrap()
            .into_iter()
            .map(|e| (e.tenant_id, e.category.as_str().to_string(), e.why_it_matters, e.started_at.date_naive()))
            .collect();
        rows.sort();
        rows
    };
    let (_a, morning) = demo_as_of(utc("2026-12-09T13:10:00Z")).await;
    let (_b, afternoon) = demo_as_of(utc("2026-12-09T17:45:00Z")).await;
    assert_eq!(layout(morning).await, layout(afternoon).await);
}
