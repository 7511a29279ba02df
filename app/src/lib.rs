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
pub mod pwa;
pub mod reference;
pub mod settings;
pub mod store;
pub mod sync;
pub mod ui;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path,
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
                    <Route path=path!("/") view=features::today::TodayPage/>
                    <Route path=path!("/over") view=features::about::AboutPage/>
                    <Route path=path!("/contact/nieuw") view=features::contact::NewContactPage/>
                    <Route path=path!("/contact/anoniem") view=features::contact::AnonymousContactPage/>
                    <Route path=path!("/vraagverkenning/:id") view=features::quick_scan::QuickScanPage/>
                    <Route path=path!("/gesprek/:id") view=features::conversation::ConversationPage/>
                    <Route path=path!("/huishouden/:id") view=features::household::HouseholdPage/>
                    <Route path=path!("/plan/:id") view=features::plan::PlanPage/>
                    <Route path=path!("/verslag/:id") view=features::report::ReportPage/>
                    <Route path=path!("/conflicten") view=sync::ConflictsPage/>
                    <Route path=path!("/niet-verwerkt") view=sync::RejectedPage/>
                    <Route path=path!("/inloggen") view=features::account::SignInPage/>
                    <Route path=path!("/pincode") view=lock::PinSetupPage/>
                    <Route path=path!("/wachtwoord") view=features::account::ChangePasswordPage/>
                    <Route path=path!("/tweestaps") view=features::second_factor::SecondFactorPage/>
                    <Route path=path!("/auditlog") view=features::audit_log::AuditLogPage/>
                    <Route path=path!("/accounts") view=features::accounts::AccountsPage/>
                    <Route path=path!("/cijfers") view=features::figures::FiguresPage/>
                    <Route path=path!("/caseload") view=features::caseload::CaseloadPage/>
                    <Route path=path!("/werkvoorraad") view=features::tray::TrayPage/>
                    <Route path=path!("/agenda") view=features::agenda::AgendaPage/>
                    <Route path=path!("/signalen") view=features::signals::SignalInboxPage/>
                    <Route path=path!("/signaal/nieuw") view=features::signals::NewSignalPage/>
                    <Route path=path!("/sociale-kaart") view=features::reference_data::SocialMapPage/>
                    <Route path=path!("/wegwijzer") view=features::social_map_page::SocialMapSearchPage/>
                    <Route path=path!("/sjablonen") view=features::reference_data::TemplatesPage/>
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
    } else {
        leptos::mount::hydrate_body(App);
    }
    // Lets start-up be timed from outside (bench/, Playwright).
    if let Some(performance) = window().performance() {
        let _ = performance.mark("hydrated");
    }
}
