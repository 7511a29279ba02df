//! The built assets (`/pkg/…`: the JS, the wasm with its split chunks, the CSS), served as
//! compressed once at build time (`scripts/lib/compress-assets`: brotli at quality 11 and gzip,
//! next to each file), never compressed per request. Pages name them under the current
//! version's folder (`/pkg/<version>/<file>`), which may be cached for a year: the next build
//! has another version and so other URLs. Another version's folder answers 404 (those files
//! are gone from disk): the page then opens from the service worker's complete copy.

use crate::{AppState, Error, Result};
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use std::path::PathBuf;
use std::time::SystemTime;

/// A year, and never revalidated: the URL changes with the content.
const FOREVER: &str = "public, max-age=31536000, immutable";

/// The encodings kept next to an asset, best first: (`Accept-Encoding` token, file suffix).
const ENCODINGS: [(&str, &str); 2] = [("br", "br"), ("gzip", "gz")];

/// `GET /pkg/{version}/{file}`, and `GET /pkg/{file}` (with `?v=` from pages of earlier builds).
pub async fn asset(
    State(state): State<AppState>,
    Path(path): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response> {
    let current = state.assets.current().0;
    let (version, file) = match path.split_once('/') {
        Some((version, file)) if version == current => (Some(version), file),
        Some(_) => return Err(Error::NotFound),
        None => (
            query.as_deref().and_then(|q| q.strip_prefix("v=")),
            path.as_str(),
        ),
    };
    let Some(content_type) = content_type(file) else {
        return Err(Error::NotFound);
    };
    let options = &state.leptos_options;
    let raw = PathBuf::from(options.site_root.as_ref())
        .join(options.site_pkg_dir.as_ref())
        .join(file);
    let Some(raw_modified) = modified(&raw).await else {
        return Err(Error::NotFound);
    };
    let accepted = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    let mut chosen = (raw.clone(), None);
    for (token, suffix) in ENCODINGS {
        let compressed = raw.with_file_name(format!("{file}.{suffix}"));
        // A compressed copy older than the file is from an earlier build: never served.
        let fresh = modified(&compressed)
            .await
            .is_some_and(|at| at >= raw_modified);
        if accepts(accepted, token) && fresh {
            chosen = (compressed, Some(token));
            break;
        }
    }
    let body = tokio::fs::read(&chosen.0)
        .await
        .map_err(|_| Error::NotFound)?;
    let caching = if version == Some(current.as_str()) {
        FOREVER
    } else {
        "no-cache"
    };
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(caching));
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if let Some(token) = chosen.1 {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(token));
    }
    Ok(response)
}

/// The built files by extension; anything else (a path, a compressed copy) is not served.
fn content_type(file: &str) -> Option<&'static str> {
    if file.contains('/') || file.contains("..") {
        return None;
    }
    let types = [
        (".js", "text/javascript; charset=utf-8"),
        (".wasm", "application/wasm"),
        (".css", "text/css; charset=utf-8"),
    ];
    types
        .iter()
        .find(|(ext, _)| file.ends_with(ext))
        .map(|(_, content_type)| *content_type)
}

async fn modified(path: &std::path::Path) -> Option<SystemTime> {
    tokio::fs::metadata(path).await.ok()?.modified().ok()
}

/// Whether `Accept-Encoding` takes `token` (not with `q=0`).
fn accepts(header: &str, token: &str) -> bool {
    header.split(',').any(|part| {
        let mut pieces = part.split(';').map(str::trim);
        let name = pieces.next().unwrap_or_default();
        let refused = pieces.any(|p| {
            p.strip_prefix("q=")
                .and_then(|q| q.parse::<f32>().ok())
                .is_some_and(|q| q == 0.0)
        });
        name.eq_ignore_ascii_case(token) && !refused
    })
}

/// Whether the built assets have their compressed copies (the server says so at start).
pub fn precompressed(options: &leptos::prelude::LeptosOptions) -> bool {
    let pkg = PathBuf::from(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
    let name = options.output_name.as_ref();
    ["js", "wasm", "css"].iter().all(|ext| {
        ENCODINGS
            .iter()
            .all(|(_, suffix)| pkg.join(format!("{name}.{ext}.{suffix}")).exists())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_encoding_is_read_with_its_weights() {
        assert!(accepts("gzip, deflate, br, zstd", "br"));
        assert!(accepts("gzip;q=1.0, br;q=0.5", "br"));
        assert!(!accepts("gzip, br;q=0", "br"));
        assert!(!accepts("gzip", "br"));
        assert!(!accepts("", "gzip"));
    }

    #[test]
    fn only_built_files_are_served() {
        assert_eq!(content_type("keukentafel.wasm"), Some("application/wasm"));
        assert_eq!(content_type("keukentafel.wasm.br"), None);
        assert_eq!(content_type("../secret.js"), None);
        assert_eq!(content_type("notes.txt"), None);
    }
}
