//! The browser's localStorage, through gloo-storage, with this tab's index of its keys.

use super::kv::{utf16_bytes, KeyValue, StoreError, DEVICE_QUOTA_BYTES};
use gloo_storage::Storage as _;
use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;

#[derive(Default)]
pub struct LocalStorageKv;

thread_local! {
    /// What this tab wrote to localStorage ([`KeyValue::written`]).
    static WRITTEN: Cell<usize> = const { Cell::new(0) };
    /// Every key of localStorage, sorted, once read. Asking the browser meant a call per key
    /// for every `keys`: the counts on screen walked a coordinator's twenty thousand keys
    /// several times after every keystroke. Kept by this tab's writes and, through the
    /// `storage` event, by other tabs' writes.
    static KEYS: RefCell<Option<BTreeSet<String>>> = const { RefCell::new(None) };
    static FOLLOWING: Cell<bool> = const { Cell::new(false) };
    /// The tab's localStorage, asked for once: asking costs three calls into the browser
    /// (window, its type check, the storage), on every read and write of a pull's thousands.
    static STORAGE: web_sys::Storage = gloo_storage::LocalStorage::raw();
}

fn with_storage<R>(f: impl FnOnce(&web_sys::Storage) -> R) -> R {
    STORAGE.with(f)
}

/// Runs `f` on the index of keys, reading every key once on first use.
fn with_index<R>(f: impl FnOnce(&BTreeSet<String>) -> R) -> R {
    KEYS.with(|keys| {
        let mut keys = keys.borrow_mut();
        let index = keys.get_or_insert_with(|| {
            follow_other_tabs();
            with_storage(|storage| {
                (0..storage.length().unwrap_or(0))
                    .filter_map(|i| storage.key(i).ok().flatten())
                    .collect()
            })
        });
        f(index)
    })
}

/// Changes the index, if it was read already.
fn update_index(f: impl FnOnce(&mut BTreeSet<String>)) {
    KEYS.with(|keys| {
        if let Some(index) = keys.borrow_mut().as_mut() {
            f(index);
        }
    });
}

/// Another tab's writes reach this tab as `storage` events, a moment late (as its values do):
/// the index follows them; storage cleared elsewhere is read again.
fn follow_other_tabs() {
    if FOLLOWING.replace(true) {
        return;
    }
    let listener =
        leptos::prelude::window_event_listener(leptos::ev::storage, |event| match event.key() {
            None => KEYS.with(|keys| *keys.borrow_mut() = None),
            Some(key) if event.new_value().is_some() => update_index(|index| {
                index.insert(key);
            }),
            Some(key) => update_index(|index| {
                index.remove(&key);
            }),
        });
    std::mem::forget(listener);
}

impl KeyValue for LocalStorageKv {
    fn get(&self, key: &str) -> Option<String> {
        with_storage(|storage| storage.get_item(key).ok().flatten())
    }

    fn set(&self, key: &str, value: &str) -> Result<(), StoreError> {
        with_storage(|storage| storage.set_item(key, value))
            .map(|()| {
                WRITTEN.with(|w| w.set(w.get() + utf16_bytes(key, value)));
                update_index(|index| {
                    index.insert(key.to_owned());
                });
            })
            .map_err(|error| {
                let name = js_sys::Reflect::get(&error, &"name".into())
                    .ok()
                    .and_then(|n| n.as_string())
                    .unwrap_or_default();
                if name == "QuotaExceededError" {
                    StoreError::QuotaExceeded
                } else {
                    StoreError::Unavailable(name)
                }
            })
    }

    fn remove(&self, key: &str) {
        let _ = with_storage(|storage| storage.remove_item(key));
        update_index(|index| {
            index.remove(key);
        });
    }

    fn keys(&self, prefix: &str) -> Vec<String> {
        with_index(|index| {
            index
                .range(prefix.to_owned()..)
                .take_while(|k| k.starts_with(prefix))
                .cloned()
                .collect()
        })
    }

    fn room(&self) -> Option<(usize, usize)> {
        let used = with_storage(|storage| {
            (0..storage.length().unwrap_or(0))
                .filter_map(|i| storage.key(i).ok().flatten())
                .map(|k| {
                    let value = storage.get_item(&k).ok().flatten().unwrap_or_default();
                    utf16_bytes(&k, &value)
                })
                .sum()
        });
        Some((used, DEVICE_QUOTA_BYTES))
    }

    fn written(&self) -> Option<usize> {
        Some(WRITTEN.with(Cell::get))
    }
}
