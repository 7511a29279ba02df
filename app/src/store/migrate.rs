//! Schema migrations of the device store, run when an updated app opens it.

use super::kv::{KeyValue, StoreError};

/// The layout this build writes.
/// 1: the walking skeleton (settings under `keukentafel.settings.v1`, no version key);
/// 2: everything under `kt/`, records, outbox and drafts.
pub const STORE_VERSION: u32 = 2;

const VERSION_KEY: &str = "kt/meta/store-version";
const V1_SETTINGS_KEY: &str = "keukentafel.settings.v1";
pub const SETTINGS_KEY: &str = "kt/draft/settings";

pub fn run(kv: &impl KeyValue) -> Result<(), StoreError> {
    let mut version: u32 = match kv.get(VERSION_KEY) {
        Some(text) => text
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("store version {text:?}")))?,
        None => 1,
    };
    if version > STORE_VERSION {
        // Written by a newer app (another tab already updated): leave it untouched.
        return Err(StoreError::Unavailable(format!(
            "store version {version} is newer than this app ({STORE_VERSION}); reload to update"
        )));
    }
    while version < STORE_VERSION {
        match version {
            1 => v1_to_v2(kv)?,
            _ => unreachable!("every older version has a step"),
        }
        version += 1;
        kv.set(VERSION_KEY, &version.to_string())?;
    }
    Ok(())
}

/// Moves the skeleton's settings under the `kt/` prefix.
fn v1_to_v2(kv: &impl KeyValue) -> Result<(), StoreError> {
    if let Some(settings) = kv.get(V1_SETTINGS_KEY) {
        kv.set(SETTINGS_KEY, &settings)?;
        kv.remove(V1_SETTINGS_KEY);
    }
    Ok(())
}
