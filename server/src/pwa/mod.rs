//! The offline shell on the server side: the asset version, the service worker script and the
//! route-agnostic client shell it caches.

use crate::AppState;
use app::{head::AssetUrls, AssetVersion};
use axum::{
    extract::State,
    http::header,
    response::{IntoResponse, Response},
};
use leptos::prelude::LeptosOptions;
use sha2::{Digest, Sha256};
use std::{path::PathBuf, sync::Mutex, time::SystemTime};

/// Where the service worker finds the shell it serves for navigations while offline.
pub const CLIENT_SHELL_PATH: &str = "/shell";

const SERVICE_WORKER_TEMPLATE: &str = include_str!("sw.js");

/// Static files of the shell that are not versioned by name.
const STATIC_SHELL_FILES: &[&str] = &[
    "/manifest.webmanifest",
    "/icons/icon.svg",
    "/icons/icon-192.png",
    "/icons/icon-512.png",
    "/icons/icon-maskable-512.png",
];

/// What a file looked like on disk (modified time and size), or `None` when it is missing.
type FileStamp = Option<(SystemTime, u64)>;

/// The content hash of the deployed assets, recomputed when a file changes on disk, so that a
/// deploy of new files is noticed without a restart.
pub struct AssetVersions {
    files: Vec<PathBuf>,
    cached: Mutex<Option<(Vec<FileStamp>, String)>>,
}

impl AssetVersions {
    pub fn new(options: &LeptosOptions) -> Self {
        let pkg = PathBuf::from(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
        let name = options.output_name.as_ref();
        let files = ["js", "wasm", "css"]
            .iter()
            .map(|ext| pkg.join(format!("{name}.{ext}")))
            .chain(
                STATIC_SHELL_FILES
                    .iter()
                    .map(|p| PathBuf::from(options.site_root.as_ref()).join(&p[1..])),
            )
            .collect();
        Self {
            files,
            cached: Mutex::new(None),
        }
    }

    pub fn current(&self) -> AssetVersion {
        let stamps: Vec<FileStamp> = self
            .files
            .iter()
            .map(|f| {
                std::fs::metadata(f)
                    .ok()
                    .map(|m| (m.modified().unwrap_or(SystemTime::UNIX_EPOCH), m.len()))
            })
            .collect();
        let mut cached = self.cached.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((seen, version)) = cached.as_ref() {
            if *seen == stamps {
                return AssetVersion(version.clone());
            }
        }
        let version = self.hash();
        *cached = Some((stamps, version.clone()));
        AssetVersion(version)
    }

    fn hash(&self) -> String {
        let mut hasher = Sha256::new();
        hasher.update(shared::APP_VERSION.as_bytes());
        for file in &self.files {
            hasher.update(file.to_string_lossy().as_bytes());
            if let Ok(bytes) = std::fs::read(file) {
                hasher.update(&bytes);
            }
        }
        hasher
            .finalize()
            .iter()
            .take(6)
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

/// The URLs the service worker caches at install: everything the shell needs to start offline.
pub fn precache_urls(options: &LeptosOptions, version: &str) -> Vec<String> {
    let urls = AssetUrls::new(options, version);
    [CLIENT_SHELL_PATH.to_owned(), urls.js, urls.wasm, urls.css]
        .into_iter()
        .chain(STATIC_SHELL_FILES.iter().map(|s| s.to_string()))
        .collect()
}

/// `GET /sw.js`: the service worker, whose bytes change with every deployed version so that
/// the browser notices an update.
pub async fn service_worker(State(state): State<AppState>) -> Response {
    let version = state.assets.current().0;
    let precache = serde_json::to_string(&precache_urls(&state.leptos_options, &version))
        .unwrap_or_else(|_| "[]".into());
    let script = SERVICE_WORKER_TEMPLATE
        .replace("__VERSION__", &version)
        .replace("__PRECACHE__", &precache)
        .replace("__SHELL__", CLIENT_SHELL_PATH)
        .replace("__CACHED_VERSION_PARAM__", app::head::CACHED_VERSION_PARAM);
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            // The browser must always ask: a stale script would hide a new version.
            (header::CACHE_CONTROL, "no-cache"),
        ],
        script,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(root: &std::path::Path) -> LeptosOptions {
        LeptosOptions::builder()
            .output_name("keukentafel")
            .site_root(root.to_string_lossy().to_string())
            .site_pkg_dir("pkg")
            .build()
    }

    #[test]
    fn version_follows_file_contents() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("pkg")).unwrap();
        let css = dir.path().join("pkg/keukentafel.css");
        std::fs::write(&css, "body{}").unwrap();
        let versions = AssetVersions::new(&options(dir.path()));
        let first = versions.current();
        assert_eq!(first, versions.current(), "stable while nothing changes");
        std::fs::write(&css, "body{color:red}").unwrap();
        assert_ne!(
            first,
            versions.current(),
            "a deployed change is a new version"
        );
    }

    #[test]
    fn precache_holds_the_shell_and_versioned_assets() {
        let dir = tempfile::tempdir().unwrap();
        let urls = precache_urls(&options(dir.path()), "abc");
        assert!(urls.contains(&"/shell".to_owned()));
        assert!(urls.contains(&"/pkg/keukentafel.wasm?v=abc".to_owned()));
        assert!(urls.contains(&"/pkg/keukentafel.css?v=abc".to_owned()));
        assert!(urls.contains(&"/manifest.webmanifest".to_owned()));
    }
}
