use crate::views::msp::TimeOffView;
use domain::staff::coverage::TimeOffItem;
use domain::staff::time_off::TimeOffBook;

pub fn time_off_view(t: TimeOffItem, book: &TimeOffBook) -> TimeOffView {
    let day = |d: chrono::NaiveDate| d.format("%a %-d %b %Y").to_string();
    TimeOffView {
        id: t.id,
        removable: book.may_keep(t.user_id),
        name: t.name,
        first: day(t.first_day),
        last: day(t.last_day),
        days: (t.last_day - t.first_day).num_days() + 1,
        note: t.note,
    }
}

pub fn knowledge_row(
    s: domain::staff::coverage::SystemLine,
    techs: &[crate::views::msp::StaffOption],
) -> crate::views::msp::KnowledgeRowView {
    crate::views::msp::KnowledgeRowView {
        cells: techs
            .iter()
            .map(|t| {
                let (level, earned) = s.levels.get(&t.id).copied().unwrap_or((None, false));
                (t.id, level, earned)
            })
            .collect(),
        risks: crate::presenters::msp::risk_words(&s.readiness),
        tenant_slug: s.tenant_slug,
        tenant_name: s.tenant_name,
        system_id: s.readiness.id,
        system: s.readiness.name,
        criticality: s.readiness.criticality,
    }
}
