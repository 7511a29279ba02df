//! Encryption at rest. Every value the app keeps on the device is sealed with AES-256-GCM under
//! a random data key; the data key itself is stored only wrapped under a key derived from the
//! worker's PIN (argon2id, random salt). Without the PIN, localStorage holds no readable name,
//! BSN or note. The data key lives in memory while the app is unlocked and is dropped on lock.

use super::kv::{KeyValue, StoreError};
use aes_gcm::aead::{Aead, AeadCore, KeyInit, OsRng};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use base64::{engine::general_purpose::STANDARD as B64, Engine};
use serde::{Deserialize, Serialize};
use std::cell::RefCell;

pub const KEYRING_KEY: &str = "kt/meta/keyring";
/// Sealed values start with this, so plain ones (written before a PIN was set) still read.
const SEALED: &str = "kt1:";
/// After this many wrong PINs in a row only an online sign-in lets the worker try again.
pub const MAX_WRONG_PINS: u32 = 5;
pub const MIN_PIN_LENGTH: usize = 6;

/// The wrapped data key and the PIN's salt and attempt count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Keyring {
    salt: String,
    wrapped: String,
    pub wrong_pins: u32,
}

impl Keyring {
    pub fn blocked(&self) -> bool {
        self.wrong_pins >= MAX_WRONG_PINS
    }
}

#[derive(Clone)]
pub struct DataKey(Key<Aes256Gcm>);

thread_local! {
    static DATA_KEY: RefCell<Option<DataKey>> = const { RefCell::new(None) };
}

fn pin_key(pin: &str, salt: &[u8]) -> Result<Key<Aes256Gcm>, StoreError> {
    let mut key = [0u8; 32];
    argon2::Argon2::default()
        .hash_password_into(pin.as_bytes(), salt, &mut key)
        .map_err(|e| StoreError::Corrupt(format!("key derivation: {e}")))?;
    Ok(key.into())
}

fn seal_with(key: &Key<Aes256Gcm>, plain: &[u8]) -> Result<String, StoreError> {
    let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
    let sealed = Aes256Gcm::new(key)
        .encrypt(&nonce, plain)
        .map_err(|_| StoreError::Corrupt("encryption failed".into()))?;
    let mut bytes = nonce.to_vec();
    bytes.extend(sealed);
    Ok(B64.encode(bytes))
}

fn open_with(key: &Key<Aes256Gcm>, text: &str) -> Option<Vec<u8>> {
    let bytes = B64.decode(text).ok()?;
    if bytes.len() < 12 {
        return None;
    }
    let (nonce, sealed) = bytes.split_at(12);
    Aes256Gcm::new(key)
        .decrypt(Nonce::from_slice(nonce), sealed)
        .ok()
}

/// A new data key, wrapped under `pin`.
pub fn create(pin: &str) -> Result<(Keyring, DataKey), StoreError> {
    let data = Aes256Gcm::generate_key(OsRng);
    let salt = Aes256Gcm::generate_nonce(&mut OsRng).to_vec();
    let wrapped = seal_with(&pin_key(pin, &salt)?, data.as_slice())?;
    Ok((
        Keyring {
            salt: B64.encode(salt),
            wrapped,
            wrong_pins: 0,
        },
        DataKey(data),
    ))
}

/// The data key, if `pin` is right.
pub fn unwrap(keyring: &Keyring, pin: &str) -> Result<Option<DataKey>, StoreError> {
    let salt = B64
        .decode(&keyring.salt)
        .map_err(|_| StoreError::Corrupt("keyring".into()))?;
    Ok(open_with(&pin_key(pin, &salt)?, &keyring.wrapped)
        .filter(|bytes| bytes.len() == 32)
        .map(|bytes| DataKey(*Key::<Aes256Gcm>::from_slice(&bytes))))
}

pub fn set_data_key(key: Option<DataKey>) {
    DATA_KEY.with(|k| *k.borrow_mut() = key);
}

pub fn has_data_key() -> bool {
    DATA_KEY.with(|k| k.borrow().is_some())
}

/// Keys stored in the clear: they hold nothing about a resident and are needed while locked.
fn stays_plain(key: &str) -> bool {
    matches!(
        key,
        KEYRING_KEY | "kt/meta/store-version" | "kt/meta/sync-lease"
    )
}

/// Keys that may be written before a PIN exists: the app's own settings (text size, lock time)
/// and identity, never a resident's data (records, outbox, other drafts, reference data, access
/// events).
fn allowed_before_pin(key: &str) -> bool {
    key.starts_with("kt/meta/") || key == "kt/draft/settings"
}

/// A key-value store that seals every value once a keyring exists, and before that stores
/// nothing but the app's own settings.
#[derive(Default)]
pub struct SealedKv<K: KeyValue> {
    inner: K,
}

impl<K: KeyValue> SealedKv<K> {
    pub fn new(inner: K) -> Self {
        Self { inner }
    }

    pub fn inner(&self) -> &K {
        &self.inner
    }

    pub fn keyring(&self) -> Option<Keyring> {
        self.inner
            .get(KEYRING_KEY)
            .and_then(|text| serde_json::from_str(&text).ok())
    }

    pub fn save_keyring(&self, keyring: &Keyring) -> Result<(), StoreError> {
        let text =
            serde_json::to_string(keyring).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        self.inner.set(KEYRING_KEY, &text)
    }

    /// Locked: a keyring exists and the data key is not in memory.
    pub fn is_locked(&self) -> bool {
        !has_data_key() && self.inner.get(KEYRING_KEY).is_some()
    }

    /// Seals every value still in the clear (after the PIN was first set).
    pub fn seal_all(&self) -> Result<(), StoreError> {
        for key in self.inner.keys("kt/") {
            if stays_plain(&key) {
                continue;
            }
            if let Some(value) = self.inner.get(&key) {
                if !value.starts_with(SEALED) {
                    self.set(&key, &value)?;
                }
            }
        }
        Ok(())
    }
}

impl<K: KeyValue> KeyValue for SealedKv<K> {
    fn get(&self, key: &str) -> Option<String> {
        let raw = self.inner.get(key)?;
        let Some(sealed) = raw.strip_prefix(SEALED) else {
            return Some(raw);
        };
        DATA_KEY.with(|k| {
            let k = k.borrow();
            let plain = open_with(&k.as_ref()?.0, sealed)?;
            String::from_utf8(plain).ok()
        })
    }

    fn set(&self, key: &str, value: &str) -> Result<(), StoreError> {
        if stays_plain(key) {
            return self.inner.set(key, value);
        }
        let sealed = DATA_KEY.with(|k| {
            k.borrow()
                .as_ref()
                .map(|k| seal_with(&k.0, value.as_bytes()))
        });
        match sealed {
            Some(text) => self.inner.set(key, &format!("{SEALED}{}", text?)),
            None if self.inner.get(KEYRING_KEY).is_some() => Err(StoreError::Locked),
            None if allowed_before_pin(key) => self.inner.set(key, value),
            None => Err(StoreError::NoPin),
        }
    }

    fn remove(&self, key: &str) {
        self.inner.remove(key)
    }

    fn keys(&self, prefix: &str) -> Vec<String> {
        self.inner.keys(prefix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::kv::MemoryKv;

    #[test]
    fn nothing_about_a_resident_is_stored_before_a_pin() {
        let kv = SealedKv::new(MemoryKv::default());
        for key in [
            "kt/rec/resident/1",
            "kt/outbox/000000000001",
            "kt/draft/contact",
        ] {
            assert_eq!(kv.set(key, "Wilhelmina"), Err(StoreError::NoPin), "{key}");
        }
        kv.set("kt/meta/device", "{}").unwrap();
        assert!(kv.inner().keys("kt/rec/").is_empty());
    }

    #[test]
    fn values_are_unreadable_without_the_pin_and_readable_with_it() {
        let kv = SealedKv::new(MemoryKv::default());
        kv.set("kt/meta/account", "Wilhelmina Zonneveld 111222333")
            .unwrap();
        let (keyring, key) = create("135790").unwrap();
        kv.save_keyring(&keyring).unwrap();
        set_data_key(Some(key));
        kv.seal_all().unwrap();
        kv.set("kt/rec/question/2", "geheime notitie").unwrap();
        let raw: String = kv
            .inner()
            .keys("kt/")
            .iter()
            .filter_map(|k| kv.inner().get(k))
            .collect();
        assert!(
            !raw.contains("Zonneveld") && !raw.contains("111222333") && !raw.contains("geheime")
        );
        assert_eq!(
            kv.get("kt/rec/question/2").as_deref(),
            Some("geheime notitie")
        );

        set_data_key(None);
        assert!(kv.is_locked());
        assert_eq!(kv.get("kt/meta/account"), None);
        assert!(matches!(kv.set("kt/rec/x", "y"), Err(StoreError::Locked)));
        assert!(
            unwrap(&keyring, "000000").unwrap().is_none(),
            "a wrong PIN opens nothing"
        );
        set_data_key(unwrap(&keyring, "135790").unwrap());
        assert_eq!(
            kv.get("kt/meta/account").as_deref(),
            Some("Wilhelmina Zonneveld 111222333")
        );
        set_data_key(None);
    }
}
