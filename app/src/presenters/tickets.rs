use crate::views::TicketRow;
use domain::tickets::TicketSummary;

pub fn row(t: &TicketSummary, tz: chrono_tz::Tz) -> TicketRow {
    let fmt = |at: chrono::DateTime<chrono::Utc>| at.with_timezone(&tz).format("%a %-d %b, %H:%M").to_string();
    let now = domain::time::now();
    let (target, overdue) = if !t.status.is_open() {
        (None, false)
    } else if t.first_response_at.is_none() {
        (Some(format!("First response by {}", fmt(t.first_response_due_at))), now > t.first_response_due_at)
    } else {
        (Some(format!("Resolution by {}", fmt(t.resolution_due_at))), now > t.resolution_due_at)
    };
    TicketRow {
        number: t.number,
        subject: t.subject.clone(),
        status: t.status,
        priority: t.priority.number(),
        requester: t.requester.clone(),
        opened: t.created_at.with_timezone(&tz).format("%a %-d %b %Y").to_string(),
        target,
        overdue,
    }
}

/// A rating as the portal and the staff's ticket page show it.
pub fn rating(r: &domain::ratings::GivenRating, tz: chrono_tz::Tz) -> crate::views::RatingView {
    crate::views::RatingView {
        rating: r.rating,
        comment: r.comment.clone(),
        by: r.by.clone(),
        when: r.at.with_timezone(&tz).format("%a %-d %b %Y, %H:%M").to_string(),
    }
}
