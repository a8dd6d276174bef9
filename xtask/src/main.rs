//! The README's two commands.
//!
//! - `cargo xtask run [--demo]`: build the portal and serve it on SQLite at http://127.0.0.1:3000
//!   (with the demo seeded and its logins printed, for `--demo`).
//! - `cargo xtask test`: every test: unit and integration tests on SQLite and, when it answers, on
//!   PostgreSQL; the WASM build check; schemathesis against the live API (when Python is there);
//!   the end-to-end tests in Chromium.
//!
//! Both install what is missing (the wasm32 target, wasm-bindgen-cli at the Cargo.lock version,
//! end2end's npm packages) and say what they could not install, and how to. cargo-leptos is not
//! needed (see `site`), though `cargo leptos watch` works for those who have it.
//! Plain std on purpose: this must build in seconds on a machine that has nothing yet.

use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

const DEMO_PASSWORD: &str = "limelight-demo";
const CHROMIUM: &str = "/usr/bin/chromium";
/// Outside judges from PyPI, pinned (a new release may add checks, which is a change to review):
/// the API fuzzer, and an iCalendar parser that reads the calendar feeds.
const SCHEMATHESIS_VERSION: &str = "4.32.5";
const ICALENDAR_VERSION: &str = "6.3.1";

mod bench;
mod package;
mod scan;
mod site;

type Result<T = ()> = std::result::Result<T, String>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run(args.iter().any(|a| a == "--demo")),
        Some("test") => test(),
        Some("setup") => setup(true),
        Some("build") => setup(false).and_then(|_| build()),
        // The release and its Debian package; `--check` installs, serves and removes it (root).
        Some("dist") => setup(false)
            .and_then(|_| package::deb())
            .and_then(|deb| if args.iter().any(|a| a == "--check") { package::check(&deb) } else { Ok(()) }),
        // Just the end-to-end tests, on a fresh build.
        Some("e2e") => setup(true).and_then(|_| build()).and_then(|_| end_to_end()),
        // Just the API fuzzing (the server binary as `cargo build` left it).
        Some("fuzz-api") => sh(cargo().args(["build", "-p", "server"]), "building the server")
            .and_then(|_| python_tools(true))
            .and_then(|p| api_fuzz(&p.expect("required"))),
        // sqlmap against the server functions a signed-in client calls (slow: not in `test`).
        Some("scan") => setup(true).and_then(|_| scan::sqlmap()),
        // The portal at an MSP's scale beside a bare baseline (slow: not in `test`).
        Some("bench") => bench::bench(&args[1..]),
        _ => {
            eprintln!(
                "usage: cargo xtask run [--demo] | cargo xtask test | cargo xtask build | cargo xtask dist [--check] | cargo xtask e2e | cargo xtask setup | cargo xtask fuzz-api | cargo xtask scan | cargo xtask bench [--db sqlite,postgres] [--scale 10k,100k,1m]"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\nxtask: {e}");
            ExitCode::FAILURE
        }
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask sits in the workspace").to_path_buf()
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root().join("target"))
}

fn step(what: &str) {
    eprintln!("\n==> {what}");
}

/// Runs a command to completion, failing with `what` when it fails.
fn sh(cmd: &mut Command, what: &str) -> Result {
    let status = cmd.status().map_err(|e| format!("{what}: could not start {:?}: {e}", cmd.get_program()))?;
    if status.success() { Ok(()) } else { Err(format!("{what} failed ({status})")) }
}

fn output(cmd: &mut Command) -> Option<String> {
    let out = cmd.stderr(Stdio::null()).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn cargo() -> Command {
    let mut c = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    c.current_dir(root());
    c
}

/// The wasm-bindgen version Cargo.lock pins: the CLI must match it exactly.
fn locked_wasm_bindgen() -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).map_err(|e| format!("reading Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines.next().and_then(|l| l.strip_prefix("version = \"")) {
                return Ok(v.trim_end_matches('"').to_string());
            }
        }
    }
    Err("Cargo.lock has no wasm-bindgen entry".into())
}

/// Installs the build tools that are missing. `full` also prepares the end-to-end tests.
fn setup(full: bool) -> Result {
    step("checking the build tools");
    let targets = output(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if !targets.lines().any(|t| t == "wasm32-unknown-unknown") {
        sh(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]), "adding the wasm32 target")
            .map_err(|e| format!("{e}\n  Install it by hand: rustup target add wasm32-unknown-unknown"))?;
    }
    let wanted = locked_wasm_bindgen()?;
    let have = output(Command::new("wasm-bindgen").arg("--version")).unwrap_or_default();
    if !have.ends_with(&wanted) {
        eprintln!("installing wasm-bindgen-cli {wanted} (the version Cargo.lock pins)");
        sh(
            cargo().args(["install", "wasm-bindgen-cli", "--version", &wanted, "--locked"]),
            "installing wasm-bindgen-cli",
        )
        .map_err(|e| {
            format!("{e}\n  Install it by hand: cargo install wasm-bindgen-cli --version {wanted} --locked")
        })?;
    }
    if full {
        let e2e = root().join("end2end");
        if !e2e.join("node_modules/@playwright/test").exists() {
            step("installing end2end's npm packages");
            sh(
                Command::new("npm")
                    .args(["ci", "--no-audit", "--no-fund"])
                    .current_dir(&e2e)
                    .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"),
                "npm ci in end2end",
            )
            .map_err(|e| {
                format!("{e}\n  Node.js and npm are needed for the end-to-end tests (apt-get install nodejs npm)")
            })?;
        }
        if !Path::new(CHROMIUM).exists() {
            return Err(format!(
                "the end-to-end tests need Debian's Chromium at {CHROMIUM}, and it is missing.\n  Install it: apt-get update && apt-get install -y chromium"
            ));
        }
    }
    Ok(())
}

/// The server binary, the WASM bundle and the stylesheet (see `site`).
fn build() -> Result {
    site::build(site::Profile::Dev)
}

fn server_binary() -> PathBuf {
    target_dir().join("debug").join("limelight")
}

fn limelight(data_dir: &Path) -> Command {
    let mut c = Command::new(server_binary());
    c.current_dir(root())
        .env("LIMELIGHT_DATA_DIR", data_dir)
        .env("LEPTOS_SITE_ROOT", site::site_root())
        .env_remove("DATABASE_URL");
    c
}

/// Seeds the demo into `data_dir` once; answers the logins, remembered beside the database.
fn seed_demo(data_dir: &Path) -> Result<String> {
    let accounts = data_dir.join("demo-accounts.tsv");
    if let Ok(saved) = std::fs::read_to_string(&accounts) {
        return Ok(saved);
    }
    std::fs::create_dir_all(data_dir).map_err(|e| format!("creating {}: {e}", data_dir.display()))?;
    let mut child = limelight(data_dir)
        .arg("seed-demo")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("starting limelight seed-demo: {e}"))?;
    use std::io::Write;
    child.stdin.take().expect("piped").write_all(DEMO_PASSWORD.as_bytes()).map_err(|e| e.to_string())?;
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!(
            "seeding the demo failed: the data directory {} may hold another database; remove it to start again",
            data_dir.display()
        ));
    }
    let list = String::from_utf8_lossy(&out.stdout).to_string();
    std::fs::write(&accounts, &list).map_err(|e| e.to_string())?;
    Ok(list)
}

fn run(demo: bool) -> Result {
    setup(false)?;
    build()?;
    let data_dir = std::env::var_os("LIMELIGHT_DATA_DIR").map(PathBuf::from).unwrap_or_else(|| root().join("data"));
    if demo {
        let list = seed_demo(&data_dir)?;
        eprintln!("\nDemo logins (password for all: {DEMO_PASSWORD}):");
        eprintln!("{:<34} {:<16} client", "email", "role");
        for line in list.lines() {
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() == 3 {
                eprintln!("{:<34} {:<16} {}", cols[0], cols[1], cols[2]);
            }
        }
        eprintln!(
            "Staff sign in with two steps: at the first sign-in they add the portal to an authenticator app \
             (any TOTP app) from the QR code shown."
        );
    }
    let addr = std::env::var("LIMELIGHT_ADDR").unwrap_or_else(|_| "127.0.0.1:3000".into());
    eprintln!("\nLimelight: http://{addr}  (Ctrl-C stops it)\n");
    sh(limelight(&data_dir).arg("serve").env("LIMELIGHT_ADDR", &addr), "limelight serve")
}

fn postgres_reachable() -> bool {
    let addr: SocketAddr = "127.0.0.1:5432".parse().expect("valid");
    TcpStream::connect_timeout(&addr, Duration::from_secs(2)).is_ok()
}

fn test() -> Result {
    setup(true)?;
    let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
    let python = python_tools(ci)?;

    // Tests run in parallel (cargo's default). Each integration test serves its own app; the
    // route list they share is generated once per process (server/src/http/mod.rs says why).
    step("unit and integration tests on SQLite");
    sh(
        cargo()
            .args(["test", "-p", "vocabulary", "-p", "migrations", "-p", "domain", "-p", "server"])
            .env("LIMELIGHT_TEST_DB", "sqlite")
            .envs(python.iter().map(|p| ("LIMELIGHT_PYTHON", p))),
        "tests on SQLite",
    )?;

    if postgres_reachable() {
        step("integration tests on PostgreSQL (127.0.0.1:5432)");
        sh(
            cargo()
                .args(["test", "-p", "server", "--test", "integration", "--test", "flood"])
                .env("LIMELIGHT_TEST_DB", "postgres")
                .envs(python.iter().map(|p| ("LIMELIGHT_PYTHON", p))),
            "tests on PostgreSQL",
        )?;
    } else if ci {
        return Err("PostgreSQL does not answer on 127.0.0.1:5432, and CI must test on it".into());
    } else {
        eprintln!(
            "\nxtask: PostgreSQL does not answer on 127.0.0.1:5432: SKIPPED the PostgreSQL run (start it to test both)"
        );
    }

    step("the browser build never pulls in server crates");
    sh(
        cargo().args([
            "check",
            "-p",
            "app",
            "--target",
            "wasm32-unknown-unknown",
            "--no-default-features",
            "--features",
            "hydrate",
        ]),
        "the wasm build check",
    )?;

    build()?;
    if let Some(python) = &python {
        api_fuzz(python)?;
    }
    end_to_end()
}

/// The demo served from a fresh data directory on a free port, until dropped.
struct DemoServer {
    server: KillOnDrop,
    addr: String,
    data_dir: PathBuf,
}

impl Drop for DemoServer {
    fn drop(&mut self) {
        let _ = self.server.0.kill();
        let _ = self.server.0.wait();
        let _ = std::fs::remove_dir_all(&self.data_dir);
    }
}

/// Seeds the demo into a fresh data directory, lets `prepare` add to it, and serves it.
fn serve_demo(tag: &str, prepare: impl FnOnce(&Path) -> Result) -> Result<DemoServer> {
    let data_dir = std::env::temp_dir().join(format!("limelight-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data_dir);
    seed_demo(&data_dir)?;
    prepare(&data_dir)?;
    let port = free_port()?;
    let addr = format!("127.0.0.1:{port}");
    let server = limelight(&data_dir)
        .arg("serve")
        .env("LIMELIGHT_ADDR", &addr)
        .env("RUST_LOG", "warn")
        .spawn()
        .map_err(|e| format!("starting the server: {e}"))?;
    let mut demo = DemoServer { server: KillOnDrop(server), addr, data_dir };
    let started = Instant::now();
    while TcpStream::connect(&demo.addr).is_err() {
        if started.elapsed() > Duration::from_secs(60) {
            return Err("the server did not start listening within 60 s".into());
        }
        if let Ok(Some(status)) = demo.server.0.try_wait() {
            return Err(format!("the server exited early ({status})"));
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    Ok(demo)
}

/// Makes an API token with the command line; answers it.
fn api_token(data_dir: &Path, name: &str, scope: &str) -> Result<String> {
    let out = limelight(data_dir)
        .args(["token", "add", "--name", name, "--scope", scope, "--permissions", "ingest,read,write"])
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("limelight token add: {e}"))?;
    if !out.status.success() {
        return Err(format!("limelight token add {name} failed"));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// A Python with the outside judges installed (in a venv in the target directory), or `None`
/// where Python 3 is missing (an error in CI, which must run them).
fn python_tools(ci: bool) -> Result<Option<PathBuf>> {
    if output(Command::new("python3").arg("--version")).is_none() {
        if ci {
            return Err("python3 is missing, and CI must run schemathesis and the iCalendar parser".into());
        }
        eprintln!("\nxtask: python3 is missing: SKIPPED schemathesis and the feeds' second parser (install Python 3)");
        return Ok(None);
    }
    let venv = target_dir().join("schemathesis-venv");
    let python = venv.join("bin/python");
    let have = output(
        Command::new(&python)
            .args(["-c", "import importlib.metadata as m; print(m.version('schemathesis'), m.version('icalendar'))"]),
    )
    .unwrap_or_default();
    if have != format!("{SCHEMATHESIS_VERSION} {ICALENDAR_VERSION}") {
        step("installing schemathesis and icalendar from PyPI");
        sh(Command::new("python3").args(["-m", "venv"]).arg(&venv), "making a Python venv")
            .map_err(|e| format!("{e}\n  Debian needs python3-venv: apt-get install python3-venv"))?;
        sh(
            Command::new(venv.join("bin/pip"))
                .args(["install", "--quiet", "--disable-pip-version-check"])
                .arg(format!("schemathesis=={SCHEMATHESIS_VERSION}"))
                .arg(format!("icalendar=={ICALENDAR_VERSION}")),
            "installing schemathesis and icalendar",
        )?;
    }
    Ok(Some(python))
}

/// schemathesis against the live API: with two client-scoped tokens (each must never reach the
/// other's objects) and with a staff token. No server error, no schema violation.
fn api_fuzz(python: &Path) -> Result {
    step("the API under schemathesis");
    let st = python.with_file_name("schemathesis");
    let mut tokens = Vec::new();
    let demo = serve_demo("api", |dir| {
        for (name, scope) in [("acme", "acme-dental"), ("northwind", "northwind-legal"), ("staff", "all")] {
            tokens.push(api_token(dir, name, scope)?);
        }
        Ok(())
    })?;
    let auth = demo.data_dir.join("schemathesis-auth.json");
    let entry = |name: &str, token: &str| {
        format!(r#"{{"name":"{name}","fixedHeaders":[{{"name":"Authorization","value":"Bearer {token}"}}]}}"#)
    };
    std::fs::write(&auth, format!(r#"{{"auth":[{},{}]}}"#, entry("acme", &tokens[0]), entry("northwind", &tokens[1])))
        .map_err(|e| format!("writing {}: {e}", auth.display()))?;
    let schema = format!("http://{}/api/v1/openapi.json", demo.addr);
    let configs = root().join("xtask/schemathesis");
    let run = |config: &str, what: &str| {
        sh(
            Command::new(&st)
                // Its cache goes with the throwaway data directory, not into the checkout.
                .current_dir(&demo.data_dir)
                .arg("--config-file")
                .arg(configs.join(config))
                .args(["run", &schema, "--max-examples", "40", "--no-color"])
                .env("LIMELIGHT_ST_AUTH", &auth)
                .env("LIMELIGHT_ST_TOKEN", &tokens[2]),
            what,
        )
    };
    run("client-tokens.toml", "schemathesis with two client tokens")?;
    run("staff-token.toml", "schemathesis with a staff token")
}

/// Serves a fresh demo database on a free port and runs Playwright against it.
fn end_to_end() -> Result {
    step("end-to-end tests in Chromium");
    let demo = serve_demo("e2e", |_| Ok(()))?;
    let (addr, data_dir) = (demo.addr.clone(), demo.data_dir.clone());
    let result = sh(
        Command::new("npx")
            .args(["playwright", "test"])
            .current_dir(root().join("end2end"))
            .env("LIMELIGHT_BASE_URL", format!("http://{addr}"))
            .env("LIMELIGHT_DEMO_PASSWORD", DEMO_PASSWORD)
            .env("LIMELIGHT_OUTBOX", data_dir.join("outbox"))
            .env("CHROMIUM_PATH", CHROMIUM),
        "the end-to-end tests",
    );
    drop(demo);
    result
}

fn free_port() -> Result<u16> {
    let l = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    Ok(l.local_addr().map_err(|e| e.to_string())?.port())
}

struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
