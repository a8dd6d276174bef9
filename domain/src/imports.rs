//! Importing work history from a CSV file (`limelight import work`, or an upload on the client's
//! staff page). The layout is documented in the README and `scripts/work-import-sample.csv`:
//! a header row naming the columns, in any order, and one row per piece of work.
//!
//! Every row is checked first; each bad one is named by its line and reason. By default the
//! import is all or nothing: one bad row and nothing is written. A row's `import_key` (or, when
//! the column is left out, a hash of the row) is stored with the entry, so importing the same file
//! again creates nothing new.

use crate::entities::{system, tenant, user, work_entry, work_entry_system};
use crate::error::{DomainError, Result};
use crate::rules::after_hours;
use crate::staff::work_log::{parse_duration, parse_local};
use crate::staff::{business_hours, tenant_by_slug, time_zone};
use crate::time::now;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect, Set};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use vocabulary::{Category, Visibility, WorkState};

/// The columns, in the sample file's order. Required ones first.
pub const COLUMNS: &[&str] = &[
    "date",
    "time",
    "category",
    "title",
    "duration_minutes",
    "performed_by",
    "why_it_matters",
    "details",
    "systems",
    "visibility",
    "vendor",
    "vendor_case_ref",
    "import_key",
];
const REQUIRED: &[&str] = &["date", "time", "category", "title", "duration_minutes", "performed_by"];
/// Rows written per statement.
const CHUNK: usize = 400;

/// A row that cannot be imported: its line in the file (the header is line 1) and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadRow {
    pub line: u64,
    pub reason: String,
}

/// What an import did, or (a dry run) would do.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub rows: usize,
    /// New entries (written, unless a dry run or a bad row stopped it).
    pub new: usize,
    /// Rows imported before (their key is known): left alone.
    pub already_there: usize,
    pub bad: Vec<BadRow>,
    /// Whether anything was written.
    pub written: bool,
}

/// How to import.
#[derive(Clone, Copy, Debug, Default)]
pub struct ImportOptions {
    /// Check and count, write nothing.
    pub dry_run: bool,
}

struct Row {
    key: String,
    model: work_entry::ActiveModel,
    systems: Vec<i64>,
}

/// Told how far along the import is: (rows done, rows in all).
pub type Progress<'a> = &'a mut (dyn FnMut(u64, u64) + Send);

/// Imports a client's work from CSV text, checked through the editor's rights (techs and MSP
/// admins). The caller passes the whole file; 100,000 rows are a few megabytes.
pub(crate) async fn import_work(
    db: &DatabaseConnection,
    slug: &str,
    csv_text: &[u8],
    options: ImportOptions,
    progress: Progress<'_>,
) -> Result<ImportReport> {
    let t = tenant_by_slug(db, slug).await.map_err(|e| match e {
        DomainError::NotFound => DomainError::Invalid(format!("No client has the slug {slug:?}.")),
        e => e,
    })?;
    let mut reader = csv::ReaderBuilder::new().flexible(false).trim(csv::Trim::All).from_reader(csv_text);
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| DomainError::Invalid(format!("line 1: the header row cannot be read: {e}")))?
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_lowercase())
        .collect();
    for h in &headers {
        if !COLUMNS.contains(&h.as_str()) {
            return Err(DomainError::Invalid(format!(
                "line 1: unknown column {h:?} (the columns are: {})",
                COLUMNS.join(", ")
            )));
        }
    }
    for r in REQUIRED {
        if !headers.iter().any(|h| h == r) {
            return Err(DomainError::Invalid(format!("line 1: the column {r:?} is missing")));
        }
    }
    let col = |name: &str| headers.iter().position(|h| h == name);
    let records: Vec<(u64, csv::StringRecord)> = {
        let mut out = Vec::new();
        for (i, r) in reader.records().enumerate() {
            match r {
                Ok(rec) => out.push((rec.position().map_or(i as u64 + 2, |p| p.line()), rec)),
                Err(e) => {
                    let line = e.position().map_or(i as u64 + 2, |p| p.line());
                    return Err(DomainError::Invalid(format!("line {line}: the row cannot be read: {e}")));
                }
            }
        }
        out
    };
    let total = records.len() as u64;
    let staff: HashMap<String, i64> = user::Entity::find()
        .filter(user::Column::TenantId.is_null())
        .filter(user::Column::Active.eq(true))
        .all(db)
        .await?
        .into_iter()
        .filter(|u| u.role.does_the_work())
        .map(|u| (u.email, u.id))
        .collect();
    let systems: HashMap<String, i64> = system::Entity::find()
        .filter(system::Column::TenantId.eq(t.id))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.name.trim().to_lowercase(), s.id))
        .collect();
    let known: HashSet<String> = work_entry::Entity::find()
        .select_only()
        .column(work_entry::Column::ImportKey)
        .filter(work_entry::Column::TenantId.eq(t.id))
        .filter(work_entry::Column::ImportKey.is_not_null())
        .into_tuple::<Option<String>>()
        .all(db)
        .await?
        .into_iter()
        .flatten()
        .collect();
    let mut report = ImportReport { rows: records.len(), ..Default::default() };
    let mut rows = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    for (n, (line, rec)) in records.iter().enumerate() {
        let get = |name: &str| col(name).and_then(|i| rec.get(i)).unwrap_or("").to_string();
        match check_row(&t, &get, &staff, &systems) {
            Ok(row) => {
                if !seen.insert(row.key.clone()) {
                    report.bad.push(BadRow {
                        line: *line,
                        reason: "the same row (or import_key) is in the file twice".into(),
                    });
                } else if known.contains(&row.key) {
                    report.already_there += 1;
                } else {
                    rows.push(row);
                }
            }
            Err(reason) => report.bad.push(BadRow { line: *line, reason }),
        }
        if n % 1000 == 0 {
            progress(n as u64, total * 2);
        }
    }
    report.new = rows.len();
    if options.dry_run || !report.bad.is_empty() || rows.is_empty() {
        progress(total * 2, total * 2);
        return Ok(report);
    }
    let tx = crate::db::write(db).await?;
    let mut done = 0u64;
    for chunk in rows.chunks(CHUNK) {
        let keys: Vec<String> = chunk.iter().map(|r| r.key.clone()).collect();
        work_entry::Entity::insert_many(chunk.iter().map(|r| r.model.clone())).exec(&tx).await?;
        if chunk.iter().any(|r| !r.systems.is_empty()) {
            let ids: HashMap<String, i64> = work_entry::Entity::find()
                .select_only()
                .column(work_entry::Column::ImportKey)
                .column(work_entry::Column::Id)
                .filter(work_entry::Column::TenantId.eq(t.id))
                .filter(work_entry::Column::ImportKey.is_in(keys))
                .into_tuple::<(Option<String>, i64)>()
                .all(&tx)
                .await?
                .into_iter()
                .filter_map(|(k, id)| Some((k?, id)))
                .collect();
            let links: Vec<work_entry_system::ActiveModel> = chunk
                .iter()
                .flat_map(|r| {
                    let entry = ids[&r.key];
                    r.systems.iter().map(move |s| work_entry_system::ActiveModel {
                        tenant_id: Set(t.id),
                        work_entry_id: Set(entry),
                        system_id: Set(*s),
                    })
                })
                .collect();
            work_entry_system::Entity::insert_many(links).exec(&tx).await?;
        }
        done += chunk.len() as u64;
        progress(total + done, total * 2);
    }
    tx.commit().await?;
    report.written = true;
    Ok(report)
}

fn check_row(
    t: &tenant::Model,
    get: &dyn Fn(&str) -> String,
    staff: &HashMap<String, i64>,
    systems: &HashMap<String, i64>,
) -> std::result::Result<Row, String> {
    let tz = time_zone(t);
    let field = |name: &str, max: usize| -> std::result::Result<String, String> {
        let v = get(name);
        if v.chars().count() > max {
            return Err(format!("{name} is longer than {max} characters"));
        }
        Ok(v)
    };
    let title = field("title", 200)?;
    if title.is_empty() {
        return Err("title is empty".into());
    }
    let category: Category =
        get("category").to_lowercase().parse().map_err(|e: vocabulary::UnknownWord| format!("category: {e}"))?;
    let started_at =
        parse_local(&format!("{} {}", get("date"), get("time")), tz).map_err(|e| format!("date and time: {e}"))?;
    let duration = parse_duration(&get("duration_minutes")).map_err(|e| format!("duration_minutes: {e}"))?;
    let by = get("performed_by").to_lowercase();
    let performed_by =
        *staff.get(&by).ok_or_else(|| format!("performed_by: {by:?} is not the email of an active tech"))?;
    let visibility = match get("visibility").to_lowercase().as_str() {
        "" => Visibility::Client,
        v => v.parse().map_err(|e: vocabulary::UnknownWord| format!("visibility: {e}"))?,
    };
    let mut system_ids = Vec::new();
    for name in get("systems").split(';').map(str::trim).filter(|s| !s.is_empty()) {
        let id = systems
            .get(&name.to_lowercase())
            .ok_or_else(|| format!("systems: this client has no system named {name:?}"))?;
        if !system_ids.contains(id) {
            system_ids.push(*id);
        }
    }
    let details = field("details", 20_000)?;
    let why = field("why_it_matters", 500)?;
    let vendor = field("vendor", 200)?;
    let case = field("vendor_case_ref", 200)?;
    let key = match field("import_key", 200)? {
        k if !k.is_empty() => k,
        _ => {
            // No key column: the row itself is its identity.
            let mut h = Sha256::new();
            for c in COLUMNS.iter().filter(|c| **c != "import_key") {
                h.update(get(c).as_bytes());
                h.update([0x1f]);
            }
            format!("row:{}", hex::encode(h.finalize()))
        }
    };
    let stamp = now();
    let model = work_entry::ActiveModel {
        tenant_id: Set(t.id),
        category: Set(category),
        title: Set(title),
        details: Set(details),
        why_it_matters: Set(why),
        state: Set(if started_at > stamp { WorkState::Planned } else { WorkState::Done }),
        started_at: Set(started_at),
        duration_minutes: Set(duration),
        after_hours: Set(after_hours(&business_hours(t), started_at, duration)),
        proactive: Set(true),
        visibility: Set(visibility),
        performed_by: Set(performed_by),
        shadowed_by: Set(None),
        vendor_name: Set((!vendor.is_empty()).then_some(vendor)),
        vendor_case_ref: Set((!case.is_empty()).then_some(case)),
        ticket_id: Set(None),
        highlight: Set(false),
        automated: Set(false),
        import_key: Set(Some(key.clone())),
        created_at: Set(stamp),
        updated_at: Set(stamp),
        ..Default::default()
    };
    Ok(Row { key, model, systems: system_ids })
}

impl crate::staff::Editor {
    /// Imports a client's work history from CSV (see the module's documentation).
    pub async fn import_work(&self, slug: &str, csv_text: &[u8], options: ImportOptions) -> Result<ImportReport> {
        import_work(self.db(), slug, csv_text, options, &mut |_, _| {}).await
    }
}

impl crate::operator::Operator {
    /// Imports a client's work history from CSV, telling `progress` how far it is.
    pub async fn import_work(
        &self,
        slug: &str,
        csv_text: &[u8],
        options: ImportOptions,
        progress: Progress<'_>,
    ) -> Result<ImportReport> {
        import_work(self.db(), slug, csv_text, options, progress).await
    }
}
