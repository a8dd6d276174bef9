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
    let html = c.get(app.url(&format!("/portal/summaries/{}", s.id))).send_or_fail().await.text().await.unwrap();
    assert!(html.contains("What we worked on") && !html.contains("Rewritten later"));
}

mod drafting {
    use crate::common::*;
    use chrono::{TimeZone, Utc};
    use domain::entities::{mail_queue, summary, ticket, work_entry};
    use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};

    async fn tenant_id(app: &TestApp, slug: &str) -> i64 {
        use domain::entities::tenant;
        tenant::Entity::find().filter(tenant::Column::Slug.eq(slug)).one(&app.db).await.unwrap().unwrap().id
    }

    /// Logs work as a tech over HTTP, so after-hours is derived as in real use.
    async fn log(app: &TestApp, tech: &reqwest::Client, form: &[(&str, &str)]) -> i64 {
        let mut all: Vec<(&str, &str)> = vec![
            ("client", "fixture"),
            ("why_it_matters", "It keeps you safe."),
            ("state", "done"),
            ("proactive", "on"),
            ("visibility", "client"),
        ];
        all.retain(|(k, _)| !form.iter().any(|(f, _)| f == k));
        all.extend_from_slice(form);
        let res = call(tech, app, "msp/work-save", &all).await;
        assert_eq!(res.status(), 200, "{:?}", res.text().await);
        work_entry::Entity::find()
            .filter(work_entry::Column::Title.eq(form.iter().find(|(k, _)| *k == "title").unwrap().1))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .id
    }

    async fn ticket(app: &TestApp, tenant: i64, number: i64, opened: (u32, u32, u32), minutes: i64, target: i64) {
        let created = Utc.with_ymd_and_hms(2026, 3, opened.0, opened.1, opened.2, 0).unwrap();
        ticket::ActiveModel {
            tenant_id: Set(tenant),
            number: Set(number),
            subject: Set(format!("Ticket {number}")),
            description: Set("d".into()),
            requester_id: Set(None),
            assignee_id: Set(None),
            status: Set("resolved".parse().unwrap()),
            impact: Set("individual".parse().unwrap()),
            urgency: Set("inconvenience".parse().unwrap()),
            priority: Set(4),
            first_response_due_at: Set(created + chrono::Duration::minutes(30)),
            resolution_due_at: Set(created + chrono::Duration::minutes(target)),
            first_response_at: Set(Some(created + chrono::Duration::minutes(5))),
            resolved_at: Set(Some(created + chrono::Duration::minutes(minutes))),
            closed_at: Set(None),
            source: Set("phone".parse().unwrap()),
            created_at: Set(created),
            updated_at: Set(created),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .unwrap();
    }

    /// Figures against a hand-computed fixture: March 2026 in New York (clocks change on the 8th).
    #[tokio::test]
    async fn summary_figures_match_a_hand_computed_month() {
        let app = spawn_app().await;
        app.add_tenant("fixture").await;
        let fixture = tenant_id(&app, "fixture").await;
        app.add_user("tech@msp.test", "tech", None).await;
        app.add_user("am@msp.test", "account_manager", None).await;
        app.add_user("boss@fixture.test", "client_admin", Some("fixture")).await;
        let tech = app.signed_in("tech@msp.test").await;
        // Saturday 7 March 23:00 EST, one hour: after hours (a weekend night).
        log(
            &app,
            &tech,
            &[
                ("title", "Weekend patch"),
                ("category", "patch"),
                ("start", "2026-03-07T23:00"),
                ("duration_minutes", "60"),
                ("highlight", "on"),
            ],
        )
        .await;
        // Monday 9 March 07:30 EDT (the day after the change), one hour: starts before 08:00.
        log(
            &app,
            &tech,
            &[
                ("title", "Early upgrade"),
                ("category", "upgrade"),
                ("start", "2026-03-09T07:30"),
                ("duration_minutes", "60"),
            ],
        )
        .await;
        // Tuesday 10 March 10:00, 30 minutes, with a vendor: inside business hours.
        log(
            &app,
            &tech,
            &[
                ("title", "Vendor call"),
                ("category", "vendor"),
                ("start", "2026-03-10T10:00"),
                ("duration_minutes", "30"),
                ("vendor_name", "Dell"),
                ("vendor_case_ref", "C-1"),
                ("highlight", "on"),
            ],
        )
        .await;
        // Internal and planned work never counts; nor does April's.
        log(
            &app,
            &tech,
            &[
                ("title", "Internal tidy-up"),
                ("category", "maintenance"),
                ("start", "2026-03-11T22:00"),
                ("duration_minutes", "120"),
                ("visibility", "internal"),
            ],
        )
        .await;
        log(
            &app,
            &tech,
            &[
                ("title", "April work"),
                ("category", "patch"),
                ("start", "2026-04-01T01:00"),
                ("duration_minutes", "45"),
            ],
        )
        .await;
        // Tickets resolved in March: 60, 180 and 600 minutes against targets of 120, 120 and 720.
        ticket(&app, fixture, 1, (2, 14, 0), 60, 120).await;
        ticket(&app, fixture, 2, (12, 15, 0), 180, 120).await;
        ticket(&app, fixture, 3, (20, 13, 0), 600, 720).await;
        let am = app.signed_in("am@msp.test").await;
        let id = call(&am, &app, "msp/summary-new", &[("client", "fixture"), ("month", "2026-03")])
            .await
            .json::<i64>()
            .await
            .unwrap();
        let d = app.operator().unscoped().summary_detail(id).await.unwrap();
        let c = &d.content;
        assert_eq!((d.period_start.to_string(), d.period_end.to_string()), ("2026-03-01".into(), "2026-03-31".into()));
        assert_eq!(c.entries, 3, "internal, planned and April's work are not counted");
        assert_eq!(c.minutes, 150);
        assert_eq!(c.after_hours_minutes, 120, "the weekend patch and the early upgrade");
        assert_eq!((c.patches, c.upgrades, c.vendor_cases), (1, 1, 1));
        assert_eq!(c.tickets_resolved, 3);
        assert_eq!(c.median_resolution_minutes, Some(180));
        assert_eq!(c.sla_met_percent, Some(66), "two of three within target");
        assert_eq!(
            c.highlights.iter().map(|h| h.title.as_str()).collect::<Vec<_>>(),
            vec!["Weekend patch", "Vendor call"]
        );
        assert_eq!(c.looked_after_by.len(), 1);
        // Drafting the same month again opens the same draft.
        let again = call(&am, &app, "msp/summary-new", &[("client", "fixture"), ("month", "2026-03")])
            .await
            .json::<i64>()
            .await
            .unwrap();
        assert_eq!(again, id);
    }

    #[tokio::test]
    async fn the_monthly_job_makes_one_draft_however_often_it_runs() {
        let app = spawn_app().await;
        app.seed_demo().await;
        let month = domain::staff::summaries::parse_month("2026-01").unwrap();
        let (one, two) = (app.operator(), app.operator());
        let (a, b) = tokio::join!(one.draft_month_for_all(Some(month)), two.draft_month_for_all(Some(month)));
        a.unwrap();
        b.unwrap();
        app.operator().draft_month_for_all(Some(month)).await.unwrap();
        let drafts = summary::Entity::find()
            .filter(summary::Column::PeriodStart.eq(month.first_day))
            .count(&app.db)
            .await
            .unwrap();
        assert_eq!(drafts, 3, "one per active client");
        // Last month already has the demo's sent summaries: nothing new.
        let before = summary::Entity::find().count(&app.db).await.unwrap();
        app.operator().draft_month_for_all(None).await.unwrap();
        assert_eq!(summary::Entity::find().count(&app.db).await.unwrap(), before);
    }

    #[tokio::test]
    async fn an_account_manager_edits_and_sends_and_the_client_reads_it() {
        let app = spawn_app().await;
        app.seed_demo().await;
        let acme = tenant_id(&app, "acme-dental").await;
        // Two months ago, so the demo's sent summary of last month stays apart.
        let today = domain::time::now().date_naive();
        let month = domain::figures::Month::containing(today).previous().previous();
        let month_text = month.first_day.format("%Y-%m").to_string();
        let alex = app.signed_in("alex@limelight.test").await;
        // A tech reads summaries but does not write them; a client gets 404.
        let sam = app.signed_in("sam@limelight.test").await;
        assert_eq!(call(&sam, &app, "msp/summary-new", &[("client", "acme-dental")]).await.status(), 403);
        let dana = app.signed_in("dana@acme-dental.test").await;
        assert_eq!(call(&dana, &app, "msp/summaries", &[]).await.status(), 404);
        let id = call(&alex, &app, "msp/summary-new", &[("client", "acme-dental"), ("month", &month_text)])
            .await
            .json::<i64>()
            .await
            .unwrap();
        let id_text = id.to_string();
        // A draft never reaches the client.
        assert_eq!(call(&dana, &app, "portal/summary", &[("id", &id_text)]).await.status(), 404);
        let view: serde_json::Value = call(&alex, &app, "msp/summary", &[("id", &id_text)]).await.json().await.unwrap();
        let lee = app.user_id("lee@acme-dental.test").await.to_string();
        let default_to: Vec<String> = view["recipients"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r[2] == true)
            .map(|r| r[1].as_str().unwrap().to_string())
            .collect();
        assert_eq!(default_to.len(), 1);
        assert!(default_to[0].contains("dana@acme-dental.test"), "the client admins by default");
        // Bad input writes nothing.
        let res = call(&alex, &app, "msp/summary-save", &[("id", &id_text), ("subject", " ")]).await;
        assert_eq!(res.status(), 422);
        let other_tenant_user = app.user_id("tom@northwind-legal.test").await.to_string();
        let res = call(
            &alex,
            &app,
            "msp/summary-save",
            &[("id", &id_text), ("subject", "S"), ("recipients[]", &other_tenant_user)],
        )
        .await;
        assert_eq!(res.status(), 422);
        let note = "Thank you for a calm month, <b>Dana</b>.";
        let res = call(
            &alex,
            &app,
            "msp/summary-save",
            &[
                ("id", &id_text),
                ("subject", "Your IT, two months ago"),
                ("personal_note", note),
                ("recipients[]", &lee),
            ],
        )
        .await;
        assert_eq!(res.status(), 200);
        // The edit is audited with what it changed (the refused ones are not).
        let edits = domain::entities::audit_event::Entity::find()
            .filter(domain::entities::audit_event::Column::Action.eq("summary_edited"))
            .all(&app.db)
            .await
            .unwrap();
        assert_eq!(edits.len(), 1);
        assert_eq!(edits[0].actor_id, Some(app.user_id("alex@limelight.test").await));
        assert_eq!(edits[0].detail.as_deref(), Some("changed: subject, note"));
        let before_mail = app.outbox().await.len();
        assert_eq!(call(&alex, &app, "msp/summary-send", &[("id", &id_text)]).await.status(), 200);
        let mail = app.outbox().await;
        assert_eq!(mail.len(), before_mail + 1, "one email, to the one recipient");
        let eml = mail.last().unwrap();
        assert!(eml.contains("To: lee@acme-dental.test") && eml.contains("multipart/alternative"));
        let row = mail_queue::Entity::find()
            .filter(mail_queue::Column::Topic.eq(format!("summary:{id}")))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.status.as_str(), "sent");
        // Sent: the client reads it; it no longer changes.
        let page = dana.get(app.url(&format!("/portal/summaries/{id}"))).send_or_fail().await.text().await.unwrap();
        assert!(
            page.contains("Your IT, two months ago")
                && page.contains("Thank you for a calm month, &lt;b&gt;Dana&lt;/b&gt;.")
        );
        assert_eq!(
            call(&alex, &app, "msp/summary-save", &[("id", &id_text), ("subject", "Changed")]).await.status(),
            422
        );
        assert_eq!(call(&alex, &app, "msp/summary-send", &[("id", &id_text)]).await.status(), 422);
        let staff_view: serde_json::Value =
            call(&alex, &app, "msp/summary", &[("id", &id_text)]).await.json().await.unwrap();
        assert_eq!(staff_view["deliveries"][0][1], "sent");
        let audit = domain::entities::audit_event::Entity::find()
            .filter(domain::entities::audit_event::Column::Action.eq("summary_sent"))
            .filter(domain::entities::audit_event::Column::TenantId.eq(acme))
            .count(&app.db)
            .await
            .unwrap();
        assert_eq!(audit, 1);
    }
}
