//! `cargo xtask dist`: the release build and a Debian package of it, made with `dpkg-deb` from the
//! files in `packaging/`:
//!
//! - `/usr/lib/limelight/limelight`, the server, and `/usr/bin/limelight`, the command people type,
//!   which reads the service's configuration and acts as its user;
//! - `/usr/share/limelight/site`, the WASM bundle (wasm-opt'd), stylesheet and static files;
//! - `/lib/systemd/system/limelight.service`, running as the `limelight` user with its data in
//!   `/var/lib/limelight`;
//! - `/etc/limelight/limelight.env`, the configuration (a conffile: upgrades keep local edits).
//!
//! `cargo xtask dist --check` then installs it on this machine (root), serves it (through systemd
//! where systemd runs, else as the unit would), signs a client in over HTTP, and removes it.

use crate::{Result, root, site, step, target_dir};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn version() -> Result<String> {
    let manifest = std::fs::read_to_string(root().join("Cargo.toml")).map_err(|e| e.to_string())?;
    manifest
        .lines()
        .find_map(|l| l.strip_prefix("version = \"").map(|v| v.trim_end_matches('"').to_string()))
        .ok_or_else(|| "no version in Cargo.toml".into())
}

fn run(cmd: &mut Command, what: &str) -> Result<String> {
    let out = cmd.output().map_err(|e| format!("{what}: could not start {:?}: {e}", cmd.get_program()))?;
    if !out.status.success() {
        return Err(format!("{what} failed ({}): {}", out.status, String::from_utf8_lossy(&out.stderr)));
    }
    Ok(String::from_utf8_lossy(&out.stdout).to_string())
}

fn copy(from: &Path, to: &Path, mode: u32) -> Result {
    use std::os::unix::fs::PermissionsExt;
    std::fs::create_dir_all(to.parent().expect("a file in a folder")).map_err(|e| e.to_string())?;
    std::fs::copy(from, to).map_err(|e| format!("copying {} to {}: {e}", from.display(), to.display()))?;
    std::fs::set_permissions(to, std::fs::Permissions::from_mode(mode)).map_err(|e| e.to_string())
}

/// The newest glibc symbol version the binary needs: the package depends on at least that.
fn glibc_needed(binary: &Path) -> String {
    let symbols = Command::new("objdump").arg("-T").arg(binary).output().map(|o| o.stdout).unwrap_or_default();
    let text = String::from_utf8_lossy(&symbols);
    let mut newest = (2u32, 17u32);
    for word in text.split_whitespace() {
        let Some(v) = word.strip_prefix("(GLIBC_").or_else(|| word.strip_prefix("GLIBC_")) else { continue };
        let v = v.trim_end_matches(')');
        let mut parts = v.split('.').filter_map(|p| p.parse::<u32>().ok());
        if let (Some(major), Some(minor)) = (parts.next(), parts.next()) {
            newest = newest.max((major, minor));
        }
    }
    format!("{}.{}", newest.0, newest.1)
}

/// Builds the release and packages it; answers the package's path.
pub fn deb() -> Result<PathBuf> {
    site::build(site::Profile::Release)?;
    step("packaging (dpkg-deb)");
    let version = version()?;
    let arch = run(Command::new("dpkg").arg("--print-architecture"), "dpkg --print-architecture")?.trim().to_string();
    let dist = target_dir().join("dist");
    let stage = dist.join(format!("limelight_{version}_{arch}"));
    let _ = std::fs::remove_dir_all(&stage);
    let packaging = root().join("packaging");

    let binary = stage.join("usr/lib/limelight/limelight");
    copy(&target_dir().join("release/limelight"), &binary, 0o755)?;
    run(Command::new("strip").arg(&binary), "strip")?;
    copy(&packaging.join("limelight"), &stage.join("usr/bin/limelight"), 0o755)?;
    site::copy_tree(&site::site_root(), &stage.join("usr/share/limelight/site"))?;
    copy(&packaging.join("limelight.service"), &stage.join("lib/systemd/system/limelight.service"), 0o644)?;
    copy(&packaging.join("limelight.env"), &stage.join("etc/limelight/limelight.env"), 0o640)?;
    copy(&root().join("README.md"), &stage.join("usr/share/doc/limelight/README.md"), 0o644)?;
    for script in ["postinst", "prerm", "postrm"] {
        copy(&packaging.join("debian").join(script), &stage.join("DEBIAN").join(script), 0o755)?;
    }
    std::fs::write(stage.join("DEBIAN/conffiles"), "/etc/limelight/limelight.env\n").map_err(|e| e.to_string())?;
    let size = run(Command::new("du").args(["-sk", "--exclude=DEBIAN"]).arg(&stage), "du")?;
    let size = size.split_whitespace().next().unwrap_or("0").to_string();
    let control = format!(
        "Package: limelight\n\
         Version: {version}\n\
         Architecture: {arch}\n\
         Maintainer: Limelight <ops@limelight.invalid>\n\
         Installed-Size: {size}\n\
         Depends: adduser, libc6 (>= {glibc})\n\
         Section: web\n\
         Priority: optional\n\
         Description: client portal for managed-service providers\n \
         Each client company of the MSP signs in and sees the work done for it behind\n \
         the scenes, its tickets and its staff coverage. Runs as the limelight service on\n \
         SQLite in /var/lib/limelight, or on PostgreSQL; see /etc/limelight/limelight.env.\n",
        glibc = glibc_needed(&binary),
    );
    std::fs::write(stage.join("DEBIAN/control"), control).map_err(|e| e.to_string())?;
    let deb = dist.join(format!("limelight_{version}_{arch}.deb"));
    run(
        Command::new("dpkg-deb").args(["--root-owner-group", "-Zxz", "--build"]).arg(&stage).arg(&deb),
        "dpkg-deb --build",
    )?;
    eprintln!("package: {}", deb.display());
    Ok(deb)
}

fn free_port() -> Result<u16> {
    let l = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    Ok(l.local_addr().map_err(|e| e.to_string())?.port())
}

fn curl(args: &[&str]) -> Result<String> {
    run(Command::new("curl").args(["--silent", "--show-error", "--max-time", "30"]).args(args), "curl")
}

/// Stops what the check started, and removes the package, whatever happened.
struct Installed {
    server: Option<Child>,
    systemd: bool,
    made_user: bool,
}

impl Drop for Installed {
    fn drop(&mut self) {
        if let Some(mut s) = self.server.take() {
            let _ = Command::new("kill").args(["-TERM", &s.id().to_string()]).status();
            let _ = s.wait();
        }
        if self.systemd {
            let _ = Command::new("systemctl").args(["stop", "limelight"]).status();
        }
        let _ = Command::new("dpkg").args(["--purge", "limelight"]).stdout(Stdio::null()).status();
        if self.made_user {
            // The test's own data and user: the machine is left as it was found.
            let _ = std::fs::remove_dir_all("/var/lib/limelight");
            let _ = Command::new("deluser").args(["--quiet", "--system", "limelight"]).stderr(Stdio::null()).status();
        }
    }
}

/// Installs the package, serves it, signs a client in, and removes it.
pub fn check(deb: &Path) -> Result {
    step("installing the package on this machine (dpkg -i), serving it, signing in, removing it");
    if run(Command::new("id").arg("-u"), "id")?.trim() != "0" {
        return Err("installing a package needs root: run `sudo cargo xtask dist --check`".into());
    }
    if Command::new("dpkg")
        .args(["-s", "limelight"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
    {
        return Err("limelight is installed on this machine already: the check will not replace it".into());
    }
    let made_user =
        Command::new("getent").args(["passwd", "limelight"]).stdout(Stdio::null()).status().is_ok_and(|s| !s.success());
    let systemd = Path::new("/run/systemd/system").is_dir();
    let mut installed = Installed { server: None, systemd, made_user };
    let port = free_port()?;
    run(Command::new("dpkg").arg("-i").arg(deb), "dpkg -i")?;

    // What the package promises.
    for file in [
        "/usr/bin/limelight",
        "/usr/lib/limelight/limelight",
        "/usr/share/limelight/site/pkg/limelight.wasm",
        "/usr/share/limelight/site/pkg/limelight.js",
        "/usr/share/limelight/site/pkg/limelight.css",
        "/usr/share/limelight/site/pkg/limelight.wasm.br",
        "/usr/share/limelight/site/pkg/limelight.wasm.gz",
        "/lib/systemd/system/limelight.service",
    ] {
        if !Path::new(file).exists() {
            return Err(format!("the package did not install {file}"));
        }
    }
    let env_file = run(Command::new("stat").args(["-c", "%a %U:%G", "/etc/limelight/limelight.env"]), "stat")?;
    if env_file.trim() != "640 root:limelight" {
        return Err(format!("/etc/limelight/limelight.env is {}, not 640 root:limelight", env_file.trim()));
    }
    let data = run(Command::new("stat").args(["-c", "%U", "/var/lib/limelight"]), "stat")?;
    if data.trim() != "limelight" {
        return Err(format!("/var/lib/limelight belongs to {}, not limelight", data.trim()));
    }

    // The admin's one edit: the port (the default may be taken on this machine).
    let mut env = std::fs::read_to_string("/etc/limelight/limelight.env").map_err(|e| e.to_string())?;
    env = env.replace("LIMELIGHT_ADDR=127.0.0.1:3000", &format!("LIMELIGHT_ADDR=127.0.0.1:{port}"));
    std::fs::write("/etc/limelight/limelight.env", env).map_err(|e| e.to_string())?;
    if systemd {
        run(Command::new("systemctl").args(["restart", "limelight"]), "systemctl restart limelight")?;
    } else {
        // No systemd here (a container): the installed command, run as root, serves as the
        // unit would, as the limelight user with the same environment file.
        eprintln!("no systemd on this machine: starting `limelight serve` as the unit would");
        let log = std::fs::File::create(target_dir().join("dist/check-serve.log")).map_err(|e| e.to_string())?;
        let child = Command::new("/usr/bin/limelight")
            .arg("serve")
            .env_clear()
            .env("PATH", "/usr/sbin:/usr/bin:/sbin:/bin")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .map_err(|e| format!("starting limelight serve: {e}"))?;
        installed.server = Some(child);
    }
    let base = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(60);
    while curl(&["-o", "/dev/null", "-w", "%{http_code}", &format!("{base}/healthz")]).map_or(true, |c| c != "200") {
        if Instant::now() > deadline {
            return Err("the installed service did not answer /healthz within a minute".into());
        }
        std::thread::sleep(Duration::from_millis(250));
    }

    // A client, made with the installed command (no environment: it finds everything itself).
    let bare = |args: &[&str], input: &str| -> Result<String> {
        use std::io::Write;
        let mut child = Command::new("/usr/bin/limelight")
            .args(args)
            .env_clear()
            .env("PATH", "/usr/sbin:/usr/bin:/sbin:/bin")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| e.to_string())?;
        child.stdin.take().expect("piped").write_all(input.as_bytes()).map_err(|e| e.to_string())?;
        let out = child.wait_with_output().map_err(|e| e.to_string())?;
        if !out.status.success() {
            return Err(format!("limelight {args:?}: {}", String::from_utf8_lossy(&out.stderr)));
        }
        Ok(String::from_utf8_lossy(&out.stdout).to_string())
    };
    bare(&["tenant", "add", "acme", "Acme Dental"], "")?;
    bare(&["user", "add", "dana@acme.test", "--role", "client_admin", "--tenant", "acme"], "package check password")?;

    // Signs in over HTTP, as a browser would, and sees the portal and its bundle.
    let jar = target_dir().join("dist/check-cookies.txt");
    let jar = jar.to_str().expect("UTF-8");
    let status = curl(&[
        "-c",
        jar,
        "-o",
        "/dev/null",
        "-w",
        "%{http_code} %{redirect_url}",
        "--data-urlencode",
        "email=dana@acme.test",
        "--data-urlencode",
        "password=package check password",
        &format!("{base}/login"),
    ])?;
    if !status.starts_with("303") || !status.ends_with("/portal") {
        return Err(format!("signing in answered {status}"));
    }
    let page = curl(&["-b", jar, "-H", "Accept: text/html", &format!("{base}/portal")])?;
    // The bundle's folder is named by its content: `/pkg/{version}/limelight.js`.
    let bundle = page
        .split('"')
        .find(|s| s.starts_with("/pkg/") && s.ends_with("/limelight.js"))
        .map(|js| js.trim_end_matches("limelight.js").to_string());
    let (true, Some(bundle)) = (page.contains("Acme Dental"), bundle) else {
        return Err(format!("the portal page is not the signed-in client's: {}", &page[..page.len().min(500)]));
    };
    let wasm = curl(&[
        "-o",
        "/dev/null",
        "-H",
        "Accept-Encoding: br, gzip",
        "-w",
        "%{http_code} %{content_type} %{size_download} %header{content-encoding} %header{cache-control}",
        &format!("{base}{bundle}limelight.wasm"),
    ])?;
    if !wasm.starts_with("200 application/wasm ") || !wasm.ends_with(" br public, max-age=31536000, immutable") {
        return Err(format!("the WASM bundle answered {wasm} (wanted 200, brotli, kept a year)"));
    }
    let size = wasm.split_whitespace().nth(2).unwrap_or("?");
    eprintln!("installed, served, signed in: {status} (the bundle, brotli: {size} bytes, kept a year)");

    drop(installed);
    if Path::new("/usr/bin/limelight").exists() || Path::new("/etc/limelight").exists() {
        return Err("dpkg --purge left the package's files behind".into());
    }
    eprintln!("removed: no /usr/bin/limelight, no /etc/limelight");
    Ok(())
}
