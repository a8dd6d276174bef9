use crate::views::SystemView;
use domain::work::SystemInfo;

pub fn system_view(s: SystemInfo) -> SystemView {
    SystemView {
        id: s.id,
        name: s.name,
        kind: s.kind.label().to_string(),
        criticality: s.criticality.label().to_string(),
        vendor: s.vendor,
    }
}
