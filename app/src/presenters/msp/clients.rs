use crate::views::msp::{ClientRowView, RiskView, StaffSystemView};
use domain::staff::clients::{ClientRow, StaffSystem};
use domain::staff::overview::SystemAtRisk;

pub fn client_row(r: ClientRow) -> ClientRowView {
    ClientRowView {
        primary: r.team.as_ref().and_then(|t| t.team.primary.as_ref().map(|p| p.name.clone())),
        covering: r.team.as_ref().and_then(|t| t.team.covering().map(|p| p.name.clone())),
        gap_today: r.team.as_ref().is_some_and(|t| t.team.cover == domain::rules::Cover::Gap),
        slug: r.slug,
        name: r.name,
        time_zone: r.time_zone,
        status: r.status,
        open_tickets: r.open_tickets,
    }
}

pub fn staff_system(s: StaffSystem) -> StaffSystemView {
    StaffSystemView {
        people_who_can_cover: s.readiness.as_ref().map_or(0, |r| r.people_who_can_cover),
        risks: s.readiness.as_ref().map(crate::presenters::msp::risk_words).unwrap_or_default(),
        id: s.id,
        name: s.name,
        kind: s.kind,
        criticality: s.criticality,
        vendor: s.vendor.unwrap_or_default(),
        notes: s.notes,
    }
}

pub fn system_at_risk(r: SystemAtRisk) -> RiskView {
    RiskView {
        tenant_slug: r.tenant_slug,
        tenant_name: r.tenant_name,
        criticality: r.system.criticality,
        risks: crate::presenters::msp::risk_words(&r.system),
        system: r.system.name,
    }
}
