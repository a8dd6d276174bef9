//! The command line. Bad input gets a clear message on stderr and exit code 2, and writes nothing.

use crate::config::Config;
use crate::state::AppState;
use clap::{Parser, Subcommand};
use domain::DomainError;
use domain::input::Password;
use domain::integrations::tokens::NewToken;
use domain::operator::Operator;
use std::io::Read;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "limelight", version, about = "Limelight, the MSP client portal")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the portal (the default).
    Serve,
    /// Bring the database schema up to date, then exit.
    Migrate,
    /// Copy the SQLite database into a new file while the server runs (a consistent copy as of
    /// one moment), then check the copy. On PostgreSQL: use pg_dump (the command says how).
    Backup { file: std::path::PathBuf },
    /// Restore a backup into an empty data directory, after checking it. Stop the server first.
    Restore { file: std::path::PathBuf },
    /// Client companies.
    Tenant {
        #[command(subcommand)]
        command: TenantCommand,
    },
    /// People: MSP staff and client users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Fill an empty database with the demo (password for every account on stdin).
    SeedDemo,
    /// Fill an empty database for the benchmark (`cargo xtask bench`): the demo (password for
    /// every account on stdin), then clients, people, systems, coverage, work, tickets, mail and
    /// audit rows at scale. Prints the benchmark's sessions (client, admin, tech) and the number of
    /// work entries in all.
    BenchData {
        /// Clients in all, the demo's three included (at least 13).
        #[arg(long, default_value_t = 1000)]
        clients: u32,
        /// Work entries to add to the demo's.
        #[arg(long)]
        entries: u32,
    },
    /// The benchmark's floor: bare handlers for the dashboard and the history page that read the
    /// same rows with plain statements and write HTML by hand, served on `LIMELIGHT_ADDR`.
    BenchBaseline,
    /// Thank-you summaries.
    Summaries {
        #[command(subcommand)]
        command: SummariesCommand,
    },
    /// Import from files.
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// API tokens for the MSP's tools (`/api/v1`).
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
}

#[derive(Subcommand)]
enum ImportCommand {
    /// A client's work history from a CSV file (the layout: README, scripts/work-import-sample.csv).
    /// All or nothing: a bad row is named by its line and nothing is written. Rows imported before
    /// are left alone.
    Work {
        /// The client's slug.
        #[arg(long)]
        client: String,
        /// Check the file and say what would be created; write nothing.
        #[arg(long)]
        dry_run: bool,
        file: std::path::PathBuf,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Make a token and print it once on stdout (it is stored only as a hash).
    Add {
        #[arg(long)]
        name: String,
        /// `all`, or one client's slug.
        #[arg(long)]
        scope: String,
        /// Comma-separated: ingest, read, write.
        #[arg(long)]
        permissions: String,
        /// Last day the token works (YYYY-MM-DD, UTC); default: until revoked.
        #[arg(long)]
        expires: Option<String>,
    },
    /// List tokens (never the tokens themselves): name, scope, permissions, expiry, last use.
    List,
    /// Revoke a token by name.
    Revoke { name: String },
}

#[derive(Subcommand)]
enum SummariesCommand {
    /// Draft a summary of a month for every active client that has none for it yet (safe to run
    /// again). The server does this on its own for last month.
    Draft {
        /// YYYY-MM; default: last month in each client's time zone.
        #[arg(long)]
        month: Option<String>,
    },
}

#[derive(Subcommand)]
enum TenantCommand {
    /// Add a client company.
    Add {
        slug: String,
        name: String,
        #[arg(long, default_value = "UTC")]
        timezone: String,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add a user; the password is read from stdin.
    Add {
        email: String,
        #[arg(long)]
        role: String,
        #[arg(long)]
        tenant: Option<String>,
        #[arg(long)]
        name: Option<String>,
    },
    /// Deactivate a user and end all of their sessions.
    Deactivate { email: String },
}

/// A failed command: bad input (exit 2) or trouble on our side (exit 1).
enum Failure {
    Input(String),
    Internal(String),
}

impl From<DomainError> for Failure {
    fn from(e: DomainError) -> Self {
        match e {
            DomainError::Invalid(m) | DomainError::Conflict(m) | DomainError::Forbidden(m) => Failure::Input(m),
            e @ DomainError::Field { .. } => Failure::Input(e.to_string()),
            DomainError::NotFound => Failure::Input("not found".into()),
            DomainError::Busy => Failure::Internal("busy: try again".into()),
            e @ DomainError::TooMany { .. } => Failure::Input(e.to_string()),
            e @ DomainError::Database { .. } => Failure::Internal(domain::error::cause_chain(&e)),
        }
    }
}

impl From<sea_orm_err::DbErr> for Failure {
    fn from(e: sea_orm_err::DbErr) -> Self {
        Failure::Internal(format!("database error: {e}"))
    }
}

mod sea_orm_err {
    pub use domain::db::DbErr;
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match LogFormat::from_env() {
        Ok(format) => init_tracing(format),
        Err(m) => {
            eprintln!("limelight: {m}");
            return ExitCode::from(2);
        }
    }
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(m) => {
            eprintln!("limelight: {m}");
            return ExitCode::from(2);
        }
    };
    let runtime = runtime();
    match runtime.block_on(run(cli.command.unwrap_or(Command::Serve), config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Input(m)) => {
            eprintln!("limelight: {m}");
            ExitCode::from(2)
        }
        Err(Failure::Internal(m)) => {
            eprintln!("limelight: {m}");
            ExitCode::from(1)
        }
    }
}

/// A multi-threaded runtime with at least four workers, whatever the core count: leptos 0.8's
/// server rendering can stall a response with a single worker (leptos issue 4647).
pub fn runtime() -> tokio::runtime::Runtime {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(cores.max(4))
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// How log lines are written: `LIMELIGHT_LOG_FORMAT`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LogFormat {
    /// For people reading a terminal or a journal (the default).
    Text,
    /// One JSON object per line, for a log collector: the request's fields (its id, route, user,
    /// tenant) are top-level keys of every line logged while answering it.
    Json,
}

impl LogFormat {
    fn from_env() -> Result<LogFormat, String> {
        match std::env::var("LIMELIGHT_LOG_FORMAT").unwrap_or_default().trim() {
            "" | "text" => Ok(LogFormat::Text),
            "json" => Ok(LogFormat::Json),
            other => Err(format!("LIMELIGHT_LOG_FORMAT must be `text` or `json`, not {other:?}")),
        }
    }
}

fn init_tracing(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Json => builder.json().flatten_event(true).with_current_span(false).with_span_list(true).try_init(),
        LogFormat::Text => {
            // Colours only on a terminal: a log file or a service manager's journal gets plain text.
            use std::io::IsTerminal;
            builder.with_ansi(std::io::stderr().is_terminal()).try_init()
        }
    };
}

/// The password on stdin: the whole input, less one trailing line break.
fn password_from_stdin() -> Result<String, Failure> {
    let mut raw = String::new();
    std::io::stdin()
        .read_to_string(&mut raw)
        .map_err(|e| Failure::Input(format!("could not read the password from stdin: {e}")))?;
    let trimmed = raw.strip_suffix('\n').map(|s| s.strip_suffix('\r').unwrap_or(s)).unwrap_or(&raw);
    Ok(trimmed.to_string())
}

async fn database(config: &Config) -> Result<domain::DatabaseConnection, Failure> {
    let db = connect(config).await?;
    domain::db::migrate(&db).await?;
    Ok(db)
}

/// The database as it is, not migrated: for a server whose role may not change the schema
/// (`LIMELIGHT_MIGRATE_ON_START=false`; `limelight migrate` runs as the schema's owner).
async fn connect(config: &Config) -> Result<domain::DatabaseConnection, Failure> {
    if !config.database.is_postgres() {
        std::fs::create_dir_all(&config.data_dir).map_err(|e| {
            Failure::Internal(format!("could not create the data directory {}: {e}", config.data_dir.display()))
        })?;
    }
    Ok(domain::db::connect(&config.database).await?)
}

async fn run(command: Command, config: Config) -> Result<(), Failure> {
    match command {
        Command::Serve => {
            let db = if config.migrate_on_start { database(&config).await? } else { connect(&config).await? };
            let state = AppState::new(db, &config).map_err(Failure::Input)?;
            let listener = tokio::net::TcpListener::bind(config.addr)
                .await
                .map_err(|e| Failure::Internal(format!("could not listen on {}: {e}", config.addr)))?;
            tracing::info!("Limelight is listening on http://{}", config.addr);
            crate::http::serve(listener, state).await.map_err(|e| Failure::Internal(e.to_string()))
        }
        Command::Backup { file } => {
            if config.database.is_postgres() {
                return Err(Failure::Input(domain::backup::POSTGRES_ADVICE.into()));
            }
            let db = connect(&config).await?;
            let report = domain::backup::back_up(&db, &file).await?;
            eprintln!("limelight: backed up to {}: {}", file.display(), describe(&report));
            if config.secret_key.is_none() {
                eprintln!(
                    "limelight: keep {} with your backups, apart from them: it opens the authenticator secrets",
                    config.data_dir.join(domain::secrets::KEY_FILE).display()
                );
            }
            Ok(())
        }
        Command::Restore { file } => {
            if config.database.is_postgres() {
                return Err(Failure::Input(domain::backup::POSTGRES_ADVICE.into()));
            }
            let target = domain::backup::sqlite_file(&config.database.url)
                .ok_or_else(|| Failure::Input(format!("{} names no database file", config.database.url)))?;
            let report = domain::backup::restore(&file, &target).await?;
            eprintln!("limelight: restored {} as {}: {}", file.display(), target.display(), describe(&report));
            if config.secret_key.is_none() && !config.data_dir.join(domain::secrets::KEY_FILE).exists() {
                eprintln!(
                    "limelight: put the secret key kept with this backup in {} (or set LIMELIGHT_SECRET_KEY) \
                     before starting: without it nobody's authenticator app works",
                    config.data_dir.join(domain::secrets::KEY_FILE).display()
                );
            }
            Ok(())
        }
        Command::Migrate => {
            database(&config).await?;
            eprintln!("limelight: the database is up to date");
            Ok(())
        }
        Command::Tenant { command: TenantCommand::Add { slug, name, timezone } } => {
            // Check the input before touching the database.
            let new = domain::tenants::NewTenant::parse(&slug, &name, &timezone)?;
            let db = database(&config).await?;
            let t = Operator::for_command_line(db).add_tenant(new).await?;
            println!("{}\t{}\t{}", t.slug, t.name, t.time_zone);
            Ok(())
        }
        Command::User { command: UserCommand::Add { email, role, tenant, name } } => {
            let password = password_from_stdin()?;
            let new = domain::users::NewUser::parse(&email, &role, tenant.as_deref(), name.as_deref(), password)?;
            let db = database(&config).await?;
            let u = Operator::for_command_line(db).add_user(new).await?;
            println!("{}\t{}\t{}", u.email, u.role, tenant.as_deref().unwrap_or("-"));
            Ok(())
        }
        Command::User { command: UserCommand::Deactivate { email } } => {
            let db = database(&config).await?;
            Operator::for_command_line(db).deactivate_user(&email).await?;
            eprintln!("limelight: {email} is deactivated and signed out everywhere");
            Ok(())
        }
        Command::Summaries { command: SummariesCommand::Draft { month } } => {
            let month = month.as_deref().map(domain::staff::summaries::parse_month).transpose()?;
            let db = database(&config).await?;
            let n = Operator::for_command_line(db).draft_month_for_all(month).await?;
            eprintln!("limelight: every active client ({n}) has a summary for the month");
            Ok(())
        }
        Command::Token { command: TokenCommand::Add { name, scope, permissions, expires } } => {
            let new = NewToken::parse(&name, &scope, &[permissions], expires.as_deref().unwrap_or(""))?;
            let db = database(&config).await?;
            let (secret, row) = Operator::for_command_line(db).create_api_token(&new).await?;
            println!("{secret}");
            eprintln!("limelight: token {:?} made; it is shown only this once", row.name);
            Ok(())
        }
        Command::Token { command: TokenCommand::List } => {
            let db = database(&config).await?;
            let dash = || "-".to_string();
            println!("name\tscope\tpermissions\tlast day\tlast used\tfrom\tstatus");
            for t in Operator::for_command_line(db).api_tokens().await? {
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    t.name,
                    t.client.as_ref().map_or("all".to_string(), |c| c.0.clone()),
                    t.permissions.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(","),
                    t.last_day().map_or_else(dash, |d| d.to_string()),
                    t.last_used_at.map_or_else(dash, |e| e.format("%Y-%m-%d %H:%M UTC").to_string()),
                    t.last_used_ip.clone().unwrap_or_else(dash),
                    if t.revoked_at.is_some() {
                        "revoked"
                    } else if t.is_live() {
                        "live"
                    } else {
                        "expired"
                    },
                );
            }
            Ok(())
        }
        Command::Token { command: TokenCommand::Revoke { name } } => {
            let db = database(&config).await?;
            Operator::for_command_line(db).revoke_api_token(&name).await.map_err(|e| match e {
                DomainError::NotFound => Failure::Input(format!("no token is named {name:?}")),
                e => e.into(),
            })?;
            eprintln!("limelight: token {name:?} is revoked");
            Ok(())
        }
        Command::Import { command: ImportCommand::Work { client, dry_run, file } } => {
            let text =
                std::fs::read(&file).map_err(|e| Failure::Input(format!("could not read {}: {e}", file.display())))?;
            let db = database(&config).await?;
            let bar = indicatif::ProgressBar::new(0).with_style(
                indicatif::ProgressStyle::with_template("{msg} {wide_bar} {percent}%").expect("a valid template"),
            );
            bar.set_message(if dry_run { "checking" } else { "importing" });
            let options = domain::imports::ImportOptions { dry_run };
            let report = Operator::for_command_line(db)
                .import_work(&client, &text, options, &mut |done, total| {
                    bar.set_length(total);
                    bar.set_position(done);
                })
                .await?;
            bar.finish_and_clear();
            for bad in &report.bad {
                eprintln!("line {}: {}", bad.line, bad.reason);
            }
            if !report.bad.is_empty() {
                return Err(Failure::Input(format!(
                    "{} of {} rows cannot be imported (above); nothing was written",
                    report.bad.len(),
                    report.rows
                )));
            }
            let verb = if dry_run { "would be written" } else { "written" };
            eprintln!(
                "limelight: {} rows: {} new entries {verb}, {} imported before and left alone",
                report.rows, report.new, report.already_there
            );
            Ok(())
        }
        Command::BenchData { clients, entries } => {
            let password = Password::parse(password_from_stdin()?)?;
            let db = database(&config).await?;
            if domain::bench::entries(&db).await? > 0 {
                return Err(Failure::Input("the database is not empty: the benchmark fills a new one".into()));
            }
            let scale = domain::bench::BenchScale { clients, entries };
            let sessions = domain::bench::fill(&db, password, scale).await?;
            println!("client\t{}\nadmin\t{}\ntech\t{}", sessions.client, sessions.admin, sessions.tech);
            println!("entries\t{}", domain::bench::entries(&db).await?);
            // The history page is 25 rows long; the benchmark also loads one 1,000 pages deep.
            if let Some((cursor, depth)) = domain::bench::deep_cursor(&db, 1000, 25).await? {
                println!("deep\t{cursor}\t{depth}");
            }
            Ok(())
        }
        Command::BenchBaseline => {
            let db = database(&config).await?;
            let listener = tokio::net::TcpListener::bind(&config.addr)
                .await
                .map_err(|e| Failure::Internal(format!("could not listen on {}: {e}", config.addr)))?;
            eprintln!("limelight: the benchmark's baseline is listening on http://{}", config.addr);
            axum::serve(listener, crate::bench_baseline::router(db))
                .await
                .map_err(|e| Failure::Internal(format!("the baseline stopped: {e}")))?;
            Ok(())
        }
        Command::SeedDemo => {
            let password = Password::parse(password_from_stdin()?)?;
            let db = database(&config).await?;
            for a in domain::demo::seed(&db, password).await? {
                println!("{}\t{}\t{}", a.email, a.role, a.tenant.as_deref().unwrap_or("-"));
            }
            Ok(())
        }
    }
}

fn describe(r: &domain::backup::BackupReport) -> String {
    format!(
        "{:.1} MB, {} clients, {} work entries, schema {}; the integrity check passed",
        r.bytes as f64 / 1e6,
        r.clients,
        r.work_entries,
        r.schema
    )
}

impl From<domain::backup::BackupError> for Failure {
    fn from(e: domain::backup::BackupError) -> Self {
        match e {
            domain::backup::BackupError::Refused(m) => Failure::Input(m),
            e @ domain::backup::BackupError::Database(_) => Failure::Internal(e.to_string()),
        }
    }
}

impl From<domain::input::InputError> for Failure {
    fn from(e: domain::input::InputError) -> Self {
        Failure::Input(e.0)
    }
}
