//! The pages that are not on the first screen, each in a wasm chunk of its own: the browser
//! loads a page's code when it is first opened (`cargo leptos build --split`), and the service
//! worker keeps every chunk, so each still opens offline after one online visit. What a worker
//! needs first at a front door (Vandaag, a new contact, the quick scan, sign-in and unlock)
//! stays in the first chunk: see the routes in `lib.rs`. A quick question without a resident
//! (`/contact/anoniem`) is a chunk too: the contact most often made is one with a resident.
//! (A sync's code is a chunk of its own too: `sync::browser::sync_engine`.)

use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

/// `$route`: a route whose view is `$page`, loaded lazily; `$prefix` is the start of its path
/// up to the first parameter (`/gesprek/:id` → "gesprek"), for [`preload`]. Each expands to
/// its own split point (named after the route), so each page is a chunk of its own.
macro_rules! lazy_pages {
    ($($route:ident ($prefix:literal) => $page:path),* $(,)?) => {
        $(
            pub struct $route;

            #[lazy_route]
            impl LazyRoute for $route {
                fn data() -> Self {
                    $route
                }

                fn view(_this: Self) -> AnyView {
                    $page().into_any()
                }
            }
        )*

        /// Loads the chunk of the page at `path`, when it is one of these. Hydration calls this
        /// first, so that it then finds the page's code present and completes in one go: while
        /// it waited for a chunk, the frame's effects would run and could change what the page
        /// draws (the storage state, the loaded store), which would then not match the
        /// server's HTML. A lazy route missing here still works; it hydrates in two steps.
        #[cfg(feature = "hydrate")]
        pub async fn preload(path: &str) {
            let path = path.trim_start_matches('/');
            let under = |prefix: &str| {
                path.strip_prefix(prefix)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
            };
            $(
                if under($prefix) {
                    return <$route as LazyRoute>::preload().await;
                }
            )*
        }
    };
}

lazy_pages! {
    NewSignal ("signaal") => crate::features::signals::NewSignalPage,
    AnonymousContact ("contact/anoniem") => crate::features::contact::AnonymousContactPage,
    Conversation ("gesprek") => crate::features::conversation::ConversationPage,
    Household ("huishouden") => crate::features::household::HouseholdPage,
    Plan ("plan") => crate::features::plan::PlanPage,
    Report ("verslag") => crate::features::report::ReportPage,
    About ("over") => crate::features::about::AboutPage,
    Conflicts ("conflicten") => crate::sync::ConflictsPage,
    Rejected ("niet-verwerkt") => crate::sync::RejectedPage,
    ChangePassword ("wachtwoord") => crate::features::account::ChangePasswordPage,
    SecondFactor ("tweestaps") => crate::features::second_factor::SecondFactorPage,
    AuditLog ("auditlog") => crate::features::audit_log::AuditLogPage,
    Accounts ("accounts") => crate::features::accounts::AccountsPage,
    Figures ("cijfers") => crate::features::figures::FiguresPage,
    Caseload ("caseload") => crate::features::caseload::CaseloadPage,
    Tray ("werkvoorraad") => crate::features::tray::TrayPage,
    Agenda ("agenda") => crate::features::agenda::AgendaPage,
    SignalInbox ("signalen") => crate::features::signals::SignalInboxPage,
    SocialMapAdmin ("sociale-kaart") => crate::features::reference_data::SocialMapPage,
    SocialMapSearch ("wegwijzer") => crate::features::social_map_page::SocialMapSearchPage,
    Templates ("sjablonen") => crate::features::reference_data::TemplatesPage,
    ZgwQueue ("zaaksysteem") => crate::features::zgw_queue::ZgwQueuePage,
}
