//! Device preferences of the worker (not resident data): kept in local storage, applied to the
//! whole document.

use crate::store::StoreState;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Larger text helps on a tablet in daylight or for a resident reading along.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextSize {
    #[default]
    Normal,
    Large,
}

impl TextSize {
    pub fn as_attr(self) -> &'static str {
        match self {
            TextSize::Normal => "normal",
            TextSize::Large => "large",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    pub text_size: TextSize,
    /// The app locks itself after this many minutes without a tap or key (once a PIN is set).
    #[serde(default = "default_lock_minutes")]
    pub lock_after_minutes: u32,
}

fn default_lock_minutes() -> u32 {
    5
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            text_size: TextSize::default(),
            lock_after_minutes: default_lock_minutes(),
        }
    }
}

/// Stored beside the device store's records (see `store::migrate`).
const DRAFT_NAME: &str = "settings";

#[derive(Clone, Copy)]
pub struct SettingsState(pub RwSignal<Settings>);

pub fn provide_settings(store: StoreState) -> SettingsState {
    // Starts from the default on both sides so hydration matches; the stored value follows.
    let state = SettingsState(RwSignal::new(Settings::default()));
    provide_context(state);
    Effect::new(move |_| {
        if let Some(Some(stored)) = untrack(|| store.read(|s| s.draft::<Settings>(DRAFT_NAME))) {
            state.0.set(stored);
        }
    });
    // Applies and stores every change after the first (loaded) value.
    Effect::new(move |previous: Option<Settings>| {
        let settings = state.0.get();
        #[cfg(feature = "hydrate")]
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-text-size", settings.text_size.as_attr());
        }
        if previous.is_some() && previous != Some(settings) {
            store.write(|s| s.save_draft(DRAFT_NAME, &settings));
        }
        settings
    });
    state
}

pub fn use_settings() -> SettingsState {
    expect_context::<SettingsState>()
}
