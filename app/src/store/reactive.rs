//! The store as the UI sees it: reads that re-run after every write, the last write error in
//! words, and the autosave of a form's record or draft.

use super::{kv::StoreError, with_device_store, DeviceKv, Store};
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct StoreState {
    /// False on the server and until hydration is done, so both render the same.
    ready: RwSignal<bool>,
    revision: RwSignal<u64>,
    pub error: RwSignal<Option<String>>,
}

impl StoreState {
    /// Reads from the store, tracking every later write. `None` until the store is ready.
    pub fn read<R>(&self, f: impl FnOnce(&Store<DeviceKv>) -> R) -> Option<R> {
        self.revision.track();
        if !self.ready.get() {
            return None;
        }
        crate::reference::load_from_device();
        match with_device_store(f) {
            Ok(value) => Some(value),
            // The lock screen says it already.
            Err(super::kv::StoreError::Locked) => None,
            Err(error) => {
                self.error.set(Some(error.message()));
                None
            }
        }
    }

    /// Re-runs every read: another tab or the sync loop wrote to the store.
    pub fn touch(&self) {
        self.revision.update(|r| *r += 1);
    }

    /// Whether the store can be read yet (false while server-rendered).
    pub fn is_ready(&self) -> bool {
        self.ready.get()
    }

    /// Writes through at once; a failure is shown to the worker and the form keeps its text.
    pub fn write(&self, f: impl FnOnce(&Store<DeviceKv>) -> Result<(), StoreError>) -> bool {
        let written = self.write_unshown(f);
        self.revision.update(|r| *r += 1);
        written
    }

    /// An autosave: writes after the next paint (`soon`), so a key or tap is drawn first.
    /// `what` names what is written (a record's type and id, a draft): a newer write of the
    /// same replaces one not yet made. A failure is shown as with `write`.
    pub fn write_soon(
        &self,
        what: String,
        f: impl FnOnce(&Store<DeviceKv>) -> Result<(), StoreError> + 'static,
    ) {
        let state = *self;
        super::soon::write_soon(what, move || {
            state.write(f);
        });
    }

    /// A write no screen shows (a note that a household was opened): no read re-runs, so
    /// opening a page does not draw it twice. A failure is still shown.
    pub fn write_unshown(
        &self,
        f: impl FnOnce(&Store<DeviceKv>) -> Result<(), StoreError>,
    ) -> bool {
        let result = with_device_store(f).and_then(|r| r);
        match result {
            Ok(()) => {
                self.error.set(None);
                true
            }
            Err(error) => {
                self.error.set(Some(error.message()));
                false
            }
        }
    }
}

pub fn provide_store() -> StoreState {
    let state = StoreState {
        ready: RwSignal::new(false),
        revision: RwSignal::new(0),
        error: RwSignal::new(None),
    };
    provide_context(state);
    Effect::new(move |_| state.ready.set(true));
    state
}

pub fn use_store() -> StoreState {
    expect_context::<StoreState>()
}

/// Keeps a form's record on the device: every change after the first (the loaded value) is
/// written after the next paint (`StoreState::write_soon`).
pub fn autosave_record<T>(record: RwSignal<T>)
where
    T: shared::sync::Record + Clone + Send + Sync + 'static,
{
    autosave(
        record,
        |r| format!("{}/{}", T::TYPE.key(), r.id()),
        |s, r| s.put(r),
    );
}

/// Keeps a form's unsaved state as the draft `name`, as `autosave_record` keeps a record.
pub fn autosave_draft<T>(draft: RwSignal<T>, name: String)
where
    T: serde::Serialize + Clone + Send + Sync + 'static,
{
    let what = format!("draft/{name}");
    autosave(
        draft,
        move |_| what.clone(),
        move |s, d| s.save_draft(&name, d),
    );
}

/// Writes `signal`'s value with `write` after each change (not the first run: the loaded
/// value), as the pending write named `what`.
fn autosave<T: Clone + Send + Sync + 'static>(
    signal: RwSignal<T>,
    what: impl Fn(&T) -> String + 'static,
    write: impl Fn(&Store<DeviceKv>, &T) -> Result<(), StoreError> + Clone + 'static,
) {
    let store = use_store();
    Effect::new(move |previous: Option<()>| {
        let current = signal.get();
        if previous.is_some() {
            let write = write.clone();
            store.write_soon(what(&current), move |s| write(s, &current));
        }
    });
}
