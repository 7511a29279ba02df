//! The `<head>` shared by server-rendered pages and the offline client shell.

use leptos::prelude::*;

/// The version of the deployed assets (a content hash the server computes). It is put in every
/// asset URL so that the HTML, the wasm and the CSS of one build always travel together, in the
/// browser cache and in the service worker's cache alike.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssetVersion(pub String);

/// The URLs of the built assets of one version. The version is a folder, not a query: the JS
/// and the split chunks name each other by relative paths (`./keukentafel.js`,
/// `./__wasm_split….js`, `./<chunk>.wasm`), and a module imported under two URLs would run
/// twice, so every file of one build must resolve inside one folder.
pub struct AssetUrls {
    /// `/pkg/<version>`, or `/pkg` when no version is known.
    pub base: String,
    pub js: String,
    pub wasm: String,
    pub css: String,
}

impl AssetUrls {
    pub fn new(options: &LeptosOptions, version: &str) -> Self {
        let base = if version.is_empty() {
            format!("/{}", options.site_pkg_dir)
        } else {
            format!("/{}/{version}", options.site_pkg_dir)
        };
        let name = &options.output_name;
        Self {
            js: format!("{base}/{name}.js"),
            wasm: format!("{base}/{name}.wasm"),
            css: format!("{base}/{name}.css"),
            base,
        }
    }

    /// The URL of another built file of this version (a split chunk).
    pub fn file(&self, name: &str) -> String {
        format!("{}/{name}", self.base)
    }
}

pub const THEME_COLOUR: &str = "#1b4f8a";

/// The query parameter that asks the service worker for the complete version it holds (the
/// server's assets could not start the app, e.g. while a new build is put in place).
pub const CACHED_VERSION_PARAM: &str = "kt-cache";

/// The inline module that loads the wasm and calls its `hydrate` export (which mounts instead
/// in the client shell). It carries the page's nonce, which the CSP allows. When the assets
/// cannot be loaded (a build half in place answers 404), the page opens again from the
/// service worker's complete earlier version; without one, it says so in words.
pub fn boot_script(urls: &AssetUrls) -> String {
    format!(
        r#"const param = "{param}";
import("{js}").then((m) => m.default({{ module_or_path: "{wasm}" }}).then(() => {{
  m.hydrate();
  const opened = new URL(location.href);
  if (opened.searchParams.has(param)) {{
    opened.searchParams.delete(param);
    history.replaceState(history.state, "", opened);
  }}
}})).catch((error) => {{
  console.error("Keukentafel could not start", error);
  const url = new URL(location.href);
  if (navigator.serviceWorker && navigator.serviceWorker.controller && !url.searchParams.has(param)) {{
    url.searchParams.set(param, "1");
    location.replace(url);
    return;
  }}
  const note = document.createElement("p");
  note.className = "boot-failed";
  note.setAttribute("role", "alert");
  note.textContent = "Keukentafel kan nu niet starten: er wordt een nieuwe versie geplaatst of de verbinding viel weg. Probeer het over een minuut opnieuw.";
  const again = document.createElement("button");
  again.type = "button";
  again.className = "button button--primary";
  again.textContent = "Opnieuw proberen";
  again.addEventListener("click", () => location.reload());
  note.append(again);
  document.body.prepend(note);
}});"#,
        param = CACHED_VERSION_PARAM,
        js = urls.js,
        wasm = urls.wasm
    )
}

#[component]
pub fn AppHead(options: LeptosOptions) -> impl IntoView {
    let version = use_context::<AssetVersion>()
        .map(|v| v.0)
        .unwrap_or_default();
    let urls = AssetUrls::new(&options, &version);
    let boot = boot_script(&urls);
    view! {
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta name="theme-color" content=THEME_COLOUR/>
        <meta name="keukentafel-build" content=version/>
        <link rel="manifest" href="/manifest.webmanifest"/>
        <link rel="icon" href="/icons/icon.svg" type="image/svg+xml"/>
        <link rel="apple-touch-icon" href="/icons/icon-192.png"/>
        <link rel="stylesheet" href=urls.css/>
        <link rel="modulepreload" href=urls.js/>
        <link rel="preload" href=urls.wasm r#as="fetch" r#type="application/wasm" crossorigin=""/>
        <script type="module" nonce=leptos::nonce::use_nonce() inner_html=boot></script>
    }
}
