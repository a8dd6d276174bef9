//! The OpenAPI 3.1 document, generated from the handlers by utoipa, and a reference page for
//! people rendered from that same document (so the two cannot disagree).

use super::{clients, events, problem, staff, work};
use axum::Json;
use axum::response::Html;
use domain::integrations::events as ingest;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Limelight API",
        version = "1",
        description = "The MSP's tools talk to the portal here. Every call carries `Authorization: Bearer <token>`; tokens are made by an MSP admin (Admin → Integrations) or `limelight token add`, and are limited to one client or all and to the permissions `ingest`, `read`, `write`. A client-scoped token gets 404 for any other client's objects, never sees internal work, and gets 403 where only staff may go (adding clients, setting a team, staff time off). Errors are `application/problem+json` with a stable `code`."
    ),
    paths(
        events::post_events,
        clients::list_clients,
        clients::get_client,
        clients::list_work,
        clients::list_systems,
        clients::list_tickets,
        clients::get_ticket,
        clients::get_team,
        clients::open_ticket,
        clients::comment_on_ticket,
        staff::add_client,
        work::get_work,
        work::log_work,
        work::rewrite_work,
        work::delete_work,
        work::get_system,
        work::add_system,
        work::edit_system,
        staff::set_team,
        staff::list_time_off,
        staff::add_time_off,
        staff::remove_time_off,
    ),
    components(schemas(
        ingest::EventIn, ingest::EventBatch, ingest::IngestReport, ingest::ItemReport, ingest::Outcome,
        problem::Problem, problem::Code, problem::FieldError,
        clients::ClientOut, clients::ClientPage, clients::WorkOut, clients::WorkPage, clients::SystemOut,
        clients::TicketOut, clients::TicketPage, clients::TicketDetailOut, clients::CommentOut,
        clients::PersonOut, clients::TeamOut, clients::TicketIn, clients::CommentIn,
        work::WorkIn, work::SystemIn, staff::ClientIn, staff::TeamIn, staff::TimeOffIn, staff::TimeOffOut,
        staff::TimeOffPage,
    )),
    modifiers(&BearerAuth),
    tags(
        (name = "events", description = "Events from RMM and backup tools, read by clients as plain-language work"),
        (name = "clients", description = "Client companies"),
        (name = "work", description = "Work done for a client"),
        (name = "systems", description = "What the MSP looks after for a client"),
        (name = "tickets", description = "A client's tickets and their public comments"),
        (name = "coverage", description = "Who looks after a client, who covers today, and staff time off"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
    }
}

pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(document())
}

fn esc(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A schema's name from a `$ref`, or its type.
fn type_of(schema: &serde_json::Value) -> String {
    if let Some(r) = schema.get("$ref").and_then(|r| r.as_str()) {
        let name = r.rsplit('/').next().unwrap_or(r);
        return format!("<a href=\"#schema-{0}\">{0}</a>", esc(name));
    }
    if let Some(items) = schema.get("items") {
        return format!("array of {}", type_of(items));
    }
    if let Some(words) = schema.get("enum").and_then(|e| e.as_array()) {
        return words
            .iter()
            .filter_map(|w| w.as_str())
            .map(|w| format!("<code>{}</code>", esc(w)))
            .collect::<Vec<_>>()
            .join(" | ");
    }
    if let Some(any) = schema.get("oneOf").or_else(|| schema.get("anyOf")).and_then(|o| o.as_array()) {
        return any.iter().map(type_of).collect::<Vec<_>>().join(" or ");
    }
    match schema.get("type") {
        Some(serde_json::Value::String(t)) => esc(t),
        Some(serde_json::Value::Array(ts)) => {
            ts.iter().filter_map(|t| t.as_str()).map(esc).collect::<Vec<_>>().join(" or ")
        }
        _ => "any".into(),
    }
}

/// `GET /api/v1/docs`: the reference, as a plain page.
pub async fn reference_page() -> Html<String> {
    let doc = serde_json::to_value(document()).expect("the document serialises");
    let mut html = String::from(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Limelight API reference</title><link rel=\"stylesheet\" href=\"/pkg/limelight.css\"></head><body><main class=\"page api-reference\">",
    );
    html.push_str(&format!(
        "<h1>Limelight API reference</h1><p>{}</p><p>The machine-readable document: <a href=\"/api/v1/openapi.json\">/api/v1/openapi.json</a> (OpenAPI {}).</p>",
        esc(doc["info"]["description"].as_str().unwrap_or("")),
        esc(doc["openapi"].as_str().unwrap_or(""))
    ));
    html.push_str("<h2>Routes</h2>");
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for (method, op) in item.as_object().into_iter().flatten() {
            html.push_str(&format!(
                "<section><h3><code>{} {}</code> — {}</h3><p>{}</p>",
                esc(&method.to_uppercase()),
                esc(path),
                esc(op["summary"].as_str().unwrap_or("")),
                esc(op["description"].as_str().unwrap_or(""))
            ));
            if let Some(params) = op["parameters"].as_array() {
                html.push_str(
                    "<table><thead><tr><th>Parameter</th><th>In</th><th>Type</th><th>About</th></tr></thead><tbody>",
                );
                for p in params {
                    html.push_str(&format!(
                        "<tr><td><code>{}</code>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                        esc(p["name"].as_str().unwrap_or("")),
                        if p["required"].as_bool() == Some(true) { " (required)" } else { "" },
                        esc(p["in"].as_str().unwrap_or("")),
                        type_of(&p["schema"]),
                        esc(p["description"].as_str().unwrap_or(""))
                    ));
                }
                html.push_str("</tbody></table>");
            }
            if let Some(body) = op["requestBody"]["content"].as_object().and_then(|c| c.values().next()) {
                html.push_str(&format!("<p>Body: {}</p>", type_of(&body["schema"])));
            }
            html.push_str("<ul>");
            for (status, r) in op["responses"].as_object().into_iter().flatten() {
                let schema = r["content"].as_object().and_then(|c| c.values().next()).map(|c| type_of(&c["schema"]));
                html.push_str(&format!(
                    "<li><strong>{}</strong> {} {}</li>",
                    esc(status),
                    esc(r["description"].as_str().unwrap_or("")),
                    schema.unwrap_or_default()
                ));
            }
            html.push_str("</ul></section>");
        }
    }
    html.push_str("<h2>Types</h2>");
    for (name, schema) in doc["components"]["schemas"].as_object().into_iter().flatten() {
        html.push_str(&format!("<section id=\"schema-{0}\"><h3>{0}</h3>", esc(name)));
        if let Some(d) = schema["description"].as_str() {
            html.push_str(&format!("<p>{}</p>", esc(d)));
        }
        let required: Vec<&str> =
            schema["required"].as_array().into_iter().flatten().filter_map(|r| r.as_str()).collect();
        if let Some(props) = schema["properties"].as_object() {
            html.push_str("<table><thead><tr><th>Field</th><th>Type</th><th>About</th></tr></thead><tbody>");
            for (field, p) in props {
                html.push_str(&format!(
                    "<tr><td><code>{}</code>{}</td><td>{}</td><td>{}</td></tr>",
                    esc(field),
                    if required.contains(&field.as_str()) { " (required)" } else { "" },
                    type_of(p),
                    esc(p["description"].as_str().unwrap_or(""))
                ));
            }
            html.push_str("</tbody></table>");
        } else {
            html.push_str(&format!("<p>{}</p>", type_of(schema)));
        }
        if name == "Code" {
            html.push_str("<p>Problem codes, each with its own anchor: ");
            for c in schema["enum"].as_array().into_iter().flatten().filter_map(|c| c.as_str()) {
                html.push_str(&format!("<code id=\"problem-{0}\">{0}</code> ", esc(c)));
            }
            html.push_str("</p>");
        }
        html.push_str("</section>");
    }
    html.push_str("</main></body></html>");
    Html(html)
}
