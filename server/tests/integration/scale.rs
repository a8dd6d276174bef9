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
