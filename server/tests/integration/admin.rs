//! Administration: clients, people and the audit log (MSP admins only; the isolation table asks
//! everyone else).

use crate::common::*;
use domain::entities::{audit_event, tenant};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

#[tokio::test]
async fn an_admin_adds_edits_and_archives_a_client() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let morgan = app.signed_in("morgan@limelight.test").await;
    let res =
        call(&morgan, &app, "msp/admin/client-new", &[("slug", "Bad Slug!"), ("name", "X"), ("time_zone", "UTC")])
            .await;
    assert_eq!(res.status(), 422);
    let res = call(
        &morgan,
        &app,
        "msp/admin/client-new",
        &[("slug", "bright-clinic"), ("name", "Bright Clinic"), ("time_zone", "Europe/Berlin")],
    )
    .await;
    assert_eq!(res.status(), 200);
    let edit = |name: &'static str, start: &'static str| {
        vec![
            ("slug", "bright-clinic"),
            ("name", name),
            ("time_zone", "Europe/Berlin"),
            ("days[]", "0"),
            ("days[]", "5"),
            ("start", start),
            ("end", "06:00"),
            ("included_hours", "12"),
        ]
    };
    // Night shift on Mondays and Saturdays, 22:00 to 06:00.
    assert_eq!(call(&morgan, &app, "msp/admin/client-edit", &edit("Bright Clinic GmbH", "22:00")).await.status(), 200);
    let t =
        tenant::Entity::find().filter(tenant::Column::Slug.eq("bright-clinic")).one(&app.db).await.unwrap().unwrap();
    assert_eq!(
        (t.name.as_str(), t.business_days, t.business_start_minute, t.business_end_minute, t.included_hours),
        ("Bright Clinic GmbH", 0b100001, 1320, 360, Some(12))
    );
    // Bad input writes nothing.
    let res = call(&morgan, &app, "msp/admin/client-edit", &edit("Renamed", "6am")).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("HH:MM"));
    let t = tenant::Entity::find_by_id(t.id).one(&app.db).await.unwrap().unwrap();
    assert_eq!(t.name, "Bright Clinic GmbH");
    assert_eq!(
        call(&morgan, &app, "msp/admin/client-status", &[("slug", "bright-clinic"), ("status", "archived")])
            .await
            .status(),
        200
    );
    let t = tenant::Entity::find_by_id(t.id).one(&app.db).await.unwrap().unwrap();
    assert_eq!(t.status.as_str(), "archived");
}

#[tokio::test]
async fn an_admin_invites_staff_changes_roles_and_deactivates_and_the_audit_log_shows_it() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let morgan = app.signed_in("morgan@limelight.test").await;
    // Staff belong to no client; client users need one.
    let res = call(
        &morgan,
        &app,
        "msp/admin/invite",
        &[("email", "x@limelight.test"), ("role", "tech"), ("client", "acme-dental")],
    )
    .await;
    assert_eq!(res.status(), 422);
    let res = call(
        &morgan,
        &app,
        "msp/admin/invite",
        &[("email", "x@acme-dental.test"), ("role", "client_user"), ("client", "")],
    )
    .await;
    assert_eq!(res.status(), 422);
    let res =
        call(&morgan, &app, "msp/admin/invite", &[("email", "casey@limelight.test"), ("role", "tech"), ("client", "")])
            .await;
    assert_eq!(res.status(), 200);
    let eml = app.outbox().await.pop().expect("an invitation");
    let eml = eml.replace("=\r\n", "");
    let start = eml.find("/invite/").unwrap();
    let token: String = eml[start + 8..].chars().take_while(|c| c.is_ascii_hexdigit()).collect();
    let casey = browser();
    let form =
        [("token", token.as_str()), ("name", "Casey Tech"), ("password", PASSWORD), ("confirm_password", PASSWORD)];
    let res = call(&casey, &app, "invite/accept", &form).await;
    assert_eq!(res.status(), 200);
    // The invitation stands for the password: a tech sets up the second step first.
    assert_eq!(location(&casey.get(app.url("/msp")).send_or_fail().await), "/login");
    assert_eq!(location(&app.set_up_authenticator(&casey, "casey@limelight.test").await), "/msp");
    assert_eq!(casey.get(app.url("/msp")).send_or_fail().await.status(), 200, "a tech lands in the workspace");
    let casey_id = app.user_id("casey@limelight.test").await.to_string();
    // Roles change within their kind.
    assert_eq!(
        call(&morgan, &app, "msp/admin/user-role", &[("id", &casey_id), ("role", "client_admin")]).await.status(),
        422
    );
    assert_eq!(
        call(&morgan, &app, "msp/admin/user-role", &[("id", &casey_id), ("role", "account_manager")]).await.status(),
        200
    );
    let morgan_id = app.user_id("morgan@limelight.test").await.to_string();
    assert_eq!(
        call(&morgan, &app, "msp/admin/user-role", &[("id", &morgan_id), ("role", "tech")]).await.status(),
        422,
        "not one's own"
    );
    // As an account manager now, Casey cannot log work…
    assert_eq!(call(&casey, &app, "msp/work-save", &[]).await.status(), 403);
    // …and deactivated, Casey is signed out.
    assert_eq!(
        call(&morgan, &app, "msp/admin/user-active", &[("id", &casey_id), ("active", "false")]).await.status(),
        200
    );
    assert_eq!(casey.get(app.url("/msp")).send_or_fail().await.status(), 303);
    // The audit log, filtered by action.
    let log: serde_json::Value =
        call(&morgan, &app, "msp/audit", &[("action", "role_changed")]).await.json().await.unwrap();
    let rows = log["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["target"], "casey@limelight.test: tech → account_manager");
    assert_eq!(rows[0]["actor"], "morgan@limelight.test");
    let all: serde_json::Value = call(&morgan, &app, "msp/audit", &[]).await.json().await.unwrap();
    let actions: Vec<&str> = all["rows"].as_array().unwrap().iter().map(|r| r["action"].as_str().unwrap()).collect();
    for a in ["login", "invitation_sent", "invitation_accepted", "role_changed", "user_deactivated"] {
        assert!(actions.contains(&a), "{a} in {actions:?}");
    }
    let deactivated = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("user_deactivated"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(deactivated.target.contains("sessions ended"));
    assert_eq!(call(&morgan, &app, "msp/audit", &[("from", "yesterday")]).await.status(), 422);
}
