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
    /// How long a query waits for a connection before giving up. Short, so that when the database
    /// is down a person gets "try again in a moment" in seconds, not a page that hangs.
    pub acquire_timeout: Duration,
}

impl DbConfig {
    pub fn new(url: impl Into<String>) -> Self {
        DbConfig { url: url.into(), log_statements: false, max_connections: 8, acquire_timeout: Duration::from_secs(3) }
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
        .connect_timeout(config.acquire_timeout)
        .acquire_timeout(config.acquire_timeout)
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
        // A write that fails for want of disk (SQLITE_FULL, SQLITE_IOERR) can make SQLite roll
        // the transaction back on its own; the driver's ROLLBACK then fails and it goes on
        // believing the connection is inside a transaction. Lent out again, that connection
        // would nest the next "transaction" as a savepoint inside nothing, skip BEGIN IMMEDIATE,
        // and could keep the write lock while every other writer waits out its busy timeout.
        // Such a connection is closed instead of lent (the pool pings it first, so a rollback
        // queued by a dropped transaction has run by then).
        options.map_sqlx_sqlite_before_acquire(|conn, _| {
            Box::pin(async move {
                use sea_orm::sqlx::Connection;
                let stuck = conn.is_in_transaction();
                if stuck {
                    tracing::warn!("a database connection was left inside a transaction: closing it");
                }
                Ok(!stuck)
            })
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

/// The pool now: (connections open, connections idle).
pub fn pool_use(db: &DatabaseConnection) -> (u32, usize) {
    match db.get_database_backend() {
        DbBackend::Postgres => {
            let p = db.get_postgres_connection_pool();
            (p.size(), p.num_idle())
        }
        _ => {
            let p = db.get_sqlite_connection_pool();
            (p.size(), p.num_idle())
        }
    }
}

/// Whether a failure means the database cannot be reached or written at all (down, restarting,
/// the connection cut, the pool waited out, the disk full or read-only), as opposed to a mistake
/// in one query. Such a failure is answered with 503 "try again in a moment", and the server
/// recovers on its own once the database does: the pool tests each connection before lending it.
pub fn is_unavailable(e: &DbErr) -> bool {
    use sea_orm::{ConnAcquireErr, RuntimeErr};
    let runtime = match e {
        DbErr::ConnectionAcquire(ConnAcquireErr::Timeout | ConnAcquireErr::ConnectionClosed) => return true,
        DbErr::Conn(r) | DbErr::Exec(r) | DbErr::Query(r) => r,
        _ => return false,
    };
    let RuntimeErr::SqlxError(e) = runtime else { return false };
    use sea_orm::sqlx::Error as X;
    match e.as_ref() {
        X::Io(_) | X::Tls(_) | X::Protocol(_) | X::PoolTimedOut | X::PoolClosed | X::WorkerCrashed => true,
        X::Database(d) => d.code().is_some_and(|code| unavailable_code(&code)),
        _ => false,
    }
}

/// The database's own error codes that mean "not now" rather than "not this".
fn unavailable_code(code: &str) -> bool {
    if code.len() == 5 {
        // PostgreSQL's SQLSTATE (always five characters): connection exceptions (08), insufficient
        // resources such as a full disk (53), the server shutting down or starting (57P01-57P03),
        // a read-only standby (25006).
        return code.starts_with("08")
            || code.starts_with("53")
            || matches!(code, "57P01" | "57P02" | "57P03" | "25006");
    }
    // SQLite's extended result codes (at most four digits), by their primary code, the low byte:
    // BUSY (after the busy timeout), READONLY, IOERR, FULL, CANTOPEN.
    code.parse::<u32>().is_ok_and(|n| matches!(n & 0xff, 5 | 8 | 10 | 13 | 14))
}

#[cfg(test)]
mod tests {
    use super::unavailable_code;

    #[test]
    fn codes_that_mean_not_now() {
        for code in ["08006", "57P01", "53100", "25006", "8", "1032", "13", "10", "3338", "5", "14"] {
            assert!(unavailable_code(code), "{code}");
        }
        // A unique violation, a syntax error, SQLite's constraint and error codes.
        for code in ["23505", "42601", "19", "2067", "1", ""] {
            assert!(!unavailable_code(code), "{code}");
        }
    }
}
