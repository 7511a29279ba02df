//! The lock: once a PIN is set, the app opens locked and locks itself after the idle time the
//! worker chose; the PIN unlocks it offline. Too many wrong PINs block the device's data until
//! an online sign-in. The sign-in page stays reachable while locked.

use crate::store::{self, use_store, Unlock};
use crate::ui::form::TextField;
use leptos::prelude::*;
use leptos_meta::Title;

#[derive(Clone, Copy)]
pub struct LockState {
    pub locked: RwSignal<bool>,
}

impl LockState {
    /// Drops the key and starts the app afresh, locked: no page keeps data on the screen.
    pub fn lock(&self) {
        // Online, the server suspends the session too (the request needs the proof, so first).
        #[cfg(feature = "hydrate")]
        crate::sync::browser::announce_lock();
        store::lock();
        // The lock screen replaces every page at once; the reload also drops what pages hold in
        // memory, unless it would end on the browser's offline page (nothing cached it yet).
        self.locked.set(true);
        #[cfg(feature = "hydrate")]
        crate::pwa::reload_if_it_comes_back();
    }
}

pub fn provide_lock() -> LockState {
    let state = LockState {
        locked: RwSignal::new(false),
    };
    provide_context(state);
    // In the browser only, after hydration (the server renders it unlocked, with no data).
    Effect::new(move |_| {
        state.locked.set(store::is_locked());
        #[cfg(feature = "hydrate")]
        idle::watch(state);
    });
    state
}

pub fn use_lock() -> LockState {
    expect_context::<LockState>()
}

#[cfg(feature = "hydrate")]
mod idle {
    use super::LockState;
    use leptos::prelude::*;
    use std::cell::Cell;

    thread_local! {
        static LAST_ACTIVE: Cell<f64> = Cell::new(js_sys::Date::now());
    }

    pub fn watch(state: LockState) {
        std::mem::forget(window_event_listener(leptos::ev::pointerdown, |_| {
            touched()
        }));
        std::mem::forget(window_event_listener(leptos::ev::keydown, |_| touched()));
        let settings = crate::settings::use_settings();
        let _ = set_interval_with_handle(
            move || {
                let minutes = settings.0.get_untracked().lock_after_minutes.max(1);
                let idle = js_sys::Date::now() - LAST_ACTIVE.get();
                if crate::store::has_pin()
                    && !state.locked.get_untracked()
                    && idle > f64::from(minutes) * 60_000.0
                {
                    state.lock();
                }
            },
            std::time::Duration::from_secs(10),
        );
    }

    pub fn touched() {
        LAST_ACTIVE.set(js_sys::Date::now());
    }
}

/// Shown instead of every page while locked.
#[component]
pub fn LockScreen() -> impl IntoView {
    let lock = use_lock();
    let store = use_store();
    let pin = RwSignal::new(String::new());
    let message = RwSignal::new(None::<String>);
    let blocked = RwSignal::new(store::is_blocked());
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let entered = pin.get_untracked();
        // The key derivation takes about half a second on purpose: show that it works.
        leptos::task::spawn_local(async move {
            let result = store::unlock(&entered).await;
            busy.set(false);
            match result {
                Ok(Unlock::Unlocked) => {
                    pin.set(String::new());
                    message.set(None);
                    #[cfg(feature = "hydrate")]
                    {
                        idle::touched();
                        crate::sync::browser::announce_unlock();
                    }
                    lock.locked.set(false);
                    store.touch();
                }
                Ok(Unlock::Wrong(left)) => {
                    pin.set(String::new());
                    message.set(Some(format!(
                        "Deze pincode klopt niet. Je kunt het nog {left} keer proberen."
                    )));
                }
                Ok(Unlock::Blocked) => blocked.set(true),
                Err(error) => message.set(Some(error.message())),
            }
        });
    };
    view! {
        <Title text="Vergrendeld"/>
        <section class="card lock" aria-labelledby="lock-kop" data-testid="lock-screen">
            <h1 id="lock-kop">"Keukentafel is vergrendeld"</h1>
            <Show
                when=move || !blocked.get()
                fallback=|| view! {
                    <p class="notice notice--error" role="alert" data-testid="lock-blocked">
                        "Te vaak een verkeerde pincode, of de gegevens hier zijn van buiten de app gewijzigd. De gegevens op dit apparaat blijven vergrendeld tot je online opnieuw inlogt."
                    </p>
                    <a class="button button--primary" href="/inloggen">"Inloggen"</a>
                }
            >
                <p>"Vul je pincode in om verder te werken. Dit kan ook zonder verbinding."</p>
                <form class="form" on:submit=submit>
                    <Show when=move || message.with(Option::is_some)>
                        <p class="notice notice--error" role="alert" data-testid="lock-error">{move || message.get().unwrap_or_default()}</p>
                    </Show>
                    <TextField id="pincode" label="Pincode".into() initial=Signal::derive(move || pin.get())
                        on_input=move |v| pin.set(v) input_type="password" autocomplete="off" required=true/>
                    <button class="button button--primary" type="submit" disabled=move || busy.get()>
                        {move || if busy.get() { "Bezig met ontgrendelen…" } else { "Ontgrendelen" }}
                    </button>
                </form>
            </Show>
        </section>
    }
}

/// After the first sign-in on a device: the worker chooses the PIN that encrypts the data here.
#[component]
pub fn PinSetupPage() -> impl IntoView {
    let store = use_store();
    let sync = crate::sync::use_sync();
    let navigate = leptos_router::hooks::use_navigate();
    let first = RwSignal::new(String::new());
    let second = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let pin = first.get_untracked();
        if pin.chars().count() < store::seal::MIN_PIN_LENGTH
            || !pin.chars().all(|c| c.is_ascii_digit())
        {
            error.set(Some(format!(
                "Een pincode heeft minstens {} cijfers.",
                store::seal::MIN_PIN_LENGTH
            )));
            return;
        }
        if pin != second.get_untracked() {
            error.set(Some("De twee pincodes zijn niet gelijk.".into()));
            return;
        }
        busy.set(true);
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            let result = store::set_pin(&pin).await;
            busy.set(false);
            match result {
                Ok(()) => {
                    // Only now, sealed, may the app keep anything and start to sync.
                    store.write(|s| match s.account() {
                        Some(account) => s.save_draft("worker-name", &account.name),
                        None => Ok(()),
                    });
                    sync.sync_now();
                    // In-app navigation: a page load would drop the key just made.
                    navigate("/", Default::default());
                }
                Err(e) => error.set(Some(e.message())),
            }
        });
    };
    view! {
        <Title text="Pincode kiezen"/>
        <h1>"Kies een pincode"</h1>
        <form class="card form" on:submit=submit novalidate=true>
            <p>"Met deze pincode versleutelt Keukentafel de gegevens op dit apparaat. Je ontgrendelt de app er ook mee als je offline bent."</p>
            <Show when=move || error.with(Option::is_some)>
                <p class="notice notice--error" role="alert" data-testid="pin-error">{move || error.get().unwrap_or_default()}</p>
            </Show>
            <TextField id="pincode-nieuw" label="Pincode".into() initial=Signal::derive(move || first.get())
                on_input=move |v| first.set(v) input_type="password" autocomplete="new-password" required=true
                hint="Minstens 6 cijfers"/>
            <TextField id="pincode-herhaal" label="Herhaal de pincode".into() initial=Signal::derive(move || second.get())
                on_input=move |v| second.set(v) input_type="password" autocomplete="new-password" required=true/>
            <button class="button button--primary" type="submit" disabled=move || busy.get()>
                {move || if busy.get() { "Bezig met versleutelen…" } else { "Pincode instellen" }}
            </button>
        </form>
    }
}
