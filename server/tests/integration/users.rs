//! `/portal/users`: a client_admin invites colleagues by email and deactivates them.

use crate::common::*;
use domain::entities::{invitation, user};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, sea_query::Expr};

fn link_in(eml: &str) -> String {
    // Undo quoted-printable's soft line breaks, as a mail client does, then read the link.
    let eml = eml.replace("=\r\n", "").replace("=\n", "");
    let start = eml.find("/invite/").expect("an invitation link");
    let token: String = eml[start + 8..].chars().take_while(|c| c.is_ascii_hexdigit()).collect();
    format!("/invite/{token}")
}

#[tokio::test]
async fn an_invited_colleague_sets_a_password_and_signs_in_once() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let admin = app.signed_in("dana@acme-dental.test").await;
    let res =
        call(&admin, &app, "portal/invite", &[("email", "New.Hire@Acme-Dental.test"), ("role", "client_user")]).await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    let mail = app.outbox().await;
    assert_eq!(mail.len(), 1);
    let eml = &mail[0];
    assert!(eml.contains("To: new.hire@acme-dental.test"), "{eml}");
    assert!(eml.contains("multipart/alternative") && eml.contains("text/plain") && eml.contains("text/html"));
    assert!(eml.contains("Acme Dental"));
    let link = link_in(eml);

    let visitor = browser();
    let page = visitor.get(app.url(&link)).send_or_fail().await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("Welcome to Acme Dental"));
    let token = link.trim_start_matches("/invite/");
    let accept = |password: &'static str, confirm: &'static str| {
        let form = vec![
            ("token", token.to_string()),
            ("name", "New Hire".to_string()),
            ("password", password.to_string()),
            ("confirm_password", confirm.to_string()),
        ];
        visitor.post(app.url("/api/invite/accept")).form(&form).send()
    };
    assert_eq!(accept("a good password", "another one").await.unwrap().status(), 422);
    // A common password, or one made of the invitee's own email or name, is refused, saying why.
    let common = accept("password1", "password1").await.unwrap();
    assert_eq!(common.status(), 422);
    assert!(common.text().await.unwrap().contains("one of the most common"));
    let personal = accept("new.hire forever", "new.hire forever").await.unwrap();
    assert_eq!(personal.status(), 422);
    assert!(personal.text().await.unwrap().contains("must not contain your email address or name"));
    assert_eq!(accept("short", "short").await.unwrap().status(), 422);
    let res = accept("a good password", "a good password").await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["location"], "/portal", "home for the role");
    let home = visitor.get(app.url("/portal")).send_or_fail().await;
    assert_eq!(home.status(), 200, "signed in straight away");
    let created = user::Entity::find()
        .filter(user::Column::Email.eq("new.hire@acme-dental.test"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(created.role.as_str(), "client_user");

    // Single use.
    assert_eq!(accept("a good password", "a good password").await.unwrap().status(), 404);
    let again = browser().get(app.url(&link)).send_or_fail().await;
    assert_eq!(again.status(), 404);
    assert!(again.text().await.unwrap().contains("no longer works"));
    assert_eq!(
        location_of(&app.post_login(&browser(), "new.hire@acme-dental.test", "a good password").await),
        "/portal"
    );
}

fn location_of(res: &reqwest::Response) -> String {
    res.headers().get("location").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default()
}

#[tokio::test]
async fn invitations_expire_and_bad_invitations_write_nothing() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let admin = app.signed_in("dana@acme-dental.test").await;
    for (email, role, message) in [
        ("not-an-email", "client_user", "not an email"),
        ("x@acme-dental.test", "tech", "Only your own colleagues"),
        ("x@acme-dental.test", "msp_admin", "Only your own colleagues"),
    ] {
        let res = call(&admin, &app, "portal/invite", &[("email", email), ("role", role)]).await;
        assert_eq!(res.status(), 422, "{email} {role}");
        assert!(res.text().await.unwrap().contains(message), "{email} {role}");
    }
    assert_eq!(invitation::Entity::find().count(&app.db).await.unwrap(), 0);
    assert!(app.outbox().await.is_empty());

    call(&admin, &app, "portal/invite", &[("email", "late@acme-dental.test"), ("role", "client_user")]).await;
    let link = link_in(&app.outbox().await[0]);
    invitation::Entity::update_many()
        .col_expr(invitation::Column::ExpiresAt, Expr::value(domain::time::now() - chrono::Duration::minutes(1)))
        .exec(&app.db)
        .await
        .unwrap();
    assert_eq!(browser().get(app.url(&link)).send_or_fail().await.status(), 404);

    // A client_user manages nobody.
    let user = app.signed_in("lee@acme-dental.test").await;
    let res = call(&user, &app, "portal/invite", &[("email", "y@acme-dental.test"), ("role", "client_user")]).await;
    assert_eq!(res.status(), 404);
    assert_eq!(invitation::Entity::find().count(&app.db).await.unwrap(), 1);
}

#[tokio::test]
async fn an_admin_deactivates_colleagues_of_their_own_tenant_only() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let id_of = |email: &'static str| {
        let db = app.db.clone();
        async move { user::Entity::find().filter(user::Column::Email.eq(email)).one(&db).await.unwrap().unwrap() }
    };
    let admin = app.signed_in("dana@acme-dental.test").await;
    let lee_browser = app.signed_in("lee@acme-dental.test").await;
    let lee = id_of("lee@acme-dental.test").await;
    let tom = id_of("tom@northwind-legal.test").await;
    let dana = id_of("dana@acme-dental.test").await;

    assert_eq!(call(&admin, &app, "portal/user-deactivate", &[("id", &tom.id.to_string())]).await.status(), 404);
    assert!(id_of("tom@northwind-legal.test").await.active, "another tenant's user is untouched");
    assert_eq!(call(&admin, &app, "portal/user-deactivate", &[("id", &dana.id.to_string())]).await.status(), 422);

    assert_eq!(call(&admin, &app, "portal/user-deactivate", &[("id", &lee.id.to_string())]).await.status(), 200);
    assert!(!id_of("lee@acme-dental.test").await.active);
    assert_eq!(lee_browser.get(app.url("/portal")).send_or_fail().await.status(), 303, "signed out everywhere");
    let list: serde_json::Value = call(&admin, &app, "portal/users", &[]).await.json().await.unwrap();
    assert!(list.as_array().unwrap().iter().all(|u| u["email"].as_str().unwrap().ends_with("@acme-dental.test")));
}

#[tokio::test]
async fn inviting_an_email_with_an_account_answers_like_any_other() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let admin = app.signed_in("dana@acme-dental.test").await;
    let invite = |email: &'static str| {
        let (admin, app) = (&admin, &app);
        async move {
            let res = call(admin, app, "portal/invite", &[("email", email), ("role", "client_user")]).await;
            (res.status(), res.text().await.unwrap())
        }
    };
    // Another client's user, staff, and nobody: the same answer, to the byte.
    let nobody = invite("fresh@acme-dental.test").await;
    assert_eq!(nobody.0, 200);
    assert_eq!(invite("tom@northwind-legal.test").await, nobody);
    assert_eq!(invite("morgan@limelight.test").await, nobody);
    assert_eq!(invite("lee@acme-dental.test").await, nobody);
    // Only the new address got an invitation; the accounts' owners got a note, with no link.
    assert_eq!(invitation::Entity::find().count(&app.db).await.unwrap(), 1);
    let mail = app.outbox().await;
    assert_eq!(mail.len(), 4);
    let to_tom = mail.iter().find(|m| m.contains("To: tom@northwind-legal.test")).expect("tom is told");
    assert!(to_tom.contains("has a Limelight") && !to_tom.contains("/invite/"), "{to_tom}");
}
