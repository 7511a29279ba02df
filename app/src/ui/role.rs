//! The UI follows the worker's role (the server enforces it): what a role may not handle is not
//! offered. With nobody signed in (working offline before a first sign-in) nothing is hidden:
//! the data is this device's own until it syncs.

use crate::store::{use_store, StoreState};
use leptos::prelude::*;
use shared::sync::RecordType;

impl StoreState {
    /// Whether the signed-in worker's role may handle this kind of record.
    pub fn may_handle(&self, record_type: RecordType) -> bool {
        self.read(|s| s.account())
            .flatten()
            .is_none_or(|account| account.role.may_handle(record_type))
    }
}

/// Notes, once per page view, that the worker opened a household's data (the audit log gets it
/// with the next sync, also when it happened offline).
pub fn note_read(household: shared::model::Id) {
    let store = use_store();
    let noted = StoredValue::new(false);
    Effect::new(move |_| {
        if store.is_ready() && !noted.get_value() {
            noted.set_value(true);
            note(store, shared::sync::AccessAction::Read, household);
        }
    });
}

pub fn note(store: StoreState, action: shared::sync::AccessAction, household: shared::model::Id) {
    let at = crate::clock::now()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    store.write_unshown(|s| s.note_access(action, household, at));
}

/// Shows `children` only to roles that may handle `record_type`.
#[component]
pub fn RoleGate(record_type: RecordType, children: ChildrenFn) -> impl IntoView {
    let store = use_store();
    view! {
        <Show
            when=move || store.may_handle(record_type)
            fallback=|| view! {
                <p class="empty-state" data-testid="no-access">"Met jouw rol kun je dit niet inzien."</p>
            }
        >
            {children()}
        </Show>
    }
}
