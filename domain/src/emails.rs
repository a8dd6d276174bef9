//! Every email the portal sends, as text and HTML: invitations, password resets, ticket notices
//! and thank-you summaries. Plain functions of what each email says, so the wording lives in one
//! place and every value that reaches the HTML part is escaped here.

use crate::mail::{Email, html_escape};
use crate::summaries::SummaryContent;

/// An invitation to set a password and join a client's portal (or the staff workspace).
pub fn invitation(to: &str, from_name: &str, tenant_name: &str, link: &str, valid_days: i64) -> Email {
    let text = format!(
        "Hello,\n\n{from_name} has invited you to {tenant_name}'s client portal, where you can see the work \
         your IT team does for you, open tickets and follow them.\n\nSet your password here (the link \
         works once, for {valid_days} days):\n{link}\n\nIf you were not expecting this, you can ignore it.\n"
    );
    let html = format!(
        "<p>Hello,</p><p>{} has invited you to {}'s client portal, where you can see the work your IT \
         team does for you, open tickets and follow them.</p><p><a href=\"{}\">Set your password</a> \
         (the link works once, for {valid_days} days).</p><p>If you were not expecting this, you \
         can ignore it.</p>",
        html_escape(from_name),
        html_escape(tenant_name),
        html_escape(link)
    );
    let subject = format!("You're invited to {tenant_name}'s portal");
    Email { to: to.to_string(), subject, text, html }
}

/// An invitation to an email that has an account already: no link, a pointer to signing in. (The
/// one who invited is told "invitation sent" either way, so an invite reveals no account.)
pub fn invitation_to_an_account(to: &str, from_name: &str, tenant_name: &str, sign_in: &str) -> Email {
    let text = format!(
        "Hello,\n\n{from_name} invited you to {tenant_name}'s client portal, but this email address has \
         a Limelight account already. Sign in as usual:\n{sign_in}\n\nIf you expected to see \
         {tenant_name} there and do not, reply to {from_name}: an account belongs to one company.\n"
    );
    let html = format!(
        "<p>Hello,</p><p>{0} invited you to {1}'s client portal, but this email address has a Limelight \
         account already. <a href=\"{2}\">Sign in</a> as usual.</p><p>If you expected to see {1} there \
         and do not, reply to {0}: an account belongs to one company.</p>",
        html_escape(from_name),
        html_escape(tenant_name),
        html_escape(sign_in)
    );
    Email { to: to.to_string(), subject: format!("About your invitation to {tenant_name}'s portal"), text, html }
}

/// The account's password was changed (on the account page, or with a reset link): if that was
/// not them, they hear of it at once and know what to do.
pub fn password_changed(to: &str, name: &str, from_address: Option<&str>, forgot: &str) -> Email {
    let from = from_address.map(|a| format!(" from the address {a}")).unwrap_or_default();
    let text = format!(
        "Hello {name},\n\nThe password of your Limelight account was just changed{from}, and every \
         other session of yours was signed out.\n\nIf that was you, there is nothing to do. If it was \
         not, choose a new password now and tell your IT team:\n{forgot}\n"
    );
    let html = format!(
        "<p>Hello {},</p><p>The password of your Limelight account was just changed{}, and every other \
         session of yours was signed out.</p><p>If that was you, there is nothing to do. If it was not, \
         <a href=\"{}\">choose a new password now</a> and tell your IT team.</p>",
        html_escape(name),
        html_escape(&from),
        html_escape(forgot)
    );
    Email { to: to.to_string(), subject: "Your Limelight password was changed".into(), text, html }
}

/// Tells an account's owner that its password changed. Queued only: a notice that cannot be
/// queued is logged, since the password is changed either way.
pub(crate) async fn announce_password_change(
    mail: &crate::mail::MailQueue,
    public_url: &str,
    to: &str,
    name: &str,
    from_address: Option<&str>,
) {
    let email = password_changed(to, name, from_address, &format!("{}/login", public_url.trim_end_matches('/')));
    if let Err(e) = mail.send(email, Some("password_changed")).await {
        tracing::error!(error = %e, "could not queue a password-changed notice");
    }
}

/// The account's two-step sign-in changed (turned on or off, reset by an administrator, or a
/// recovery code was used): if that was not them, they hear of it at once.
/// `what` is the sentence saying what happened, without its full stop.
pub fn two_step_changed(to: &str, name: &str, what: &str, from_address: Option<&str>, sign_in: &str) -> Email {
    let from = from_address.map(|a| format!(" (from the address {a})")).unwrap_or_default();
    let text = format!(
        "Hello {name},\n\n{what}{from}.\n\nIf that was \
         you, there is nothing to do. If it was not, sign in and check your account, change your password, \
         and tell your IT team:\n{sign_in}\n"
    );
    let html = format!(
        "<p>Hello {},</p><p>{}{}.</p><p>If that was you, \
         there is nothing to do. If it was not, <a href=\"{}\">sign in</a> and check your account, change \
         your password, and tell your IT team.</p>",
        html_escape(name),
        html_escape(what),
        html_escape(&from),
        html_escape(sign_in)
    );
    Email { to: to.to_string(), subject: "Two-step sign-in on your Limelight account changed".into(), text, html }
}

/// A single-use link to choose a new password.
pub fn password_reset(to: &str, name: &str, link: &str, valid_minutes: i64) -> Email {
    let text = format!(
        "Hello {name},\n\nSomeone (we hope you) asked to reset your Limelight password. Choose a new one \
         here (the link works once, for {valid_minutes} minutes):\n{link}\n\nIf it was not you, ignore \
         this email: your password stays as it is.\n"
    );
    let html = format!(
        "<p>Hello {},</p><p>Someone (we hope you) asked to reset your Limelight password. \
         <a href=\"{}\">Choose a new password</a> (the link works once, for {valid_minutes} minutes).</p>\
         <p>If it was not you, ignore this email: your password stays as it is.</p>",
        html_escape(name),
        html_escape(link)
    );
    Email { to: to.to_string(), subject: "Reset your Limelight password".into(), text, html }
}

/// What a new-ticket notice says about its ticket.
pub struct TicketNotice<'a> {
    pub tenant_name: &'a str,
    pub number: i64,
    pub subject: &'a str,
    pub description: &'a str,
    pub priority: &'a str,
    /// Sent to a backup because the primary is away.
    pub covering: bool,
    pub link: &'a str,
}

/// A new ticket, for whoever covers its client now.
pub fn new_ticket(to: &str, t: &TicketNotice) -> Email {
    let covering = if t.covering { " (you are covering: the primary is away)" } else { "" };
    let subject = format!("[{}] {} #{}: {}", t.priority, t.tenant_name, t.number, t.subject);
    let text = format!(
        "A new ticket for {}{covering}.\n\n#{} {}\nPriority: {}\n\n{}\n\nOpen it: {}\n",
        t.tenant_name, t.number, t.subject, t.priority, t.description, t.link
    );
    let html = format!(
        "<p>A new ticket for <strong>{}</strong>{}.</p><p><strong>#{} {}</strong><br>Priority: {}</p>\
         <p style=\"white-space:pre-wrap\">{}</p><p><a href=\"{}\">Open the ticket</a></p>",
        html_escape(t.tenant_name),
        html_escape(covering),
        t.number,
        html_escape(t.subject),
        html_escape(t.priority),
        html_escape(t.description),
        html_escape(t.link)
    );
    Email { to: to.to_string(), subject, text, html }
}

/// A public reply from staff, for the ticket's requester.
pub fn public_reply(to: &str, author: &str, number: i64, ticket_subject: &str, body: &str, link: &str) -> Email {
    let subject = format!("Re: #{number} {ticket_subject}");
    let text = format!(
        "{author} replied to your ticket #{number} {ticket_subject}:\n\n{body}\n\nSee the whole conversation: {link}\n"
    );
    let html = format!(
        "<p>{} replied to your ticket <strong>#{number} {}</strong>:</p><blockquote style=\"white-space:pre-wrap\">{}</blockquote>\
         <p><a href=\"{}\">See the whole conversation</a></p>",
        html_escape(author),
        html_escape(ticket_subject),
        html_escape(body),
        html_escape(link)
    );
    Email { to: to.to_string(), subject, text, html }
}

/// An incident that opened or was resolved, for an affected client's admin.
pub fn incident(
    to: &str,
    name: &str,
    title: &str,
    impact: &str,
    status: vocabulary::IncidentStatus,
    link: &str,
) -> Email {
    let resolved = status == vocabulary::IncidentStatus::Resolved;
    let subject = if resolved { format!("Resolved: {title}") } else { format!("We are working on it: {title}") };
    let opening = if resolved {
        "The incident below is resolved. Thank you for your patience."
    } else {
        "Something is wrong, and we are already working on it: there is no need to call us about it."
    };
    let text = format!("Hello {name},\n\n{opening}\n\n{title}\n{impact}\n\nFollow it in your portal: {link}\n");
    let html = format!(
        "<p>Hello {},</p><p>{}</p><p><strong>{}</strong></p><p style=\"white-space:pre-wrap\">{}</p>\
         <p><a href=\"{}\">Follow it in your portal</a></p>",
        html_escape(name),
        html_escape(opening),
        html_escape(title),
        html_escape(impact),
        html_escape(link)
    );
    Email { to: to.to_string(), subject, text, html }
}

/// A ticket just resolved, for its requester, with three one-click answers.
pub struct ResolvedTicket<'a> {
    pub name: &'a str,
    pub number: i64,
    pub subject: &'a str,
    pub good: &'a str,
    pub okay: &'a str,
    pub poor: &'a str,
    pub ticket: &'a str,
    pub valid_days: i64,
}

pub fn ticket_resolved(to: &str, r: &ResolvedTicket) -> Email {
    let subject = format!("Resolved: #{} {}", r.number, r.subject);
    let text = format!(
        "Hello {},\n\nWe have resolved your ticket #{} {}.\n\nHow did we do? One click answers \
         (the links work for {} days):\n\nGood: {}\nOkay: {}\nPoor: {}\n\nIf it is not fixed, \
         reply on the ticket and we will pick it up again: {}\n",
        r.name, r.number, r.subject, r.valid_days, r.good, r.okay, r.poor, r.ticket
    );
    let button = |href: &str, label: &str| {
        format!(
            "<a href=\"{}\" style=\"display:inline-block;padding:8px 18px;margin-right:8px;border:1px solid #888;\
             border-radius:6px;text-decoration:none\">{label}</a>",
            html_escape(href)
        )
    };
    let html = format!(
        "<p>Hello {},</p><p>We have resolved your ticket <strong>#{} {}</strong>.</p>\
         <p>How did we do? One click answers:</p><p>{}{}{}</p>\
         <p>If it is not fixed, <a href=\"{}\">reply on the ticket</a> and we will pick it up again.</p>",
        html_escape(r.name),
        r.number,
        html_escape(r.subject),
        button(r.good, "Good"),
        button(r.okay, "Okay"),
        button(r.poor, "Poor"),
        html_escape(r.ticket)
    );
    Email { to: to.to_string(), subject, text, html }
}

/// A poor rating, for the client's account manager.
pub struct PoorRating<'a> {
    pub client: &'a str,
    pub rater: &'a str,
    pub number: i64,
    pub subject: &'a str,
    pub comment: &'a str,
    pub link: &'a str,
}

pub fn poor_rating(to: &str, p: &PoorRating) -> Email {
    let subject = format!("Poor rating from {}: #{} {}", p.client, p.number, p.subject);
    let said = if p.comment.is_empty() { "No comment yet.".to_string() } else { format!("They wrote: {}", p.comment) };
    let text = format!(
        "{} of {} rated ticket #{} {} as poor.\n\n{said}\n\nThe ticket: {}\n",
        p.rater, p.client, p.number, p.subject, p.link
    );
    let html = format!(
        "<p>{} of <strong>{}</strong> rated ticket <strong>#{} {}</strong> as <strong>poor</strong>.</p>\
         <p style=\"white-space:pre-wrap\">{}</p><p><a href=\"{}\">Open the ticket</a></p>",
        html_escape(p.rater),
        html_escape(p.client),
        p.number,
        html_escape(p.subject),
        html_escape(&said),
        html_escape(p.link)
    );
    Email { to: to.to_string(), subject, text, html }
}

/// The email of a summary: the same figures as its page, in plain text and HTML.
pub fn summary(tenant: &str, subject: &str, note: &str, c: &SummaryContent, link: &str) -> (String, String) {
    let h = |m: i64| format!("{:.1}", m as f64 / 60.0);
    let mut lines = vec![
        format!("{} pieces of work, {} hours", c.entries, h(c.minutes)),
        format!("{} hours of it outside your business hours, while you slept", h(c.after_hours_minutes)),
        format!("{} patches applied, {} upgrades, {} vendor cases handled", c.patches, c.upgrades, c.vendor_cases),
        format!("{} tickets opened, {} resolved", c.tickets_opened, c.tickets_resolved),
    ];
    if let Some(p) = c.sla_met_percent {
        lines.push(format!("{p}% of tickets resolved within our target"));
    }
    if let Some(m) = c.median_resolution_minutes {
        lines.push(format!("half of them resolved within {} hours", h(m)));
    }
    if c.tickets_rated > 0 {
        lines.push(format!("{} of {} tickets you rated were rated good", c.rated_good, c.tickets_rated));
    }
    let highlights: Vec<String> = c.highlights.iter().map(|x| format!("{}: {}", x.title, x.why_it_matters)).collect();
    let text = format!(
        "{subject}\n\n{note}\n\nWhat we did for {tenant}:\n- {}\n\n{}Read it in your portal: {link}\n",
        lines.join("\n- "),
        if highlights.is_empty() { String::new() } else { format!("Highlights:\n- {}\n\n", highlights.join("\n- ")) }
    );
    let li = |items: &[String]| items.iter().map(|i| format!("<li>{}</li>", html_escape(i))).collect::<String>();
    let html = format!(
        "<h1>{}</h1>{}<h2>What we did for {}</h2><ul>{}</ul>{}<p><a href=\"{}\">Read it in your portal</a></p>",
        html_escape(subject),
        if note.is_empty() {
            String::new()
        } else {
            format!("<p style=\"white-space:pre-wrap\">{}</p>", html_escape(note))
        },
        html_escape(tenant),
        li(&lines),
        if highlights.is_empty() { String::new() } else { format!("<h2>Highlights</h2><ul>{}</ul>", li(&highlights)) },
        html_escape(link)
    );
    (text, html)
}

/// Planned work waiting for a client's decision, for each of its approvers.
pub struct ApprovalAsked<'a> {
    pub name: &'a str,
    pub tenant: &'a str,
    pub title: &'a str,
    pub tech: &'a str,
    /// The proposed windows, in the client's time zone.
    pub windows: &'a [String],
    pub deadline: Option<&'a str>,
    pub link: &'a str,
}

pub fn approval_asked(to: &str, a: &ApprovalAsked) -> Email {
    let subject = format!("Your approval, please: {}", a.title);
    let by = a.deadline.map(|d| format!(" Please answer by {d}.")).unwrap_or_default();
    let windows = a.windows.iter().map(|w| format!("- {w}\n")).collect::<String>();
    let text = format!(
        "Hello {},\n\n{} would like {}'s approval for planned work:\n\n{}\n\nProposed times:\n{windows}\n\
         Approve one of them, propose another, or decline, in your portal (sign in first):\n{}\n{by}\n",
        a.name, a.tech, a.tenant, a.title, a.link
    );
    let html = format!(
        "<p>Hello {},</p><p>{} would like {}'s approval for planned work:</p><p><strong>{}</strong></p>\
         <p>Proposed times:</p><ul>{}</ul><p><a href=\"{}\">Approve one of them, propose another, or \
         decline</a> in your portal (sign in first).{}</p>",
        html_escape(a.name),
        html_escape(a.tech),
        html_escape(a.tenant),
        html_escape(a.title),
        a.windows.iter().map(|w| format!("<li>{}</li>", html_escape(w))).collect::<String>(),
        html_escape(a.link),
        html_escape(&by)
    );
    Email { to: to.to_string(), subject, text, html }
}

/// A client's decision on planned work, for the tech who asked.
pub fn approval_answered(to: &str, name: &str, tenant: &str, title: &str, what: &str, link: &str) -> Email {
    let subject = format!("{tenant}: {what}");
    let text = format!("Hello {name},\n\n{tenant} answered your request to approve \"{title}\":\n\n{what}\n\n{link}\n");
    let html = format!(
        "<p>Hello {},</p><p>{} answered your request to approve <strong>{}</strong>:</p><p>{}</p>\
         <p><a href=\"{}\">See the work entry</a></p>",
        html_escape(name),
        html_escape(tenant),
        html_escape(title),
        html_escape(what),
        html_escape(link)
    );
    Email { to: to.to_string(), subject, text, html }
}

/// Work that asked for the client's approval was marked done without one, for MSP admins.
pub fn done_without_approval(to: &str, name: &str, tenant: &str, title: &str, by: &str, link: &str) -> Email {
    let subject = format!("Done without the client's approval: {tenant}: {title}");
    let text = format!(
        "Hello {name},\n\n{by} marked \"{title}\" for {tenant} done, but {tenant} had not approved it.\n\n{link}\n"
    );
    let html = format!(
        "<p>Hello {},</p><p>{} marked <strong>{}</strong> for {} done, but {} had not approved it.</p>\
         <p><a href=\"{}\">See the work entry</a></p>",
        html_escape(name),
        html_escape(by),
        html_escape(title),
        html_escape(tenant),
        html_escape(tenant),
        html_escape(link)
    );
    Email { to: to.to_string(), subject, text, html }
}
