//! `/api/v1`: tokens, the ingestion of tools' events, reads, and the OpenAPI document.

use crate::common::*;
use domain::entities::{api_token, audit_event, integration_event, work_entry, work_entry_system};
use domain::integrations::tokens::NewToken;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set};
use serde_json::{Value, json};

pub(crate) async fn token(app: &TestApp, name: &str, scope: &str, permissions: &str) -> String {
    let new = NewToken::parse(name, scope, &[permissions.to_string()], "").unwrap();
    app.operator().create_api_token(&new).await.unwrap().0
}

pub(crate) fn api() -> reqwest::Client {
    reqwest::Client::builder().timeout(std::time::Duration::from_secs(30)).build().unwrap()
}

async fn post_events(app: &TestApp, token: &str, events: Value) -> reqwest::Response {
    api().post(app.url("/api/v1/events")).bearer_auth(token).json(&json!({ "events": events })).send_or_fail().await
}

pub(crate) async fn get(app: &TestApp, token: &str, path: &str) -> reqwest::Response {
    api().get(app.url(path)).bearer_auth(token).send_or_fail().await
}

/// A time of one fixed night (the demo's clients are in New York: 07:00 UTC is 02:00 there), so
/// that every event of a test falls in the same run whenever the test runs.
fn ago(minutes: i64) -> String {
    let morning = chrono::DateTime::parse_from_rfc3339("2026-11-18T07:00:00Z").unwrap().to_utc();
    (morning - chrono::Duration::minutes(minutes)).to_rfc3339()
}

fn event(id: &str, client: &str, system: &str, kind: &str, at: &str, result: &str) -> Value {
    json!({"source": "ninjaone", "external_id": id, "client": client, "system": system, "kind": kind,
           "occurred_at": at, "duration_minutes": 10, "result": result})
}

pub(crate) async fn problem(res: reqwest::Response, status: u16, code: &str) -> Value {
    assert_eq!(res.status(), status);
    assert_eq!(res.headers()["content-type"], "application/problem+json");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], code, "{body}");
    assert_eq!(body["status"], status);
    body
}

async fn automated_entries(app: &TestApp) -> Vec<work_entry::Model> {
    work_entry::Entity::find()
        .filter(work_entry::Column::Automated.eq(true))
        .order_by_asc(work_entry::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_token_is_needed_live_and_with_the_permission() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let ingest = token(&app, "rmm", "all", "ingest").await;
    let read = token(&app, "reader", "all", "read").await;

    // None, malformed, unknown: alike, and with the challenge.
    let res = api().get(app.url("/api/v1/clients")).send_or_fail().await;
    assert_eq!(res.headers()["www-authenticate"], "Bearer");
    let none = problem(res, 401, "unauthorized").await;
    let unknown = problem(get(&app, "llt_0000", "/api/v1/clients").await, 401, "unauthorized").await;
    assert_eq!(none, unknown);
    // A session cookie is no API credential.
    let morgan = app.signed_in("morgan@limelight.test").await;
    problem(morgan.get(app.url("/api/v1/clients")).send_or_fail().await, 401, "unauthorized").await;

    // The permission it lacks.
    problem(get(&app, &ingest, "/api/v1/clients").await, 403, "forbidden").await;
    problem(post_events(&app, &read, json!([])).await, 403, "forbidden").await;
    assert_eq!(get(&app, &read, "/api/v1/clients").await.status(), 200);

    // Revoked, then expired: as unknown.
    app.operator().revoke_api_token("reader").await.unwrap();
    problem(get(&app, &read, "/api/v1/clients").await, 401, "unauthorized").await;
    let late = token(&app, "late", "all", "read").await;
    let row = api_token::Entity::find().filter(api_token::Column::Name.eq("late")).one(&app.db).await.unwrap().unwrap();
    let mut row: api_token::ActiveModel = row.into();
    row.expires_at = Set(Some(domain::time::now() - chrono::Duration::seconds(1)));
    row.update(&app.db).await.unwrap();
    problem(get(&app, &late, "/api/v1/clients").await, 401, "unauthorized").await;

    // Stored only as a hash; each use is recorded on the token and in the audit log.
    let stored =
        api_token::Entity::find().filter(api_token::Column::Name.eq("rmm")).one(&app.db).await.unwrap().unwrap();
    assert_ne!(stored.token_hash, ingest);
    assert!(!stored.token_hash.contains(&ingest[4..]));
    assert!(ingest.starts_with(&stored.prefix));
    assert!(stored.last_used_at.is_some());
    assert_eq!(stored.last_used_ip.as_deref(), Some("127.0.0.1"));
    let uses = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq(domain::vocabulary::AuditAction::ApiTokenUsed))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(uses, 3, "each authenticated call is audited (one by rmm, two by reader)");
}

#[tokio::test]
async fn a_client_token_reaches_its_client_only() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let acme = token(&app, "acme-rmm", "acme-dental", "ingest,read").await;

    let list: Value = get(&app, &acme, "/api/v1/clients").await.json().await.unwrap();
    let slugs: Vec<&str> = list["items"].as_array().unwrap().iter().map(|c| c["slug"].as_str().unwrap()).collect();
    assert_eq!(slugs, ["acme-dental"]);
    assert_eq!(get(&app, &acme, "/api/v1/clients/acme-dental").await.status(), 200);
    // Another client's answers exactly like a missing one.
    let other = get(&app, &acme, "/api/v1/clients/northwind-legal").await;
    let missing = get(&app, &acme, "/api/v1/clients/no-such-client").await;
    assert_eq!(other.status(), 404);
    assert_eq!(other.text().await.unwrap(), missing.text().await.unwrap());
    let other = get(&app, &acme, "/api/v1/clients/northwind-legal/work").await;
    let missing = get(&app, &acme, "/api/v1/clients/no-such-client/work").await;
    assert_eq!(other.status(), 404);
    assert_eq!(other.text().await.unwrap(), missing.text().await.unwrap());

    // Its work: client-visible only, in keyset pages.
    let mut seen = Vec::new();
    let mut path = "/api/v1/clients/acme-dental/work?limit=7".to_string();
    loop {
        let page: Value = get(&app, &acme, &path).await.json().await.unwrap();
        for w in page["items"].as_array().unwrap() {
            seen.push(w["id"].as_i64().unwrap());
        }
        match page["next"].as_str() {
            Some(next) => path = format!("/api/v1/clients/acme-dental/work?limit=7&after={next}"),
            None => break,
        }
    }
    let acme_id = app.operator().unscoped().tenant_id_of("acme-dental").await.unwrap();
    let visible = work_entry::Entity::find()
        .filter(work_entry::Column::TenantId.eq(acme_id))
        .filter(work_entry::Column::Visibility.eq(domain::vocabulary::Visibility::Client))
        .filter(work_entry::Column::State.eq(domain::vocabulary::WorkState::Done))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(seen.len() as u64, visible);
    let internal: Vec<i64> = work_entry::Entity::find()
        .filter(work_entry::Column::Visibility.eq(domain::vocabulary::Visibility::Internal))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|w| w.id)
        .collect();
    assert!(seen.iter().all(|id| !internal.contains(id)));

    // Events for another client are refused like those for no client.
    let res: Value = post_events(
        &app,
        &acme,
        json!([
            event("n1", "northwind-legal", "NW-PC1", "patch", &ago(300), "succeeded"),
            event("n2", "no-such-client", "NW-PC1", "patch", &ago(300), "succeeded"),
        ]),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(res["rejected"], 2);
    let reasons: Vec<&str> = res["items"].as_array().unwrap().iter().map(|i| i["field"].as_str().unwrap()).collect();
    assert_eq!(reasons, ["client", "client"]);
    assert_eq!(integration_event::Entity::find().count(&app.db).await.unwrap(), 0);

    // Bad query input names the field.
    let bad =
        problem(get(&app, &acme, "/api/v1/clients/acme-dental/work?from=yesterday").await, 422, "invalid_request")
            .await;
    assert_eq!(bad["errors"][0]["field"], "from");
    problem(get(&app, &acme, "/api/v1/clients?limit=0").await, 422, "invalid_request").await;
    problem(get(&app, &acme, "/api/v1/nothing-here").await, 404, "not_found").await;
}

#[tokio::test]
async fn events_are_upserted_once_and_a_bad_one_rejects_only_itself() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let rmm = token(&app, "rmm", "all", "ingest").await;
    let night = json!([
        event("p1", "acme-dental", "ACME-FS01", "patch", &ago(240), "succeeded"),
        event("p2", "acme-dental", "ACME-PC07", "patch", &ago(235), "failed"),
        event("p3", "acme-dental", "acme-pc07", "patch", &ago(200), "succeeded"),
        event("bad", "acme-dental", "ACME-PC08", "reboot", &ago(200), "succeeded"),
        event(
            "late",
            "acme-dental",
            "ACME-PC08",
            "patch",
            &(domain::time::now() + chrono::Duration::hours(2)).to_rfc3339(),
            "succeeded"
        ),
        json!({"source": "ninjaone", "external_id": "x", "client": "acme-dental", "system": " ", "kind": "patch",
               "occurred_at": ago(100), "result": "succeeded"}),
        json!({"source": "ninjaone", "external_id": "y", "client": "acme-dental", "system": "PC", "kind": "patch",
               "occurred_at": ago(100), "result": "succeeded", "actor": "dana@acme-dental.test"}),
    ]);
    let res = post_events(&app, &rmm, night.clone()).await;
    assert_eq!(res.status(), 200);
    let report: Value = res.json().await.unwrap();
    assert_eq!((report["created"].as_u64(), report["rejected"].as_u64()), (Some(3), Some(4)), "{report}");
    let fields: Vec<Option<&str>> =
        report["items"].as_array().unwrap()[3..].iter().map(|i| i["field"].as_str()).collect();
    assert_eq!(fields, [None, Some("occurred_at"), Some("system"), Some("actor")]);
    assert!(report["items"][3]["reason"].as_str().unwrap().contains("reboot"));
    assert_eq!(integration_event::Entity::find().count(&app.db).await.unwrap(), 3, "nothing of a rejected event");

    // The same batch again changes nothing.
    let entries_before = automated_entries(&app).await;
    let again: Value = post_events(&app, &rmm, night.clone()).await.json().await.unwrap();
    assert_eq!((again["created"].as_u64(), again["unchanged"].as_u64()), (Some(0), Some(3)));
    assert_eq!(automated_entries(&app).await, entries_before);
    assert_eq!(integration_event::Entity::find().count(&app.db).await.unwrap(), 3);

    // A changed event is updated, and its entry follows.
    let changed: Value =
        post_events(&app, &rmm, json!([event("p1", "acme-dental", "ACME-FS01", "patch", &ago(240), "failed")]))
            .await
            .json()
            .await
            .unwrap();
    assert_eq!(changed["updated"], 1);
    let e = &automated_entries(&app).await[0];
    assert!(e.title.ends_with("; 1 failed"), "{}", e.title);

    // More than 500: refused whole, nothing written.
    let many: Vec<Value> =
        (0..501).map(|i| event(&format!("m{i}"), "acme-dental", "PC", "patch", &ago(50), "succeeded")).collect();
    problem(post_events(&app, &rmm, json!(many)).await, 422, "too_many_events").await;
    assert_eq!(integration_event::Entity::find().count(&app.db).await.unwrap(), 3);
    // Not a batch at all.
    let res = api().post(app.url("/api/v1/events")).bearer_auth(&rmm).body("[1,2").send_or_fail().await;
    let body = problem(res, 422, "invalid_request").await;
    assert_eq!(body["errors"][0]["field"], "events");
}

#[tokio::test]
async fn an_idempotency_key_replays_the_first_answer() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let rmm = token(&app, "rmm", "all", "ingest").await;
    let body = json!({"events": [event("k1", "acme-dental", "PC1", "backup_check", &ago(120), "succeeded")]});
    let send = |key: &'static str, body: Value| {
        let (url, rmm) = (app.url("/api/v1/events"), rmm.clone());
        async move { api().post(url).bearer_auth(rmm).header("Idempotency-Key", key).json(&body).send_or_fail().await }
    };
    let first = send("night-1", body.clone()).await;
    assert!(first.headers().get("idempotent-replayed").is_none());
    let first = first.text().await.unwrap();
    assert!(first.contains("\"created\":1"));
    let replay = send("night-1", body.clone()).await;
    assert_eq!(replay.headers()["idempotent-replayed"], "true");
    assert_eq!(replay.text().await.unwrap(), first, "the first answer, not 'unchanged'");
    let other = json!({"events": [event("k2", "acme-dental", "PC1", "backup_check", &ago(120), "succeeded")]});
    problem(send("night-1", other).await, 409, "idempotency_key_reused").await;
    assert_eq!(integration_event::Entity::find().count(&app.db).await.unwrap(), 1);
}

#[tokio::test]
async fn a_night_reads_as_plain_words_and_a_failed_run_stays_internal() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let rmm = token(&app, "rmm", "all", "ingest").await;
    let res: Value = post_events(
        &app,
        &rmm,
        json!([
            event("p1", "acme-dental", "ACME-FS01", "patch", &ago(240), "succeeded"),
            event("p2", "acme-dental", "ACME-PC07", "patch", &ago(235), "failed"),
            event("p3", "acme-dental", "ACME-PC07", "patch", &ago(200), "succeeded"),
            event("b1", "acme-dental", "File server FS01", "backup_check", &ago(230), "failed"),
        ]),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(res["created"], 4, "{res}");
    let entries = automated_entries(&app).await;
    assert_eq!(entries.len(), 2, "one entry per client, kind and run");
    let patch = entries.iter().find(|e| e.category == domain::vocabulary::Category::Patch).unwrap();
    assert!(patch.title.starts_with("Patched 2 computers"), "{}", patch.title);
    assert!(patch.title.ends_with("; 1 needed a second try"), "{}", patch.title);
    assert_eq!(patch.visibility, domain::vocabulary::Visibility::Client);
    assert!(patch.why_it_matters.contains("security holes"));
    let backup = entries.iter().find(|e| e.category == domain::vocabulary::Category::Backup).unwrap();
    assert_eq!(backup.visibility, domain::vocabulary::Visibility::Internal, "a failed run waits for a tech");
    // The backup check named the system as the portal does: it is linked.
    assert_eq!(
        work_entry_system::Entity::find()
            .filter(work_entry_system::Column::WorkEntryId.eq(backup.id))
            .count(&app.db)
            .await
            .unwrap(),
        1
    );

    // The client reads the patch run, marked as automation's, and never the failed backup.
    let dana = app.signed_in("dana@acme-dental.test").await;
    let home = dana.get(app.url("/portal")).send_or_fail().await.text().await.unwrap();
    assert!(home.contains("Patched 2 computers"), "the dashboard's feed shows it");
    assert!(home.contains("recorded automatically"));
    assert!(!home.contains("Checked the backup"));
    let northwind = app.signed_in("priya@northwind-legal.test").await;
    let theirs = northwind.get(app.url("/portal")).send_or_fail().await.text().await.unwrap();
    assert!(!theirs.contains("Patched 2 computers"));

    // The tech sees the events beside the entry, and decides what the client reads: from then on
    // the entry is theirs, and the tool's later events leave its words and visibility alone.
    let sam = app.signed_in("sam@limelight.test").await;
    let page = sam.get(app.url(&format!("/msp/work/{}", backup.id))).send_or_fail().await.text().await.unwrap();
    assert!(page.contains("the tools&#x27; events") || page.contains("the tools' events"), "{page}");
    assert!(page.contains("<code>b1</code>"));
    let id = backup.id.to_string();
    let form = [
        ("entry_id", id.as_str()),
        ("client", "acme-dental"),
        ("category", "backup"),
        ("title", "Backup of FS01 re-run by hand"),
        ("why_it_matters", "Your files can be brought back."),
        ("state", "done"),
        ("start", "2026-11-17T22:00"),
        ("duration_minutes", "30"),
        ("proactive", "on"),
        ("visibility", "client"),
    ];
    let res = call(&sam, &app, "msp/work-save", &form).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    post_events(
        &app,
        &rmm,
        json!([event("b2", "acme-dental", "File server FS01", "backup_check", &ago(100), "succeeded")]),
    )
    .await;
    let kept = work_entry::Entity::find_by_id(backup.id).one(&app.db).await.unwrap().unwrap();
    assert_eq!(kept.title, "Backup of FS01 re-run by hand");
    assert_eq!(kept.visibility, domain::vocabulary::Visibility::Client);
}

#[tokio::test]
async fn an_unmatched_system_is_listed_until_staff_map_it() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let rmm = token(&app, "rmm", "all", "ingest").await;
    post_events(&app, &rmm, json!([event("p1", "acme-dental", "ACME-FS01", "patch", &ago(240), "succeeded")])).await;
    let entry = automated_entries(&app).await.remove(0);
    let links = || async {
        work_entry_system::Entity::find()
            .filter(work_entry_system::Column::WorkEntryId.eq(entry.id))
            .count(&app.db)
            .await
            .unwrap()
    };
    assert_eq!(links().await, 0, "no system was invented");

    let sam = app.signed_in("sam@limelight.test").await;
    let page = call(&sam, &app, "msp/client", &[("slug", "acme-dental")]).await.json::<Value>().await.unwrap();
    assert_eq!(page["automation"]["unmatched"][0]["name"], "ACME-FS01");
    let html = sam.get(app.url("/msp/clients/acme-dental")).send_or_fail().await.text().await.unwrap();
    assert!(html.contains("ACME-FS01"));

    // Another client's system cannot be chosen; an account manager may not map.
    let acme = app.operator().unscoped().tenant_id_of("acme-dental").await.unwrap();
    let systems = domain::entities::system::Entity::find().all(&app.db).await.unwrap();
    let fs01 = systems.iter().find(|s| s.tenant_id == acme && s.name == "File server FS01").unwrap().id;
    let foreign = systems.iter().find(|s| s.tenant_id != acme).unwrap().id;
    let res = call(
        &sam,
        &app,
        "msp/system-name-map",
        &[("slug", "acme-dental"), ("name", "ACME-FS01"), ("system", &foreign.to_string())],
    )
    .await;
    assert_eq!(res.status(), 422);
    let alex = app.signed_in("alex@limelight.test").await;
    let res = call(
        &alex,
        &app,
        "msp/system-name-map",
        &[("slug", "acme-dental"), ("name", "ACME-FS01"), ("system", &fs01.to_string())],
    )
    .await;
    assert_eq!(res.status(), 403);
    assert_eq!(links().await, 0);

    let res = call(
        &sam,
        &app,
        "msp/system-name-map",
        &[("slug", "acme-dental"), ("name", "acme-fs01"), ("system", &fs01.to_string())],
    )
    .await;
    assert!(res.status().is_success() || res.status().is_redirection(), "{}", res.status());
    assert_eq!(links().await, 1, "the run now names its system");
    let page = call(&sam, &app, "msp/client", &[("slug", "acme-dental")]).await.json::<Value>().await.unwrap();
    assert_eq!(page["automation"]["unmatched"].as_array().unwrap().len(), 0);
    assert_eq!(page["automation"]["mappings"][0]["system"], "File server FS01");
    // Later events under that name find the system at once.
    post_events(&app, &rmm, json!([event("u1", "acme-dental", "ACME-FS01", "upgrade", &ago(60), "succeeded")])).await;
    let upgrade = automated_entries(&app)
        .await
        .into_iter()
        .find(|e| e.category == domain::vocabulary::Category::Upgrade)
        .unwrap();
    assert_eq!(upgrade.title.split(' ').take(2).collect::<Vec<_>>(), ["Upgraded", "File"]);

    // Removing the mapping puts the name back on the list.
    call(&sam, &app, "msp/system-name-unmap", &[("slug", "acme-dental"), ("name", "ACME-FS01")]).await;
    assert_eq!(links().await, 0);
}

#[tokio::test]
async fn the_openapi_document_and_its_reference_page() {
    let app = spawn_app().await;
    let res = api().get(app.url("/api/v1/openapi.json")).send_or_fail().await;
    assert_eq!(res.status(), 200);
    let doc: Value = res.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    for path in ["/api/v1/events", "/api/v1/clients", "/api/v1/clients/{slug}", "/api/v1/clients/{slug}/work"] {
        assert!(doc["paths"][path].is_object(), "{path} is documented");
    }
    assert_eq!(doc["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
    let kinds = doc["components"]["schemas"]["EventKind"]["enum"].as_array().unwrap();
    assert_eq!(kinds.len(), domain::vocabulary::EventKind::ALL.len());
    let html = api().get(app.url("/api/v1/docs")).send_or_fail().await.text().await.unwrap();
    assert!(html.contains("<code>POST /api/v1/events</code>"));
    assert!(html.contains("id=\"problem-idempotency_key_reused\""));
}

#[tokio::test]
async fn an_msp_admin_makes_and_revokes_tokens_in_the_portal() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let morgan = app.signed_in("morgan@limelight.test").await;
    let res = call(
        &morgan,
        &app,
        "msp/admin/token-new",
        &[
            ("name", "backup"),
            ("scope", "acme-dental"),
            ("permissions[]", "ingest"),
            ("permissions[]", "read"),
            ("expires", ""),
        ],
    )
    .await;
    assert_eq!(res.status(), 200);
    let secret: String = res.json().await.unwrap();
    assert_eq!(get(&app, &secret, "/api/v1/clients/acme-dental").await.status(), 200);
    // Listed without the token, with its last use.
    let list = call(&morgan, &app, "msp/admin/integrations", &[]).await.text().await.unwrap();
    assert!(!list.contains(&secret[4..]));
    assert!(list.contains("\"last_used_from\":\"127.0.0.1\""), "{list}");
    // Bad input names what is wrong and makes nothing.
    let res =
        call(&morgan, &app, "msp/admin/token-new", &[("name", "backup"), ("scope", "all"), ("permissions[]", "read")])
            .await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("exists already"));
    let res = call(&morgan, &app, "msp/admin/token-new", &[("name", "x"), ("scope", "all")]).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("at least one permission"));
    assert_eq!(api_token::Entity::find().count(&app.db).await.unwrap(), 1);
    // Techs cannot, even knowing the endpoint.
    let sam = app.signed_in("sam@limelight.test").await;
    let res =
        call(&sam, &app, "msp/admin/token-new", &[("name", "mine"), ("scope", "all"), ("permissions[]", "write")])
            .await;
    assert_eq!(res.status(), 404);
    assert_eq!(api_token::Entity::find().count(&app.db).await.unwrap(), 1);

    call(&morgan, &app, "msp/admin/token-revoke", &[("name", "backup")]).await;
    assert_eq!(get(&app, &secret, "/api/v1/clients/acme-dental").await.status(), 401);
    let audit: Vec<_> = audit_event::Entity::find().all(&app.db).await.unwrap().into_iter().map(|a| a.action).collect();
    assert!(audit.contains(&domain::vocabulary::AuditAction::ApiTokenCreated));
    assert!(audit.contains(&domain::vocabulary::AuditAction::ApiTokenRevoked));
}

#[tokio::test]
async fn the_msp_words_why_automated_work_matters() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let rmm = token(&app, "rmm", "all", "ingest").await;
    let morgan = app.signed_in("morgan@limelight.test").await;
    let words = "We keep <every> computer patched & safe.";
    let res = call(&morgan, &app, "msp/admin/wording", &[("kind", "patch"), ("why_it_matters", words)]).await;
    assert!(res.status().is_success() || res.status().is_redirection(), "{}", res.status());
    // Shown back in its form, escaped.
    let page = morgan.get(app.url("/msp/admin/integrations")).send_or_fail().await.text().await.unwrap();
    assert!(page.contains("We keep &lt;every> computer patched &amp; safe."), "the textarea's text is escaped");
    // A tech may not change it; too long is refused.
    let sam = app.signed_in("sam@limelight.test").await;
    assert_eq!(
        call(&sam, &app, "msp/admin/wording", &[("kind", "patch"), ("why_it_matters", "mine")]).await.status(),
        404
    );
    let long = "x".repeat(501);
    assert_eq!(
        call(&morgan, &app, "msp/admin/wording", &[("kind", "patch"), ("why_it_matters", &long)]).await.status(),
        422
    );

    post_events(
        &app,
        &rmm,
        json!([
            event("p1", "acme-dental", "PC1", "patch", &ago(60), "succeeded"),
            event("u1", "acme-dental", "PC1", "upgrade", &ago(60), "succeeded")
        ]),
    )
    .await;
    let entries = automated_entries(&app).await;
    let patch = entries.iter().find(|e| e.category == domain::vocabulary::Category::Patch).unwrap();
    assert_eq!(patch.why_it_matters, words);
    let upgrade = entries.iter().find(|e| e.category == domain::vocabulary::Category::Upgrade).unwrap();
    assert_eq!(
        upgrade.why_it_matters,
        domain::integrations::events::why_it_matters(domain::vocabulary::EventKind::Upgrade)
    );
    // Empty puts the default back.
    call(&morgan, &app, "msp/admin/wording", &[("kind", "patch"), ("why_it_matters", "")]).await;
    let page = morgan.get(app.url("/msp/admin/integrations")).send_or_fail().await.text().await.unwrap();
    assert!(!page.contains("We keep"));
}

#[tokio::test]
async fn a_client_token_reads_systems_tickets_and_team_of_its_client_only() {
    use domain::entities::{system, ticket, ticket_comment};
    let app = spawn_app().await;
    app.seed_demo().await;
    let acme = token(&app, "acme-read", "acme-dental", "read").await;
    let acme_id = app.operator().unscoped().tenant_id_of("acme-dental").await.unwrap();

    let systems: Value = get(&app, &acme, "/api/v1/clients/acme-dental/systems").await.json().await.unwrap();
    let own = system::Entity::find().filter(system::Column::TenantId.eq(acme_id)).count(&app.db).await.unwrap();
    assert_eq!(systems.as_array().unwrap().len() as u64, own);

    // Every ticket of the client, newest first, in keyset pages.
    let mut numbers = Vec::new();
    let mut path = "/api/v1/clients/acme-dental/tickets?limit=2".to_string();
    loop {
        let page: Value = get(&app, &acme, &path).await.json().await.unwrap();
        numbers.extend(page["items"].as_array().unwrap().iter().map(|t| t["number"].as_i64().unwrap()));
        match page["next"].as_str() {
            Some(next) => path = format!("/api/v1/clients/acme-dental/tickets?limit=2&after={next}"),
            None => break,
        }
    }
    let all = ticket::Entity::find().filter(ticket::Column::TenantId.eq(acme_id)).count(&app.db).await.unwrap();
    assert_eq!(numbers.len() as u64, all);
    assert!(numbers.windows(2).all(|w| w[0] > w[1]), "newest first: {numbers:?}");

    // A ticket with its public comments, never an internal one.
    let internal: Vec<String> = ticket_comment::Entity::find()
        .filter(ticket_comment::Column::TenantId.eq(acme_id))
        .filter(ticket_comment::Column::Visibility.eq(domain::vocabulary::Visibility::Internal))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.body)
        .collect();
    assert!(!internal.is_empty(), "the demo has internal comments to leak");
    for n in &numbers {
        let body = get(&app, &acme, &format!("/api/v1/clients/acme-dental/tickets/{n}")).await.text().await.unwrap();
        assert!(body.contains("\"comments\""));
        for secret in &internal {
            assert!(!body.contains(secret.as_str()), "ticket {n} leaks an internal comment");
        }
    }
    let team: Value = get(&app, &acme, "/api/v1/clients/acme-dental/team").await.json().await.unwrap();
    assert!(team["primary"]["name"].is_string());

    // Northwind's, by every route: as missing.
    for path in ["systems", "tickets", "tickets/1", "team"] {
        let other = get(&app, &acme, &format!("/api/v1/clients/northwind-legal/{path}")).await;
        let missing = get(&app, &acme, &format!("/api/v1/clients/no-such-client/{path}")).await;
        assert_eq!(other.status(), 404, "{path}");
        assert_eq!(other.text().await.unwrap(), missing.text().await.unwrap(), "{path}");
    }
    problem(get(&app, &acme, "/api/v1/clients/acme-dental/tickets/98765").await, 404, "not_found").await;
    problem(get(&app, &acme, "/api/v1/clients/acme-dental/tickets?status=lost").await, 422, "invalid_request").await;
    problem(get(&app, &acme, "/api/v1/clients/acme-dental/tickets?limit=5&limit=6").await, 422, "invalid_request")
        .await;
}

#[tokio::test]
async fn a_write_token_opens_a_clients_ticket_and_comments_in_public() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let acme = token(&app, "psa", "acme-dental", "read,write").await;
    let reader = token(&app, "reader", "acme-dental", "read").await;
    let post = |token: String, path: &'static str, body: Value| {
        let url = app.url(path);
        async move { api().post(url).bearer_auth(token).json(&body).send_or_fail().await }
    };
    let new = json!({"subject": "Scanner offline", "description": "Since 9:00", "impact": "department", "urgency": "work_degraded"});
    problem(post(reader.clone(), "/api/v1/clients/acme-dental/tickets", new.clone()).await, 403, "forbidden").await;
    let other = post(acme.clone(), "/api/v1/clients/northwind-legal/tickets", new.clone()).await;
    let missing = post(acme.clone(), "/api/v1/clients/no-such-client/tickets", new.clone()).await;
    assert_eq!(other.status(), 404);
    assert_eq!(other.text().await.unwrap(), missing.text().await.unwrap());
    let bad = post(
        acme.clone(),
        "/api/v1/clients/acme-dental/tickets",
        json!({"subject": "x", "description": "", "impact": "galaxy", "urgency": "work_degraded"}),
    )
    .await;
    let bad = problem(bad, 422, "invalid_request").await;
    assert_eq!(bad["errors"][0]["field"], "impact", "{bad}");
    let before = domain::entities::ticket::Entity::find().count(&app.db).await.unwrap();

    let res = post(acme.clone(), "/api/v1/clients/acme-dental/tickets", new).await;
    assert_eq!(res.status(), 201);
    let t: Value = res.json().await.unwrap();
    assert_eq!(t["priority"], 3, "department × work degraded");
    assert_eq!(t["status"], "new");
    let number = t["number"].as_i64().unwrap();
    assert_eq!(domain::entities::ticket::Entity::find().count(&app.db).await.unwrap(), before + 1);
    let path: &'static str =
        Box::leak(format!("/api/v1/clients/acme-dental/tickets/{number}/comments").into_boxed_str());
    let res = post(acme.clone(), path, json!({"body": "The vendor is sending a part."})).await;
    assert_eq!(res.status(), 201);
    let t: Value = res.json().await.unwrap();
    assert_eq!(t["comments"][0]["author"], "Your IT team");
    problem(post(acme.clone(), path, json!({"body": "  "})).await, 422, "invalid_request").await;
    problem(
        post(acme.clone(), "/api/v1/clients/acme-dental/tickets/98765/comments", json!({"body": "x"})).await,
        404,
        "not_found",
    )
    .await;

    // The client reads it in the portal, with the reply.
    let dana = app.signed_in("dana@acme-dental.test").await;
    let page = dana.get(app.url(&format!("/portal/tickets/{number}"))).send_or_fail().await.text().await.unwrap();
    assert!(page.contains("Scanner offline") && page.contains("The vendor is sending a part."));
}
