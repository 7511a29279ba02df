//! Encryption at rest. Every value the app keeps on the device is sealed with AES-256-GCM under
//! a random data key; the data key itself is stored only wrapped under a key derived from the
//! worker's PIN and the device secret (argon2id, random salt; the device secret is a
//! non-extractable key in IndexedDB, see `device_secret`). Without the PIN, localStorage holds
//! no readable name, BSN or note, and a copy of localStorage alone cannot be opened even by
//! trying every PIN. The data key lives in memory while the app is unlocked and is dropped on
//! lock.

use super::kv::{KeyValue, StoreError};
use aes_gcm::aead::{Aead, AeadCore, KeyInit, OsRng};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use base64::{engine::general_purpose::STANDARD as B64, Engine};
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::collections::HashMap;

pub const KEYRING_KEY: &str = "kt/meta/keyring";
/// Sealed values start with one of these, so plain ones (written before a PIN was set) still
/// read. `kt1:` is base64 of the sealed text as it was first written; `kt2:` (every write now)
/// compresses the text before sealing and packs the result fifteen bits to a character
/// (`packing`): about five times the households in the same localStorage.
const SEALED: &str = "kt1:";
const PACKED: &str = "kt2:";
/// The most bytes a sealed value opens to (a record is at most 256 KiB of JSON): a damaged
/// or crafted value cannot make the app inflate without end.
const MAX_OPENED_BYTES: usize = 16 << 20;
/// After this many wrong PINs in a row only an online sign-in lets the worker try again.
pub const MAX_WRONG_PINS: u32 = 5;
pub const MIN_PIN_LENGTH: usize = 6;

/// How the key is derived from the PIN, kept with the keyring so that older keyrings still open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kdf {
    pub memory_kib: u32,
    pub passes: u32,
    /// The device secret is mixed in (keyrings made before it existed have none).
    #[serde(default)]
    pub device_secret: bool,
}

impl Kdf {
    /// The first keyrings: argon2's defaults (19 MiB, 2 passes), no device secret.
    pub const FIRST: Kdf = Kdf {
        memory_kib: 19 * 1024,
        passes: 2,
        device_secret: false,
    };
    /// New keyrings: 32 MiB and 3 passes, with the device secret: at least 0.5 s per guess on
    /// a mid-range tablet, not much more, as workers unlock many times a day (figures from
    /// `bench/browser-figures` in docs/privacy.md).
    pub const CURRENT: Kdf = Kdf {
        memory_kib: 32 * 1024,
        passes: 3,
        device_secret: true,
    };
}

fn first_kdf() -> Kdf {
    Kdf::FIRST
}

/// The wrapped data key and the PIN's salt and attempt count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Keyring {
    salt: String,
    wrapped: String,
    pub wrong_pins: u32,
    #[serde(default = "first_kdf")]
    pub kdf: Kdf,
    /// The attempt count signed with the device secret: an edited count is noticed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counter_mac: Option<String>,
}

impl Keyring {
    pub fn blocked(&self) -> bool {
        self.wrong_pins >= MAX_WRONG_PINS
    }

    pub fn salt(&self) -> Result<Vec<u8>, StoreError> {
        B64.decode(&self.salt)
            .map_err(|_| StoreError::Corrupt("keyring".into()))
    }

    /// What the counter's signature covers: this keyring's salt and its count.
    pub fn counter_message(&self) -> Vec<u8> {
        format!("{}:{}", self.salt, self.wrong_pins).into_bytes()
    }

    /// Signs the count (after every change of it).
    pub fn sign_counter(&mut self, mac: Option<Vec<u8>>) {
        self.counter_mac = mac.map(|m| B64.encode(m));
    }

    /// Whether the stored count is the one last signed. Keyrings without a device secret have
    /// no signature to check.
    pub fn counter_intact(&self, mac: Option<Vec<u8>>) -> bool {
        !self.kdf.device_secret || mac.map(|m| B64.encode(m)) == self.counter_mac
    }
}

/// The data key, with its cipher set up once: setting up AES-256-GCM for every value
/// written was a tenth of a pull's sealing.
#[derive(Clone)]
pub struct DataKey {
    key: Key<Aes256Gcm>,
    cipher: Aes256Gcm,
}

impl DataKey {
    fn new(key: Key<Aes256Gcm>) -> Self {
        DataKey {
            cipher: Aes256Gcm::new(&key),
            key,
        }
    }
}

thread_local! {
    static DATA_KEY: RefCell<Option<DataKey>> = const { RefCell::new(None) };
    /// Values already opened, by key: the sealed text's nonce (random per write, so another
    /// tab's write of the same key never matches) and the plain text. A page reads the same
    /// records many times over; opening each once saves most of its time. Emptied whenever the
    /// data key changes, so nothing is readable from it while locked.
    static OPENED: RefCell<HashMap<String, (String, String)>> = RefCell::new(HashMap::new());
    /// Random bytes for nonces, drawn a batch at a time, and how many are used.
    static NONCES: RefCell<([u8; NONCE_BATCH * 12], usize)> =
        const { RefCell::new(([0; NONCE_BATCH * 12], NONCE_BATCH * 12)) };
}

/// Nonces drawn at once: in the browser each draw is a call to `crypto.getRandomValues`, which
/// cost a pull more than encrypting did when made for every value.
const NONCE_BATCH: usize = 256;

/// A fresh random 96-bit nonce, never handed out twice.
fn fresh_nonce() -> Nonce<<Aes256Gcm as AeadCore>::NonceSize> {
    use aes_gcm::aead::rand_core::RngCore;
    NONCES.with(|n| {
        let (bytes, used) = &mut *n.borrow_mut();
        if *used == bytes.len() {
            OsRng.fill_bytes(bytes);
            *used = 0;
        }
        let nonce = *Nonce::from_slice(&bytes[*used..*used + 12]);
        *used += 12;
        nonce
    })
}

/// The leading bytes of a stored value that cover its 12-byte nonce: the prefix and 16 base64
/// characters, or 7 packed characters of three UTF-8 bytes each.
const NONCE_BYTES_KT1: usize = 4 + 16;
const NONCE_BYTES_KT2: usize = 4 + 7 * 3;

fn pin_key(
    pin: &str,
    salt: &[u8],
    kdf: Kdf,
    device: Option<&[u8]>,
) -> Result<Key<Aes256Gcm>, StoreError> {
    let failed = |e: argon2::Error| StoreError::Corrupt(format!("key derivation: {e}"));
    let params = argon2::Params::new(kdf.memory_kib, kdf.passes, 1, Some(32)).map_err(failed)?;
    let argon2 = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut secret = pin.as_bytes().to_vec();
    if kdf.device_secret {
        // Without the device secret a keyring that needs it cannot be opened at all.
        let device = device.ok_or(StoreError::Unavailable("device secret".into()))?;
        secret.extend_from_slice(device);
    }
    let mut key = [0u8; 32];
    argon2
        .hash_password_into(&secret, salt, &mut key)
        .map_err(failed)?;
    Ok(key.into())
}

/// A new random salt for a keyring.
pub fn new_salt() -> Vec<u8> {
    Aes256Gcm::generate_nonce(&mut OsRng).to_vec()
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

/// A value as stored now: compressed, sealed, packed, with its prefix.
fn seal_value(cipher: &Aes256Gcm, plain: &str) -> Result<String, StoreError> {
    let compressed = super::compress::deflate(plain.as_bytes());
    let nonce = fresh_nonce();
    let sealed = cipher
        .encrypt(&nonce, compressed.as_slice())
        .map_err(|_| StoreError::Corrupt("encryption failed".into()))?;
    let mut bytes = nonce.to_vec();
    bytes.extend(sealed);
    Ok(format!("{PACKED}{}", super::packing::encode(&bytes)))
}

/// The plain text of a stored sealed value of either format; `None` when it is not one, or
/// does not open with `key`.
fn open_value(key: &DataKey, raw: &str) -> Option<String> {
    let plain = if let Some(packed) = raw.strip_prefix(PACKED) {
        let bytes = super::packing::decode(packed)?;
        let (nonce, sealed) = bytes.split_at_checked(12)?;
        let compressed = key.cipher.decrypt(Nonce::from_slice(nonce), sealed).ok()?;
        super::compress::inflate(&compressed, MAX_OPENED_BYTES)?
    } else {
        open_with(&key.key, raw.strip_prefix(SEALED)?)?
    };
    String::from_utf8(plain).ok()
}

/// A value as the first format sealed it (`kt1:`, base64), with the data key in memory: for
/// `bench/store-capacity`, which prints the room both formats take. Nothing stores it now.
pub fn first_format(plain: &str) -> Option<String> {
    DATA_KEY.with(|k| {
        let text = seal_with(&k.borrow().as_ref()?.key, plain.as_bytes()).ok()?;
        Some(format!("{SEALED}{text}"))
    })
}

/// What one sealed write of `plain` costs, step by step, in seconds (the mean of `rounds`), for
/// `bench/pull-apply` (natively: the browser has no `Instant`).
#[cfg(not(target_arch = "wasm32"))]
pub fn write_costs(plain: &str, rounds: u32) -> Vec<(&'static str, f64)> {
    use std::hint::black_box;
    let time = |step: &mut dyn FnMut()| {
        let started = std::time::Instant::now();
        for _ in 0..rounds {
            step();
        }
        started.elapsed().as_secs_f64() / f64::from(rounds)
    };
    let key = *Key::<Aes256Gcm>::from_slice(&[7; 32]);
    let compressed = super::compress::deflate(plain.as_bytes());
    let nonce = fresh_nonce();
    let cipher = Aes256Gcm::new(&key);
    let sealed = cipher.encrypt(&nonce, compressed.as_slice()).unwrap();
    vec![
        (
            "deflating after the primer",
            time(&mut || {
                black_box(super::compress::deflate(plain.as_bytes()));
            }),
        ),
        // The cipher is set up once per unlock (`DataKey`), not per write.
        (
            "drawing the nonce (from a batch)",
            time(&mut || {
                black_box(fresh_nonce());
            }),
        ),
        (
            "encrypting",
            time(&mut || {
                black_box(cipher.encrypt(&nonce, compressed.as_slice()).ok());
            }),
        ),
        (
            "packing",
            time(&mut || {
                black_box(super::packing::encode(&sealed));
            }),
        ),
    ]
}

fn is_sealed(raw: &str) -> bool {
    raw.starts_with(PACKED) || raw.starts_with(SEALED)
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

/// `kv` sealed as on a device and unlocked, for tests and benches: a keyring made with the
/// cheapest derivation (which no device uses) is saved in it and its key is set.
pub fn unlocked<K: KeyValue>(kv: K) -> (SealedKv<K>, Keyring) {
    let cheap = Kdf {
        memory_kib: 1024,
        passes: 1,
        device_secret: false,
    };
    let (keyring, key) = create("135790", new_salt(), cheap, None).expect("a cheap keyring");
    let kv = SealedKv::new(kv);
    kv.save_keyring(&keyring).expect("room for a keyring");
    set_data_key(Some(key));
    (kv, keyring)
}

/// A new data key, wrapped under `pin` (and the device secret, when `kdf` asks for it).
pub fn create(
    pin: &str,
    salt: Vec<u8>,
    kdf: Kdf,
    device: Option<&[u8]>,
) -> Result<(Keyring, DataKey), StoreError> {
    let data = Aes256Gcm::generate_key(OsRng);
    let wrapped = seal_with(&pin_key(pin, &salt, kdf, device)?, data.as_slice())?;
    Ok((
        Keyring {
            salt: B64.encode(salt),
            wrapped,
            wrong_pins: 0,
            kdf,
            counter_mac: None,
        },
        DataKey::new(data),
    ))
}

/// The data key, if `pin` (and the device secret) are right.
pub fn unwrap(
    keyring: &Keyring,
    pin: &str,
    device: Option<&[u8]>,
) -> Result<Option<DataKey>, StoreError> {
    let salt = keyring.salt()?;
    Ok(
        open_with(&pin_key(pin, &salt, keyring.kdf, device)?, &keyring.wrapped)
            .filter(|bytes| bytes.len() == 32)
            .map(|bytes| DataKey::new(*Key::<Aes256Gcm>::from_slice(&bytes))),
    )
}

pub fn set_data_key(key: Option<DataKey>) {
    OPENED.with(|o| o.borrow_mut().clear());
    DATA_KEY.with(|k| *k.borrow_mut() = key);
}

fn nonce_of(raw: &str) -> &str {
    let end = if raw.starts_with(PACKED) {
        NONCE_BYTES_KT2
    } else {
        NONCE_BYTES_KT1
    };
    raw.get(..end).unwrap_or(raw)
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
                if !is_sealed(&value) {
                    self.set(&key, &value)?;
                }
            }
        }
        Ok(())
    }
}

impl<K: KeyValue> KeyValue for SealedKv<K> {
    fn raw(&self, key: &str) -> Option<String> {
        self.inner.get(key)
    }

    fn room(&self) -> Option<(usize, usize)> {
        self.inner.room()
    }

    fn written(&self) -> Option<usize> {
        self.inner.written()
    }

    fn get(&self, key: &str) -> Option<String> {
        let raw = self.inner.get(key)?;
        if !is_sealed(&raw) {
            return Some(raw);
        }
        let nonce = nonce_of(&raw);
        let known = OPENED.with(|o| {
            o.borrow()
                .get(key)
                .filter(|(n, _)| n == nonce)
                .map(|(_, plain)| plain.clone())
        });
        if known.is_some() && has_data_key() {
            return known;
        }
        let plain = DATA_KEY.with(|k| open_value(k.borrow().as_ref()?, &raw))?;
        OPENED.with(|o| {
            o.borrow_mut()
                .insert(key.to_owned(), (nonce.to_owned(), plain.clone()))
        });
        Some(plain)
    }

    fn set(&self, key: &str, value: &str) -> Result<(), StoreError> {
        if stays_plain(key) {
            return self.inner.set(key, value);
        }
        let sealed = DATA_KEY.with(|k| k.borrow().as_ref().map(|k| seal_value(&k.cipher, value)));
        match sealed {
            Some(text) => {
                let text = text?;
                let result = self.inner.set(key, &text);
                OPENED.with(|o| {
                    let mut opened = o.borrow_mut();
                    match result {
                        Ok(()) => opened.insert(
                            key.to_owned(),
                            (nonce_of(&text).to_owned(), value.to_owned()),
                        ),
                        Err(_) => opened.remove(key),
                    }
                });
                result
            }
            None if self.inner.get(KEYRING_KEY).is_some() => Err(StoreError::Locked),
            None if allowed_before_pin(key) => self.inner.set(key, value),
            None => Err(StoreError::NoPin),
        }
    }

    fn remove(&self, key: &str) {
        OPENED.with(|o| o.borrow_mut().remove(key));
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
    fn nonces_drawn_in_batches_are_never_handed_out_twice() {
        let nonces: std::collections::BTreeSet<Vec<u8>> = (0..NONCE_BATCH * 3 + 5)
            .map(|_| fresh_nonce().to_vec())
            .collect();
        assert_eq!(nonces.len(), NONCE_BATCH * 3 + 5);
    }

    #[test]
    fn a_keyring_with_a_device_secret_opens_only_with_that_secret() {
        // Small parameters: the test is about the device secret, not the cost.
        let kdf = Kdf {
            memory_kib: 1024,
            passes: 1,
            device_secret: true,
        };
        let device = [7u8; 32];
        let (keyring, _) = create("135790", new_salt(), kdf, Some(&device)).unwrap();
        assert!(unwrap(&keyring, "135790", Some(&device)).unwrap().is_some());
        assert!(
            unwrap(&keyring, "135790", Some(&[8u8; 32]))
                .unwrap()
                .is_none(),
            "a copy of the store on another device stays closed, even with the right PIN"
        );
        assert!(unwrap(&keyring, "135790", None).is_err());
    }

    #[test]
    fn keyrings_from_before_the_device_secret_still_open() {
        let (keyring, _) = create("135790", new_salt(), Kdf::FIRST, None).unwrap();
        let mut stored: serde_json::Value = serde_json::to_value(&keyring).unwrap();
        stored.as_object_mut().unwrap().remove("kdf");
        let old: Keyring = serde_json::from_value(stored).unwrap();
        assert_eq!(old.kdf, Kdf::FIRST);
        assert!(old.counter_intact(None));
        assert!(unwrap(&old, "135790", None).unwrap().is_some());
    }

    #[test]
    fn an_edited_counter_is_noticed() {
        let kdf = Kdf {
            memory_kib: 1024,
            passes: 1,
            device_secret: true,
        };
        let (mut keyring, _) = create("135790", new_salt(), kdf, Some(&[7u8; 32])).unwrap();
        let mac = |k: &Keyring| Some(k.counter_message().iter().map(|b| b ^ 0x5c).collect());
        keyring.wrong_pins = 3;
        keyring.sign_counter(mac(&keyring));
        assert!(keyring.counter_intact(mac(&keyring)));
        keyring.wrong_pins = 0;
        assert!(
            !keyring.counter_intact(mac(&keyring)),
            "a count set back by hand"
        );
    }

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
        let (keyring, key) = create("135790", new_salt(), Kdf::FIRST, None).unwrap();
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
            unwrap(&keyring, "000000", None).unwrap().is_none(),
            "a wrong PIN opens nothing"
        );
        set_data_key(unwrap(&keyring, "135790", None).unwrap());
        assert_eq!(
            kv.get("kt/meta/account").as_deref(),
            Some("Wilhelmina Zonneveld 111222333")
        );
        set_data_key(None);
    }

    #[test]
    fn a_value_opened_once_is_read_again_as_stored_now_and_never_while_locked() {
        let kv = SealedKv::new(MemoryKv::default());
        let (keyring, key) = create("135790", new_salt(), Kdf::FIRST, None).unwrap();
        kv.save_keyring(&keyring).unwrap();
        set_data_key(Some(key.clone()));
        kv.set("kt/rec/question/3", "eerste versie").unwrap();
        assert_eq!(
            kv.get("kt/rec/question/3").as_deref(),
            Some("eerste versie")
        );
        // Another tab writes the same key: its sealed text, not what this tab opened before.
        let other = SealedKv::new(MemoryKv::default());
        other
            .set("kt/rec/question/3", "uit een ander tabblad")
            .unwrap();
        let theirs = other.inner().get("kt/rec/question/3").unwrap();
        kv.inner().set("kt/rec/question/3", &theirs).unwrap();
        assert_eq!(
            kv.get("kt/rec/question/3").as_deref(),
            Some("uit een ander tabblad")
        );
        kv.remove("kt/rec/question/3");
        assert_eq!(kv.get("kt/rec/question/3"), None);
        kv.set("kt/rec/question/4", "geheim").unwrap();
        set_data_key(None);
        assert_eq!(
            kv.get("kt/rec/question/4"),
            None,
            "locked: nothing opened is kept"
        );
        set_data_key(Some(key));
        assert_eq!(kv.get("kt/rec/question/4").as_deref(), Some("geheim"));
        set_data_key(None);
    }

    #[test]
    fn values_are_compressed_and_packed_and_values_of_the_first_format_still_open() {
        let kv = SealedKv::new(MemoryKv::default());
        let (keyring, key) = create("135790", new_salt(), Kdf::FIRST, None).unwrap();
        kv.save_keyring(&keyring).unwrap();
        set_data_key(Some(key.clone()));
        let note = serde_json::json!({
            "own_words": "Mevrouw vertelt dat ze sinds de operatie niet meer zelf boodschappen kan doen. ".repeat(4),
            "next_step": "Bel de huisarts op maandag",
        })
        .to_string();
        kv.set("kt/rec/question/5", &note).unwrap();
        let stored = kv.inner().get("kt/rec/question/5").unwrap();
        assert!(stored.starts_with(PACKED), "{stored}");
        let first_format = first_format(&note).unwrap();
        // What localStorage counts: UTF-16 code units.
        let units = |text: &str| text.encode_utf16().count();
        assert!(
            units(&stored) * 5 < units(&first_format),
            "{} units now, {} before",
            units(&stored),
            units(&first_format)
        );
        assert_eq!(kv.get("kt/rec/question/5").as_deref(), Some(note.as_str()));
        // A device written before keeps opening its values.
        kv.inner().set("kt/rec/question/6", &first_format).unwrap();
        assert_eq!(kv.get("kt/rec/question/6").as_deref(), Some(note.as_str()));
        // A damaged value opens to nothing, never to garbage.
        let mut damaged: Vec<char> = stored.chars().collect();
        let last = damaged.len() - 1;
        damaged[last] = if damaged[last] == '\u{3400}' {
            '\u{3401}'
        } else {
            '\u{3400}'
        };
        kv.inner()
            .set(
                "kt/rec/question/7",
                &damaged.into_iter().collect::<String>(),
            )
            .unwrap();
        assert_eq!(kv.get("kt/rec/question/7"), None);
        set_data_key(None);
    }
}
