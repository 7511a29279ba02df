//! The pages that are not on the first screen, each in a wasm chunk of its own: the browser
//! loads a page's code when it is first opened (`cargo leptos build --split`), and the service
//! worker keeps every chunk, so each still opens offline after one online visit. What a worker
//! needs first at a front door (Vandaag, a new contact, the quick scan, sign-in and unlock)
//! stays in the first chunk: see the routes in `lib.rs`. A quick question without a resident
//! (`/contact/anoniem`) is a chunk too: the contact most often made is one with a resident.
//! (A sync's code is a chunk of its own too: `sync::browser::sync_engine`.)

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::LazyRoute;

/// `$route`: a route whose view is `$page`, loaded lazily from the split point `$split` (the
/// chunk's name in the split manifest); `$prefix` is the start of its path up to the first
/// parameter (`/gesprek/:id` → "gesprek"), for [`preload`]. Each is a chunk of its own.
///
/// Written out rather than with `#[lazy_route]`, whose load panics when the chunk cannot be
/// fetched (offline before the service worker holds it): the previous page stayed with no
/// word why, and a panic leaves what it was doing half done. A `fallible` split point shows
/// [`PageNotOnDevice`] instead.
macro_rules! lazy_pages {
    ($($route:ident ($split:ident, $prefix:literal) => $page:path),* $(,)?) => {
        $(
            pub struct $route;

            mod $split {
                use leptos::prelude::*;

                #[cfg_attr(feature = "hydrate", leptos::wasm_split::wasm_split(
                    $split, wasm_split_path = ::leptos::wasm_split, fallible, preload(load)
                ))]
                pub fn page() -> Result<AnyView, leptos::wasm_split::SplitLoaderError> {
                    Ok($page().into_any())
                }
            }

            impl LazyRoute for $route {
                fn data() -> Self {
                    $route
                }

                async fn view(_this: Self) -> AnyView {
                    #[cfg(feature = "hydrate")]
                    let page = $split::page().await;
                    // The server names the chunk in the page's preloads.
                    #[cfg(not(feature = "hydrate"))]
                    let page = {
                        leptos::prefetch_lazy_fn_on_server(stringify!($split));
                        $split::page()
                    };
                    page.unwrap_or_else(|_| PageNotOnDevice().into_any())
                }

                async fn preload() {
                    // A chunk that cannot be fetched is said when the page is drawn.
                    #[cfg(feature = "hydrate")]
                    let _ = $split::load().await;
                }
            }
        )*

        /// Loads the chunk of the page at `path`, when it is one of these. Hydration calls this
        /// first, so that it then finds the page's code present and completes in one go: while
        /// it waited for a chunk, the frame's effects would run and could change what the page
        /// draws (the storage state, the loaded store), which would then not match the
        /// server's HTML. A lazy route missing here still works; it hydrates in two steps.
        /// False when the chunk could not be fetched.
        #[cfg(feature = "hydrate")]
        pub async fn preload(path: &str) -> bool {
            let path = path.trim_start_matches('/');
            let under = |prefix: &str| {
                path.strip_prefix(prefix)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
            };
            $(
                if under($prefix) {
                    return $split::load().await.is_ok();
                }
            )*
            true
        }
    };
}

/// In place of a page whose chunk could not be fetched: most often no connection before the
/// service worker holds it, sometimes a connection that dropped or a server mid-deploy. Says so; trying again reloads when a reload can come back (online,
/// or the service worker has taken over since), and otherwise says there is still no connection.
#[component]
fn PageNotOnDevice() -> impl IntoView {
    let still_offline = RwSignal::new(false);
    let try_again = move |_| {
        #[cfg(feature = "hydrate")]
        if crate::pwa::reload_if_it_comes_back() {
            return;
        }
        still_offline.set(true);
    };
    view! {
        <Title text="Pagina nog niet geladen"/>
        <div data-testid="page-not-on-device">
            <h1>"Deze pagina is nog niet geladen"</h1>
            <p>
                "Deze pagina staat nog niet op dit apparaat en kon niet worden opgehaald. "
                "Wat je hebt ingevoerd is bewaard. Met verbinding opent de pagina wel, en daarna ook offline."
            </p>
            <p role="status" class="hint">
                {move || still_offline.get().then_some("Nog steeds geen verbinding. Probeer het opnieuw als er verbinding is.")}
            </p>
            <div class="actions">
                <button class="button button--primary" on:click=try_again>"Opnieuw proberen"</button>
                <leptos_router::components::A href="/" attr:class="button button--secondary">"Naar Vandaag"</leptos_router::components::A>
            </div>
        </div>
    }
}

lazy_pages! {
    NewSignal (new_signal_page, "signaal") => crate::features::signals::NewSignalPage,
    AnonymousContact (anonymous_contact_page, "contact/anoniem") => crate::features::contact::AnonymousContactPage,
    Conversation (conversation_page, "gesprek") => crate::features::conversation::ConversationPage,
    Household (household_page, "huishouden") => crate::features::household::HouseholdPage,
    Plan (plan_page, "plan") => crate::features::plan::PlanPage,
    Report (report_page, "verslag") => crate::features::report::ReportPage,
    About (about_page, "over") => crate::features::about::AboutPage,
    Conflicts (conflicts_page, "conflicten") => crate::sync::ConflictsPage,
    Rejected (rejected_page, "niet-verwerkt") => crate::sync::RejectedPage,
    ChangePassword (change_password_page, "wachtwoord") => crate::features::account::ChangePasswordPage,
    SecondFactor (second_factor_page, "tweestaps") => crate::features::second_factor::SecondFactorPage,
    AuditLog (audit_log_page, "auditlog") => crate::features::audit_log::AuditLogPage,
    Accounts (accounts_page, "accounts") => crate::features::accounts::AccountsPage,
    Figures (figures_page, "cijfers") => crate::features::figures::FiguresPage,
    Caseload (caseload_page, "caseload") => crate::features::caseload::CaseloadPage,
    Tray (tray_page, "werkvoorraad") => crate::features::tray::TrayPage,
    Agenda (agenda_page, "agenda") => crate::features::agenda::AgendaPage,
    SignalInbox (signal_inbox_page, "signalen") => crate::features::signals::SignalInboxPage,
    SocialMapAdmin (social_map_admin_page, "sociale-kaart") => crate::features::reference_data::SocialMapPage,
    SocialMapSearch (social_map_search_page, "wegwijzer") => crate::features::social_map_page::SocialMapSearchPage,
    Templates (templates_page, "sjablonen") => crate::features::reference_data::TemplatesPage,
    ZgwQueue (zgw_queue_page, "zaaksysteem") => crate::features::zgw_queue::ZgwQueuePage,
}
