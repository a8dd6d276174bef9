//! The portal's bundle (the WASM, its JS and the stylesheet) under a path named by its content:
//! `/pkg/{version}/limelight.wasm`, where the version is a hash of the files the server found at
//! start. A browser may then keep them for a year without asking again (`immutable`), and a new
//! release is fetched at once, because its pages name a new path. The build writes `.br` and `.gz`
//! beside each file; those are sent to browsers that take them, so nothing is compressed per request.

use axum::extract::{Path, Request, State};
use axum::response::{IntoResponse, Response};
use http::{HeaderValue, StatusCode, header};
use sha2::{Digest, Sha256};
use std::path::PathBuf;
use tower::ServiceExt;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{And, DefaultPredicate, Predicate};
use tower_http::services::ServeDir;

/// The files whose content names the bundle's path.
const BUNDLE: [&str; 3] = ["limelight.wasm", "limelight.js", "limelight.css"];

/// A year: the longest a browser is asked to keep anything.
const FOREVER: &str = "public, max-age=31536000, immutable";

/// The bundle as this process serves it: its folder and the version its pages name.
#[derive(Clone, Debug)]
pub struct Bundle {
    dir: PathBuf,
    version: String,
}

impl Bundle {
    /// Reads the bundle under `site_root/pkg` once, at start. Missing files hash as empty: a server
    /// started without a built site still serves its pages (and its tests), with no bundle to load.
    pub fn at(site_root: &str) -> Bundle {
        let dir = PathBuf::from(site_root).join("pkg");
        let mut hash = Sha256::new();
        for name in BUNDLE {
            let content = std::fs::read(dir.join(name)).unwrap_or_default();
            // Each file's length first, so that moving bytes from one file to the next changes it.
            hash.update((content.len() as u64).to_le_bytes());
            hash.update(&content);
        }
        let version = hex::encode(&hash.finalize()[..8]);
        Bundle { dir, version }
    }

    /// The folder the pages load the bundle from (leptos' `site_pkg_dir`).
    pub fn pkg_dir(&self) -> String {
        format!("pkg/{}", self.version)
    }
}

/// `GET /pkg/{version}/{*file}`: a file of this version of the bundle, kept for a year. Another
/// version answers 404: this server cannot send what an older or newer release had.
pub async fn serve(
    State(bundle): State<Bundle>,
    Path((version, file)): Path<(String, String)>,
    mut req: Request,
) -> Response {
    if version != bundle.version {
        return StatusCode::NOT_FOUND.into_response();
    }
    let Ok(uri) = format!("/{file}").parse() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    *req.uri_mut() = uri;
    let served = ServeDir::new(&bundle.dir).precompressed_br().precompressed_gzip().oneshot(req).await;
    let mut res = match served {
        Ok(res) => res.into_response(),
        Err(never) => match never {},
    };
    if matches!(res.status(), StatusCode::OK | StatusCode::NOT_MODIFIED | StatusCode::PARTIAL_CONTENT) {
        res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(FOREVER));
    }
    res
}

/// Compression on the way out for everything but the bundle: what the build did not compress
/// (a dev build's, or a file without its `.br`) is sent as it is rather than compressed again
/// for every browser that loads it.
pub fn compression() -> CompressionLayer<And<DefaultPredicate, NotTheBundle>> {
    CompressionLayer::new().compress_when(DefaultPredicate::new().and(NotTheBundle))
}

/// Answers kept for a year are the bundle's.
#[derive(Clone, Copy, Debug)]
pub struct NotTheBundle;

impl Predicate for NotTheBundle {
    fn should_compress<B: axum::body::HttpBody>(&self, res: &http::Response<B>) -> bool {
        res.headers().get(header::CACHE_CONTROL).is_none_or(|v| v != FOREVER)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site_with(wasm: &[u8], js: &[u8]) -> (tempdir::Dir, Bundle) {
        let dir = tempdir::Dir::new();
        std::fs::create_dir_all(dir.0.join("pkg")).unwrap();
        std::fs::write(dir.0.join("pkg/limelight.wasm"), wasm).unwrap();
        std::fs::write(dir.0.join("pkg/limelight.js"), js).unwrap();
        let bundle = Bundle::at(dir.0.to_str().unwrap());
        (dir, bundle)
    }

    #[test]
    fn the_version_follows_the_content() {
        let (_a, one) = site_with(b"wasm", b"js");
        let (_b, same) = site_with(b"wasm", b"js");
        let (_c, changed) = site_with(b"wasm!", b"js");
        let (_d, moved) = site_with(b"wasmj", b"s");
        assert_eq!(one.version, same.version);
        assert_ne!(one.version, changed.version);
        assert_ne!(one.version, moved.version, "bytes moved between files change the version");
        assert_eq!(one.pkg_dir().len(), "pkg/".len() + 16);
    }

    /// A folder of its own under the system's temporary folder, removed when dropped.
    mod tempdir {
        pub struct Dir(pub std::path::PathBuf);
        impl Dir {
            pub fn new() -> Dir {
                use std::sync::atomic::{AtomicU32, Ordering};
                static NEXT: AtomicU32 = AtomicU32::new(0);
                let n = NEXT.fetch_add(1, Ordering::Relaxed);
                let path = std::env::temp_dir().join(format!("limelight-bundle-{}-{n}", std::process::id()));
                let _ = std::fs::remove_dir_all(&path);
                std::fs::create_dir_all(&path).unwrap();
                Dir(path)
            }
        }
        impl Drop for Dir {
            fn drop(&mut self) {
                let _ = std::fs::remove_dir_all(&self.0);
            }
        }
    }
}
