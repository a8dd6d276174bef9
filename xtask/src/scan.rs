//! `cargo xtask scan`: sqlmap (from PyPI, pinned, in its own venv in the target directory) against
//! the server functions a signed-in client calls, each of their parameters tried with sqlmap's
//! boolean, error, union and stacked-query techniques (level 3, risk 2: these functions only
//! read). It fails on anything sqlmap finds injectable, and also when a target could not be
//! tested (a scan that tested nothing proves nothing).

use crate::{Result, sh, step, target_dir};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;

const SQLMAP_VERSION: &str = "1.10.10";

/// Each target: a server function's path, its form, and the parameters to try.
const TARGETS: &[(&str, &str, &str)] = &[
    (
        "/api/portal/work-history",
        "query[category]=patch&query[system]=1&query[from]=2026-01-01&query[to]=2026-12-31&query[after_hours]=yes&query[q]=backup&query[after]=",
        "query[category],query[system],query[from],query[to],query[after_hours],query[q],query[after]",
    ),
    ("/api/portal/work", "id=1", "id"),
    ("/api/portal/tickets", "status=open&priority=P2", "status,priority"),
    ("/api/portal/ticket", "number=1", "number"),
    ("/api/portal/system", "id=1&after=", "id,after"),
    ("/api/portal/summary", "id=1", "id"),
];

pub fn sqlmap() -> Result {
    let sqlmap = install()?;
    crate::build()?;
    let demo = crate::serve_demo("scan", |_| Ok(()))?;
    let cookie = sign_in(&demo.addr, "dana@acme-dental.test", crate::DEMO_PASSWORD)?;
    let out_dir = demo.data_dir.join("sqlmap");
    let mut report = Vec::new();
    for (path, data, params) in TARGETS {
        step(&format!("sqlmap: {path} ({params})"));
        let out = Command::new(&sqlmap)
            .args(["--batch", "--disable-coloring", "--flush-session", "--level=3", "--risk=2", "--threads=1"])
            .args(["--technique=BEUST", "--dbms=SQLite"])
            .arg(format!("--url=http://{}{path}", demo.addr))
            .arg(format!("--data={data}"))
            .arg("-p")
            .arg(params)
            .arg(format!("--cookie={cookie}"))
            .arg(format!("--output-dir={}", out_dir.display()))
            .output()
            .map_err(|e| format!("starting sqlmap: {e}"))?;
        let text = String::from_utf8_lossy(&out.stdout);
        let found: Vec<&str> = text
            .lines()
            // sqlmap says "might not be", "does not seem to be" of a clean parameter, and "appears
            // to be … injectable" or "identified the following injection point" of a finding.
            .filter(|l| {
                (l.contains("injectable") && !l.contains(" not ")) || l.contains("identified the following injection")
            })
            .collect();
        let tested_clean = text.contains("all tested parameters do not appear to be injectable");
        if !found.is_empty() {
            return Err(format!("sqlmap found {path} injectable:\n{}", found.join("\n")));
        }
        if !tested_clean {
            return Err(format!("sqlmap could not test {path}:\n{}", tail(&text, 30)));
        }
        report.push(format!("{path}: {params}: nothing injectable"));
    }
    step("sqlmap found nothing injectable");
    for line in report {
        eprintln!("  {line}");
    }
    Ok(())
}

/// sqlmap in its own venv (it is a program, not a library: nothing else goes in there).
fn install() -> Result<std::path::PathBuf> {
    let venv = target_dir().join("sqlmap-venv");
    let sqlmap = venv.join("bin/sqlmap");
    let pip = venv.join("bin/pip");
    let have = crate::output(Command::new(&pip).args(["show", "sqlmap"])).unwrap_or_default();
    if !have.lines().any(|l| l == format!("Version: {SQLMAP_VERSION}")) {
        step(&format!("installing sqlmap {SQLMAP_VERSION} from PyPI"));
        sh(Command::new("python3").args(["-m", "venv"]).arg(&venv), "making a Python venv")?;
        sh(
            Command::new(&pip)
                .args(["install", "--quiet", "--disable-pip-version-check"])
                .arg(format!("sqlmap=={SQLMAP_VERSION}")),
            "installing sqlmap",
        )?;
    }
    Ok(sqlmap)
}

/// Signs in with the login form and answers the session cookie (`name=value`).
fn sign_in(addr: &str, email: &str, password: &str) -> Result<String> {
    let body = format!("email={}&password={}", encode(email), encode(password));
    let mut s = TcpStream::connect(addr).map_err(|e| format!("connecting to {addr}: {e}"))?;
    write!(
        s,
        "POST /login HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .map_err(|e| format!("signing in: {e}"))?;
    let mut answer = String::new();
    s.read_to_string(&mut answer).map_err(|e| format!("signing in: {e}"))?;
    answer
        .lines()
        .filter_map(|l| l.strip_prefix("set-cookie: ").or_else(|| l.strip_prefix("Set-Cookie: ")))
        .map(|c| c.split(';').next().unwrap_or_default().to_string())
        .find(|c| c.starts_with("limelight_session="))
        .ok_or_else(|| format!("signing in as {email} gave no session:\n{}", tail(&answer, 10)))
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}
