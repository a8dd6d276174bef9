//! The bundle under a path named by its content, kept by browsers for a year and sent
//! precompressed; pages and exports compressed on the way out.

use crate::common::*;
use std::io::Read;

/// The JS glue: long enough that compression would not skip it for its size.
const JS: &str = "export default function init() { return 'the bundle, longer than 32 bytes'; }";

/// A built site of the test's own: a bundle with its precompressed copies, as a release has.
fn site(dir: &std::path::Path, wasm: &[u8]) -> String {
    let pkg = dir.join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(pkg.join("limelight.wasm"), wasm).unwrap();
    std::fs::write(pkg.join("limelight.js"), JS).unwrap();
    std::fs::write(pkg.join("limelight.css"), b"body { margin: 0 }").unwrap();
    std::fs::write(pkg.join("limelight.wasm.br"), b"brotli bytes").unwrap();
    std::fs::write(pkg.join("limelight.wasm.gz"), b"gzip bytes").unwrap();
    dir.display().to_string()
}

/// The bundle's folder as the login page names it: `/pkg/{version}/`.
async fn bundle_of(app: &TestApp) -> String {
    let page = browser().get(app.url("/login")).send_or_fail().await.text().await.unwrap();
    let js = page
        .split('"')
        .find(|s| s.starts_with("/pkg/") && s.ends_with("/limelight.js"))
        .unwrap_or_else(|| panic!("the page loads no bundle: {page}"));
    let css = js.replace("limelight.js", "limelight.css");
    assert!(page.contains(&format!("href=\"{css}\"")), "the stylesheet is in the same folder");
    js.trim_end_matches("limelight.js").to_string()
}

#[tokio::test]
async fn the_bundle_is_named_by_its_content_kept_a_year_and_sent_precompressed() {
    let one = std::env::temp_dir().join(format!("limelight-site-a-{}", std::process::id()));
    let other = std::env::temp_dir().join(format!("limelight-site-b-{}", std::process::id()));
    let (site_one, site_other) = (site(&one, b"\0asm one"), site(&other, b"\0asm two"));
    let app = spawn_app_with(|c| c.site_root = site_one.clone()).await;
    let same = spawn_app_with(|c| c.site_root = site_one).await;
    let changed = spawn_app_with(|c| c.site_root = site_other).await;
    let bundle = bundle_of(&app).await;
    assert_eq!(bundle.len(), "/pkg/".len() + 16 + 1, "{bundle}");
    assert_eq!(bundle_of(&same).await, bundle, "the same files, the same path");
    assert_ne!(bundle_of(&changed).await, bundle, "a new bundle is fetched at once");

    let c = browser();
    let wasm = c.get(app.url(&format!("{bundle}limelight.wasm"))).send_or_fail().await;
    assert_eq!(wasm.status(), 200);
    assert_eq!(wasm.headers()["cache-control"], "public, max-age=31536000, immutable");
    assert_eq!(wasm.headers()["content-type"], "application/wasm");
    assert!(wasm.headers().get("content-encoding").is_none(), "nothing compressed for who did not ask");
    assert_eq!(wasm.bytes().await.unwrap().as_ref(), b"\0asm one");

    for (accepts, encoding, body) in [("br, gzip", "br", "brotli bytes"), ("gzip", "gzip", "gzip bytes")] {
        let res =
            c.get(app.url(&format!("{bundle}limelight.wasm"))).header("accept-encoding", accepts).send_or_fail().await;
        assert_eq!(res.headers()["content-encoding"], encoding, "{accepts}");
        assert_eq!(res.headers()["cache-control"], "public, max-age=31536000, immutable");
        assert_eq!(res.text().await.unwrap(), body, "the file the build compressed, not a second compression");
    }
    // A file the build did not compress goes as it is: not compressed again for every browser.
    let js =
        c.get(app.url(&format!("{bundle}limelight.js"))).header("accept-encoding", "br, gzip").send_or_fail().await;
    assert!(js.headers().get("content-encoding").is_none());
    assert_eq!(js.text().await.unwrap(), JS);
    let css = c.get(app.url(&format!("{bundle}limelight.css"))).send_or_fail().await;
    assert_eq!(
        (css.status().as_u16(), css.headers()["cache-control"].to_str().unwrap()),
        (200, "public, max-age=31536000, immutable")
    );

    // Another version, a missing file, or a way out of the folder: nothing, and nothing kept.
    let other_version = bundle.replace(&bundle[5..21], "0123456789abcdef");
    for path in [
        format!("{other_version}limelight.wasm"),
        format!("{bundle}missing.js"),
        format!("{bundle}..%2f..%2fsecret.key"),
        format!("{bundle}%2e%2e/%2e%2e/secret.key"),
    ] {
        let res = c.get(app.url(&path)).send_or_fail().await;
        assert_eq!(res.status(), 404, "{path}");
        assert!(
            res.headers().get("cache-control").is_none_or(|v| !v.to_str().unwrap().contains("immutable")),
            "{path}"
        );
    }
    let _ = (std::fs::remove_dir_all(one), std::fs::remove_dir_all(other));
}

#[tokio::test]
async fn pages_and_exports_are_compressed_for_browsers_that_take_it() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let dana = app.signed_in("dana@acme-dental.test").await;
    let plain = dana.get(app.url("/portal/work.csv")).send_or_fail().await.text().await.unwrap();
    assert!(plain.lines().count() > 10, "the demo's export has rows");

    let res = dana.get(app.url("/portal/work.csv")).header("accept-encoding", "gzip").send_or_fail().await;
    assert_eq!(res.headers()["content-encoding"], "gzip");
    assert_eq!(res.headers()["cache-control"], "no-store", "compressed, and still kept by no one");
    let zipped = res.bytes().await.unwrap();
    assert!(zipped.len() < plain.len() / 2, "{} bytes of {}", zipped.len(), plain.len());
    let mut csv = String::new();
    flate2::read::GzDecoder::new(&zipped[..]).read_to_string(&mut csv).unwrap();
    assert_eq!(csv, plain);

    let res = dana.get(app.url("/portal")).header("accept-encoding", "br").send_or_fail().await;
    assert_eq!((res.status().as_u16(), res.headers()["content-encoding"].to_str().unwrap()), (200, "br"));
    let mut page = String::new();
    brotli::Decompressor::new(&res.bytes().await.unwrap()[..], 4096).read_to_string(&mut page).unwrap();
    // The whole page: leptos' last scripts follow `</html>`.
    assert!(page.contains("Acme Dental") && page.contains("</html>") && page.ends_with("</script>"), "{page}");
}
