//! The offline shell as the worker sees it: whether the device is online, whether a new
//! version waits, and whether the browser promised to keep our data.
//!
//! Every signal starts with the value the server renders, so hydration matches; the browser
//! then corrects it in an effect.

#[cfg(feature = "hydrate")]
mod browser;
#[cfg(feature = "hydrate")]
pub(crate) use browser::{check_for_update, reload_if_it_comes_back};

use leptos::prelude::*;

/// What the browser answered to `navigator.storage.persist()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Persistence {
    /// Not asked yet (or rendered on the server).
    Unknown,
    /// The browser will not evict our data without asking the user.
    Persistent,
    /// The browser may evict our data when space runs low or the app is unused.
    BestEffort,
    /// This browser has no storage manager.
    Unsupported,
}

impl Persistence {
    pub fn label(self) -> &'static str {
        match self {
            Persistence::Unknown => "Nog niet bekend",
            Persistence::Persistent => "Blijvend: de browser wist de gegevens niet zomaar",
            Persistence::BestEffort => {
                "Niet gegarandeerd: de browser mag gegevens wissen als de ruimte opraakt"
            }
            Persistence::Unsupported => "Deze browser ondersteunt blijvende opslag niet",
        }
    }
}

/// Storage use as the browser estimates it, in bytes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StorageEstimate {
    pub usage: f64,
    pub quota: f64,
}

#[derive(Clone, Copy)]
pub struct PwaState {
    pub online: RwSignal<bool>,
    pub update_ready: RwSignal<bool>,
    pub persistence: RwSignal<Persistence>,
    pub estimate: RwSignal<Option<StorageEstimate>>,
}

impl PwaState {
    /// Activates the waiting version; the page reloads once it has taken over.
    /// Only ever called from the worker's tap, so a form in progress is never thrown away.
    pub fn apply_update(&self) {
        #[cfg(feature = "hydrate")]
        browser::apply_update();
    }

    /// Asks the browser again to keep our data.
    pub fn request_persistence(&self) {
        #[cfg(feature = "hydrate")]
        browser::request_persistence(*self);
    }
}

pub fn provide_pwa_state() -> PwaState {
    let state = PwaState {
        online: RwSignal::new(true),
        update_ready: RwSignal::new(false),
        persistence: RwSignal::new(Persistence::Unknown),
        estimate: RwSignal::new(None),
    };
    provide_context(state);
    // An effect runs only in the browser, after hydration.
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        browser::start(state);
    });
    state
}

pub fn use_pwa_state() -> PwaState {
    expect_context::<PwaState>()
}
