use crate::views::ColleagueView;
use domain::invitations::Colleague;

pub fn colleague_view(c: Colleague, tz: chrono_tz::Tz, me: i64) -> ColleagueView {
    ColleagueView {
        is_me: c.id == me,
        id: c.id,
        name: c.name,
        email: c.email,
        role: c.role,
        active: c.active,
        approver: c.approver,
        last_login: c
            .last_login_at
            .map(|t| t.with_timezone(&tz).format("%-d %b %Y").to_string())
            .unwrap_or_else(|| "never".into()),
    }
}
