//! The offline shell on the server side: the asset version, the service worker script and the
//! route-agnostic client shell it caches.

use crate::AppState;
use app::{head::AssetUrls, AssetVersion};
use axum::{
    extract::State,
    http::header,
    response::{IntoResponse, Response},
};
use leptos::prelude::{ArcStoredValue, LeptosOptions};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
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

/// Every file of a version as it looked on disk.
type Stamps = Vec<(PathBuf, FileStamp)>;

/// The content hash of the deployed assets, recomputed when a file changes on disk, so that a
/// deploy of new files is noticed without a restart.
pub struct AssetVersions {
    site_root: PathBuf,
    pkg: PathBuf,
    cached: Mutex<Option<(Stamps, String)>>,
}

impl AssetVersions {
    pub fn new(options: &LeptosOptions) -> Self {
        Self {
            site_root: PathBuf::from(options.site_root.as_ref()),
            pkg: PathBuf::from(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref()),
            cached: Mutex::new(None),
        }
    }

    /// Every file of the deployed version: the built ones (the JS, the wasm and its split
    /// chunks, the CSS), then the shell's static files.
    fn files(&self) -> Vec<PathBuf> {
        built_files(&self.pkg)
            .into_iter()
            .map(|name| self.pkg.join(name))
            .chain(
                STATIC_SHELL_FILES
                    .iter()
                    .map(|p| self.site_root.join(&p[1..])),
            )
            .collect()
    }

    pub fn current(&self) -> AssetVersion {
        let stamps: Stamps = self
            .files()
            .into_iter()
            .map(|f| {
                let stamp = std::fs::metadata(&f)
                    .ok()
                    .map(|m| (m.modified().unwrap_or(SystemTime::UNIX_EPOCH), m.len()));
                (f, stamp)
            })
            .collect();
        let mut cached = self.cached.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((seen, version)) = cached.as_ref() {
            if *seen == stamps {
                return AssetVersion(version.clone());
            }
        }
        let version = hash(stamps.iter().map(|(f, _)| f));
        *cached = Some((stamps, version.clone()));
        AssetVersion(version)
    }
}

fn hash<'a>(files: impl Iterator<Item = &'a PathBuf>) -> String {
    let mut hasher = Sha256::new();
    hasher.update(shared::APP_VERSION.as_bytes());
    for file in files {
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

/// The names of the built files in `pkg` (JS, wasm, CSS; not their compressed copies), sorted.
pub fn built_files(pkg: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(pkg)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter(|name| {
            [".js", ".wasm", ".css"]
                .iter()
                .any(|ext| name.ends_with(ext))
        })
        .collect();
    names.sort();
    names
}

/// The URLs the service worker caches at install: everything the shell needs to start offline,
/// every split chunk included, so that every page opens offline after one online visit.
pub fn precache_urls(options: &LeptosOptions, version: &str) -> Vec<String> {
    let urls = AssetUrls::new(options, version);
    let pkg = PathBuf::from(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
    let mut built: Vec<String> = vec![urls.js.clone(), urls.wasm.clone(), urls.css.clone()];
    for name in built_files(&pkg) {
        let url = urls.file(&name);
        if !built.contains(&url) {
            built.push(url);
        }
    }
    std::iter::once(CLIENT_SHELL_PATH.to_owned())
        .chain(built)
        .chain(STATIC_SHELL_FILES.iter().map(|s| s.to_string()))
        .collect()
}

/// The file that loads split chunks (cargo-leptos names it so when it does not hash file names).
const SPLIT_LOADER: &str = "__wasm_split.______________________.js";

/// Lets the page renderer name the chunks of the route it renders in `<link rel="preload">`, so
/// that the browser fetches them beside the main wasm rather than after it (leptos reads this
/// context; cargo-leptos writes the manifest when it splits). Without a manifest: no preloads.
/// The manifest is read once per version, not on every page.
pub fn provide_split_manifest(options: &LeptosOptions, version: &str) {
    static READ: Mutex<Option<(String, Option<leptos::WasmSplitManifest>)>> = Mutex::new(None);
    let mut read = READ.lock().unwrap_or_else(|p| p.into_inner());
    if read.as_ref().map(|(v, _)| v.as_str()) != Some(version) {
        *read = Some((version.to_owned(), split_manifest(options, version)));
    }
    if let Some((_, Some(manifest))) = read.as_ref() {
        leptos::prelude::provide_context(manifest.clone());
    }
}

fn split_manifest(options: &LeptosOptions, version: &str) -> Option<leptos::WasmSplitManifest> {
    let pkg = PathBuf::from(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
    let text = std::fs::read_to_string(pkg.join("__wasm_split_manifest.json")).ok()?;
    let chunks = serde_json::from_str::<HashMap<String, Vec<String>>>(&text).ok()?;
    let base = AssetUrls::new(options, version).base;
    Some(leptos::WasmSplitManifest(ArcStoredValue::new((
        base,
        chunks,
        SPLIT_LOADER.to_owned(),
    ))))
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
    fn precache_holds_the_shell_and_every_built_file_of_the_version() {
        let dir = tempfile::tempdir().unwrap();
        let pkg = dir.path().join("pkg");
        std::fs::create_dir_all(&pkg).unwrap();
        for name in [
            "keukentafel.js",
            "__wasm_split.abc.js",
            "chunk_1.wasm",
            "chunk_1.wasm.br",
        ] {
            std::fs::write(pkg.join(name), "x").unwrap();
        }
        let urls = precache_urls(&options(dir.path()), "abc");
        assert!(urls.contains(&"/shell".to_owned()));
        assert!(urls.contains(&"/pkg/abc/keukentafel.wasm".to_owned()));
        assert!(urls.contains(&"/pkg/abc/keukentafel.css".to_owned()));
        assert!(urls.contains(&"/pkg/abc/__wasm_split.abc.js".to_owned()));
        assert!(urls.contains(&"/pkg/abc/chunk_1.wasm".to_owned()));
        assert!(!urls.iter().any(|u| u.ends_with(".br")), "{urls:?}");
        assert_eq!(
            urls.iter()
                .filter(|u| u.ends_with("keukentafel.js"))
                .count(),
            1
        );
        assert!(urls.contains(&"/manifest.webmanifest".to_owned()));
    }

    #[test]
    fn a_new_chunk_is_a_new_version() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("pkg")).unwrap();
        std::fs::write(dir.path().join("pkg/keukentafel.css"), "body{}").unwrap();
        let versions = AssetVersions::new(&options(dir.path()));
        let first = versions.current();
        std::fs::write(dir.path().join("pkg/chunk_2.wasm"), "x").unwrap();
        assert_ne!(first, versions.current());
    }
}
