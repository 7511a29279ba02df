//! The catalogue the screens use: templates and the social map as of this device's last sync
//! (docs/reference-data.md), or what the app ships with before that. Records name the template
//! version they were made with; `catalogue().quick_scan_or_current(version)` finds it.

use shared::reference::{Catalogue, ReferenceData};
use std::cell::Cell;

thread_local! {
    /// Built once per reference version; the few versions a session sees are kept (leaked) so
    /// screens can borrow templates for as long as they live.
    static LOADED: Cell<Option<&'static Catalogue>> = const { Cell::new(None) };
}

/// The catalogue in use. Before the device's store is open (server rendering, hydration, a
/// locked app) this is the shipped one; screens that show records render only after that.
pub fn catalogue() -> &'static Catalogue {
    LOADED.get().unwrap_or_else(Catalogue::shipped)
}

/// Reads the stored reference data once the store can be read (called on every store read, so
/// it is cheap after the first time).
pub fn load_from_device() {
    if LOADED.get().is_some() {
        return;
    }
    if let Ok(stored) = crate::store::with_device_store(|s| s.reference_data()) {
        let catalogue = match stored {
            Some(data) => Catalogue::with(&data),
            None => Catalogue::shipped().clone(),
        };
        LOADED.set(Some(Box::leak(Box::new(catalogue))));
    }
}

/// Takes newly fetched reference data into use (the sync loop stores it first).
pub fn replace(data: &ReferenceData) {
    if LOADED.get().is_some_and(|c| c.version == data.version) {
        return;
    }
    LOADED.set(Some(Box::leak(Box::new(Catalogue::with(data)))));
}

/// Drops the catalogue in use: signing out, or another tab stored newer reference data (the
/// next store read loads what is stored).
pub fn forget() {
    LOADED.set(None);
}
