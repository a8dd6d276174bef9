use crate::views::TicketRow;
use leptos::prelude::*;

/// A ticket's priority, P1 to P4.
#[component]
pub fn PriorityBadge(priority: u8) -> impl IntoView {
    view! { <span class=format!("prio-badge p{priority}")>{format!("P{priority}")}</span> }
}

/// A ticket in a list: priority, number, subject, status and the next SLA target.
pub fn ticket_line(t: TicketRow) -> impl IntoView {
    let href = format!("/portal/tickets/{}", t.number);
    view! {
        <li class="ticket">
            <div class="ticket-head">
                <PriorityBadge priority=t.priority/>
                <a href=href>{format!("#{} {}", t.number, t.subject)}</a>
            </div>
            <p class="meta">
                <span class="status">{t.status.label()}</span>
                " · opened " {t.opened} " by " {t.requester}
                {t.target.map(|target| view! {
                    <span class=if t.overdue { "target overdue" } else { "target" }>" · " {target}
                        {t.overdue.then_some(" (late)")}</span>
                })}
            </p>
        </li>
    }
}
