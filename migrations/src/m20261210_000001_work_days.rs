//! Work totals by client, UTC day and category, kept current by triggers on `work_entry`, so that
//! the dashboard's figures and the monthly summaries add up at most a month of days instead of
//! every entry in the period. Only what those figures count is rolled up: client-visible, done
//! work. Triggers, not the app's writers, keep it: every path that writes an entry (the forms,
//! the import, the API, RMM events, a cascade) changes the totals in the same transaction.
//!
//! A day is a UTC day: a client's month starts at its own midnight, so the figures add the days
//! wholly inside the month from here and the rest (under a day at each end) from the entries.

use crate::keys::fk;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261210_000001_work_days"
    }
}

/// The day an entry counts on, as each database writes a UTC date.
fn day_of(row: &str, postgres: bool) -> String {
    if postgres {
        format!("({row}.started_at AT TIME ZONE 'UTC')::date")
    } else {
        format!("substr({row}.started_at, 1, 10)")
    }
}

/// Whether a row counts: client-visible and done.
fn counts(row: &str) -> String {
    format!("{row}.visibility = 'client' AND {row}.state = 'done'")
}

/// Adds a row to its day.
fn add(row: &str, postgres: bool) -> String {
    format!(
        "INSERT INTO work_day (tenant_id, day, category, entries, minutes, after_hours_minutes, proactive_entries) \
         VALUES ({row}.tenant_id, {day}, {row}.category, 1, {row}.duration_minutes, \
         CASE WHEN {row}.after_hours THEN {row}.duration_minutes ELSE 0 END, CASE WHEN {row}.proactive THEN 1 ELSE 0 END) \
         ON CONFLICT (tenant_id, day, category) DO UPDATE SET entries = work_day.entries + 1, \
         minutes = work_day.minutes + excluded.minutes, \
         after_hours_minutes = work_day.after_hours_minutes + excluded.after_hours_minutes, \
         proactive_entries = work_day.proactive_entries + excluded.proactive_entries",
        day = day_of(row, postgres)
    )
}

/// Takes a row out of its day (the day's row is there: the row was added when it came to count).
fn take(row: &str, postgres: bool) -> String {
    format!(
        "UPDATE work_day SET entries = entries - 1, minutes = minutes - {row}.duration_minutes, \
         after_hours_minutes = after_hours_minutes - CASE WHEN {row}.after_hours THEN {row}.duration_minutes ELSE 0 END, \
         proactive_entries = proactive_entries - CASE WHEN {row}.proactive THEN 1 ELSE 0 END \
         WHERE tenant_id = {row}.tenant_id AND day = {day} AND category = {row}.category",
        day = day_of(row, postgres)
    )
}

fn triggers(postgres: bool) -> Vec<String> {
    if postgres {
        return vec![
            format!(
                "CREATE FUNCTION work_day_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
                 IF TG_OP IN ('UPDATE', 'DELETE') AND {} THEN {}; END IF; \
                 IF TG_OP IN ('UPDATE', 'INSERT') AND {} THEN {}; END IF; \
                 RETURN NULL; END $$",
                counts("OLD"),
                take("OLD", true),
                counts("NEW"),
                add("NEW", true)
            ),
            "CREATE TRIGGER work_day_change AFTER INSERT OR UPDATE OR DELETE ON work_entry \
             FOR EACH ROW EXECUTE FUNCTION work_day_change()"
                .into(),
        ];
    }
    // An update takes the old row out and puts the new one in (either may not count).
    [
        ("insert", "INSERT", "NEW"),
        ("delete", "DELETE", "OLD"),
        ("update_old", "UPDATE", "OLD"),
        ("update_new", "UPDATE", "NEW"),
    ]
    .into_iter()
    .map(|(name, on, row)| {
        let change = if row == "NEW" { add(row, false) } else { take(row, false) };
        format!("CREATE TRIGGER work_day_{name} AFTER {on} ON work_entry WHEN {} BEGIN {change}; END", counts(row))
    })
    .collect()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("work_day")
                .if_not_exists()
                .col(big_integer("tenant_id"))
                .col(date("day"))
                .col(string_len("category", 20))
                .col(integer("entries"))
                .col(integer("minutes"))
                .col(integer("after_hours_minutes"))
                .col(integer("proactive_entries"))
                .primary_key(Index::create().col("tenant_id").col("day").col("category"))
                .foreign_key(&mut fk("work_day", &["tenant_id"], "tenant", &["id"], ForeignKeyAction::Cascade))
                .to_owned(),
        )
        .await?;
        let db = m.get_connection();
        let postgres = m.get_database_backend() == sea_orm_migration::sea_orm::DbBackend::Postgres;
        let day = if postgres { "(started_at AT TIME ZONE 'UTC')::date" } else { "substr(started_at, 1, 10)" };
        db.execute_unprepared(&format!(
            "INSERT INTO work_day (tenant_id, day, category, entries, minutes, after_hours_minutes, proactive_entries) \
             SELECT tenant_id, {day}, category, COUNT(*), SUM(duration_minutes), \
             SUM(CASE WHEN after_hours THEN duration_minutes ELSE 0 END), SUM(CASE WHEN proactive THEN 1 ELSE 0 END) \
             FROM work_entry WHERE visibility = 'client' AND state = 'done' GROUP BY tenant_id, {day}, category"
        ))
        .await?;
        for sql in triggers(postgres) {
            db.execute_unprepared(&sql).await?;
        }
        Ok(())
    }
}
