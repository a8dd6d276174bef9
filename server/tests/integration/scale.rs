//! Pages over every client ask the database a fixed number of times, however many clients there
//! are: their cost may grow with what they show, never by a query per client.

use crate::common::*;

/// The staff pages that read across all clients.
const ACROSS_CLIENTS: [&str; 5] = ["/msp", "/msp/coverage", "/msp/clients", "/msp/tickets", "/msp/admin/clients"];

#[tokio::test]
async fn staff_pages_across_clients_ask_as_often_for_nineteen_clients_as_for_three() {
    // The background jobs' statements would be counted too.
    let app = spawn_app_with(|c| c.background_jobs = false).await;
    app.seed_demo().await;
    let morgan = app.signed_in("morgan@limelight.test").await;
    let mut three = Vec::new();
    for page in ACROSS_CLIENTS {
        three.push((page, app.queries_for(&morgan, page).await));
    }

    for n in 0..16 {
        let from = ["acme-dental", "northwind-legal", "harbor-architects"][n % 3];
        app.copy_client(from, &format!("copy-{n}")).await;
    }
    let mut nineteen = Vec::new();
    for page in ACROSS_CLIENTS {
        nineteen.push((page, app.queries_for(&morgan, page).await));
    }
    let count = |pages: &[(&str, Vec<String>)]| pages.iter().map(|(p, s)| (p.to_string(), s.len())).collect::<Vec<_>>();
    assert_eq!(
        count(&nineteen),
        count(&three),
        "statements per page, with 19 clients and with 3; with 19:\n{}\nwith 3:\n{}",
        statements(&nineteen),
        statements(&three)
    );

    // The copies are on the pages: the same number of statements read more clients.
    let clients = morgan.get(app.url("/msp/clients")).send_or_fail().await.text().await.unwrap();
    assert!(clients.contains("copy-15"), "the last copy is listed");
    let coverage = morgan.get(app.url("/msp/coverage")).send_or_fail().await.text().await.unwrap();
    assert!(coverage.contains("copy-15"), "the last copy's team is on the board");
}

/// Each page's statements, for the message of a failure: which statement came once per client.
fn statements(pages: &[(&str, Vec<String>)]) -> String {
    pages.iter().map(|(page, sql)| format!("{page}:\n  {}", sql.join("\n  "))).collect::<Vec<_>>().join("\n")
}

/// The benchmark's data: the counts asked for, the work spread unevenly, and sessions that open
/// the pages the benchmark loads, each person only their own.
#[tokio::test]
async fn the_benchmark_fills_a_database_at_scale_and_signs_its_people_in() {
    use domain::bench::{BenchScale, fill};
    use domain::entities::{tenant, ticket, ticket_comment, user, work_entry};
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    let app = spawn_app_with(|c| c.background_jobs = false).await;
    let password = || domain::input::Password::parse(PASSWORD.into()).unwrap();

    // Too few clients for the spread: refused before anything is written.
    let refused = fill(&app.db, password(), BenchScale { clients: 12, entries: 100 }).await;
    assert!(matches!(refused, Err(domain::DomainError::Invalid(_))), "{refused:?}");
    assert_eq!(tenant::Entity::find().count(&app.db).await.unwrap(), 0, "nothing written");

    let sessions = fill(&app.db, password(), BenchScale { clients: 40, entries: 4000 }).await.unwrap();
    let demo_entries = 521;
    assert_eq!(tenant::Entity::find().count(&app.db).await.unwrap(), 40);
    assert_eq!(work_entry::Entity::find().count(&app.db).await.unwrap(), 4000 + demo_entries);
    assert_eq!(ticket::Entity::find().filter(ticket::Column::Number.gte(1000)).count(&app.db).await.unwrap(), 800);
    assert_eq!(ticket_comment::Entity::find().count(&app.db).await.unwrap() >= 1600, true);
    assert_eq!(user::Entity::find().filter(user::Column::Email.like("%@bench-%")).count(&app.db).await.unwrap(), 74);
    let acme =
        tenant::Entity::find().filter(tenant::Column::Slug.eq("acme-dental")).one(&app.db).await.unwrap().unwrap();
    let bench_1 =
        tenant::Entity::find().filter(tenant::Column::Slug.eq("bench-1")).one(&app.db).await.unwrap().unwrap();
    let bench_37 =
        tenant::Entity::find().filter(tenant::Column::Slug.eq("bench-37")).one(&app.db).await.unwrap().unwrap();
    let of = |t: i64| work_entry::Entity::find().filter(work_entry::Column::TenantId.eq(t)).count(&app.db);
    let (acme_n, large_n, tail_n) =
        (of(acme.id).await.unwrap(), of(bench_1.id).await.unwrap(), of(bench_37.id).await.unwrap());
    assert!(
        acme_n >= 400 && large_n == 200 && tail_n < 100,
        "a tenth, a twentieth, the tail: {acme_n} {large_n} {tail_n}"
    );

    let as_ = |token: &str| {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(reqwest::header::COOKIE, format!("limelight_session={token}").parse().unwrap());
        reqwest::Client::builder().default_headers(headers).redirect(reqwest::redirect::Policy::none()).build().unwrap()
    };
    let (client, admin, tech) = (as_(&sessions.client), as_(&sessions.admin), as_(&sessions.tech));
    let get = |c: &reqwest::Client, path: &str| {
        let req = c.get(app.url(path));
        async move {
            let res = req.send_or_fail().await;
            (res.status().as_u16(), res.text().await.unwrap())
        }
    };
    let (status, dashboard) = get(&client, "/portal").await;
    assert_eq!(status, 200);
    assert!(dashboard.contains("Acme Dental"), "the client's own dashboard");
    let (status, history) = get(&client, "/portal/work").await;
    assert_eq!(status, 200);
    assert!(history.contains("Work item"), "generated work is on the history page");
    assert_eq!(get(&client, "/msp").await.0, 404, "a client is no staff member");
    for staff in [&admin, &tech] {
        let (status, overview) = get(staff, "/msp/clients").await;
        assert_eq!(status, 200);
        assert!(overview.contains("Client 37"), "the generated clients are listed");
    }
    assert_eq!(get(&tech, "/msp/admin/clients").await.0, 404, "a tech is no admin");
    assert_eq!(get(&admin, "/msp/admin/clients").await.0, 200);
}
