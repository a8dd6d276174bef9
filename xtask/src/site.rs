//! The portal built as `cargo leptos build` builds it (the server binary; the WASM bundle through
//! the `wasm-bindgen` CLI; the stylesheet and the static files under `target/site`), with two
//! tools instead of cargo-leptos: the wasm32 target and the `wasm-bindgen` CLI at Cargo.lock's
//! version (about 4 minutes to install, where cargo-leptos takes 26 on two cores). The layout and
//! names are cargo-leptos' own (`[workspace.metadata.leptos]`), so `cargo leptos watch` keeps
//! working for those who have it. A dev build shares its server artifacts with `cargo test`
//! (cargo-leptos' dev builds add `--cfg erase_components`, which rebuilds everything).

use crate::{Result, cargo, root, sh, step, target_dir};
use std::path::Path;
use std::process::Command;

/// `[workspace.metadata.leptos]`'s output name: the files are `pkg/limelight.{js,wasm,css}`.
const OUTPUT_NAME: &str = "limelight";

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    Dev,
    Release,
}

/// Where the site goes: `site-root`, beside the workspace's `target/`.
pub fn site_root() -> std::path::PathBuf {
    root().join("target/site")
}

pub fn build(profile: Profile) -> Result {
    let release = profile == Profile::Release;
    step(if release { "building the server (release)" } else { "building the server" });
    let mut server = cargo();
    server.args(["build", "-p", "server", "--bin", "limelight"]);
    if release {
        server.arg("--release");
    }
    sh(&mut server, "building the server")?;

    step("building the WASM bundle");
    let mut wasm = cargo();
    wasm.args([
        "build",
        "-p",
        "app",
        "--lib",
        "--target",
        "wasm32-unknown-unknown",
        "--no-default-features",
        "--features",
        "hydrate",
    ]);
    if release {
        wasm.args(["--profile", "wasm-release"]);
    }
    sh(&mut wasm, "building the WASM bundle")?;
    let built = target_dir()
        .join("wasm32-unknown-unknown")
        .join(if release { "wasm-release" } else { "debug" })
        .join("app.wasm");

    let site = site_root();
    let pkg = site.join("pkg");
    // A fresh pkg/: nothing of an earlier build (another output's snippets) is served by mistake.
    let _ = std::fs::remove_dir_all(&pkg);
    std::fs::create_dir_all(&pkg).map_err(|e| format!("creating {}: {e}", pkg.display()))?;
    sh(
        Command::new("wasm-bindgen")
            .arg("--target=web")
            .arg(format!("--out-name={OUTPUT_NAME}"))
            .arg(format!("--out-dir={}", pkg.display()))
            .arg(&built),
        "wasm-bindgen",
    )?;
    // As cargo-leptos does: leptos' hydration script loads `limelight.wasm`.
    let wasm_file = pkg.join(format!("{OUTPUT_NAME}.wasm"));
    std::fs::rename(pkg.join(format!("{OUTPUT_NAME}_bg.wasm")), &wasm_file)
        .map_err(|e| format!("renaming the bundle: {e}"))?;
    if release {
        step("optimising the WASM bundle (wasm-opt -Oz)");
        sh(
            Command::new("wasm-opt")
                .args(["-Oz", "--enable-bulk-memory", "--enable-nontrapping-float-to-int"])
                .arg(&wasm_file)
                .arg("-o")
                .arg(&wasm_file),
            "wasm-opt",
        )
        .map_err(|e| {
            format!("{e}\n  A release needs wasm-opt: apt-get install binaryen (or cargo install wasm-opt)")
        })?;
    }
    // The stylesheet (plain CSS: no sass), and `public/` at the site's root.
    std::fs::copy(root().join("style/main.css"), pkg.join(format!("{OUTPUT_NAME}.css")))
        .map_err(|e| format!("copying the stylesheet: {e}"))?;
    copy_tree(&root().join("public"), &site)?;
    if release {
        precompress(&pkg)?;
        within_budget(&pkg)?;
    }
    eprintln!("site: {}", site.display());
    Ok(())
}

/// Writes `.br` and `.gz` beside each file of the bundle, at the tools' best, once: the server
/// sends them to browsers that take them instead of compressing per request.
fn precompress(pkg: &Path) -> Result {
    step("compressing the bundle (brotli -q 11, gzip -9)");
    for name in ["wasm", "js", "css"].map(|ext| format!("{OUTPUT_NAME}.{ext}")) {
        let file = pkg.join(&name);
        sh(Command::new("brotli").args(["--force", "--keep", "--quality=11"]).arg(&file), "brotli")
            .map_err(|e| format!("{e}\n  A release needs brotli: apt-get install brotli"))?;
        // -n: no name or time in the header, so the same bundle compresses to the same bytes.
        sh(Command::new("gzip").args(["--force", "--keep", "--best", "-n"]).arg(&file), "gzip")?;
    }
    Ok(())
}

/// What a client's browser may download of the bundle, gzip'd (WASM and JS), before a release is
/// refused: 1.56 MB measured at this budget's making (4.6 MB of WASM before compression), with a
/// little room. The goal is 250 KB (issue 13); today's single bundle carries the staff workspace
/// too, so this only stops it growing unnoticed until the clients' share is split out.
const BUNDLE_BUDGET_GZIP: u64 = 1_650_000;

/// Prints the bundle's sizes (raw, gzip, brotli), and fails a release over the budget.
fn within_budget(pkg: &Path) -> Result {
    let size = |name: String| std::fs::metadata(pkg.join(&name)).map(|m| m.len()).map_err(|e| format!("{name}: {e}"));
    eprintln!("{:<16} {:>10} {:>10} {:>10}", "bundle", "raw", "gzip", "brotli");
    let mut downloaded = 0;
    for ext in ["wasm", "js", "css"] {
        let file = format!("{OUTPUT_NAME}.{ext}");
        let (raw, gz, br) = (size(file.clone())?, size(format!("{file}.gz"))?, size(format!("{file}.br"))?);
        eprintln!("{file:<16} {raw:>10} {gz:>10} {br:>10}");
        if ext != "css" {
            downloaded += gz;
        }
    }
    eprintln!("WASM + JS, gzip: {downloaded} bytes (budget {BUNDLE_BUDGET_GZIP})");
    if downloaded > BUNDLE_BUDGET_GZIP {
        return Err(format!(
            "the bundle is over its budget: {downloaded} bytes of WASM + JS gzip'd, {BUNDLE_BUDGET_GZIP} allowed"
        ));
    }
    Ok(())
}

/// Copies a folder's files (and its folders') into `to`, which it makes.
pub fn copy_tree(from: &Path, to: &Path) -> Result {
    std::fs::create_dir_all(to).map_err(|e| format!("creating {}: {e}", to.display()))?;
    let entries = std::fs::read_dir(from).map_err(|e| format!("reading {}: {e}", from.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| e.to_string())?;
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target).map_err(|e| format!("copying {}: {e}", entry.path().display()))?;
        }
    }
    Ok(())
}
