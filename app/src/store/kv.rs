//! The one small interface under the store: a string key-value space. Encryption at rest (a
//! later issue) slots in here, under every repository.

use std::cell::RefCell;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    #[error("quota exceeded")]
    QuotaExceeded,
    #[error("storage unavailable: {0}")]
    Unavailable(String),
    #[error("stored data unreadable: {0}")]
    Corrupt(String),
    /// The device's data is encrypted and the app is locked: unlock with the PIN first.
    #[error("locked")]
    Locked,
    /// No PIN yet: nothing about a resident is stored before the store can be sealed.
    #[error("no PIN")]
    NoPin,
    /// The record breaks a rule the server would refuse it for (`shared::sync::check_record`):
    /// it is not queued, and the words stay in the form with this reason.
    #[error("refused: {0}")]
    Refused(String),
    /// The pull stopped to keep room for typing; the largest households here, by name.
    #[error("nearly full")]
    NearlyFull(String),
}

impl StoreError {
    /// What the worker is told.
    pub fn message(&self) -> String {
        let text = match self {
            StoreError::QuotaExceeded => {
                "Het geheugen van dit apparaat is vol. Wat al bewaard was blijft bewaard, maar deze wijziging niet. Maak verbinding zodat alles kan worden verstuurd, en laat de tekst op het scherm staan."
            }
            StoreError::Unavailable(_) => {
                "De opslag van deze browser is niet beschikbaar (bijvoorbeeld in een privévenster). Je invoer wordt niet bewaard."
            }
            StoreError::Corrupt(_) => "Opgeslagen gegevens zijn onleesbaar. Neem contact op met de beheerder.",
            StoreError::Locked => "Keukentafel is vergrendeld. Ontgrendel met je pincode.",
            StoreError::NoPin => "Log eerst in en kies een pincode: zonder pincode bewaart Keukentafel niets over inwoners op dit apparaat.",
            StoreError::NearlyFull(largest) => {
                let largest = if largest.is_empty() {
                    String::new()
                } else {
                    format!(" (de grootste hier: {largest})")
                };
                return format!(
                    "Dit apparaat is bijna vol. Nieuwe gegevens van de server worden niet meer opgehaald, zodat je kunt blijven typen; wat je typt wordt nog wel verstuurd. Maak ruimte door huishoudens die je niet meer nodig hebt vrij te geven aan een collega{largest}, of vraag de beheerder om hulp."
                );
            }
            StoreError::Refused(reason) => {
                return format!("Niet bewaard: {reason} Wat je typte staat nog op het scherm.")
            }
        };
        text.to_owned()
    }
}

pub trait KeyValue {
    fn get(&self, key: &str) -> Option<String>;
    fn set(&self, key: &str, value: &str) -> Result<(), StoreError>;
    fn remove(&self, key: &str);
    /// Every key that starts with `prefix`, sorted.
    fn keys(&self, prefix: &str) -> Vec<String>;
    /// The stored text as it is, sealed or not (to keep what could not be read).
    fn raw(&self, key: &str) -> Option<String> {
        self.get(key)
    }
    /// Bytes in use and the most there is room for (UTF-16, as browsers count), when known.
    fn room(&self) -> Option<(usize, usize)> {
        None
    }
    /// Bytes (UTF-16, key and value) this store has written so far, when it counts them: what
    /// a write really took, sealed and compressed, without walking the whole store.
    fn written(&self) -> Option<usize> {
        None
    }
}

/// What a write of `value` under `key` takes, as browsers count (UTF-16).
pub(super) fn utf16_bytes(key: &str, value: &str) -> usize {
    2 * (key.encode_utf16().count() + value.encode_utf16().count())
}

/// What a browser gives one origin's localStorage (Chromium: 10 MiB, counted in UTF-16).
pub const DEVICE_QUOTA_BYTES: usize = 10 * 1024 * 1024;

/// In memory, with an optional quota in bytes (UTF-16, as browsers count): for tests and for
/// rendering on the server, where there is no device store.
#[derive(Default)]
pub struct MemoryKv {
    map: RefCell<BTreeMap<String, String>>,
    quota: Option<usize>,
    /// Bytes in use, kept as values come and go (summing every value per write made a
    /// store of thousands of records quadratic).
    used: std::cell::Cell<usize>,
    written: std::cell::Cell<usize>,
}

impl MemoryKv {
    pub fn with_quota(bytes: usize) -> Self {
        Self {
            quota: Some(bytes),
            ..Self::default()
        }
    }

    pub fn used_bytes(&self) -> usize {
        self.used.get()
    }
}

impl KeyValue for MemoryKv {
    fn get(&self, key: &str) -> Option<String> {
        self.map.borrow().get(key).cloned()
    }

    fn set(&self, key: &str, value: &str) -> Result<(), StoreError> {
        let old = self
            .map
            .borrow()
            .get(key)
            .map_or(0, |v| utf16_bytes(key, v));
        let new = utf16_bytes(key, value);
        let used = self.used.get() - old + new;
        if self.quota.is_some_and(|quota| used > quota) {
            return Err(StoreError::QuotaExceeded);
        }
        self.used.set(used);
        self.written.set(self.written.get() + new);
        self.map
            .borrow_mut()
            .insert(key.to_owned(), value.to_owned());
        Ok(())
    }

    fn remove(&self, key: &str) {
        if let Some(old) = self.map.borrow_mut().remove(key) {
            self.used.set(self.used.get() - utf16_bytes(key, &old));
        }
    }

    fn keys(&self, prefix: &str) -> Vec<String> {
        self.map
            .borrow()
            .range(prefix.to_owned()..)
            .take_while(|(k, _)| k.starts_with(prefix))
            .map(|(k, _)| k.clone())
            .collect()
    }

    fn room(&self) -> Option<(usize, usize)> {
        self.quota.map(|quota| (self.used_bytes(), quota))
    }

    fn written(&self) -> Option<usize> {
        Some(self.written.get())
    }
}

#[cfg(feature = "hydrate")]
pub use super::local_storage::LocalStorageKv;
