//! Issue 17 item 2: the built assets go out as compressed once at build time (brotli, else
//! gzip), never compressed per request, and the current version's URLs may be cached for a
//! year; a compressed copy older than its file (an earlier build's) is never served.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use leptos::prelude::LeptosOptions;
use sqlx::postgres::PgPoolOptions;
use std::time::{Duration, SystemTime};
use tower::ServiceExt;

struct Site {
    _root: tempfile::TempDir,
    app: axum::Router,
    version: String,
    pkg: std::path::PathBuf,
}

fn site() -> Site {
    let root = tempfile::tempdir().unwrap();
    let pkg = root.path().join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    let wasm = vec![0u8; 4096];
    std::fs::write(pkg.join("keukentafel.wasm"), &wasm).unwrap();
    std::fs::write(pkg.join("keukentafel.wasm.br"), b"brotli bytes").unwrap();
    std::fs::write(pkg.join("keukentafel.wasm.gz"), b"gzip bytes").unwrap();
    std::fs::write(pkg.join("keukentafel.js"), "export default 1;".repeat(200)).unwrap();
    std::fs::write(pkg.join("keukentafel.css"), "body{}").unwrap();
    let options = LeptosOptions::builder()
        .output_name("keukentafel")
        .site_root(root.path().to_string_lossy().to_string())
        .site_pkg_dir("pkg")
        .build();
    // No query reaches the database here.
    let pool = PgPoolOptions::new()
        .connect_lazy("postgres://nobody@127.0.0.1:1/none")
        .unwrap();
    let state = server::AppState::new(options, pool);
    let version = state.assets.current().0;
    Site {
        app: server::app(state),
        version,
        pkg,
        _root: root,
    }
}

async fn get(
    app: &axum::Router,
    uri: &str,
    encodings: &str,
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let request = Request::get(uri)
        .header("accept-encoding", encodings)
        .body(Body::empty())
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let (parts, body) = response.into_parts();
    let bytes = body.collect().await.unwrap().to_bytes().to_vec();
    (parts.status, parts.headers, bytes)
}

fn header<'a>(headers: &'a axum::http::HeaderMap, name: &str) -> &'a str {
    headers.get(name).map_or("", |v| v.to_str().unwrap())
}

#[tokio::test]
async fn assets_go_out_as_compressed_at_build_time_and_cached_by_version() {
    let site = site();
    let current = format!("/pkg/{}/keukentafel.wasm", site.version);

    let (status, headers, body) = get(&site.app, &current, "gzip, deflate, br").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, b"brotli bytes");
    assert_eq!(header(&headers, "content-encoding"), "br");
    assert_eq!(header(&headers, "content-type"), "application/wasm");
    assert_eq!(
        header(&headers, "cache-control"),
        "public, max-age=31536000, immutable"
    );

    let (_, headers, body) = get(&site.app, &current, "gzip").await;
    assert_eq!(
        (body.as_slice(), header(&headers, "content-encoding")),
        (&b"gzip bytes"[..], "gzip")
    );

    // Nothing accepted, or no copy made: the file itself, not compressed on the fly.
    let (_, headers, body) = get(&site.app, &current, "identity").await;
    assert_eq!(body.len(), 4096);
    assert_eq!(header(&headers, "content-encoding"), "");
    let js = format!("/pkg/{}/keukentafel.js", site.version);
    let (_, headers, body) = get(&site.app, &js, "gzip, br").await;
    assert_eq!(body.len(), "export default 1;".len() * 200);
    assert_eq!(header(&headers, "content-encoding"), "");

    // The address of pages from before versions were folders is not cached for long.
    let (_, headers, _) = get(&site.app, "/pkg/keukentafel.wasm?v=other", "br").await;
    assert_eq!(header(&headers, "cache-control"), "no-cache");
    // Another version's folder: its files are gone, so nothing of this build stands in.
    let (status, _, _) = get(&site.app, "/pkg/0123456789ab/keukentafel.wasm", "br").await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // A copy older than its file is an earlier build's: never served.
    let brotli = std::fs::File::options()
        .write(true)
        .open(site.pkg.join("keukentafel.wasm.br"))
        .unwrap();
    brotli
        .set_modified(SystemTime::now() - Duration::from_secs(3600))
        .unwrap();
    let (_, headers, body) = get(&site.app, &current, "br, gzip").await;
    assert_eq!(
        (body.as_slice(), header(&headers, "content-encoding")),
        (&b"gzip bytes"[..], "gzip")
    );

    // Only built files: no compressed copy by name, nothing outside the folder.
    let escape = format!("/pkg/{}/../../Cargo.toml", site.version);
    for uri in [
        "/pkg/keukentafel.wasm.br",
        "/pkg/../Cargo.toml",
        escape.as_str(),
        "/pkg/missing.js",
    ] {
        let (status, _, _) = get(&site.app, uri, "br").await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
    }
}
