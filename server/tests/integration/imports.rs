//! Uploading work history as CSV on the client's staff page.

use crate::common::*;
use domain::entities::{work_entry, work_entry_system};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

const SAMPLE: &str = include_str!("../../../scripts/work-import-sample.csv");

async fn upload(app: &TestApp, who: &reqwest::Client, slug: &str, csv: &str, dry_run: bool) -> reqwest::Response {
    let mut form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::text(csv.to_string()).file_name("work.csv").mime_str("text/csv").unwrap(),
    );
    if dry_run {
        form = form.text("dry_run", "on");
    }
    who.post(app.url(&format!("/msp/clients/{slug}/import"))).multipart(form).send_or_fail().await
}

async fn imported(app: &TestApp) -> u64 {
    work_entry::Entity::find().filter(work_entry::Column::ImportKey.is_not_null()).count(&app.db).await.unwrap()
}

#[tokio::test]
async fn a_tech_uploads_the_sample_once_and_a_bad_file_writes_nothing() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let sam = app.signed_in("sam@limelight.test").await;

    let res = upload(&app, &sam, "acme-dental", SAMPLE, true).await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/msp/clients/acme-dental?checked=4&before=0#import");
    assert_eq!(imported(&app).await, 0, "checking writes nothing");

    let res = upload(&app, &sam, "acme-dental", SAMPLE, false).await;
    assert_eq!(res.headers()["location"], "/msp/clients/acme-dental?imported=4&before=0#import");
    assert_eq!(imported(&app).await, 4);
    let restore = work_entry::Entity::find()
        .filter(work_entry::Column::ImportKey.eq("psa-10266"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let links = work_entry_system::Entity::find()
        .filter(work_entry_system::Column::WorkEntryId.eq(restore.id))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(links, 2, "both named systems are linked");
    let page =
        sam.get(app.url("/msp/clients/acme-dental?imported=4&before=0")).send_or_fail().await.text().await.unwrap();
    assert!(page.contains("Imported: 4 new entries"));
    // The client reads the client-visible rows, not the internal one.
    let dana = app.signed_in("dana@acme-dental.test").await;
    let history =
        dana.get(app.url("/portal/work?from=2026-10-01&to=2026-10-31")).send_or_fail().await.text().await.unwrap();
    assert!(history.contains("Applied October security patches"));
    assert!(!history.contains("Reviewed the firewall rule list"));

    let res = upload(&app, &sam, "acme-dental", SAMPLE, false).await;
    assert_eq!(res.headers()["location"], "/msp/clients/acme-dental?imported=0&before=4#import");
    assert_eq!(imported(&app).await, 4);

    let bad = "date,time,category,title,duration_minutes,performed_by\n2026-10-01,09:00,patch,Fine,30,sam@limelight.test\n2026-10-01,9 o'clock,patch,<b>Bad</b>,30,sam@limelight.test\n";
    let res = upload(&app, &sam, "acme-dental", bad, false).await;
    assert_eq!(res.status(), 422);
    let body = res.text().await.unwrap();
    assert!(body.contains("line 3: date and time"), "{body}");
    assert!(body.contains("Nothing was written"));
    assert_eq!(imported(&app).await, 4);
    let res = upload(&app, &sam, "acme-dental", "", false).await;
    assert_eq!(res.status(), 422);
}

#[tokio::test]
async fn only_techs_and_msp_admins_import_and_never_across_sites() {
    let app = spawn_app().await;
    app.seed_demo().await;
    for (who, status) in [("alex@limelight.test", 403), ("dana@acme-dental.test", 404), ("lee@acme-dental.test", 404)] {
        let c = app.signed_in(who).await;
        assert_eq!(upload(&app, &c, "acme-dental", SAMPLE, false).await.status(), status, "{who}");
    }
    assert_eq!(upload(&app, &browser(), "acme-dental", SAMPLE, false).await.status(), 401);
    let sam = app.signed_in("sam@limelight.test").await;
    assert_eq!(upload(&app, &sam, "no-such-client", SAMPLE, false).await.status(), 422);
    // A form on another site cannot make a signed-in tech's browser import.
    let form = reqwest::multipart::Form::new().part("file", reqwest::multipart::Part::text(SAMPLE).file_name("w.csv"));
    let res = sam
        .post(app.url("/msp/clients/acme-dental/import"))
        .header("Origin", "https://evil.example")
        .header("Sec-Fetch-Site", "cross-site")
        .multipart(form)
        .send_or_fail()
        .await;
    assert_eq!(res.status(), 403);
    assert_eq!(imported(&app).await, 0);
}
