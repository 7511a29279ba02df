//! The device's local store: typed repositories over one key-value interface, a stored schema
//! version with migrations, and the outbox of changes waiting for sync.
//!
//! Every change is written through at once (no save button): the outbox entry first, then the
//! record, and a failed record write takes the outbox entry back, so storage never holds half a
//! change and nothing already stored is lost when the device is full.

mod access;
mod compress;
pub mod device_secret;
pub mod kv;
#[cfg(feature = "hydrate")]
mod local_storage;
pub mod migrate;
mod one_way;
mod packing;
mod reactive;
pub mod room;
pub mod seal;
pub mod soon;
mod sync;

pub use sync::{PullInProgress, RejectedChange, SyncMeta, PULL_RESERVE_BYTES};

pub use reactive::{autosave_draft, autosave_record, provide_store, use_store, StoreState};

use kv::{KeyValue, StoreError};
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use shared::model::Id;
use shared::sync::{check_record, patch_fields, Change, Operation, Record};

pub use migrate::STORE_VERSION;

const DEVICE_KEY: &str = "kt/meta/device";
const OUTBOX_PREFIX: &str = "kt/outbox/";
const RECORD_PREFIX: &str = "kt/rec/";
const DRAFT_PREFIX: &str = "kt/draft/";
const ACCOUNT_KEY: &str = "kt/meta/account";
const REFERENCE_KEY: &str = "kt/ref/data";
/// The team's roster (names and roles), for handing work to a colleague offline.
const ROSTER_KEY: &str = "kt/ref/roster";
/// The unlock proof the server handed over at sign-in (sealed: only an unlocked app reads it).
const UNLOCK_PROOF_KEY: &str = "kt/meta/unlock";
/// After a sign-out that could not reach the server: the SHA-256 of that session's unlock
/// proof (useless without the proof), so the next contact ends exactly that session.
const SESSION_LEFT_KEY: &str = "kt/meta/session-left";

/// Changes written by a tab and not numbered yet: `kt/queue/<ms>-<lane>-<n>-<v>`. Each tab
/// writes only keys of its own lane, and an entry is never rewritten (a fold writes the next
/// version and removes the old one), so tabs that see each other's storage a moment late never
/// overwrite each other's words. The tab that syncs numbers them into `kt/outbox/`.
const QUEUE_PREFIX: &str = "kt/queue/";

/// This device's identity and change counter. Written only by the tab that holds the sync
/// lock (numbering happens when changes are sent), so two tabs never take the same number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Device {
    pub id: Id,
    /// The number the next change gets: 1, 2, 3, … without gaps.
    pub next_seq: u64,
    /// The highest change number the server has settled (from push answers and pulls); a pull
    /// asks for the refusals after it (`settled=`).
    #[serde(default)]
    pub settled_through: u64,
}

/// A record as stored, with the server version it is based on (0 until synced).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Stored<T> {
    base_version: u64,
    /// The record version this device's own latest change produced (from the push answer):
    /// pulled states older than that are already contained in what is here.
    #[serde(default)]
    own_version: u64,
    record: T,
}

/// How to take back an outbox write when the record write after it fails.
enum Undo {
    /// A fold: the new version goes, the one it replaced comes back.
    Refold {
        written: String,
        replaced: String,
        before: String,
        tail: Option<(String, Id)>,
    },
    RemoveEntry {
        key: String,
        tail: Option<(String, Id)>,
    },
}

pub struct Store<K: KeyValue> {
    kv: K,
    /// This tab's lane of queue keys (random per open store, so per tab).
    lane: String,
    /// How many entries this tab has queued, and the last time stamp used (kept rising).
    queued: std::cell::Cell<(u64, u64)>,
    /// This tab's last queued entry and its record: a patch of the same record folds into it.
    tail: std::cell::RefCell<Option<(String, Id)>>,
}

impl<K: KeyValue> Store<K> {
    /// Opens the store, migrating an older layout and creating the device identity when new.
    pub fn open(kv: K, new_device_id: impl FnOnce() -> Id) -> Result<Self, StoreError> {
        migrate::run(&kv)?;
        let lane = Id::now_v7().simple().to_string()[24..].to_owned();
        // A store opened again (a reload, a crash) queues after everything already queued,
        // even within the same millisecond.
        let after = kv
            .keys(QUEUE_PREFIX)
            .last()
            .and_then(|k| {
                k[QUEUE_PREFIX.len()..]
                    .split('-')
                    .next()?
                    .parse::<u64>()
                    .ok()
            })
            .map_or(0, |ms| ms + 1);
        let store = Self {
            kv,
            lane,
            queued: std::cell::Cell::new((0, after)),
            tail: std::cell::RefCell::new(None),
        };
        if store.kv.get(DEVICE_KEY).is_none() {
            store.write_json(
                DEVICE_KEY,
                &Device {
                    id: new_device_id(),
                    next_seq: 1,
                    settled_through: 0,
                },
            )?;
        }
        Ok(store)
    }

    pub fn kv(&self) -> &K {
        &self.kv
    }

    pub fn device(&self) -> Result<Device, StoreError> {
        self.read_json(DEVICE_KEY)?
            .ok_or_else(|| StoreError::Corrupt("device identity missing".into()))
    }

    fn record_key(record_type: &str, id: Id) -> String {
        format!("{RECORD_PREFIX}{record_type}/{id}")
    }

    pub fn get<T: Record>(&self, id: Id) -> Option<T> {
        self.read_json::<Stored<T>>(&Self::record_key(T::TYPE.key(), id))
            .ok()
            .flatten()
            .map(|s| s.record)
    }

    /// Every record of one type. Unreadable entries are skipped, never deleted.
    pub fn list<T: Record>(&self) -> Vec<T> {
        self.kv
            .keys(&format!("{RECORD_PREFIX}{}/", T::TYPE.key()))
            .iter()
            .filter_map(|key| self.read_json::<Stored<T>>(key).ok().flatten())
            .map(|s| s.record)
            .collect()
    }

    /// Writes a record through and queues the change: a create for a new record, a patch of the
    /// changed fields otherwise. Nothing is queued when nothing changed.
    pub fn put<T: Record>(&self, record: &T) -> Result<(), StoreError> {
        let key = Self::record_key(T::TYPE.key(), record.id());
        let previous: Option<Stored<serde_json::Value>> = self.read_json(&key)?;
        let after = serde_json::to_value(record).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let (op, fields, base_version) = match &previous {
            None => (
                Operation::Create,
                after.as_object().cloned().unwrap_or_default(),
                0,
            ),
            Some(stored) => (
                Operation::Patch,
                // Only what changed; a conversation's life domains one by one.
                patch_fields(T::TYPE, &stored.record, &after),
                stored.base_version,
            ),
        };
        if op == Operation::Patch && fields.is_empty() {
            return Ok(());
        }
        // The server's own check, before anything is queued: a change it would refuse never
        // leaves the form, and one too large to send is never made.
        if let Some(fields) = after.as_object() {
            check_record(crate::reference::catalogue(), T::TYPE, record.id(), fields)
                .map_err(StoreError::Refused)?;
        }
        let change = Change::new(
            self.device()?.id,
            0,
            (T::TYPE, record.id()),
            op,
            fields,
            base_version,
        );
        let undo = self.queue(change)?;
        let stored = Stored {
            base_version,
            own_version: previous.as_ref().map_or(0, |p| p.own_version),
            record: &after,
        };
        if let Err(error) = self.write_json(&key, &stored) {
            self.undo(undo);
            return Err(error);
        }
        Ok(())
    }

    /// Deletes a record here and queues the delete; the server keeps a tombstone.
    pub fn delete<T: Record>(&self, id: Id) -> Result<(), StoreError> {
        let key = Self::record_key(T::TYPE.key(), id);
        let Some(stored) = self.read_json::<Stored<serde_json::Value>>(&key)? else {
            return Ok(());
        };
        let change = Change::new(
            self.device()?.id,
            0,
            (T::TYPE, id),
            Operation::Delete,
            serde_json::Map::new(),
            stored.base_version,
        );
        self.queue(change)?;
        self.kv.remove(&key);
        Ok(())
    }

    /// The worker signed in on this device (kept so the app knows it offline).
    pub fn account(&self) -> Option<shared::model::SessionInfo> {
        self.read_json(ACCOUNT_KEY).ok().flatten()
    }

    pub fn set_account(&self, account: &shared::model::SessionInfo) -> Result<(), StoreError> {
        self.write_json(ACCOUNT_KEY, account)
    }

    /// Removes everything this app keeps on the device (signing out), the key included.
    pub fn wipe(&self) {
        for key in self.kv.keys("kt/") {
            self.kv.remove(&key);
        }
        seal::set_data_key(None);
        PENDING_PROOF.with(|p| *p.borrow_mut() = None);
    }

    /// Hands back the key-value storage (a simulated device restarting reopens it).
    pub fn into_kv(self) -> K {
        self.kv
    }

    fn undo(&self, undo: Undo) {
        match undo {
            Undo::Refold {
                written,
                replaced,
                before,
                tail,
            } => {
                let _ = self.kv.set(&replaced, &before);
                self.kv.remove(&written);
                *self.tail.borrow_mut() = tail;
            }
            Undo::RemoveEntry { key, tail } => {
                self.kv.remove(&key);
                *self.tail.borrow_mut() = tail;
            }
        }
    }

    /// Queues a change in this tab's lane (numbered when it is sent), or folds it into this
    /// tab's last entry when that is a change of the same record not yet taken for sending.
    /// Returns how to take that back.
    fn queue(&self, change: Change) -> Result<Undo, StoreError> {
        let tail = self.tail.borrow().clone();
        if let Some((tail_key, tail_id)) = &tail {
            if *tail_id == change.record_id {
                // Gone: the syncing tab took it. Otherwise fold into a next version of it.
                if let Some(before) = self.kv.get(tail_key) {
                    if let Ok(mut folded) = serde_json::from_str::<Change>(&before) {
                        if folded.absorb(&change) {
                            let written = next_version(tail_key);
                            self.write_json(&written, &folded)?;
                            self.kv.remove(tail_key);
                            *self.tail.borrow_mut() = Some((written.clone(), change.record_id));
                            return Ok(Undo::Refold {
                                written,
                                replaced: tail_key.clone(),
                                before,
                                tail,
                            });
                        }
                    }
                }
            }
        }
        let key = self.next_queue_key();
        self.write_json(&key, &change)?;
        *self.tail.borrow_mut() = Some((key.clone(), change.record_id));
        Ok(Undo::RemoveEntry { key, tail })
    }

    /// A new key in this tab's lane, after every earlier one.
    fn next_queue_key(&self) -> String {
        let (count, last_ms) = self.queued.get();
        let ms = now_ms().max(last_ms);
        self.queued.set((count + 1, ms));
        format!("{QUEUE_PREFIX}{ms:013}-{}-{count:06}-0000", self.lane)
    }

    /// How many changes wait for sync (without reading them).
    pub fn outbox_len(&self) -> usize {
        self.kv.keys(OUTBOX_PREFIX).len() + self.kv.keys(QUEUE_PREFIX).len()
    }

    /// The changes waiting for sync, in order: the numbered ones, then the queued ones.
    pub fn outbox(&self) -> Vec<Change> {
        self.outbox_keys()
            .iter()
            .filter_map(|key| self.read_json(key).ok().flatten())
            .collect()
    }

    fn outbox_keys(&self) -> Vec<String> {
        let mut keys = self.kv.keys(OUTBOX_PREFIX);
        keys.extend(self.kv.keys(QUEUE_PREFIX));
        keys
    }

    /// The municipality's social map and published templates as of the last sync.
    pub fn reference_data(&self) -> Option<shared::reference::ReferenceData> {
        self.read_json(REFERENCE_KEY).ok().flatten()
    }

    pub fn set_reference_data(
        &self,
        data: &shared::reference::ReferenceData,
    ) -> Result<(), StoreError> {
        self.write_json(REFERENCE_KEY, data)
    }

    pub fn roster(&self) -> Option<shared::model::caseload::Roster> {
        self.read_json(ROSTER_KEY).ok().flatten()
    }

    pub fn set_roster(&self, roster: &shared::model::caseload::Roster) -> Result<(), StoreError> {
        self.write_json(ROSTER_KEY, roster)
    }

    /// A form's unsaved state (not synced): survives a reload, gone once the form is done.
    pub fn save_draft<T: Serialize>(&self, name: &str, draft: &T) -> Result<(), StoreError> {
        self.write_json(&format!("{DRAFT_PREFIX}{name}"), draft)
    }

    pub fn draft<T: DeserializeOwned>(&self, name: &str) -> Option<T> {
        self.read_json(&format!("{DRAFT_PREFIX}{name}"))
            .ok()
            .flatten()
    }

    pub fn clear_draft(&self, name: &str) {
        self.kv.remove(&format!("{DRAFT_PREFIX}{name}"));
    }

    fn read_json<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, StoreError> {
        match self.kv.get(key) {
            None => Ok(None),
            Some(text) => serde_json::from_str(&text)
                .map(Some)
                .map_err(|e| StoreError::Corrupt(format!("{key}: {e}"))),
        }
    }

    fn write_json<T: Serialize>(&self, key: &str, value: &T) -> Result<(), StoreError> {
        let text = serde_json::to_string(value).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        self.kv.set(key, &text)
    }
}

/// Zero-padded so that keys sort in sequence order.
fn outbox_key(seq: u64) -> String {
    format!("{OUTBOX_PREFIX}{seq:012}")
}

/// The key of a queue entry's next version, sorting right after it (before later entries).
fn next_version(key: &str) -> String {
    let (stem, version) = key.rsplit_once('-').unwrap_or((key, "0"));
    format!("{stem}-{:04}", version.parse::<u64>().unwrap_or(0) + 1)
}

/// Milliseconds since 1970, to order the queue entries of different tabs roughly by time.
fn now_ms() -> u64 {
    #[cfg(feature = "hydrate")]
    {
        js_sys::Date::now() as u64
    }
    #[cfg(not(feature = "hydrate"))]
    {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64)
    }
}

#[cfg(feature = "hydrate")]
pub type DeviceKv = seal::SealedKv<kv::LocalStorageKv>;
#[cfg(not(feature = "hydrate"))]
pub type DeviceKv = seal::SealedKv<kv::MemoryKv>;

thread_local! {
    static DEVICE_STORE: std::cell::RefCell<Option<Store<DeviceKv>>> =
        const { std::cell::RefCell::new(None) };
}

/// Runs `f` with this device's store, opening (and migrating) it on first use. While the app is
/// locked nothing is read or written (`StoreError::Locked`).
pub fn with_device_store<R>(f: impl FnOnce(&Store<DeviceKv>) -> R) -> Result<R, StoreError> {
    // A write waiting for the next paint comes first: nothing reads around it or overtakes it.
    soon::flush();
    DEVICE_STORE.with(|cell| {
        if DeviceKv::default().is_locked() {
            return Err(StoreError::Locked);
        }
        if cell.borrow().is_none() {
            let store = Store::open(DeviceKv::default(), Id::now_v7)?;
            *cell.borrow_mut() = Some(store);
        }
        let store = cell.borrow();
        Ok(f(store.as_ref().expect("opened above")))
    })
}

/// What a PIN did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unlock {
    Unlocked,
    /// Wrong; this many tries are left.
    Wrong(u32),
    /// Too many wrong PINs: only an online sign-in lets the worker try again.
    Blocked,
}

thread_local! {
    /// The unlock proof between sign-in and the PIN (or the unlock) that lets it be sealed.
    static PENDING_PROOF: std::cell::RefCell<Option<String>> =
        const { std::cell::RefCell::new(None) };
}

/// Keeps the proof from a sign-in: sealed at once when the store is open, else in memory until
/// the PIN is set or entered.
pub fn keep_unlock_proof(proof: String) -> Result<(), StoreError> {
    if has_pin() && !is_locked() {
        DeviceKv::default().set(UNLOCK_PROOF_KEY, &proof)
    } else {
        PENDING_PROOF.with(|p| *p.borrow_mut() = Some(proof));
        Ok(())
    }
}

/// Seals a proof waiting in memory (after the PIN was set or entered).
fn seal_pending_proof() -> Result<(), StoreError> {
    match PENDING_PROOF.with(|p| p.borrow_mut().take()) {
        Some(proof) => DeviceKv::default().set(UNLOCK_PROOF_KEY, &proof),
        None => Ok(()),
    }
}

/// The proof that this app is unlocked, for the `x-keukentafel-unlock` header: none while
/// locked, so a locked tab's requests open nothing on the server.
pub fn unlock_proof() -> Option<String> {
    if let Some(pending) = PENDING_PROOF.with(|p| p.borrow().clone()) {
        return Some(pending);
    }
    if !has_pin() || is_locked() {
        return None;
    }
    DeviceKv::default().get(UNLOCK_PROOF_KEY)
}

/// The hex SHA-256 of an unlock proof.
pub fn proof_hash(proof: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(proof.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Remembers (after the wipe) which session the server still has to end.
pub fn remember_session_left(proof_hash: &str) {
    let _ = DeviceKv::default().set(SESSION_LEFT_KEY, proof_hash);
}

/// The session a sign-out left on the server, if any.
pub fn session_left() -> Option<String> {
    DeviceKv::default().get(SESSION_LEFT_KEY)
}

pub fn forget_session_left() {
    DeviceKv::default().remove(SESSION_LEFT_KEY);
}

/// The device secret's share of the PIN's key, for keyrings that use it.
async fn device_share(keyring: &seal::Keyring) -> Result<Option<Vec<u8>>, StoreError> {
    if !keyring.kdf.device_secret {
        return Ok(None);
    }
    device_secret::hmac("pin", &keyring.salt()?)
        .await
        .map_err(StoreError::Unavailable)
}

/// Signs the keyring's attempt count with the device secret and stores it.
async fn save_counted(kv: &DeviceKv, keyring: &mut seal::Keyring) -> Result<(), StoreError> {
    if keyring.kdf.device_secret {
        let mac = device_secret::hmac("counter", &keyring.counter_message())
            .await
            .map_err(StoreError::Unavailable)?;
        keyring.sign_counter(mac);
    }
    kv.save_keyring(keyring)
}

/// Unlocks the device's data with the worker's PIN. A count of wrong PINs that does not match
/// its signature (edited by hand, or a store copied from elsewhere) blocks like five wrong PINs.
pub async fn unlock(pin: &str) -> Result<Unlock, StoreError> {
    let kv = DeviceKv::default();
    let Some(mut keyring) = kv.keyring() else {
        return Ok(Unlock::Unlocked);
    };
    if keyring.kdf.device_secret {
        let mac = device_secret::hmac("counter", &keyring.counter_message())
            .await
            .map_err(StoreError::Unavailable)?;
        if !keyring.counter_intact(mac) {
            return Ok(Unlock::Blocked);
        }
    }
    if keyring.blocked() {
        return Ok(Unlock::Blocked);
    }
    let device = device_share(&keyring).await?;
    match seal::unwrap(&keyring, pin, device.as_deref())? {
        Some(key) => {
            // Written only when it changes: a full device must still open.
            if keyring.wrong_pins != 0 {
                keyring.wrong_pins = 0;
                save_counted(&kv, &mut keyring).await?;
            }
            seal::set_data_key(Some(key));
            seal_pending_proof()?;
            Ok(Unlock::Unlocked)
        }
        None => {
            keyring.wrong_pins += 1;
            save_counted(&kv, &mut keyring).await?;
            Ok(if keyring.blocked() {
                Unlock::Blocked
            } else {
                Unlock::Wrong(seal::MAX_WRONG_PINS - keyring.wrong_pins)
            })
        }
    }
}

/// Sets the PIN the first time (after the first sign-in) and seals everything already here.
pub async fn set_pin(pin: &str) -> Result<(), StoreError> {
    let kv = DeviceKv::default();
    if kv.keyring().is_some() {
        return Ok(());
    }
    let salt = seal::new_salt();
    let mut kdf = seal::Kdf::CURRENT;
    let device = device_secret::hmac("pin", &salt)
        .await
        .map_err(StoreError::Unavailable)?;
    // Outside the browser (tests) there is no device secret to mix in.
    kdf.device_secret = device.is_some();
    let (mut keyring, key) = seal::create(pin, salt, kdf, device.as_deref())?;
    save_counted(&kv, &mut keyring).await?;
    seal::set_data_key(Some(key));
    kv.seal_all()?;
    seal_pending_proof()
}

/// Whether a PIN protects this device's data.
pub fn has_pin() -> bool {
    DeviceKv::default().keyring().is_some()
}

pub fn is_locked() -> bool {
    DeviceKv::default().is_locked()
}

pub fn is_blocked() -> bool {
    DeviceKv::default().keyring().is_some_and(|k| k.blocked())
}

/// An online sign-in lifts the block after too many wrong PINs (and a count that was edited).
pub async fn unblock() -> Result<(), StoreError> {
    let kv = DeviceKv::default();
    if let Some(mut keyring) = kv.keyring() {
        keyring.wrong_pins = 0;
        save_counted(&kv, &mut keyring).await?;
    }
    Ok(())
}

/// Drops the data key: the app is locked until the PIN is entered again.
pub fn lock() {
    soon::flush();
    seal::set_data_key(None);
    PENDING_PROOF.with(|p| *p.borrow_mut() = None);
}

#[cfg(test)]
mod tab_tests;
#[cfg(test)]
mod tests;
