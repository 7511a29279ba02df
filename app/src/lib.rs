#![recursion_limit = "256"]
//! Keukentafel's user interface.
//!
//! The same components render on the server (feature `ssr`) and hydrate in the browser
//! (feature `hydrate`). Offline, the service worker serves a route-agnostic client shell
//! (see [`client_shell`]) and the app mounts client-side instead of hydrating.

pub mod clock;
pub mod features;
pub mod head;
pub mod lock;
mod pages;
pub mod paint;
pub mod pwa;
pub mod reference;
pub mod settings;
pub mod started;
pub mod store;
pub mod sync;
pub mod ui;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, Lazy,
};

pub use head::{AppHead, AssetVersion};

/// The HTML document of a server-rendered route; the browser hydrates it.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="nl">
            <head>
                <AppHead options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The route-agnostic document the service worker serves for any navigation it cannot get from
/// the network. Its body is empty, so the browser mounts the app client-side at whatever URL it
/// is on: hydrating another route's cached HTML would not match.
pub fn client_shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="nl">
            <head>
                <AppHead options/>
                <title>"Keukentafel"</title>
            </head>
            <body data-mount="client">
                <p class="boot-message">"Keukentafel wordt geopend…"</p>
                <noscript>"Keukentafel heeft JavaScript nodig."</noscript>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    pwa::provide_pwa_state();
    let store = store::provide_store();
    settings::provide_settings(store);
    sync::provide_sync();
    lock::provide_lock();

    view! {
        <Title formatter=|page: String| {
            if page.is_empty() { "Keukentafel".to_owned() } else { format!("{page} · Keukentafel") }
        }/>
        <Router>
            <ui::AppLayout>
                <Routes fallback=features::not_found::NotFoundPage>
                    // The first screen: what a worker needs at a front door, offline, first.
                    <Route path=path!("/") view=features::today::TodayPage/>
                    <Route path=path!("/contact/nieuw") view=features::contact::NewContactPage/>
                    <Route path=path!("/vraagverkenning/:id") view=features::quick_scan::QuickScanPage/>
                    <Route path=path!("/inloggen") view=features::account::SignInPage/>
                    <Route path=path!("/pincode") view=lock::PinSetupPage/>
                    // The rest in chunks of their own, loaded when opened; the service worker
                    // keeps every chunk, so each of these opens offline too.
                    <Route path=path!("/contact/anoniem") view={Lazy::<pages::AnonymousContact>::new()}/>
                    <Route path=path!("/signaal/nieuw") view={Lazy::<pages::NewSignal>::new()}/>
                    <Route path=path!("/gesprek/:id") view={Lazy::<pages::Conversation>::new()}/>
                    <Route path=path!("/huishouden/:id") view={Lazy::<pages::Household>::new()}/>
                    <Route path=path!("/plan/:id") view={Lazy::<pages::Plan>::new()}/>
                    <Route path=path!("/verslag/:id") view={Lazy::<pages::Report>::new()}/>
                    <Route path=path!("/over") view={Lazy::<pages::About>::new()}/>
                    <Route path=path!("/conflicten") view={Lazy::<pages::Conflicts>::new()}/>
                    <Route path=path!("/niet-verwerkt") view={Lazy::<pages::Rejected>::new()}/>
                    <Route path=path!("/wachtwoord") view={Lazy::<pages::ChangePassword>::new()}/>
                    <Route path=path!("/tweestaps") view={Lazy::<pages::SecondFactor>::new()}/>
                    <Route path=path!("/auditlog") view={Lazy::<pages::AuditLog>::new()}/>
                    <Route path=path!("/accounts") view={Lazy::<pages::Accounts>::new()}/>
                    <Route path=path!("/cijfers") view={Lazy::<pages::Figures>::new()}/>
                    <Route path=path!("/caseload") view={Lazy::<pages::Caseload>::new()}/>
                    <Route path=path!("/werkvoorraad") view={Lazy::<pages::Tray>::new()}/>
                    <Route path=path!("/agenda") view={Lazy::<pages::Agenda>::new()}/>
                    <Route path=path!("/signalen") view={Lazy::<pages::SignalInbox>::new()}/>
                    <Route path=path!("/sociale-kaart") view={Lazy::<pages::SocialMapAdmin>::new()}/>
                    <Route path=path!("/wegwijzer") view={Lazy::<pages::SocialMapSearch>::new()}/>
                    <Route path=path!("/sjablonen") view={Lazy::<pages::Templates>::new()}/>
                    <Route path=path!("/zaaksysteem") view={Lazy::<pages::ZgwQueue>::new()}/>
                </Routes>
            </ui::AppLayout>
        </Router>
    }
}

/// Entry point called by the boot script in [`AppHead`] once the wasm module is loaded.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    let body = document().body().expect("a document has a body");
    if body.get_attribute("data-mount").as_deref() == Some("client") {
        body.set_inner_html("");
        body.remove_attribute("data-mount").ok();
        leptos::mount::mount_to_body(App);
        started::mark_started();
    } else {
        // A page whose route is in a chunk of its own hydrates once that chunk is loaded. When
        // it cannot be fetched, the server's page cannot be hydrated (the code that drew it is
        // missing): the app draws the page itself, which then says the page is not loaded.
        wasm_bindgen_futures::spawn_local(async move {
            let path = window().location().pathname().unwrap_or_default();
            if pages::preload(&path).await {
                leptos::mount::hydrate_from_async(body, App).await.forget();
            } else {
                body.set_inner_html("");
                leptos::mount::mount_to_body(App);
            }
            started::mark_started();
        });
    }
}
