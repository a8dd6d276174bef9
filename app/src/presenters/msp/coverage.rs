use crate::views::msp::TimeOffView;
use domain::auth::StaffAccess;
use domain::staff::coverage::TimeOffItem;

pub fn time_off_view(t: TimeOffItem, staff: &StaffAccess) -> TimeOffView {
    let day = |d: chrono::NaiveDate| d.format("%a %-d %b %Y").to_string();
    TimeOffView {
        id: t.id,
        removable: t.user_id == staff.user.id || staff.user.role == vocabulary::Role::MspAdmin,
        name: t.name,
        first: day(t.first_day),
        last: day(t.last_day),
        days: (t.last_day - t.first_day).num_days() + 1,
        note: t.note,
    }
}
