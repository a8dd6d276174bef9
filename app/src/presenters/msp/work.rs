use crate::views::msp::WorkFormValues;
use domain::staff::work_log::WorkForm;

pub fn values(f: WorkForm) -> WorkFormValues {
    WorkFormValues {
        client: f.client,
        systems: f.systems,
        category: f.category,
        title: f.title,
        details: f.details,
        why_it_matters: f.why_it_matters,
        state: f.state,
        start: f.start,
        duration_minutes: f.duration_minutes,
        proactive: f.proactive,
        visibility: f.visibility,
        shadowed_by: f.shadowed_by,
        vendor_name: f.vendor_name,
        vendor_case_ref: f.vendor_case_ref,
        ticket: f.ticket,
        highlight: f.highlight,
    }
}
