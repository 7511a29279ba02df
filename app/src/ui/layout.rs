use crate::pwa::use_pwa_state;
use leptos::prelude::*;
use leptos_router::components::A;

/// The frame of every screen: skip link, header with the connection state, navigation, the
/// update notice, and the page itself.
#[component]
pub fn AppLayout(children: ChildrenFn) -> impl IntoView {
    let store = crate::store::use_store();
    let has_role = move |role: shared::model::Role| {
        store
            .read(|s| s.account())
            .flatten()
            .is_some_and(|a| a.role == role)
    };
    let is_privacy_officer = move || has_role(shared::model::Role::PrivacyOfficer);
    let is_administrator = move || has_role(shared::model::Role::Administrator);
    let is_coordinator = move || has_role(shared::model::Role::Coordinator);
    let works_with_residents = move || {
        store
            .read(|s| s.account())
            .flatten()
            .is_some_and(|a| a.role.works_with_residents())
    };
    // Until the app has started, a server-rendered control does nothing: a choice made or a
    // word typed then would be lost (seen with the caseload's regisseur on a slow machine). So
    // the page is inert until then (the page's own chunk included), and says so.
    let (started, set_started) = signal(false);
    Effect::new(move |_| crate::started::when_started(move || set_started.set(true)));
    view! {
        <a class="skip-link" href="#inhoud">"Naar de inhoud"</a>
        <header class="app-header">
            <div class="app-header__brand">
                <img class="app-header__logo" src="/icons/icon.svg" alt="" width="32" height="32"/>
                <span class="app-header__name">"Keukentafel"</span>
            </div>
            <ConnectionBadge/>
        </header>
        <nav class="app-nav" aria-label="Hoofdmenu">
            <A href="/" exact=true>"Vandaag"</A>
            <A href="/contact/nieuw">"Nieuw contact"</A>
            <Show when=move || works_with_residents()>
                <A href="/agenda">"Agenda"</A>
                <A href="/werkvoorraad">"Werkvoorraad"</A>
                <A href="/signalen">"Signalen"</A>
                <A href="/wegwijzer">"Sociale kaart"</A>
            </Show>
            <A href="/over">"Over deze app"</A>
            <Show when=move || is_coordinator()>
                <A href="/caseload">"Caseload"</A>
                <A href="/cijfers">"Cijfers"</A>
            </Show>
            <Show when=move || is_privacy_officer()>
                <A href="/auditlog">"Auditlog"</A>
            </Show>
            <Show when=move || is_administrator()>
                <A href="/accounts">"Accounts"</A>
                <A href="/sociale-kaart">"Sociale kaart"</A>
                <A href="/sjablonen">"Sjablonen"</A>
                <A href="/zaaksysteem">"Zaaksysteem"</A>
            </Show>
        </nav>
        <p class="app-starting" role="status" hidden=started>"De app wordt gestart…"</p>
        <div class="app-body" inert=move || !started.get()>
        <crate::sync::SyncStatus/>
        <UpdateNotice/>
        <StoreErrorNotice/>
        <main id="inhoud" class="app-main" tabindex="-1" aria-busy=move || (!started.get()).then_some("true")>
            // Locked: no page shows data until the PIN is entered (signing in stays possible).
            // Signed out or without a PIN: no page that could store a resident's data.
            {
                let lock = crate::lock::use_lock();
                let location = leptos_router::hooks::use_location();
                let gate = Memo::new(move |_| gate(store, lock, location.pathname.get()));
                // A new gate mounts the page afresh, so it reads the data it could not read before.
                move || match gate.get() {
                    Gate::Open => children().into_any(),
                    Gate::Locked => view! { <crate::lock::LockScreen/> }.into_any(),
                    Gate::SignIn => view! { <SignInFirst/> }.into_any(),
                    Gate::Pin => view! { <crate::lock::PinSetupPage/> }.into_any(),
                }
            }
        </main>
        </div>
    }
}

/// What the page area shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gate {
    Open,
    Locked,
    SignIn,
    Pin,
}

/// Pages that hold no resident data and must stay reachable signed out or locked.
const OPEN_PATHS: [&str; 5] = [
    "/inloggen",
    "/over",
    "/pincode",
    "/wachtwoord",
    "/tweestaps",
];

fn gate(store: crate::store::StoreState, lock: crate::lock::LockState, path: String) -> Gate {
    // On the server and until hydration the store is not read: both render the page.
    if !store.is_ready() {
        return Gate::Open;
    }
    if lock.locked.get() {
        return if path == "/inloggen" {
            Gate::Open
        } else {
            Gate::Locked
        };
    }
    if OPEN_PATHS.contains(&path.as_str()) {
        return Gate::Open;
    }
    match store.read(|s| (s.account().is_some(), crate::store::has_pin())) {
        Some((false, _)) => Gate::SignIn,
        Some((true, false)) => Gate::Pin,
        _ => Gate::Open,
    }
}

/// Shown instead of every page with resident data while nobody is signed in.
#[component]
fn SignInFirst() -> impl IntoView {
    view! {
        <leptos_meta::Title text="Inloggen nodig"/>
        <section class="card" aria-labelledby="inloggen-nodig" data-testid="sign-in-first">
            <h1 id="inloggen-nodig">"Log eerst in"</h1>
            <p>"Keukentafel bewaart pas gegevens van inwoners op dit apparaat als je bent ingelogd en een pincode hebt gekozen. Zo blijven ze versleuteld, ook als het apparaat kwijtraakt."</p>
            <a class="button button--primary" href="/inloggen">"Inloggen"</a>
        </section>
    }
}

/// Online or offline, in words and not only in colour.
#[component]
fn ConnectionBadge() -> impl IntoView {
    let pwa = use_pwa_state();
    view! {
        <p
            class="connection"
            class:connection--offline=move || !pwa.online.get()
            role="status"
            data-testid="connection"
        >
            <span class="connection__dot" aria-hidden="true"></span>
            {move || if pwa.online.get() { "Online" } else { "Offline: je werk wordt op dit apparaat bewaard" }}
        </p>
    }
}

/// Offered, never forced: reloading in the middle of a conversation would lose the moment.
#[component]
fn UpdateNotice() -> impl IntoView {
    let pwa = use_pwa_state();
    view! {
        <Show when=move || pwa.update_ready.get()>
            <div class="notice notice--info" role="status" data-testid="update-notice">
                <p class="notice__text">
                    <strong>"Nieuwe versie beschikbaar."</strong>
                    " Rond eerst af waar je mee bezig bent; je invoer blijft bewaard."
                </p>
                <button class="button button--primary" on:click=move |_| pwa.apply_update()>
                    "Nu bijwerken"
                </button>
            </div>
        </Show>
    }
}

/// A write that failed (a full device): said in words, while the form keeps its text.
#[component]
fn StoreErrorNotice() -> impl IntoView {
    let store = crate::store::use_store();
    view! {
        <Show when=move || store.error.with(Option::is_some)>
            <div class="notice notice--error" role="alert" data-testid="store-error">
                <p class="notice__text">{move || store.error.get().unwrap_or_default()}</p>
            </div>
        </Show>
    }
}
