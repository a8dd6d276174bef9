//! Connecting to the database and bringing its schema up to date.

use migrations::{Migrator, MigratorTrait};
pub use sea_orm::DbErr;
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use std::time::Duration;

/// How to connect. A `postgres://` (or `postgresql://`) URL selects PostgreSQL; anything else is
/// a `sqlite://` URL to a file.
#[derive(Clone, Debug)]
pub struct DbConfig {
    pub url: String,
    /// Log every SQL statement (off by default: it is loud and slow).
    pub log_statements: bool,
    pub max_connections: u32,
}

impl DbConfig {
    pub fn new(url: impl Into<String>) -> Self {
        DbConfig { url: url.into(), log_statements: false, max_connections: 8 }
    }

    /// The embedded default: a SQLite file in the data directory.
    pub fn sqlite_file(path: &std::path::Path) -> Self {
        Self::new(format!("sqlite://{}?mode=rwc", path.display()))
    }

    pub fn is_postgres(&self) -> bool {
        self.url.starts_with("postgres://") || self.url.starts_with("postgresql://")
    }
}

pub async fn connect(config: &DbConfig) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(config.url.clone());
    options
        .max_connections(config.max_connections.max(2))
        .min_connections(1)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(30))
        .sqlx_logging(config.log_statements)
        .sqlx_logging_level(tracing::log::LevelFilter::Debug);
    if !config.is_postgres() {
        // SQLite's defaults lose acknowledged writes on power loss and fail at the first lock
        // contention; these make it a database a portal can stand on.
        options.map_sqlx_sqlite_opts(|o: SqliteConnectOptions| {
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
                .create_if_missing(true)
        });
    }
    Database::connect(options).await
}

/// Brings the schema up to date. Safe to run twice, and safe when several processes start at once:
/// on PostgreSQL they queue on an advisory lock held by a transaction for the whole run; on SQLite
/// the whole run is one `BEGIN IMMEDIATE` transaction (SQLite's DDL is transactional).
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    if db.get_database_backend() == DbBackend::Postgres {
        let lock = db.begin().await?;
        lock.execute_unprepared("SELECT pg_advisory_xact_lock(7262001)").await?;
        Migrator::up(db, None).await?;
        lock.commit().await
    } else {
        let tx = write(db).await?;
        Migrator::up(&tx, None).await?;
        tx.commit().await
    }
}

/// Starts a write transaction. On SQLite it is `BEGIN IMMEDIATE`: the write lock is taken up front,
/// so two writers queue on `busy_timeout` instead of one failing halfway with SQLITE_BUSY.
pub async fn write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}

/// Answers whether the database is reachable (for `/readyz`).
pub async fn ping(db: &DatabaseConnection) -> bool {
    db.execute_unprepared("SELECT 1").await.is_ok()
}
