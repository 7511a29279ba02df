//! The administrator's screens for reference data (docs/reference-data.md): the social map
//! (`/sociale-kaart`) and template versions (`/sjablonen`). Online only: they work on the
//! server's copy; devices receive each change with their next sync.

mod partners;
mod template_texts;
mod templates;

pub use partners::SocialMapPage;
pub use templates::TemplatesPage;

use leptos::prelude::*;
use shared::reference::ReferenceData;

/// The municipality's reference data as the server has it now.
fn fetch_reference(into: RwSignal<Option<Result<ReferenceData, String>>>) {
    #[cfg(feature = "hydrate")]
    wasm_bindgen_futures::spawn_local(async move {
        let result =
            crate::sync::browser::send::<ReferenceData>("GET", "/api/reference", None).await;
        into.set(Some(result.map_err(|e| e.words())));
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = into;
}

/// The server's refusal in its own words, or what went wrong on the way.
#[cfg(feature = "hydrate")]
fn refusal(error: crate::sync::browser::SyncError) -> String {
    match error {
        crate::sync::browser::SyncError::Server(status, reason) if status < 500 => reason,
        other => other.words(),
    }
}
