//! Tenant isolation and roles, as one table: every client-facing route and server function, asked
//! by every kind of caller. Later pages add their rows here.
//!
//! The fixture is the demo: client users of Acme Dental ask for Acme's rows, Acme's internal rows
//! and Northwind Legal's rows. Another tenant's id must answer exactly like a missing one.

use crate::common::*;
use domain::entities::{tenant, work_entry};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    Anonymous,
    ClientUser,
    ClientAdmin,
    Tech,
    AccountManager,
    MspAdmin,
}

const EVERYONE: [Who; 6] =
    [Who::Anonymous, Who::ClientUser, Who::ClientAdmin, Who::Tech, Who::AccountManager, Who::MspAdmin];

impl Who {
    fn email(self) -> Option<&'static str> {
        match self {
            Who::Anonymous => None,
            Who::ClientUser => Some("lee@acme-dental.test"),
            Who::ClientAdmin => Some("dana@acme-dental.test"),
            Who::Tech => Some("sam@limelight.test"),
            Who::AccountManager => Some("alex@limelight.test"),
            Who::MspAdmin => Some("morgan@limelight.test"),
        }
    }

    fn is_client(self) -> bool {
        matches!(self, Who::ClientUser | Who::ClientAdmin)
    }

    fn is_staff(self) -> bool {
        matches!(self, Who::Tech | Who::AccountManager | Who::MspAdmin)
    }
}

/// Ids the table's requests point at.
struct Fixture {
    own_visible: i64,
    own_internal: i64,
    other_tenant: i64,
    other_system: i64,
    own_system: i64,
    /// A user of another tenant.
    other_user: i64,
    own_summary: i64,
    own_draft: i64,
    other_summary: i64,
    /// A ticket number that exists in another tenant only.
    other_ticket: i64,
    /// That ticket's id (staff address tickets by id).
    other_ticket_id: i64,
    /// An open incident that concerns another tenant only.
    other_incident: i64,
    /// The demo's requests for approval: the own tenant's (waiting) and another's.
    own_approval: i64,
    other_approval: i64,
    /// A window of another tenant's request.
    other_window: i64,
}

enum Request {
    Page(String),
    Fn(&'static str, Vec<(&'static str, String)>),
}

struct Case {
    name: &'static str,
    request: fn(&Fixture) -> Request,
    /// The status each caller must get.
    status: fn(Who) -> u16,
}

/// A page inside a signed-in area: no session goes to /login, the wrong role gets 404.
fn portal_page(who: Who) -> u16 {
    match who {
        Who::Anonymous => 303,
        w if w.is_client() => 200,
        _ => 404,
    }
}

fn msp_page(who: Who) -> u16 {
    match who {
        Who::Anonymous => 303,
        w if w.is_staff() => 200,
        _ => 404,
    }
}

fn portal_fn(who: Who) -> u16 {
    match who {
        Who::Anonymous => 401,
        w if w.is_client() => 200,
        _ => 404,
    }
}

fn msp_fn(who: Who) -> u16 {
    match who {
        Who::Anonymous => 401,
        w if w.is_staff() => 200,
        _ => 404,
    }
}

/// For client_admins only.
fn admin_page(who: Who) -> u16 {
    match who {
        Who::Anonymous => 303,
        Who::ClientAdmin => 200,
        _ => 404,
    }
}

fn admin_fn(who: Who) -> u16 {
    match who {
        Who::Anonymous => 401,
        Who::ClientAdmin => 200,
        _ => 404,
    }
}

/// A staff function that changes something, asked with input it refuses: techs and MSP admins
/// get past the role check to the input's 422, account managers 403, clients 404.
fn editor_bad_input(who: Who) -> u16 {
    match who {
        Who::Anonymous => 401,
        Who::Tech | Who::MspAdmin => 422,
        Who::AccountManager => 403,
        _ => 404,
    }
}

/// The same, for an object that does not exist: 404 for editors too.
fn editor_missing(who: Who) -> u16 {
    match who {
        Who::AccountManager => 403,
        w => nobody_fn(w),
    }
}

/// Any member of staff may do it (bad input: 422); clients 404.
fn staff_bad_input(who: Who) -> u16 {
    match who {
        Who::Anonymous => 401,
        w if w.is_staff() => 422,
        _ => 404,
    }
}

/// MSP admins only; everyone else signed in gets 404.
fn msp_admin_page(who: Who) -> u16 {
    match who {
        Who::Anonymous => 303,
        Who::MspAdmin => 200,
        _ => 404,
    }
}

fn msp_admin_fn(who: Who) -> u16 {
    match who {
        Who::Anonymous => 401,
        Who::MspAdmin => 200,
        _ => 404,
    }
}

fn msp_admin_bad_input(who: Who) -> u16 {
    match msp_admin_fn(who) {
        200 => 422,
        s => s,
    }
}

/// Summary writers (account managers, MSP admins) get to the input's 422; techs 403.
fn writer_bad_input(who: Who) -> u16 {
    match who {
        Who::Tech => 403,
        Who::AccountManager | Who::MspAdmin => 422,
        w => nobody_fn(w),
    }
}

fn signed_in_page(who: Who) -> u16 {
    if who == Who::Anonymous { 303 } else { 200 }
}

fn signed_in_fn(who: Who) -> u16 {
    if who == Who::Anonymous { 401 } else { 200 }
}

/// Nobody gets it: no session → 303/401 as the area says, everyone else 404.
fn nobody_page(who: Who) -> u16 {
    if who == Who::Anonymous { 303 } else { 404 }
}

fn nobody_fn(who: Who) -> u16 {
    if who == Who::Anonymous { 401 } else { 404 }
}

fn cases() -> Vec<Case> {
    vec![
        Case { name: "portal dashboard", request: |_| Request::Page("/portal".into()), status: portal_page },
        Case {
            name: "own client-visible work entry",
            request: |f| Request::Page(format!("/portal/work/{}", f.own_visible)),
            status: portal_page,
        },
        Case {
            name: "own internal work entry",
            request: |f| Request::Page(format!("/portal/work/{}", f.own_internal)),
            status: nobody_page,
        },
        Case {
            name: "another tenant's work entry",
            request: |f| Request::Page(format!("/portal/work/{}", f.other_tenant)),
            status: nobody_page,
        },
        Case {
            name: "missing work entry",
            request: |_| Request::Page("/portal/work/987654321".into()),
            status: nobody_page,
        },
        Case {
            name: "malformed work entry id",
            request: |_| Request::Page("/portal/work/abc".into()),
            status: nobody_page,
        },
        Case { name: "work history", request: |_| Request::Page("/portal/work".into()), status: portal_page },
        Case {
            name: "work history filtered by another tenant's system",
            request: |f| Request::Page(format!("/portal/work?system={}", f.other_system)),
            status: portal_page,
        },
        Case { name: "work history CSV", request: |_| Request::Page("/portal/work.csv".into()), status: portal_page },
        Case {
            name: "fn portal/work-history",
            request: |_| Request::Fn("portal/work-history", vec![("query[q]", String::new())]),
            status: portal_fn,
        },
        Case {
            name: "fn portal/work-history, another tenant's system",
            request: |f| Request::Fn("portal/work-history", vec![("query[system]", f.other_system.to_string())]),
            status: portal_fn,
        },
        Case {
            name: "how we prioritise",
            request: |_| Request::Page("/portal/priorities".into()),
            status: portal_page,
        },
        Case { name: "fn portal/priorities", request: |_| Request::Fn("portal/priorities", vec![]), status: portal_fn },
        Case { name: "team", request: |_| Request::Page("/portal/team".into()), status: portal_page },
        Case { name: "fn portal/team", request: |_| Request::Fn("portal/team", vec![]), status: portal_fn },
        Case { name: "systems", request: |_| Request::Page("/portal/systems".into()), status: portal_page },
        Case {
            name: "own system",
            request: |f| Request::Page(format!("/portal/systems/{}", f.own_system)),
            status: portal_page,
        },
        Case {
            name: "another tenant's system",
            request: |f| Request::Page(format!("/portal/systems/{}", f.other_system)),
            status: nobody_page,
        },
        Case { name: "fn portal/systems", request: |_| Request::Fn("portal/systems", vec![]), status: portal_fn },
        Case {
            name: "fn portal/system, another tenant's",
            request: |f| Request::Fn("portal/system", vec![("id", f.other_system.to_string())]),
            status: nobody_fn,
        },
        Case { name: "summaries", request: |_| Request::Page("/portal/summaries".into()), status: portal_page },
        Case {
            name: "own sent summary",
            request: |f| Request::Page(format!("/portal/summaries/{}", f.own_summary)),
            status: portal_page,
        },
        Case {
            name: "own draft summary",
            request: |f| Request::Page(format!("/portal/summaries/{}", f.own_draft)),
            status: nobody_page,
        },
        Case {
            name: "another tenant's summary",
            request: |f| Request::Page(format!("/portal/summaries/{}", f.other_summary)),
            status: nobody_page,
        },
        Case { name: "fn portal/summaries", request: |_| Request::Fn("portal/summaries", vec![]), status: portal_fn },
        Case {
            name: "fn portal/summary, own draft",
            request: |f| Request::Fn("portal/summary", vec![("id", f.own_draft.to_string())]),
            status: nobody_fn,
        },
        Case { name: "people", request: |_| Request::Page("/portal/users".into()), status: admin_page },
        Case { name: "fn portal/users", request: |_| Request::Fn("portal/users", vec![]), status: admin_fn },
        Case {
            name: "fn portal/user-deactivate, another tenant's user",
            request: |f| Request::Fn("portal/user-deactivate", vec![("id", f.other_user.to_string())]),
            status: nobody_fn,
        },
        Case {
            name: "fn portal/invite, a staff role",
            request: |_| {
                Request::Fn("portal/invite", vec![("email", "x@example.com".into()), ("role", "msp_admin".into())])
            },
            status: |w| match w {
                Who::Anonymous => 401,
                Who::ClientAdmin => 422,
                _ => 404,
            },
        },
        Case { name: "an unknown invitation", request: |_| Request::Page("/invite/abc123".into()), status: |_| 404 },
        Case {
            name: "fn invite/info, unknown",
            request: |_| Request::Fn("invite/info", vec![("token", "abc123".into())]),
            status: |_| 404,
        },
        Case { name: "tickets", request: |_| Request::Page("/portal/tickets".into()), status: portal_page },
        Case {
            name: "own ticket (requested by the client_user)",
            request: |_| Request::Page("/portal/tickets/2".into()),
            status: portal_page,
        },
        Case {
            name: "a colleague's ticket",
            request: |_| Request::Page("/portal/tickets/1".into()),
            status: |w| match w {
                Who::ClientAdmin => 200,
                Who::Anonymous => 303,
                _ => 404,
            },
        },
        Case {
            name: "another tenant's ticket number",
            request: |f| Request::Page(format!("/portal/tickets/{}", f.other_ticket)),
            status: nobody_page,
        },
        Case { name: "fn portal/tickets", request: |_| Request::Fn("portal/tickets", vec![]), status: portal_fn },
        Case {
            name: "fn portal/ticket, own",
            request: |_| Request::Fn("portal/ticket", vec![("number", "2".into())]),
            status: portal_fn,
        },
        Case {
            name: "fn portal/ticket, another tenant's number",
            request: |f| Request::Fn("portal/ticket", vec![("number", f.other_ticket.to_string())]),
            status: nobody_fn,
        },
        Case {
            name: "fn portal/ticket-comment on another tenant's number",
            request: |f| {
                Request::Fn(
                    "portal/ticket-comment",
                    vec![("number", f.other_ticket.to_string()), ("body", "hi".into())],
                )
            },
            status: nobody_fn,
        },
        Case {
            name: "fn portal/ticket-rate on another tenant's number",
            request: |f| {
                Request::Fn(
                    "portal/ticket-rate",
                    vec![("number", f.other_ticket.to_string()), ("rating", "good".into())],
                )
            },
            status: nobody_fn,
        },
        Case {
            // Lee's resolved ticket: only its requester rates it (the client admin sees it, but
            // the answer is the requester's to give).
            name: "fn portal/ticket-rate, the client user's own resolved ticket",
            request: |_| Request::Fn("portal/ticket-rate", vec![("number", "2".into()), ("rating", "okay".into())]),
            status: |w| match w {
                Who::Anonymous => 401,
                Who::ClientUser => 200,
                _ => 404,
            },
        },
        Case {
            name: "fn portal/ticket-rate, an open ticket of one's own",
            request: |_| Request::Fn("portal/ticket-rate", vec![("number", "4".into()), ("rating", "good".into())]),
            status: |w| match w {
                Who::Anonymous => 401,
                Who::ClientUser => 422,
                _ => 404,
            },
        },
        Case {
            name: "the page a rating link lands on (public)",
            request: |_| Request::Page("/rated?ticket=2&answer=good".into()),
            status: |_| 200,
        },
        Case {
            name: "a rating link that does not exist",
            request: |_| Request::Page(format!("/rate/{}/good", "0".repeat(64))),
            status: |_| 303,
        },
        Case {
            name: "fn portal/ticket-new, bad input",
            request: |_| Request::Fn("portal/ticket-new", vec![("subject", String::new())]),
            status: |w| match w {
                Who::Anonymous => 401,
                w if w.is_client() => 422,
                _ => 404,
            },
        },
        // One's own account: any signed-in person.
        Case { name: "account", request: |_| Request::Page("/portal/account".into()), status: signed_in_page },
        Case {
            name: "fn account/sessions",
            request: |_| Request::Fn("account/sessions", vec![]),
            status: signed_in_fn,
        },
        Case { name: "staff overview", request: |_| Request::Page("/msp".into()), status: msp_page },
        Case { name: "fn portal/home", request: |_| Request::Fn("portal/home", vec![]), status: portal_fn },
        Case {
            name: "fn portal/work, own entry",
            request: |f| Request::Fn("portal/work", vec![("id", f.own_visible.to_string())]),
            status: portal_fn,
        },
        Case {
            name: "fn portal/work, own internal entry",
            request: |f| Request::Fn("portal/work", vec![("id", f.own_internal.to_string())]),
            status: nobody_fn,
        },
        Case {
            name: "fn portal/work, another tenant's entry",
            request: |f| Request::Fn("portal/work", vec![("id", f.other_tenant.to_string())]),
            status: nobody_fn,
        },
        Case { name: "fn msp/clients", request: |_| Request::Fn("msp/clients", vec![]), status: msp_fn },
        Case { name: "staff overview", request: |_| Request::Page("/msp".into()), status: msp_page },
        Case { name: "fn msp/overview", request: |_| Request::Fn("msp/overview", vec![]), status: msp_fn },
        Case { name: "staff clients", request: |_| Request::Page("/msp/clients".into()), status: msp_page },
        Case {
            name: "staff client page",
            request: |_| Request::Page("/msp/clients/acme-dental".into()),
            status: msp_page,
        },
        Case {
            name: "staff unknown client",
            request: |_| Request::Page("/msp/clients/no-such-client".into()),
            status: nobody_page,
        },
        Case {
            name: "fn msp/client",
            request: |_| Request::Fn("msp/client", vec![("slug", "acme-dental".into())]),
            status: msp_fn,
        },
        Case {
            name: "portal preview",
            request: |_| Request::Page("/msp/clients/acme-dental/preview".into()),
            status: msp_page,
        },
        Case {
            name: "fn msp/preview",
            request: |_| Request::Fn("msp/preview", vec![("slug", "acme-dental".into())]),
            status: msp_fn,
        },
        Case { name: "log work", request: |_| Request::Page("/msp/work/new".into()), status: msp_page },
        Case {
            name: "edit work",
            request: |f| Request::Page(format!("/msp/work/{}", f.own_internal)),
            status: msp_page,
        },
        Case { name: "fn msp/work-form", request: |_| Request::Fn("msp/work-form", vec![]), status: msp_fn },
        Case {
            name: "fn msp/work-check",
            request: |_| {
                Request::Fn(
                    "msp/work-check",
                    vec![
                        ("client", "acme-dental".into()),
                        ("start", "2026-11-17T22:00".into()),
                        ("duration", "30".into()),
                    ],
                )
            },
            status: msp_fn,
        },
        Case {
            name: "fn msp/work-save, empty",
            request: |_| Request::Fn("msp/work-save", vec![]),
            status: editor_bad_input,
        },
        Case {
            name: "fn msp/work-done, missing",
            request: |_| Request::Fn("msp/work-done", vec![("id", "987654321".into())]),
            status: editor_missing,
        },
        Case {
            name: "fn msp/work-delete, missing",
            request: |_| Request::Fn("msp/work-delete", vec![("id", "987654321".into())]),
            status: editor_missing,
        },
        Case {
            name: "fn msp/system-save, no name",
            request: |_| Request::Fn("msp/system-save", vec![("client", "acme-dental".into())]),
            status: editor_bad_input,
        },
        Case {
            name: "fn msp/runbook-save, no title",
            request: |_| Request::Fn("msp/runbook-save", vec![("client", "acme-dental".into())]),
            status: editor_bad_input,
        },
        Case {
            name: "fn msp/runbook-review, missing",
            request: |_| Request::Fn("msp/runbook-review", vec![("id", "987654321".into())]),
            status: editor_missing,
        },
        Case {
            name: "fn msp/team-save, bad primary",
            request: |_| Request::Fn("msp/team-save", vec![("client", "acme-dental".into()), ("primary", "x".into())]),
            status: editor_bad_input,
        },
        Case {
            name: "fn msp/system-cover, bad primary",
            request: |f| {
                Request::Fn("msp/system-cover", vec![("system_id", f.own_system.to_string()), ("primary", "x".into())])
            },
            status: editor_bad_input,
        },
        Case {
            name: "fn msp/knowledge, bad level",
            request: |f| {
                Request::Fn(
                    "msp/knowledge",
                    vec![("system_id", f.own_system.to_string()), ("user_id", "1".into()), ("level", "guru".into())],
                )
            },
            status: editor_bad_input,
        },
        Case { name: "ticket queue", request: |_| Request::Page("/msp/tickets".into()), status: msp_page },
        Case { name: "fn msp/tickets", request: |_| Request::Fn("msp/tickets", vec![]), status: msp_fn },
        Case {
            name: "staff ticket page",
            request: |f| Request::Page(format!("/msp/tickets/{}", f.other_ticket_id)),
            status: msp_page,
        },
        Case {
            name: "fn msp/ticket",
            request: |f| Request::Fn("msp/ticket", vec![("id", f.other_ticket_id.to_string())]),
            status: msp_fn,
        },
        Case {
            name: "fn msp/ticket-status, bad status",
            request: |f| {
                Request::Fn("msp/ticket-status", vec![("id", f.other_ticket_id.to_string()), ("status", "x".into())])
            },
            status: editor_bad_input,
        },
        Case {
            name: "fn msp/ticket-assign, bad assignee",
            request: |f| {
                Request::Fn("msp/ticket-assign", vec![("id", f.other_ticket_id.to_string()), ("assignee", "x".into())])
            },
            status: editor_bad_input,
        },
        Case {
            name: "fn msp/ticket-comment, empty internal",
            request: |f| {
                Request::Fn("msp/ticket-comment", vec![("id", f.other_ticket_id.to_string()), ("internal", "1".into())])
            },
            status: editor_bad_input,
        },
        Case {
            name: "fn msp/ticket-comment, empty public",
            request: |f| Request::Fn("msp/ticket-comment", vec![("id", f.other_ticket_id.to_string())]),
            status: staff_bad_input,
        },
        Case {
            name: "fn msp/ticket-new, empty",
            request: |_| Request::Fn("msp/ticket-new", vec![("client", "acme-dental".into())]),
            status: staff_bad_input,
        },
        Case { name: "staff summaries", request: |_| Request::Page("/msp/summaries".into()), status: msp_page },
        Case {
            name: "staff summary page",
            request: |f| Request::Page(format!("/msp/summaries/{}", f.own_draft)),
            status: msp_page,
        },
        Case { name: "fn msp/summaries", request: |_| Request::Fn("msp/summaries", vec![]), status: msp_fn },
        Case {
            name: "fn msp/summary",
            request: |f| Request::Fn("msp/summary", vec![("id", f.own_summary.to_string())]),
            status: msp_fn,
        },
        Case {
            name: "fn msp/summary-new, no client",
            request: |_| Request::Fn("msp/summary-new", vec![]),
            status: writer_bad_input,
        },
        Case {
            name: "fn msp/summary-save, no subject",
            request: |f| Request::Fn("msp/summary-save", vec![("id", f.own_draft.to_string())]),
            status: writer_bad_input,
        },
        Case {
            name: "fn msp/summary-send, already sent",
            request: |f| Request::Fn("msp/summary-send", vec![("id", f.own_summary.to_string())]),
            status: writer_bad_input,
        },
        Case { name: "admin clients", request: |_| Request::Page("/msp/admin/clients".into()), status: msp_admin_page },
        Case { name: "admin people", request: |_| Request::Page("/msp/admin/users".into()), status: msp_admin_page },
        Case { name: "audit log", request: |_| Request::Page("/msp/audit".into()), status: msp_admin_page },
        Case {
            name: "fn msp/admin/clients",
            request: |_| Request::Fn("msp/admin/clients", vec![]),
            status: msp_admin_fn,
        },
        Case { name: "fn msp/admin/users", request: |_| Request::Fn("msp/admin/users", vec![]), status: msp_admin_fn },
        Case {
            name: "admin integrations",
            request: |_| Request::Page("/msp/admin/integrations".into()),
            status: msp_admin_page,
        },
        Case {
            name: "fn msp/admin/integrations",
            request: |_| Request::Fn("msp/admin/integrations", vec![]),
            status: msp_admin_fn,
        },
        Case { name: "admin jobs", request: |_| Request::Page("/msp/admin/jobs".into()), status: msp_admin_page },
        Case { name: "fn msp/admin/jobs", request: |_| Request::Fn("msp/admin/jobs", vec![]), status: msp_admin_fn },
        Case {
            name: "fn msp/admin/token-new, empty",
            request: |_| Request::Fn("msp/admin/token-new", vec![]),
            status: msp_admin_bad_input,
        },
        Case {
            name: "fn msp/admin/wording, unknown kind",
            request: |_| {
                Request::Fn("msp/admin/wording", vec![("kind", "reboot".into()), ("why_it_matters", "x".into())])
            },
            status: msp_admin_bad_input,
        },
        Case {
            name: "fn msp/admin/webhook-new, empty",
            request: |_| Request::Fn("msp/admin/webhook-new", vec![]),
            status: msp_admin_bad_input,
        },
        Case {
            name: "fn msp/admin/webhook-remove, missing",
            request: |_| Request::Fn("msp/admin/webhook-remove", vec![("id", "987654321".into())]),
            status: nobody_fn,
        },
        Case {
            name: "fn msp/admin/token-revoke, missing",
            request: |_| Request::Fn("msp/admin/token-revoke", vec![("name", "no-such-token".into())]),
            status: nobody_fn,
        },
        Case {
            name: "fn msp/client-ref, too long",
            request: |_| {
                Request::Fn("msp/client-ref", vec![("slug", "acme-dental".into()), ("external_ref", "x".repeat(101))])
            },
            status: editor_bad_input,
        },
        Case {
            name: "fn msp/system-name-map, another client's system",
            request: |f| {
                Request::Fn(
                    "msp/system-name-map",
                    vec![
                        ("slug", "acme-dental".into()),
                        ("name", "PC-1".into()),
                        ("system", f.other_system.to_string()),
                    ],
                )
            },
            status: editor_bad_input,
        },
        Case {
            name: "fn msp/system-name-unmap, missing",
            request: |_| {
                Request::Fn("msp/system-name-unmap", vec![("slug", "acme-dental".into()), ("name", "PC-1".into())])
            },
            status: editor_missing,
        },
        Case {
            name: "fn account/calendar",
            request: |_| Request::Fn("account/calendar", vec![]),
            status: signed_in_fn,
        },
        Case {
            name: "fn account/calendar-new",
            request: |_| Request::Fn("account/calendar-new", vec![]),
            status: signed_in_fn,
        },
        // Two-step sign-in. Its pages and functions answer a browser's two-step cookie, never a
        // session: without a sign-in waiting there is nothing, whoever asks.
        Case { name: "the code page", request: |_| Request::Page("/login/code".into()), status: |_| 200 },
        Case {
            name: "the setup page, no sign-in waiting",
            request: |_| Request::Page("/login/setup".into()),
            status: |_| 404,
        },
        Case {
            name: "the recovery codes page, no sign-in waiting",
            request: |_| Request::Page("/login/recovery-codes".into()),
            status: |_| 404,
        },
        Case { name: "fn two-step/setup", request: |_| Request::Fn("two-step/setup", vec![]), status: |_| 404 },
        Case {
            name: "fn two-step/recovery-codes",
            request: |_| Request::Fn("two-step/recovery-codes", vec![]),
            status: |_| 404,
        },
        Case {
            name: "fn account/two-step",
            request: |_| Request::Fn("account/two-step", vec![]),
            status: signed_in_fn,
        },
        Case {
            name: "fn account/two-step-off, a wrong code",
            request: |_| Request::Fn("account/two-step-off", vec![("code", "000000".into())]),
            // Clients have it off (422: nothing to turn off); staff must keep it (403).
            status: |who| match who {
                Who::Anonymous => 401,
                w if w.is_client() => 422,
                _ => 403,
            },
        },
        Case {
            name: "fn msp/admin/user-two-step-reset, another tenant's user without it",
            request: |f| Request::Fn("msp/admin/user-two-step-reset", vec![("id", f.other_user.to_string())]),
            status: msp_admin_bad_input,
        },
        Case {
            // Optional already: answered, and nothing changes for the callers after this one.
            name: "fn msp/admin/client-two-step, optional",
            request: |_| {
                Request::Fn(
                    "msp/admin/client-two-step",
                    vec![("slug", "acme-dental".into()), ("required", "false".into())],
                )
            },
            status: msp_admin_fn,
        },
        // The API takes bearer tokens only: no session opens it, whoever's.
        Case {
            name: "api clients with a session",
            request: |_| Request::Page("/api/v1/clients".into()),
            status: |_| 401,
        },
        Case {
            name: "api time off with a session",
            request: |_| Request::Page("/api/v1/time-off".into()),
            status: |_| 401,
        },
        Case {
            name: "api a work entry with a session",
            request: |f| Request::Page(format!("/api/v1/clients/acme-dental/work/{}", f.own_visible)),
            status: |_| 401,
        },
        Case {
            name: "api events with a session",
            request: |_| Request::Page("/api/v1/clients/acme-dental/work".into()),
            status: |_| 401,
        },
        Case { name: "fn msp/audit", request: |_| Request::Fn("msp/audit", vec![]), status: msp_admin_fn },
        Case {
            name: "fn msp/admin/client-new, empty",
            request: |_| Request::Fn("msp/admin/client-new", vec![]),
            status: msp_admin_bad_input,
        },
        Case {
            name: "fn msp/admin/client-edit, no name",
            request: |_| Request::Fn("msp/admin/client-edit", vec![("slug", "acme-dental".into())]),
            status: msp_admin_bad_input,
        },
        Case {
            name: "fn msp/admin/client-status, bad status",
            request: |_| {
                Request::Fn("msp/admin/client-status", vec![("slug", "acme-dental".into()), ("status", "gone".into())])
            },
            status: msp_admin_bad_input,
        },
        Case {
            name: "fn msp/admin/invite, empty",
            request: |_| Request::Fn("msp/admin/invite", vec![]),
            status: msp_admin_bad_input,
        },
        Case {
            name: "fn msp/admin/user-role, bad role",
            request: |f| {
                Request::Fn("msp/admin/user-role", vec![("id", f.other_user.to_string()), ("role", "king".into())])
            },
            status: msp_admin_bad_input,
        },
        Case {
            name: "fn msp/admin/user-active, missing user",
            request: |_| {
                Request::Fn("msp/admin/user-active", vec![("id", "987654321".into()), ("active", "false".into())])
            },
            status: nobody_fn,
        },
        Case { name: "service status", request: |_| Request::Page("/portal/incidents".into()), status: portal_page },
        Case {
            name: "another tenant's incident",
            request: |f| Request::Page(format!("/portal/incidents/{}", f.other_incident)),
            status: nobody_page,
        },
        Case { name: "fn portal/incidents", request: |_| Request::Fn("portal/incidents", vec![]), status: portal_fn },
        Case {
            name: "fn portal/incident, another tenant's",
            request: |f| Request::Fn("portal/incident", vec![("id", f.other_incident.to_string())]),
            status: nobody_fn,
        },
        Case { name: "fn portal/notices", request: |_| Request::Fn("portal/notices", vec![]), status: portal_fn },
        Case {
            name: "fn portal/ticket-new about another tenant's incident",
            request: |f| {
                Request::Fn(
                    "portal/ticket-new",
                    vec![
                        ("subject", "Phones".into()),
                        ("description", "Down".into()),
                        ("impact", "individual".into()),
                        ("urgency", "inconvenience".into()),
                        ("incident", f.other_incident.to_string()),
                    ],
                )
            },
            status: |w| match w {
                Who::Anonymous => 401,
                w if w.is_client() => 422,
                _ => 404,
            },
        },
        Case { name: "approvals", request: |_| Request::Page("/portal/approvals".into()), status: portal_page },
        Case {
            name: "an approval of the own tenant",
            request: |f| Request::Page(format!("/portal/approvals/{}", f.own_approval)),
            status: portal_page,
        },
        Case {
            name: "another tenant's approval",
            request: |f| Request::Page(format!("/portal/approvals/{}", f.other_approval)),
            status: nobody_page,
        },
        Case { name: "fn portal/approvals", request: |_| Request::Fn("portal/approvals", vec![]), status: portal_fn },
        Case {
            name: "fn portal/approval, another tenant's",
            request: |f| Request::Fn("portal/approval", vec![("id", f.other_approval.to_string())]),
            status: nobody_fn,
        },
        Case {
            name: "fn portal/approval-decide, another tenant's",
            request: |f| {
                Request::Fn(
                    "portal/approval-decide",
                    vec![("id", f.other_approval.to_string()), ("answer", "decline".into()), ("note", "No".into())],
                )
            },
            status: nobody_fn,
        },
        Case {
            name: "fn portal/approval-decide, another tenant's window",
            request: |f| {
                Request::Fn(
                    "portal/approval-decide",
                    vec![
                        ("id", f.own_approval.to_string()),
                        ("answer", "approve".into()),
                        ("window", f.other_window.to_string()),
                    ],
                )
            },
            // Only approvers decide: a plain user is refused before the window is looked at.
            status: |who| match who {
                Who::Anonymous => 401,
                Who::ClientUser => 403,
                Who::ClientAdmin => 422,
                _ => 404,
            },
        },
        Case {
            name: "fn portal/approval-decide, a decline without a reason",
            request: |f| {
                Request::Fn(
                    "portal/approval-decide",
                    vec![("id", f.own_approval.to_string()), ("answer", "decline".into())],
                )
            },
            status: |who| match who {
                Who::Anonymous => 401,
                w if w.is_client() => 422,
                _ => 404,
            },
        },
        Case {
            name: "fn portal/user-approver, another tenant's user",
            request: |f| {
                Request::Fn("portal/user-approver", vec![("id", f.other_user.to_string()), ("approver", "yes".into())])
            },
            status: nobody_fn,
        },
        Case { name: "fn msp/approvals", request: |_| Request::Fn("msp/approvals", vec![]), status: msp_fn },
        Case {
            name: "fn msp/approval-ask, no windows",
            request: |f| {
                Request::Fn(
                    "msp/approval-ask",
                    vec![
                        ("id", f.other_tenant.to_string()),
                        ("downtime", "none".into()),
                        ("risk", "low".into()),
                        ("rollback", "undo".into()),
                    ],
                )
            },
            status: editor_bad_input,
        },
        Case {
            name: "fn msp/approval-accept, nobody proposed",
            request: |f| {
                Request::Fn(
                    "msp/approval-accept",
                    vec![("id", f.other_approval.to_string()), ("proposer", f.other_user.to_string())],
                )
            },
            status: editor_bad_input,
        },
        Case { name: "incidents and notices", request: |_| Request::Page("/msp/incidents".into()), status: msp_page },
        Case {
            name: "an incident",
            request: |f| Request::Page(format!("/msp/incidents/{}", f.other_incident)),
            status: msp_page,
        },
        Case { name: "fn msp/incidents", request: |_| Request::Fn("msp/incidents", vec![]), status: msp_fn },
        Case {
            name: "fn msp/incident",
            request: |f| Request::Fn("msp/incident", vec![("id", f.other_incident.to_string())]),
            status: msp_fn,
        },
        Case {
            name: "fn msp/incident-open, no clients chosen",
            request: |_| {
                Request::Fn(
                    "msp/incident-open",
                    vec![("title", "x".into()), ("impact", "y".into()), ("status", "investigating".into())],
                )
            },
            status: staff_bad_input,
        },
        Case {
            name: "fn msp/incident-update, nothing said",
            request: |f| {
                Request::Fn(
                    "msp/incident-update",
                    vec![("id", f.other_incident.to_string()), ("status", "monitoring".into())],
                )
            },
            status: staff_bad_input,
        },
        Case {
            name: "fn msp/notice-post, a day passed",
            request: |_| {
                Request::Fn(
                    "msp/notice-post",
                    vec![("title", "x".into()), ("body", "y".into()), ("shown_until", "2020-01-01".into())],
                )
            },
            status: staff_bad_input,
        },
        Case {
            name: "fn msp/ticket-incident, an incident of another client",
            request: |f| {
                Request::Fn(
                    "msp/ticket-incident",
                    vec![("id", f.other_ticket_id.to_string()), ("incident", "987654321".into())],
                )
            },
            status: staff_bad_input,
        },
        Case { name: "coverage", request: |_| Request::Page("/msp/coverage".into()), status: msp_page },
        Case { name: "fn msp/coverage", request: |_| Request::Fn("msp/coverage", vec![]), status: msp_fn },
        Case { name: "time off", request: |_| Request::Page("/msp/time-off".into()), status: msp_page },
        Case { name: "fn msp/time-off", request: |_| Request::Fn("msp/time-off", vec![]), status: msp_fn },
        Case {
            name: "fn msp/time-off-add, no day",
            request: |_| Request::Fn("msp/time-off-add", vec![]),
            status: staff_bad_input,
        },
        Case {
            name: "fn msp/time-off-remove, missing",
            request: |_| Request::Fn("msp/time-off-remove", vec![("id", "987654321".into())]),
            status: nobody_fn,
        },
        Case { name: "fn account/viewer", request: |_| Request::Fn("account/viewer", vec![]), status: |_| 200 },
    ]
}

async fn fixture(app: &TestApp) -> Fixture {
    let tenant_id = |slug: &'static str| {
        let db = app.db.clone();
        async move { tenant::Entity::find().filter(tenant::Column::Slug.eq(slug)).one(&db).await.unwrap().unwrap().id }
    };
    let acme = tenant_id("acme-dental").await;
    let northwind = tenant_id("northwind-legal").await;
    let other_incident = {
        use domain::entities::{incident, incident_client};
        use sea_orm::{ActiveModelTrait, Set};
        let now = domain::time::now();
        let i = incident::ActiveModel {
            title: Set("Northwind's phones are down".into()),
            impact: Set("Calls to the office go to voicemail.".into()),
            status: Set(vocabulary::IncidentStatus::Investigating),
            all_clients: Set(false),
            email_clients: Set(false),
            author_id: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            resolved_at: Set(None),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .unwrap();
        incident_client::ActiveModel { incident_id: Set(i.id), tenant_id: Set(northwind) }
            .insert(&app.db)
            .await
            .unwrap();
        i.id
    };
    let first = |tenant: i64, visibility: &'static str| {
        let db = app.db.clone();
        async move {
            work_entry::Entity::find()
                .filter(work_entry::Column::TenantId.eq(tenant))
                .filter(work_entry::Column::Visibility.eq(visibility))
                .filter(work_entry::Column::State.eq("done"))
                .order_by_desc(work_entry::Column::StartedAt)
                .one(&db)
                .await
                .unwrap()
                .expect("the demo has such an entry")
                .id
        }
    };
    let approval_of = |tenant: i64| {
        let db = app.db.clone();
        async move {
            use domain::entities::approval;
            approval::Entity::find().filter(approval::Column::TenantId.eq(tenant)).one(&db).await.unwrap().unwrap().id
        }
    };
    // Northwind files a ticket numbered past all of Acme's.
    let northwind_client = app.signed_in("tom@northwind-legal.test").await;
    let other_ticket = call(
        &northwind_client,
        app,
        "portal/ticket-new",
        &[("subject", "Scanner"), ("description", "It jams."), ("impact", "individual"), ("urgency", "inconvenience")],
    )
    .await
    .json::<i64>()
    .await
    .unwrap();
    use domain::entities::summary;
    let sent_of = |tenant: i64| {
        let db = app.db.clone();
        async move { summary::Entity::find().filter(summary::Column::TenantId.eq(tenant)).one(&db).await.unwrap().unwrap() }
    };
    let own_summary = sent_of(acme).await;
    // A draft in the client's own tenant: never shown to a client.
    let mut draft: summary::ActiveModel = own_summary.clone().into();
    draft.id = sea_orm::ActiveValue::NotSet;
    draft.status = sea_orm::Set("draft".parse().unwrap());
    draft.subject = sea_orm::Set("Draft: not ready".into());
    // Another period: one summary per client and period.
    draft.period_start = sea_orm::Set(own_summary.period_start - chrono::Duration::days(31));
    draft.period_end = sea_orm::Set(own_summary.period_start - chrono::Duration::days(1));
    let own_draft = sea_orm::ActiveModelTrait::insert(draft, &app.db).await.unwrap().id;
    Fixture {
        other_user: domain::entities::user::Entity::find()
            .filter(domain::entities::user::Column::TenantId.eq(northwind))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .id,
        own_summary: own_summary.id,
        own_draft,
        other_summary: sent_of(northwind).await.id,
        own_system: domain::entities::system::Entity::find()
            .filter(domain::entities::system::Column::TenantId.eq(acme))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .id,
        other_ticket_id: domain::entities::ticket::Entity::find()
            .filter(domain::entities::ticket::Column::TenantId.eq(northwind))
            .filter(domain::entities::ticket::Column::Number.eq(other_ticket))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .id,
        other_ticket,
        other_incident,
        own_approval: approval_of(acme).await,
        other_approval: approval_of(northwind).await,
        other_window: {
            use domain::entities::approval_window;
            approval_window::Entity::find()
                .filter(approval_window::Column::ApprovalId.eq(approval_of(northwind).await))
                .one(&app.db)
                .await
                .unwrap()
                .unwrap()
                .id
        },
        own_visible: first(acme, "client").await,
        own_internal: first(acme, "internal").await,
        other_tenant: first(northwind, "client").await,
        other_system: domain::entities::system::Entity::find()
            .filter(domain::entities::system::Column::TenantId.eq(northwind))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .id,
    }
}

async fn send(app: &TestApp, client: &reqwest::Client, request: &Request) -> reqwest::Response {
    match request {
        Request::Page(path) => client.get(app.url(path)).send_or_fail().await,
        Request::Fn(endpoint, form) => {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            call(client, app, endpoint, &form).await
        }
    }
}

#[tokio::test]
async fn every_client_facing_route_and_function_by_every_caller() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let f = fixture(&app).await;
    let mut failures = Vec::new();
    for who in EVERYONE {
        let client = match who.email() {
            Some(email) => app.signed_in(email).await,
            None => browser(),
        };
        for case in cases() {
            let res = send(&app, &client, &(case.request)(&f)).await;
            let got = res.status().as_u16();
            let want = (case.status)(who);
            let body = res.text().await.unwrap();
            if got != want {
                failures.push(format!("{:?} / {}: got {got}, want {want}", who, case.name));
            }
            // Whatever a client receives, it never holds another tenant's or an internal row.
            if who.is_client() {
                for leak in ["Northwind Legal", "Harbor Architects", "Internal:", "internal"] {
                    if body.contains(leak) {
                        failures.push(format!("{:?} / {}: the response contains {leak:?}", who, case.name));
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

#[tokio::test]
async fn another_tenants_entry_is_indistinguishable_from_a_missing_one() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let f = fixture(&app).await;
    let client = app.signed_in("lee@acme-dental.test").await;
    // The pages must be byte-identical, less the per-response nonce and the order in which the
    // trailing hydration scripts happened to resolve.
    let page = |path: String| {
        let client = client.clone();
        let url = app.url(&path);
        async move {
            let res = client.get(url).send_or_fail().await;
            let status = res.status();
            let body = res.text().await.unwrap();
            let nonce = body.split("nonce=\"").nth(1).map(|s| s.split('"').next().unwrap().to_string());
            let body = nonce.map(|n| body.replace(&n, "")).unwrap_or(body);
            let visible = body.split("</html>").next().unwrap().to_string();
            let mut scripts: Vec<String> =
                body.split("__RESOLVED_RESOURCES[").skip(1).map(|s| s.split(';').next().unwrap().to_string()).collect();
            scripts.sort();
            (status, visible, scripts)
        }
    };
    let other = page(format!("/portal/work/{}", f.other_tenant)).await;
    let missing = page("/portal/work/987654321".into()).await;
    assert_eq!(other.0, 404);
    assert_eq!(other, missing);
    let other = call(&client, &app, "portal/work", &[("id", &f.other_tenant.to_string())]).await;
    let missing = call(&client, &app, "portal/work", &[("id", "987654321")]).await;
    assert_eq!((other.status(), other.text().await.unwrap()), (missing.status(), missing.text().await.unwrap()));
}

#[tokio::test]
async fn the_dashboard_shows_the_own_tenant_and_its_latest_visible_work() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let client = app.signed_in("dana@acme-dental.test").await;
    let html = client.get(app.url("/portal")).send_or_fail().await.text().await.unwrap();
    assert!(html.contains("<h1>Acme Dental</h1>"), "{html}");
    assert!(html.contains("class=\"feed-item\""));
    let json: serde_json::Value = call(&client, &app, "portal/home", &[]).await.json().await.unwrap();
    let feed = json["feed"].as_array().unwrap();
    assert!(!feed.is_empty());
    for item in feed {
        assert!(!item["title"].as_str().unwrap().starts_with("Internal"));
    }
}

#[tokio::test]
async fn the_priorities_page_shows_the_one_table() {
    let app = spawn_app().await;
    app.add_tenant("acme").await;
    app.add_user("c@acme.test", "client_user", Some("acme")).await;
    let c = app.signed_in("c@acme.test").await;
    let html = c.get(app.url("/portal/priorities")).send_or_fail().await.text().await.unwrap();
    let matrix = html.split("<tbody>").nth(1).unwrap().split("</tbody>").next().unwrap();
    // First row: the whole organisation; first column: work has stopped.
    assert!(matrix.contains("The whole organisation</th><td class=\"prio p1\">P1</td>"), "{matrix}");
    assert!(matrix.contains(
        "One person</th><td class=\"prio p3\">P3</td><td class=\"prio p3\">P3</td><td class=\"prio p4\">P4</td>"
    ));
    assert!(html.contains("30 minutes") && html.contains("5 days"));
}
