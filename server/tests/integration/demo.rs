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
