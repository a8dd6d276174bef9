//! `cargo xtask bench`: the portal at an MSP's scale, measured side by side with a bare baseline.
//!
//! For each database and scale: a fresh database filled by `limelight bench-data` (the demo, then
//! a thousand clients and the chosen number of work entries), the release server and
//! `limelight bench-baseline` (bare handlers reading the same rows) on the same database, then
//! wrk against each page, app and baseline interleaved, three rounds, medians. Also: the CSV
//! export's rows per second and memory, logins per second and what a login flood does to the
//! dashboard, the monthly drafts for every client, and the server's memory across the rounds.
//! Writes a Markdown report to `bench/results/` and prints it.
//!
//! Timings never go in tests (machines are shared and noisy); every claim is a ratio from one
//! run, or a figure beside the target it is held to.

use super::{Result, cargo, output, root, sh, site, step, target_dir};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const PASSWORD: &str = "limelight-demo";
const PG_DATABASE: &str = "limelight_bench";

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Db {
    Sqlite,
    Postgres,
}

impl Db {
    fn name(self) -> &'static str {
        match self {
            Db::Sqlite => "SQLite",
            Db::Postgres => "PostgreSQL",
        }
    }
}

struct Options {
    /// (label, entries to generate)
    scales: Vec<(String, u32)>,
    dbs: Vec<Db>,
    clients: u32,
    seconds: u32,
    rounds: u32,
    connections: Vec<u32>,
}

fn options(args: &[String]) -> Result<Options> {
    let mut o = Options {
        scales: Vec::new(),
        dbs: vec![Db::Sqlite, Db::Postgres],
        clients: 1000,
        seconds: 5,
        rounds: 3,
        connections: vec![16, 64],
    };
    let mut scales = "10k,100k,1m".to_string();
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = || it.next().cloned().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--scale" => scales = value()?,
            "--db" => {
                o.dbs = value()?
                    .split(',')
                    .map(|d| match d {
                        "sqlite" => Ok(Db::Sqlite),
                        "postgres" => Ok(Db::Postgres),
                        _ => Err(format!("--db takes sqlite, postgres or both (comma-separated), not {d:?}")),
                    })
                    .collect::<Result<_>>()?
            }
            "--clients" => o.clients = number(&value()?)?,
            "--seconds" => o.seconds = number(&value()?)?,
            "--rounds" => o.rounds = number(&value()?)?,
            "--connections" => o.connections = value()?.split(',').map(number).collect::<Result<_>>()?,
            _ => return Err(format!("unknown option {flag:?}")),
        }
    }
    for s in scales.split(',') {
        let entries = match s.to_ascii_lowercase().as_str() {
            x if x.ends_with('k') => number(&x[..x.len() - 1])? * 1_000,
            x if x.ends_with('m') => number(&x[..x.len() - 1])? * 1_000_000,
            x => number(x)?,
        };
        o.scales.push((s.to_string(), entries));
    }
    if o.rounds == 0 || o.seconds == 0 || o.connections.is_empty() || o.scales.is_empty() {
        return Err("rounds, seconds, connections and scales must not be empty or zero".into());
    }
    Ok(o)
}

fn number(s: &str) -> Result<u32> {
    s.trim().parse().map_err(|_| format!("{s:?} is not a whole number"))
}

pub fn bench(args: &[String]) -> Result {
    let o = options(args)?;
    need_wrk()?;
    step("building the server (release)");
    sh(cargo().args(["build", "--release", "-p", "server", "--bin", "limelight"]), "building the server")?;
    let mut report = Report::new(&o);
    for &db in &o.dbs {
        if db == Db::Postgres && !super::postgres_reachable() {
            return Err("PostgreSQL does not answer on 127.0.0.1:5432 (or pass --db sqlite)".into());
        }
        for (label, entries) in &o.scales {
            step(&format!("{} at {label} entries ({} clients)", db.name(), o.clients));
            let run = measure(db, *entries, &o)?;
            report.runs.push((db, label.clone(), run));
        }
    }
    let text = report.markdown();
    let dir = root().join("bench/results");
    std::fs::create_dir_all(&dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    let file = dir.join(format!("{}-{}.md", report.date, report.commit));
    std::fs::write(&file, &text).map_err(|e| format!("writing {}: {e}", file.display()))?;
    println!("{text}");
    eprintln!("\nxtask: the report is in {}", file.display());
    Ok(())
}

fn need_wrk() -> Result {
    if output(Command::new("wrk").arg("--version")).is_some() || Command::new("wrk").arg("-v").output().is_ok() {
        return Ok(());
    }
    let root_user = output(Command::new("id").arg("-u")).as_deref() == Some("0");
    if root_user {
        step("installing wrk from Debian's packages");
        sh(Command::new("apt-get").args(["install", "-y", "-qq", "wrk"]), "apt-get install wrk")?;
        return Ok(());
    }
    Err("the benchmark needs wrk: apt-get install wrk".into())
}

fn release_binary() -> PathBuf {
    target_dir().join("release/limelight")
}

/// The release binary with a data directory and database.
fn limelight(data_dir: &Path, db: Db) -> Command {
    let mut c = Command::new(release_binary());
    c.current_dir(root())
        .env("LIMELIGHT_DATA_DIR", data_dir)
        .env("LEPTOS_SITE_ROOT", site::site_root())
        .env("RUST_LOG", "warn")
        // Measured alone: the background jobs would run at moments of their own choosing.
        .env("LIMELIGHT_BACKGROUND_JOBS", "false");
    match db {
        Db::Sqlite => c.env_remove("DATABASE_URL"),
        Db::Postgres => c.env("DATABASE_URL", format!("postgres://postgres@127.0.0.1:5432/{PG_DATABASE}")),
    };
    c
}

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// One database at one scale, measured.
struct Run {
    entries_total: u64,
    generate_seconds: f64,
    deep_depth: u64,
    /// (page, connections) → (app, baseline) medians.
    pages: BTreeMap<(usize, u32), (Figures, Option<Figures>)>,
    csv: Option<Csv>,
    logins_per_second: f64,
    dashboard_p99_alone: f64,
    dashboard_p99_flooded: f64,
    drafts: Option<(f64, u64, u64)>,
    rss_after_rounds: Vec<u64>,
    rss_peak: u64,
    rss_final: u64,
}

#[derive(Clone, Copy, Default, Debug)]
struct Figures {
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
    errors: u64,
}

struct Csv {
    rows: u64,
    seconds: f64,
    rss_before: u64,
    rss_peak: u64,
}

/// Who loads a page.
#[derive(Clone, Copy)]
enum Who {
    Client,
    Admin,
    Tech,
}

struct Page {
    name: &'static str,
    who: Who,
    path: String,
    /// Served by the baseline too.
    baseline: bool,
    /// A server function: POST with an empty form.
    post: bool,
}

fn pages(deep: Option<&str>) -> Vec<Page> {
    let page = |name, who, path: &str, baseline| Page { name, who, path: path.to_string(), baseline, post: false };
    let mut list = vec![
        page("/portal (dashboard)", Who::Client, "/portal", true),
        page("/portal/work (history, first page)", Who::Client, "/portal/work", true),
    ];
    if let Some(cursor) = deep {
        list.push(page("/portal/work (1,000 pages deep)", Who::Client, &format!("/portal/work?after={cursor}"), true));
    }
    list.extend([
        page("/portal/tickets", Who::Client, "/portal/tickets", false),
        Page {
            name: "server function portal/work-history",
            who: Who::Client,
            path: "/api/portal/work-history".into(),
            baseline: false,
            post: true,
        },
        page("/msp (overview, admin)", Who::Admin, "/msp", false),
        page("/msp/coverage (tech)", Who::Tech, "/msp/coverage", false),
        page("/msp/tickets (queue, tech)", Who::Tech, "/msp/tickets", false),
    ]);
    list
}

fn measure(db: Db, entries: u32, o: &Options) -> Result<Run> {
    let data_dir = target_dir().join(format!("bench/{}", if db == Db::Sqlite { "sqlite" } else { "postgres" }));
    let _ = std::fs::remove_dir_all(&data_dir);
    std::fs::create_dir_all(&data_dir).map_err(|e| format!("creating {}: {e}", data_dir.display()))?;
    if db == Db::Postgres {
        for sql in [format!("DROP DATABASE IF EXISTS {PG_DATABASE}"), format!("CREATE DATABASE {PG_DATABASE}")] {
            sh(
                Command::new("psql").args(["-h", "127.0.0.1", "-U", "postgres", "-qc", &sql]).stdout(Stdio::null()),
                "making the benchmark's PostgreSQL database",
            )?;
        }
    }

    eprintln!("filling the database");
    let started = Instant::now();
    let mut child = limelight(&data_dir, db)
        .args(["bench-data", "--clients", &o.clients.to_string(), "--entries", &entries.to_string()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("starting limelight bench-data: {e}"))?;
    child.stdin.take().expect("piped").write_all(PASSWORD.as_bytes()).map_err(|e| e.to_string())?;
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err("limelight bench-data failed".into());
    }
    let generate_seconds = started.elapsed().as_secs_f64();
    let printed = String::from_utf8_lossy(&out.stdout).to_string();
    let field = |name: &str| {
        printed.lines().find_map(|l| l.strip_prefix(&format!("{name}\t"))).map(|v| v.split('\t').collect::<Vec<_>>())
    };
    let session =
        |name: &str| field(name).map(|v| v[0].to_string()).ok_or(format!("bench-data printed no {name} session"));
    let (client, admin, tech) = (session("client")?, session("admin")?, session("tech")?);
    let entries_total: u64 = field("entries").and_then(|v| v[0].parse().ok()).unwrap_or(0);
    let deep = field("deep").map(|v| (v[0].to_string(), v.get(1).and_then(|d| d.parse().ok()).unwrap_or(0)));
    eprintln!("{entries_total} entries in {generate_seconds:.0} s");

    let app_addr = format!("127.0.0.1:{}", super::free_port()?);
    let base_addr = format!("127.0.0.1:{}", super::free_port()?);
    let app = Killed(
        limelight(&data_dir, db)
            .arg("serve")
            .env("LIMELIGHT_ADDR", &app_addr)
            .spawn()
            .map_err(|e| format!("starting the server: {e}"))?,
    );
    let _base = Killed(
        limelight(&data_dir, db)
            .arg("bench-baseline")
            .env("LIMELIGHT_ADDR", &base_addr)
            .spawn()
            .map_err(|e| format!("starting the baseline: {e}"))?,
    );
    for addr in [&app_addr, &base_addr] {
        let started = Instant::now();
        while TcpStream::connect(addr).is_err() {
            if started.elapsed() > Duration::from_secs(60) {
                return Err(format!("nothing listened on {addr} within 60 s"));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    let memory = Memory::watch(app.0.id());
    let cookie = |who: Who| {
        format!(
            "limelight_session={}",
            match who {
                Who::Client => &client,
                Who::Admin => &admin,
                Who::Tech => &tech,
            }
        )
    };

    let list = pages(deep.as_ref().map(|(c, _)| c.as_str()));
    eprintln!("warming up");
    for p in &list {
        wrk(&app_addr, p, &cookie(p.who), 4, 1)?;
    }
    let mut samples: BTreeMap<(usize, u32), (Vec<Figures>, Vec<Figures>)> = BTreeMap::new();
    let mut rss_after_rounds = Vec::new();
    for round in 0..o.rounds {
        eprintln!("round {} of {}", round + 1, o.rounds);
        for &c in &o.connections {
            for (i, p) in list.iter().enumerate() {
                // A and B take turns at going first.
                let order: &[bool] = if round % 2 == 0 { &[true, false] } else { &[false, true] };
                for &is_app in order {
                    if !is_app && !p.baseline {
                        continue;
                    }
                    let addr = if is_app { &app_addr } else { &base_addr };
                    let f = wrk(addr, p, &cookie(p.who), c, o.seconds)?;
                    let entry = samples.entry((i, c)).or_default();
                    if is_app { entry.0.push(f) } else { entry.1.push(f) }
                }
            }
        }
        rss_after_rounds.push(memory.now());
    }
    let pages = samples.into_iter().map(|(k, (a, b))| (k, (median(&a), (!b.is_empty()).then(|| median(&b))))).collect();

    eprintln!("the CSV export");
    let csv = csv_export(&app_addr, &cookie(Who::Client), &memory)?;

    eprintln!("logins");
    let login = Page { name: "login", who: Who::Client, path: "/login".into(), baseline: false, post: true };
    let logins = wrk_script(&app_addr, &login, &cookie(Who::Client), 16, o.seconds, &login_script())?;
    let dashboard = &list[0];
    let alone = wrk(&app_addr, dashboard, &cookie(Who::Client), 16, o.seconds)?;
    let flood = {
        let (addr, script, seconds) = (app_addr.clone(), login_script(), o.seconds + 2);
        std::thread::spawn(move || {
            let login = Page { name: "login", who: Who::Client, path: "/login".into(), baseline: false, post: true };
            wrk_script(&addr, &login, "", 64, seconds, &script)
        })
    };
    std::thread::sleep(Duration::from_secs(1));
    let flooded = wrk(&app_addr, dashboard, &cookie(Who::Client), 16, o.seconds)?;
    flood.join().map_err(|_| "the login flood panicked")??;

    eprintln!("the monthly drafts for every client");
    let drafts = drafts(&data_dir, db)?;

    let (rss_peak, rss_final) = (memory.peak(), memory.now());
    Ok(Run {
        entries_total,
        generate_seconds,
        deep_depth: deep.map(|(_, d)| d).unwrap_or(0),
        pages,
        csv: Some(csv),
        logins_per_second: logins.rps,
        dashboard_p99_alone: alone.p99_ms,
        dashboard_p99_flooded: flooded.p99_ms,
        drafts: Some(drafts),
        rss_after_rounds,
        rss_peak,
        rss_final,
    })
}

fn median(all: &[Figures]) -> Figures {
    let mid = |f: fn(&Figures) -> f64| {
        let mut v: Vec<f64> = all.iter().map(f).collect();
        v.sort_by(|a, b| a.total_cmp(b));
        v[v.len() / 2]
    };
    Figures {
        rps: mid(|f| f.rps),
        p50_ms: mid(|f| f.p50_ms),
        p99_ms: mid(|f| f.p99_ms),
        errors: all.iter().map(|f| f.errors).sum(),
    }
}

/// The server's resident memory, read from /proc every 50 ms; the peak is kept.
struct Memory {
    pid: u32,
    peak: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
}

impl Memory {
    fn watch(pid: u32) -> Memory {
        let (peak, stop) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicBool::new(false)));
        let (p, s) = (peak.clone(), stop.clone());
        std::thread::spawn(move || {
            while !s.load(Ordering::Relaxed) {
                p.fetch_max(rss(pid), Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(50));
            }
        });
        Memory { pid, peak, stop }
    }

    fn now(&self) -> u64 {
        rss(self.pid)
    }

    fn peak(&self) -> u64 {
        self.peak.load(Ordering::Relaxed)
    }

    /// Starts a new peak from now (for one phase's own).
    fn reset_peak(&self) -> u64 {
        let now = self.now();
        self.peak.store(now, Ordering::Relaxed);
        now
    }
}

impl Drop for Memory {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Resident memory in bytes (VmRSS), 0 once the process is gone.
fn rss(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines().find_map(|l| l.strip_prefix("VmRSS:").and_then(|v| v.trim().trim_end_matches(" kB").parse().ok()))
        })
        .map(|kb: u64| kb * 1024)
        .unwrap_or(0)
}

fn wrk(addr: &str, page: &Page, cookie: &str, connections: u32, seconds: u32) -> Result<Figures> {
    let script = if page.post {
        "wrk.method = \"POST\"\nwrk.body = \"\"\nwrk.headers[\"Content-Type\"] = \"application/x-www-form-urlencoded\"\n"
            .to_string()
    } else {
        String::new()
    };
    wrk_script(addr, page, cookie, connections, seconds, &script)
}

/// Client admins of generated clients signing in with the right password, in turn (each sign-in
/// is a full argon2 hash, as a real one is).
fn login_script() -> String {
    format!(
        "local n = 0\nrequest = function()\n  n = n + 1\n  local body = \"email=admin%40bench-\" .. (n % 64 + 1) .. \
         \".test&password={PASSWORD}\"\n  return wrk.format(\"POST\", \"/login\", \
         {{[\"Content-Type\"] = \"application/x-www-form-urlencoded\"}}, body)\nend\n"
    )
}

/// wrk, keep-alive, two threads, `connections` connections; browser-like headers (compressed
/// answers accepted). Answers the figures it printed.
fn wrk_script(addr: &str, page: &Page, cookie: &str, connections: u32, seconds: u32, script: &str) -> Result<Figures> {
    let mut cmd = Command::new("wrk");
    // A page slower than 10 s counts as an error (wrk's own default gives up after 2 s).
    cmd.args(["-t2", "-c", &connections.to_string(), "-d", &format!("{seconds}s"), "--latency", "--timeout", "10s"])
        .args(["-H", "Accept: text/html", "-H", "Accept-Encoding: br, gzip"]);
    if !cookie.is_empty() {
        cmd.args(["-H", &format!("Cookie: {cookie}")]);
    }
    let file;
    if !script.is_empty() {
        file = std::env::temp_dir().join(format!("limelight-bench-{}.lua", std::process::id()));
        std::fs::write(&file, script).map_err(|e| e.to_string())?;
        cmd.arg("-s").arg(&file);
    }
    cmd.arg(format!("http://{addr}{}", page.path));
    let out = cmd.stderr(Stdio::inherit()).output().map_err(|e| format!("running wrk: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    parse_wrk(&text).ok_or_else(|| format!("could not read wrk's figures for {}:\n{text}", page.name))
}

fn parse_wrk(text: &str) -> Option<Figures> {
    let latency = |pct: &str| {
        text.lines().find_map(|l| {
            let mut parts = l.split_whitespace();
            (parts.next()? == pct).then(|| parts.next().and_then(millis)).flatten()
        })
    };
    let rps = text.lines().find_map(|l| l.strip_prefix("Requests/sec:")).and_then(|v| v.trim().parse().ok())?;
    let non_2xx = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("Non-2xx or 3xx responses:"))
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(0);
    let socket = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("Socket errors:"))
        .map(|v| v.split(',').filter_map(|p| p.split_whitespace().last()?.parse::<u64>().ok()).sum())
        .unwrap_or(0);
    let requests: u64 =
        text.lines().find_map(|l| l.trim().split(" requests in ").next()?.trim().parse().ok()).unwrap_or(0);
    // No answer at all: no latency to speak of (wrk prints zeros), only errors.
    let (p50, p99) = if requests == 0 { (f64::NAN, f64::NAN) } else { (latency("50%")?, latency("99%")?) };
    Some(Figures { rps, p50_ms: p50, p99_ms: p99, errors: non_2xx + socket })
}

/// "1.23ms", "456.78us", "1.02s" in milliseconds.
fn millis(v: &str) -> Option<f64> {
    for (unit, factor) in [("us", 0.001), ("ms", 1.0), ("m", 60_000.0), ("s", 1000.0)] {
        if let Some(n) = v.strip_suffix(unit) {
            if let Ok(n) = n.parse::<f64>() {
                return Some(n * factor);
            }
        }
    }
    None
}

/// The whole CSV export of the benchmark's client, read to its end: rows, seconds, memory.
fn csv_export(addr: &str, cookie: &str, memory: &Memory) -> Result<Csv> {
    let rss_before = memory.reset_peak();
    let started = Instant::now();
    let out = Command::new("curl")
        .args(["-sS", "-f", "-H", &format!("Cookie: {cookie}"), &format!("http://{addr}/portal/work.csv")])
        .output()
        .map_err(|e| format!("running curl: {e}"))?;
    let seconds = started.elapsed().as_secs_f64();
    if !out.status.success() {
        return Err("the CSV export failed".into());
    }
    let rows = out.stdout.iter().filter(|&&b| b == b'\n').count().saturating_sub(1) as u64;
    Ok(Csv { rows, seconds, rss_before, rss_peak: memory.peak() })
}

/// `limelight summaries draft` for every client: (seconds, drafts, peak memory).
fn drafts(data_dir: &Path, db: Db) -> Result<(f64, u64, u64)> {
    let started = Instant::now();
    let child = limelight(data_dir, db)
        .args(["summaries", "draft"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("starting limelight summaries draft: {e}"))?;
    let peak = Arc::new(Mutex::new(0u64));
    let pid = child.id();
    let watching = {
        let peak = peak.clone();
        std::thread::spawn(move || {
            loop {
                let r = rss(pid);
                if r == 0 {
                    break;
                }
                let mut p = peak.lock().expect("not poisoned");
                *p = (*p).max(r);
                drop(p);
                std::thread::sleep(Duration::from_millis(20));
            }
        })
    };
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    let seconds = started.elapsed().as_secs_f64();
    let _ = watching.join();
    if !out.status.success() {
        return Err(format!("limelight summaries draft failed: {}", String::from_utf8_lossy(&out.stderr)));
    }
    // "limelight: N drafts made" or similar: the first number it says.
    let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    let n = said.split(|c: char| !c.is_ascii_digit()).find_map(|w| w.parse().ok()).unwrap_or(0);
    let peak = *peak.lock().expect("not poisoned");
    Ok((seconds, n, peak))
}

struct Report {
    date: String,
    commit: String,
    machine: String,
    options: String,
    runs: Vec<(Db, String, Run)>,
}

impl Report {
    fn new(o: &Options) -> Report {
        let cpu = std::fs::read_to_string("/proc/cpuinfo")
            .ok()
            .and_then(|s| {
                s.lines().find_map(|l| {
                    l.strip_prefix("model name").map(|v| v.trim_start_matches([' ', '\t', ':']).to_string())
                })
            })
            .unwrap_or_default();
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
        let memory = std::fs::read_to_string("/proc/meminfo")
            .ok()
            .and_then(|s| {
                s.lines().next().map(|l| l.split_whitespace().nth(1).unwrap_or("0").parse::<u64>().unwrap_or(0))
            })
            .unwrap_or(0);
        Report {
            date: output(Command::new("date").args(["-u", "+%Y-%m-%d"])).unwrap_or_default(),
            commit: output(Command::new("git").args(["rev-parse", "--short", "HEAD"]).current_dir(root()))
                .unwrap_or_else(|| "unknown".into()),
            machine: format!("{cores} cores ({cpu}), {} GB", memory / 1024 / 1024),
            options: format!(
                "{} clients; wrk -t2, {} s a measurement, connections {}, {} rounds (medians), app and baseline interleaved",
                o.clients,
                o.seconds,
                o.connections.iter().map(u32::to_string).collect::<Vec<_>>().join(" and "),
                o.rounds
            ),
            runs: Vec::new(),
        }
    }

    fn markdown(&self) -> String {
        let mut m = String::new();
        let _ = writeln!(m, "# Benchmark, {} ({})\n", self.date, self.commit);
        let _ = writeln!(m, "- Machine: {}", self.machine);
        let _ = writeln!(m, "- Load: {}", self.options);
        let _ = writeln!(
            m,
            "- Reproduce: `cargo xtask bench` (options: `--db sqlite,postgres --scale 10k,100k,1m --seconds 5 --rounds 3 --connections 16,64 --clients 1000`)\n"
        );
        let names: Vec<&str> = pages(Some("")).iter().map(|p| p.name).collect();
        for (db, label, run) in &self.runs {
            let _ = writeln!(
                m,
                "## {} at {label}: {} entries in all (filled in {:.0} s); the deep page is {} pages deep\n",
                db.name(),
                run.entries_total,
                run.generate_seconds,
                run.deep_depth
            );
            let _ = writeln!(
                m,
                "| page | conns | req/s | p50 ms | p99 ms | p99/p50 | errors | baseline req/s | baseline p50 ms | app/baseline req/s |"
            );
            let _ = writeln!(m, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            let with_deep = run.deep_depth > 0;
            for ((i, c), (a, b)) in &run.pages {
                let name = page_name(&names, *i, with_deep);
                let (brps, bp50, ratio) = match b {
                    Some(b) => (format!("{:.0}", b.rps), format!("{:.1}", b.p50_ms), format!("{:.2}", a.rps / b.rps)),
                    None => ("".into(), "".into(), "".into()),
                };
                let _ = writeln!(
                    m,
                    "| {name} | {c} | {:.0} | {:.1} | {:.1} | {:.1} | {} | {brps} | {bp50} | {ratio} |",
                    a.rps,
                    a.p50_ms,
                    a.p99_ms,
                    a.p99_ms / a.p50_ms.max(0.001),
                    a.errors
                );
            }
            let _ = writeln!(m);
            if let Some(c) = &run.csv {
                let _ = writeln!(
                    m,
                    "- CSV export of the client's work: {} rows in {:.2} s ({:.0} rows/s); server memory {} → peak {} MB",
                    c.rows,
                    c.seconds,
                    c.rows as f64 / c.seconds.max(0.001),
                    c.rss_before / 1_048_576,
                    c.rss_peak / 1_048_576
                );
            }
            let _ = writeln!(
                m,
                "- Sign-ins: {:.1} a second on {} cores (argon2); the dashboard's p99 (16 connections) {:.1} ms alone, {:.1} ms during a flood of sign-ins (64 connections): {:.2}×",
                run.logins_per_second,
                std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
                run.dashboard_p99_alone,
                run.dashboard_p99_flooded,
                run.dashboard_p99_flooded / run.dashboard_p99_alone.max(0.001)
            );
            if let Some((s, n, peak)) = run.drafts {
                let _ = writeln!(
                    m,
                    "- Monthly drafts for every client: {n} in {s:.1} s, peak memory {} MB",
                    peak / 1_048_576
                );
            }
            let _ = writeln!(
                m,
                "- Server memory: after each round {} MB; peak {} MB; at the end {} MB\n",
                run.rss_after_rounds.iter().map(|r| (r / 1_048_576).to_string()).collect::<Vec<_>>().join(", "),
                run.rss_peak / 1_048_576,
                run.rss_final / 1_048_576
            );
        }
        self.growth(&mut m, &names);
        m
    }

    /// Per database: each page's p50 at the largest scale over the smallest (fewest connections).
    fn growth(&self, m: &mut String, names: &[&str]) {
        for db in [Db::Sqlite, Db::Postgres] {
            let runs: Vec<&(Db, String, Run)> = self.runs.iter().filter(|r| r.0 == db).collect();
            let (Some(small), Some(large)) = (runs.first(), runs.last()) else { continue };
            if runs.len() < 2 {
                continue;
            }
            let _ = writeln!(m, "## Growth on {}: p50 at {} over p50 at {}\n", db.name(), large.1, small.1);
            let _ = writeln!(m, "| page | conns | {} p50 ms | {} p50 ms | growth |", small.1, large.1);
            let _ = writeln!(m, "|---|---:|---:|---:|---:|");
            for ((i, c), (a, _)) in &large.2.pages {
                let with_deep = large.2.deep_depth > 0;
                let name = page_name(names, *i, with_deep);
                // The same page in the small run (its list may lack the deep page).
                let small_index = if with_deep == (small.2.deep_depth > 0) {
                    Some(*i)
                } else if *i < 2 {
                    Some(*i)
                } else if *i == 2 {
                    None
                } else {
                    Some(*i - 1)
                };
                let Some(s) = small_index.and_then(|j| small.2.pages.get(&(j, *c))) else { continue };
                let _ = writeln!(
                    m,
                    "| {name} | {c} | {:.1} | {:.1} | {:.2}× |",
                    s.0.p50_ms,
                    a.p50_ms,
                    a.p50_ms / s.0.p50_ms.max(0.001)
                );
            }
            let _ = writeln!(m);
        }
    }
}

/// A page's name by its index in a run's list (which has the deep page only when it exists).
fn page_name<'a>(names: &[&'a str], i: usize, with_deep: bool) -> &'a str {
    if with_deep || i < 2 { names[i] } else { names[i + 1] }
}
