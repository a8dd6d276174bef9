//! Backups of the embedded SQLite database, made while the server runs, and restores into an
//! empty data directory. (PostgreSQL has `pg_dump` and `pg_restore`; the command line says so.)
//!
//! A backup is `VACUUM INTO`: one read transaction, so the copy is the database as of one
//! moment, every write committed before it began included, none half-written, while writers
//! carry on (WAL lets them). The copy is then opened and checked as a restore would check it.

use migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use std::path::{Path, PathBuf};

/// A backup or restore that cannot be done, and why, in words for the person at the terminal.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The person's input: a file that exists, one that is no backup, a data directory in use.
    #[error("{0}")]
    Refused(String),
    #[error("database error: {0}")]
    Database(#[from] sea_orm::DbErr),
}

/// What a checked backup holds.
#[derive(Debug)]
pub struct BackupReport {
    pub bytes: u64,
    /// Its newest migration: the version of the schema.
    pub schema: String,
    pub clients: i64,
    pub work_entries: i64,
}

/// Copies the database that `db` is connected to into `to` (which must not exist yet), and
/// checks the copy.
pub async fn back_up(db: &DatabaseConnection, to: &Path) -> Result<BackupReport, BackupError> {
    if db.get_database_backend() != DbBackend::Sqlite {
        return Err(BackupError::Refused(POSTGRES_ADVICE.into()));
    }
    if to.exists() {
        return Err(BackupError::Refused(format!("{} exists already: name a new file", to.display())));
    }
    if let Some(dir) = to.parent().filter(|d| !d.as_os_str().is_empty()) {
        if !dir.is_dir() {
            return Err(BackupError::Refused(format!("there is no directory {}", dir.display())));
        }
    }
    let target = to.to_str().ok_or_else(|| BackupError::Refused("the file name is not UTF-8".into()))?;
    db.execute_raw(Statement::from_sql_and_values(DbBackend::Sqlite, "VACUUM INTO ?", [target.into()])).await?;
    match check(to).await {
        Ok(report) => Ok(report),
        Err(e) => {
            // A copy that does not check out is no backup: leave nothing that looks like one.
            let _ = std::fs::remove_file(to);
            Err(e)
        }
    }
}

pub const POSTGRES_ADVICE: &str = "on PostgreSQL, back up with the database's own tools: \
`pg_dump --format=custom --file=limelight.dump \"$DATABASE_URL\"`, and restore into an empty \
database with `pg_restore --no-owner --dbname=\"$DATABASE_URL\" limelight.dump` (see the README)";

/// Opens a backup read-only and checks it: SQLite's integrity check passes, and its schema is
/// one this version of Limelight knows (a backup from a newer version is refused).
pub async fn check(file: &Path) -> Result<BackupReport, BackupError> {
    let bytes = std::fs::metadata(file)
        .map_err(|e| BackupError::Refused(format!("cannot read {}: {e}", file.display())))?
        .len();
    let url = format!("sqlite://{}?mode=ro", file.display());
    let not_a_backup =
        |why: String| BackupError::Refused(format!("{} is not a Limelight backup: {why}", file.display()));
    let copy = sea_orm::Database::connect(url).await.map_err(|e| not_a_backup(e.to_string()))?;
    let report = async {
        let one = |sql: &str| Statement::from_string(DbBackend::Sqlite, sql.to_string());
        let integrity =
            copy.query_one_raw(one("PRAGMA integrity_check")).await.map_err(|e| not_a_backup(e.to_string()))?;
        let verdict: String = integrity.map(|r| r.try_get_by_index(0)).transpose()?.unwrap_or_default();
        if verdict != "ok" {
            return Err(not_a_backup(format!("SQLite's integrity check says {verdict:?}")));
        }
        let applied = copy
            .query_all_raw(one("SELECT version FROM seaql_migrations ORDER BY version"))
            .await
            .map_err(|_| not_a_backup("it has no Limelight schema".into()))?;
        let known: Vec<String> = Migrator::migrations().iter().map(|m| m.name().to_string()).collect();
        let mut schema = String::new();
        for row in applied {
            let version: String = row.try_get_by_index(0)?;
            if !known.contains(&version) {
                return Err(BackupError::Refused(format!(
                    "{} was made by a newer Limelight (its schema has {version}): restore it with that version",
                    file.display()
                )));
            }
            schema = version;
        }
        if schema.is_empty() {
            return Err(not_a_backup("its schema is empty".into()));
        }
        let count = |table: &str| {
            let copy = &copy;
            let sql = format!("SELECT COUNT(*) FROM {table}");
            async move {
                let row = copy.query_one_raw(one(&sql)).await?;
                Ok::<i64, sea_orm::DbErr>(row.map(|r| r.try_get_by_index(0)).transpose()?.unwrap_or(0))
            }
        };
        Ok(BackupReport { bytes, schema, clients: count("tenant").await?, work_entries: count("work_entry").await? })
    }
    .await;
    let _ = copy.close().await;
    report
}

/// Restores a checked backup as the database file `to`, which must not exist yet (restore into
/// an empty data directory: never over a database that is in use). The copy is written beside
/// its place, flushed to disk, then renamed into place, so a crash leaves no half-restored file.
pub async fn restore(backup: &Path, to: &Path) -> Result<BackupReport, BackupError> {
    let report = check(backup).await?;
    for existing in [to.to_path_buf(), sidecar(to, "-wal"), sidecar(to, "-shm")] {
        if existing.exists() {
            return Err(BackupError::Refused(format!(
                "{} exists: restore into an empty data directory (move the old one aside first)",
                existing.display()
            )));
        }
    }
    let dir = to.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)
        .map_err(|e| BackupError::Refused(format!("cannot make the data directory {}: {e}", dir.display())))?;
    let partial = sidecar(to, ".restoring");
    let io = |e: std::io::Error| BackupError::Refused(format!("cannot write {}: {e}", partial.display()));
    std::fs::copy(backup, &partial).map_err(io)?;
    std::fs::File::open(&partial).and_then(|f| f.sync_all()).map_err(io)?;
    std::fs::rename(&partial, to).map_err(io)?;
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(report)
}

fn sidecar(file: &Path, suffix: &str) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// The file of a `sqlite://` database URL.
pub fn sqlite_file(url: &str) -> Option<PathBuf> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && path != ":memory:").then(|| PathBuf::from(path))
}
