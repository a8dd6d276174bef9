//! The real `limelight` binary in a process of its own, and a PostgreSQL cluster of the test's
//! own (from the installed binaries, in a temporary directory), so that faults can be done to
//! them: stopped, killed, starved of disk.

use reqwest::redirect::Policy;
use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const PASSWORD: &str = "correct horse battery";

/// Whether CI runs this: there, a fault test that cannot set up its fault fails instead of
/// skipping.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// Skips the test (with a notice) outside CI; fails it in CI.
pub fn cannot(why: &str) {
    if in_ci() {
        panic!("this fault test must run in CI, but {why}");
    }
    eprintln!("SKIPPED: {why}");
}

/// A fresh directory, removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(what: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!(
            "limelight-{what}-{}-{}",
            std::process::id(),
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// What the binary is run with: a data directory and, for PostgreSQL, a database URL.
#[derive(Clone, Debug)]
pub struct Setup {
    pub data_dir: PathBuf,
    pub database_url: Option<String>,
}

impl Setup {
    fn command(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_limelight"));
        c.env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("LIMELIGHT_DATA_DIR", &self.data_dir)
            .env("RUST_LOG", "info,sqlx=warn,sea_orm=warn");
        if let Some(url) = &self.database_url {
            c.env("DATABASE_URL", url);
        }
        c
    }

    /// Runs a command of the CLI to its end; panics unless it succeeds. Answers its stdout.
    pub fn cli(&self, args: &[&str], stdin: &str) -> String {
        let (code, stdout, stderr) = self.run(args, stdin);
        assert_eq!(code, 0, "limelight {args:?}: {stderr}");
        stdout
    }

    /// Runs a command of the CLI to its end: its exit code, stdout and stderr.
    pub fn run(&self, args: &[&str], stdin: &str) -> (i32, String, String) {
        let mut child = self
            .command()
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        let text = |b: Vec<u8>| String::from_utf8_lossy(&b).to_string();
        (out.status.code().unwrap_or(-1), text(out.stdout), text(out.stderr))
    }

    /// A client company `acme` with its admin `dana@acme.test`, and a read token for the API.
    pub fn client_and_token(&self) -> String {
        self.cli(&["tenant", "add", "acme", "Acme Dental"], "");
        self.cli(&["user", "add", "dana@acme.test", "--role", "client_admin", "--tenant", "acme"], PASSWORD);
        self.cli(&["token", "add", "--name", "rmm", "--scope", "acme", "--permissions", "read"], "").trim().to_string()
    }
}

impl Setup {
    /// A tech `sam@msp.test` and a write token for every client: a tool that logs work, which no
    /// hourly pace slows.
    pub fn tech_and_writer(&self) -> String {
        self.cli(&["user", "add", "sam@msp.test", "--role", "tech"], PASSWORD);
        self.cli(&["token", "add", "--name", "rmm-writer", "--scope", "all", "--permissions", "read,write"], "")
            .trim()
            .to_string()
    }
}

/// A work entry in `acme`, as a tool logs it through the API: its answer's status.
pub async fn log_work(c: &reqwest::Client, server: &Server, token: &str, title: &str) -> reqwest::StatusCode {
    let body = serde_json::json!({
        "category": "maintenance",
        "title": title,
        "state": "done",
        "started_at": "2026-11-02T09:00:00Z",
        "duration_minutes": 15,
        "performed_by": "sam@msp.test",
    });
    match c.post(server.url("/api/v1/clients/acme/work")).bearer_auth(token).json(&body).send().await {
        Ok(res) => res.status(),
        Err(_) => reqwest::StatusCode::BAD_GATEWAY,
    }
}

/// `limelight serve` on a free port, killed when dropped.
pub struct Server {
    child: Child,
    pub addr: SocketAddr,
    pub log: PathBuf,
    /// Where the log is kept: apart from the data, whose disk a test may fill.
    _logs: TempDir,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl Server {
    /// Starts the server and waits until it answers `/healthz` (at most 60 s: migrations).
    pub async fn start(setup: &Setup, env: &[(&str, &str)]) -> Server {
        let addr: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().unwrap();
        let logs = TempDir::new("logs");
        let log = logs.0.join("server.log");
        let child = setup
            .command()
            .arg("serve")
            .env("LIMELIGHT_ADDR", addr.to_string())
            .env("LEPTOS_SITE_ROOT", setup.data_dir.join("site"))
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        let server = Server { child, addr, log, _logs: logs };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(res) = plain().get(server.url("/healthz")).send().await {
                if res.status() == 200 {
                    return server;
                }
            }
            assert!(Instant::now() < deadline, "the server did not start: {}", server.logs());
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn logs(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// `kill -9`: the process dies where it stands, in the middle of whatever it was doing.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGTERM, as a service manager stops a service.
    pub fn terminate(&self) {
        let ok = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status().unwrap();
        assert!(ok.success(), "kill -TERM");
    }

    /// The exit code, once the process has ended (waits at most `within`).
    pub async fn exit_code(&mut self, within: Duration) -> Option<i32> {
        let deadline = Instant::now() + within;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                return Some(status.code().unwrap_or(-1));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        None
    }

    /// Whether the process is still running (it has not crashed).
    pub fn running(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    /// Signs `email` in (a client without a second step): a browser holding the session.
    pub async fn signed_in(&self, email: &str) -> reqwest::Client {
        let c = plain();
        let res = c.post(self.url("/login")).form(&[("email", email), ("password", PASSWORD)]).send().await.unwrap();
        assert_eq!(res.status(), 303, "sign-in of {email}");
        c
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A browser-like client: cookies, no redirects followed, a 30 s limit on every request.
pub fn plain() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

/// A PostgreSQL cluster of the test's own, on a free port, stopped and removed when dropped.
pub struct Cluster {
    bin: PathBuf,
    dir: TempDir,
    pub port: u16,
}

impl Cluster {
    /// Made from the installed binaries (Debian's `/usr/lib/postgresql/<version>/bin`); `None`
    /// where there are none.
    pub fn new() -> Option<Cluster> {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .ok()?
            .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
            .find(|b| b.join("initdb").exists())?;
        let dir = TempDir::new("pg");
        let cluster = Cluster { bin, dir, port: free_port() };
        // PostgreSQL refuses to run as root: as root, the cluster belongs to `postgres`.
        if as_root() {
            let ok = Command::new("chown").args(["-R", "postgres:postgres"]).arg(&cluster.dir.0).status().ok()?;
            assert!(ok.success(), "chown of the cluster's directory");
        }
        cluster.pg("initdb", &["-A", "trust", "-U", "postgres", "-D", &cluster.data(), "--no-sync"]);
        Some(cluster)
    }

    fn data(&self) -> String {
        self.dir.0.join("data").display().to_string()
    }

    fn pg(&self, tool: &str, args: &[&str]) {
        let program = self.bin.join(tool);
        let out = if as_root() {
            Command::new("runuser").args(["-u", "postgres", "--"]).arg(&program).args(args).output()
        } else {
            Command::new(&program).args(args).output()
        }
        .unwrap();
        assert!(
            out.status.success(),
            "{tool} {args:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    pub fn start(&self) {
        let options =
            format!("-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off", self.port, self.dir.0.display());
        let log = self.dir.0.join("postgres.log").display().to_string();
        self.pg("pg_ctl", &["-D", &self.data(), "-o", &options, "-l", &log, "-w", "start"]);
    }

    /// A fast shutdown: the server ends every connection and stops.
    pub fn stop(&self) {
        self.pg("pg_ctl", &["-D", &self.data(), "-m", "fast", "-w", "stop"]);
    }

    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self.pg_quiet_stop();
    }
}

impl Cluster {
    fn pg_quiet_stop(&self) -> std::io::Result<()> {
        let program = self.bin.join("pg_ctl");
        let args = ["-D", &self.data(), "-m", "immediate", "stop"];
        if as_root() {
            Command::new("runuser").args(["-u", "postgres", "--"]).arg(program).args(args).output()?;
        } else {
            Command::new(program).args(args).output()?;
        }
        Ok(())
    }
}

pub fn as_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// A small filesystem of its own (tmpfs, as root), so that a test can fill it; unmounted when
/// dropped.
pub struct SmallDisk {
    pub dir: TempDir,
}

impl SmallDisk {
    pub fn new(megabytes: u32) -> Option<SmallDisk> {
        let dir = TempDir::new("disk");
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m"), "tmpfs"])
            .arg(&dir.0)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(SmallDisk { dir })
    }

    pub fn path(&self) -> &Path {
        &self.dir.0
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.dir.0).status();
    }
}

/// Sends a request and says how long its answer took.
pub async fn timed(req: reqwest::RequestBuilder) -> (reqwest::Response, Duration) {
    let started = Instant::now();
    let res = req.send().await.expect("an answer");
    (res, started.elapsed())
}

/// Rows of a query run on the database a test set up (either kind).
pub async fn rows(db: &sea_orm::DatabaseConnection, sql: &str) -> Vec<sea_orm::QueryResult> {
    use sea_orm::ConnectionTrait;
    db.query_all_raw(sea_orm::Statement::from_string(db.get_database_backend(), sql.to_string())).await.unwrap()
}

/// The one number a `SELECT COUNT(*)` answers.
pub async fn count(db: &sea_orm::DatabaseConnection, sql: &str) -> i64 {
    rows(db, sql).await[0].try_get_by_index::<i64>(0).unwrap()
}

/// The emails in the data directory's outbox, whole (a `.partial` one was never finished).
pub fn outbox(setup: &Setup) -> Vec<String> {
    let Ok(dir) = std::fs::read_dir(setup.data_dir.join("outbox")) else { return Vec::new() };
    dir.filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "eml"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect()
}

/// Sam (`tech_and_writer`'s tech) made Acme's primary, through the API: each ticket a client
/// opens in the portal then queues an email to him.
pub async fn sam_covers_acme(server: &Server, token: &str) {
    let team = plain()
        .put(server.url("/api/v1/clients/acme/team"))
        .bearer_auth(token)
        .json(&serde_json::json!({"primary": "sam@msp.test"}))
        .send()
        .await
        .unwrap();
    assert_eq!(team.status(), 200, "{}", team.text().await.unwrap());
}
