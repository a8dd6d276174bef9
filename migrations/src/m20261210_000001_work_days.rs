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

const SQLITE_TRIGGERS: &[&str] = &[
    "CREATE TRIGGER work_day_insert AFTER INSERT ON work_entry \
     WHEN NEW.visibility = 'client' AND NEW.state = 'done' BEGIN \
     INSERT INTO work_day (tenant_id, day, category, entries, minutes, after_hours_minutes, proactive_entries) \
     VALUES (NEW.tenant_id, substr(NEW.started_at, 1, 10), NEW.category, 1, NEW.duration_minutes, \
     CASE WHEN NEW.after_hours THEN NEW.duration_minutes ELSE 0 END, CASE WHEN NEW.proactive THEN 1 ELSE 0 END) \
     ON CONFLICT (tenant_id, day, category) DO UPDATE SET entries = entries + 1, \
     minutes = minutes + excluded.minutes, after_hours_minutes = after_hours_minutes + excluded.after_hours_minutes, \
     proactive_entries = proactive_entries + excluded.proactive_entries; END",
    "CREATE TRIGGER work_day_delete AFTER DELETE ON work_entry \
     WHEN OLD.visibility = 'client' AND OLD.state = 'done' BEGIN \
     UPDATE work_day SET entries = entries - 1, minutes = minutes - OLD.duration_minutes, \
     after_hours_minutes = after_hours_minutes - CASE WHEN OLD.after_hours THEN OLD.duration_minutes ELSE 0 END, \
     proactive_entries = proactive_entries - CASE WHEN OLD.proactive THEN 1 ELSE 0 END \
     WHERE tenant_id = OLD.tenant_id AND day = substr(OLD.started_at, 1, 10) AND category = OLD.category; END",
    // An update takes the old row out and puts the new one in (either may not count).
    "CREATE TRIGGER work_day_update_old AFTER UPDATE ON work_entry \
     WHEN OLD.visibility = 'client' AND OLD.state = 'done' BEGIN \
     UPDATE work_day SET entries = entries - 1, minutes = minutes - OLD.duration_minutes, \
     after_hours_minutes = after_hours_minutes - CASE WHEN OLD.after_hours THEN OLD.duration_minutes ELSE 0 END, \
     proactive_entries = proactive_entries - CASE WHEN OLD.proactive THEN 1 ELSE 0 END \
     WHERE tenant_id = OLD.tenant_id AND day = substr(OLD.started_at, 1, 10) AND category = OLD.category; END",
    "CREATE TRIGGER work_day_update_new AFTER UPDATE ON work_entry \
     WHEN NEW.visibility = 'client' AND NEW.state = 'done' BEGIN \
     INSERT INTO work_day (tenant_id, day, category, entries, minutes, after_hours_minutes, proactive_entries) \
     VALUES (NEW.tenant_id, substr(NEW.started_at, 1, 10), NEW.category, 1, NEW.duration_minutes, \
     CASE WHEN NEW.after_hours THEN NEW.duration_minutes ELSE 0 END, CASE WHEN NEW.proactive THEN 1 ELSE 0 END) \
     ON CONFLICT (tenant_id, day, category) DO UPDATE SET entries = entries + 1, \
     minutes = minutes + excluded.minutes, after_hours_minutes = after_hours_minutes + excluded.after_hours_minutes, \
     proactive_entries = proactive_entries + excluded.proactive_entries; END",
];

const POSTGRES_TRIGGER: &[&str] = &[
    "CREATE FUNCTION work_day_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
     IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.visibility = 'client' AND OLD.state = 'done' THEN \
       UPDATE work_day SET entries = entries - 1, minutes = minutes - OLD.duration_minutes, \
       after_hours_minutes = after_hours_minutes - CASE WHEN OLD.after_hours THEN OLD.duration_minutes ELSE 0 END, \
       proactive_entries = proactive_entries - CASE WHEN OLD.proactive THEN 1 ELSE 0 END \
       WHERE tenant_id = OLD.tenant_id AND day = (OLD.started_at AT TIME ZONE 'UTC')::date AND category = OLD.category; \
     END IF; \
     IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.visibility = 'client' AND NEW.state = 'done' THEN \
       INSERT INTO work_day (tenant_id, day, category, entries, minutes, after_hours_minutes, proactive_entries) \
       VALUES (NEW.tenant_id, (NEW.started_at AT TIME ZONE 'UTC')::date, NEW.category, 1, NEW.duration_minutes, \
       CASE WHEN NEW.after_hours THEN NEW.duration_minutes ELSE 0 END, CASE WHEN NEW.proactive THEN 1 ELSE 0 END) \
       ON CONFLICT (tenant_id, day, category) DO UPDATE SET entries = work_day.entries + 1, \
       minutes = work_day.minutes + EXCLUDED.minutes, \
       after_hours_minutes = work_day.after_hours_minutes + EXCLUDED.after_hours_minutes, \
       proactive_entries = work_day.proactive_entries + EXCLUDED.proactive_entries; \
     END IF; \
     RETURN NULL; END $$",
    "CREATE TRIGGER work_day_change AFTER INSERT OR UPDATE OR DELETE ON work_entry \
     FOR EACH ROW EXECUTE FUNCTION work_day_change()",
];

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
        for sql in if postgres { POSTGRES_TRIGGER } else { SQLITE_TRIGGERS } {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }
}
