//! The device's half of sync (docs/sync.md): what to push, what the server settled, and how
//! pulled states land on the local records without overwriting what is still queued.

use super::kv::{KeyValue, StoreError};
use super::room::{Room, ShortOfRoom};
use super::{seal, Store, Stored, DEVICE_KEY, OUTBOX_PREFIX, QUEUE_PREFIX};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use shared::model::Id;
use shared::sync::fields::{entry_path, key_member, patch_entries, patch_entry_mut};
use shared::sync::{
    fold_field, set_field, upgrade, Change, ChangeOutcome, Conflict, LogBody, LogEntry, Operation,
    PullResponse, PushResponse, RecordState, Waiting, MAX_PUSH_BYTES, PROTOCOL_VERSION,
    SCHEMA_VERSION,
};
use std::collections::{BTreeSet, HashMap};

const SYNC_KEY: &str = "kt/meta/sync";

/// The change number in an outbox key.
fn seq_of(key: &str) -> u64 {
    key[OUTBOX_PREFIX.len()..].parse().unwrap_or(u64::MAX)
}
const CONFLICT_PREFIX: &str = "kt/conflict/";
const REJECTED_PREFIX: &str = "kt/rejected/";
const UNREADABLE_PREFIX: &str = "kt/unreadable/";
/// Room a pull always leaves, so that the worker can keep typing on a nearly full device.
pub const PULL_RESERVE_BYTES: usize = 512 * 1024;
/// Households that left this device's scope, removed once nothing queued refers to them.
const PURGE_PREFIX: &str = "kt/purge/";

/// Where this device stands with the server.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SyncMeta {
    /// The last log position applied here; only ever moves forward.
    pub cursor: u64,
    /// When the last full sync ended, as the device's clock saw it (RFC 3339).
    pub last_synced_at: Option<String>,
    /// What waited at the last sync's start would not fit here (said until a sync finds it fits).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_of_room: Option<ShortOfRoom>,
}

/// A change the server refused for good, kept with its reason so the worker can see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RejectedChange {
    pub change: Change,
    pub reason: String,
    /// The day the device learnt of the refusal (none when kept by an older version).
    #[serde(default)]
    pub refused_on: Option<time::Date>,
}

/// An outbox entry that could not be read, taken out of the queue so the rest can go.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unreadable {
    /// The change number it had.
    pub seq: u64,
    /// What was stored, as it was (empty when even that could not be read).
    pub raw: String,
}

/// What is here now, when it still holds every refused word (more typed since); else the
/// refused text (a pull put the server's older text here meanwhile).
/// The texts inside `refused` (a field's object or list), with their paths, as
/// [`Store::rejected_texts`] gives them: ids and dates are not texts a worker corrects.
fn nested_texts(
    path: &str,
    refused: &Value,
    now: Option<&Value>,
    texts: &mut Vec<(String, String)>,
) {
    let is_id = |key: &str| key == "id" || key.ends_with("_id");
    match refused {
        Value::String(text) if !looks_like_date(text) => {
            texts.push((path.to_owned(), current_text(now, text)));
        }
        Value::Object(members) => {
            for (key, value) in members.iter().filter(|(key, _)| !is_id(key)) {
                let now = now.and_then(|n| n.get(key));
                nested_texts(&format!("{path}/{key}"), value, now, texts);
            }
        }
        Value::Array(items) => {
            for (i, value) in items.iter().enumerate() {
                nested_texts(
                    &format!("{path}/{i}"),
                    value,
                    now.and_then(|n| n.get(i)),
                    texts,
                );
            }
        }
        _ => {}
    }
}

/// `2026-11-30` or a timestamp starting so.
fn looks_like_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() >= 10
        && bytes[..10].iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        })
}

/// Writes `text` at a path [`nested_texts`] gave (`answers/own_words/text`); false when
/// `fields` has nothing there.
fn set_nested(fields: &mut serde_json::Map<String, Value>, path: &str, text: &str) -> bool {
    let mut steps = path.split('/');
    let Some(mut at) = steps.next().and_then(|field| fields.get_mut(field)) else {
        return false;
    };
    for step in steps {
        let next = match at {
            Value::Object(members) => members.get_mut(step),
            Value::Array(items) => step.parse::<usize>().ok().and_then(|i| items.get_mut(i)),
            _ => None,
        };
        let Some(next) = next else { return false };
        at = next;
    }
    if !at.is_string() {
        return false;
    }
    *at = Value::String(text.to_owned());
    true
}

fn current_text(now: Option<&Value>, refused: &str) -> String {
    match now.and_then(Value::as_str) {
        Some(now) if holds_words(now, refused) => now.to_owned(),
        _ => refused.to_owned(),
    }
}

/// Whether `text` has every word of `words` (invisible characters aside).
fn holds_words(text: &str, words: &str) -> bool {
    let clean = |s: &str| s.replace(|c: char| c.is_control(), " ");
    let text = clean(text);
    let have: BTreeSet<&str> = text.split_whitespace().collect();
    clean(words).split_whitespace().all(|w| have.contains(w))
}

fn json_len(change: &Change) -> usize {
    serde_json::to_string(change).map_or(0, |t| t.len())
}

/// What is queued for one record.
#[derive(Default)]
struct Pending {
    /// Every field is pending (a queued create or delete).
    whole: bool,
    deleted: bool,
    /// The latest queued value of each patched field.
    fields: serde_json::Map<String, Value>,
}

/// What a pull of many pages reads once ([`Store::begin_pull`]) and its parts share.
pub struct PullInProgress {
    /// What may still be used before the reserve, and what the entries so far took.
    room: Room,
    /// Households marked to be purged.
    leaving: BTreeSet<Id>,
}

impl<K: KeyValue> Store<K> {
    pub fn sync_meta(&self) -> SyncMeta {
        self.read_json(SYNC_KEY).ok().flatten().unwrap_or_default()
    }

    pub fn set_sync_meta(&self, meta: &SyncMeta) -> Result<(), StoreError> {
        self.write_json(SYNC_KEY, meta)
    }

    /// The oldest queued changes, at most `max` and [`MAX_PUSH_BYTES`], to push.
    pub fn begin_push(&self, max: usize) -> Result<Vec<Change>, StoreError> {
        self.begin_push_within(max, MAX_PUSH_BYTES)
    }

    /// The oldest changes waiting, at most `max` of them and `max_bytes` as JSON (always at
    /// least one: a change is never larger than a push may be, see `check_record`). Called
    /// only by the tab holding the sync lock: first the numbered entries (sent before, their
    /// answer unknown: the same numbers and words again), then queued entries of every tab,
    /// which get their numbers now.
    pub fn begin_push_within(
        &self,
        max: usize,
        max_bytes: usize,
    ) -> Result<Vec<Change>, StoreError> {
        let mut device = self.device()?;
        let numbered = self.kv.keys(OUTBOX_PREFIX);
        // A number written just before a crash, before the counter was saved, stays taken.
        let floor = numbered.last().map_or(0, |k| seq_of(k) + 1);
        device.next_seq = device.next_seq.max(floor).max(device.settled_through + 1);
        let mut batch = Vec::new();
        let mut bytes = 0;
        let fits = |batch: &Vec<Change>, bytes: usize, size: usize| {
            batch.is_empty() || (batch.len() < max && bytes + size <= max_bytes)
        };
        for key in numbered {
            match self.entry(&key) {
                Some(Ok(change)) => {
                    let size = json_len(&change);
                    // A push carries consecutive numbers. An older entry kept only for its
                    // answer (the server settled it, its answer was lost) goes out alone.
                    let follows = batch
                        .last()
                        .is_none_or(|l: &Change| l.seq + 1 == change.seq);
                    if !follows || !fits(&batch, bytes, size) {
                        return Ok(batch);
                    }
                    bytes += size;
                    batch.push(change);
                }
                Some(Err(raw)) => {
                    self.set_aside(&key, raw)?;
                    return self.begin_push_within(max, max_bytes);
                }
                None => {}
            }
        }
        if batch.last().is_some_and(|l| l.seq + 1 != device.next_seq) {
            return Ok(batch);
        }
        for key in self.kv.keys(QUEUE_PREFIX) {
            match self.entry(&key) {
                Some(Ok(mut change)) => {
                    let size = json_len(&change);
                    if !fits(&batch, bytes, size) {
                        break;
                    }
                    change.seq = device.next_seq;
                    self.write_json(&super::outbox_key(change.seq), &change)?;
                    device.next_seq += 1;
                    self.kv.remove(&key);
                    bytes += size;
                    batch.push(change);
                }
                Some(Err(raw)) => {
                    self.keep_unreadable(0, raw)?;
                    self.kv.remove(&key);
                }
                None => {}
            }
        }
        // Once per push: a crash before this loses nothing, the numbered entries themselves
        // raise the counter again (`floor` above).
        self.write_json(DEVICE_KEY, &device)?;
        Ok(batch)
    }

    /// An outbox or queue entry: the change, or the raw text when it cannot be read (None:
    /// gone, or sealed while the app is locked).
    fn entry(&self, key: &str) -> Option<Result<Change, String>> {
        match self.kv.get(key) {
            Some(text) => Some(serde_json::from_str::<Change>(&text).map_err(|_| text)),
            None if seal::has_data_key() => self.kv.raw(key).map(Err),
            None => None,
        }
    }

    fn keep_unreadable(&self, seq: u64, raw: String) -> Result<(), StoreError> {
        let aside = Unreadable { seq, raw };
        self.write_json(
            &format!("{UNREADABLE_PREFIX}{}", shared::model::Id::now_v7()),
            &aside,
        )
    }

    /// Moves an outbox entry nobody can read out of the queue, keeping its raw content for the
    /// worker and the administrator, and closes the gap it leaves: the server takes changes
    /// only without gaps, so the later entries each move one number down.
    fn set_aside(&self, key: &str, raw: String) -> Result<(), StoreError> {
        let seq = seq_of(key);
        self.keep_unreadable(seq, raw)?;
        self.kv.remove(key);
        let mut device = self.device()?;
        if seq <= device.settled_through {
            // The server has it already: no gap, and its number stays used.
            return Ok(());
        }
        for later in self.kv.keys(OUTBOX_PREFIX) {
            let number = seq_of(&later);
            if number <= seq {
                continue;
            }
            if let Some(text) = self.kv.get(&later) {
                let moved = match serde_json::from_str::<Change>(&text) {
                    Ok(mut change) => {
                        change.seq = number - 1;
                        serde_json::to_string(&change)
                            .map_err(|e| StoreError::Corrupt(e.to_string()))?
                    }
                    // Another damaged entry moves as it is; the next push sets it aside too.
                    Err(_) => text,
                };
                self.kv.set(&super::outbox_key(number - 1), &moved)?;
                self.kv.remove(&later);
            }
        }
        device.next_seq -= 1;
        self.write_json(DEVICE_KEY, &device)
    }

    /// Sends a refused change again with the worker's corrected texts: a new change under the
    /// next number, checked like any other; the record here takes the texts too.
    pub fn resend_rejected(&self, seq: u64, texts: &[(String, String)]) -> Result<(), StoreError> {
        let key = format!("{REJECTED_PREFIX}{seq:012}");
        let Some(rejected) = self.read_json::<RejectedChange>(&key)? else {
            return Ok(());
        };
        let refused = rejected.change;
        let mut fields = refused.fields.clone();
        for (field, text) in texts {
            // A text inside a refused life domain: `domains/<key>/<member>`.
            let entry = field.rsplit_once('/').and_then(|(entry, member)| {
                let entry = patch_entry_mut(refused.record_type, &mut fields, entry)?;
                Some((member, entry))
            });
            if let Some((member, entry)) = entry {
                entry.insert(member.to_owned(), Value::String(text.clone()));
            } else if !set_nested(&mut fields, field, text) {
                fields.insert(field.clone(), Value::String(text.clone()));
            }
        }
        let record_key = Self::record_key(refused.record_type.key(), refused.record_id);
        let local: Option<Stored<Value>> = self.read_json(&record_key)?;
        let mut record = local
            .as_ref()
            .and_then(|l| l.record.as_object().cloned())
            .unwrap_or_default();
        for (field, value) in &fields {
            set_field(refused.record_type, &mut record, field, value.clone());
        }
        // Checked here when the whole record is here; a patch of a record gone from this
        // device (deleted meanwhile) is the server's to check against what it has.
        let whole = local.is_some() || refused.op == Operation::Create;
        if refused.op != Operation::Delete && whole {
            shared::sync::check_record(
                crate::reference::catalogue(),
                refused.record_type,
                refused.record_id,
                &record,
            )
            .map_err(StoreError::Refused)?;
        }
        // Based on what the refused words were based on: an edit someone made meanwhile meets
        // them as a conflict instead of being overwritten.
        let base_version = refused.base_version;
        let mut change = Change::new(
            self.device()?.id,
            0,
            (refused.record_type, refused.record_id),
            refused.op,
            fields,
            base_version,
        );
        // A refused resolution still settles its conflict once it lands.
        change.resolves = refused.resolves;
        change.resent = true;
        let undo = self.queue(change)?;
        if let Some(mut stored) = local {
            stored.record = Value::Object(record);
            // The record now shows words based on the refused change's version, whatever was
            // pulled since: an edit typed on top of them must meet a newer value as a conflict
            // too, not overwrite it (simulation seed 784).
            stored.base_version = stored.base_version.min(base_version);
            if let Err(error) = self.write_json(&record_key, &stored) {
                self.undo(undo);
                return Err(error);
            }
        }
        self.kv.remove(&key);
        Ok(())
    }

    /// The texts of a refused change as the worker corrects them: each field's value on this
    /// device now (the refused words stay there, see `pending`, plus anything typed since), or
    /// the refused value for a record no longer here. Sending these never goes back in time.
    pub fn rejected_texts(&self, refused: &RejectedChange) -> Vec<(String, String)> {
        let change = &refused.change;
        let key = Self::record_key(change.record_type.key(), change.record_id);
        let local: Option<Stored<Value>> = self.read_json(&key).ok().flatten();
        let here = |field: &str| {
            let record = local.as_ref()?.record.as_object()?;
            shared::sync::fields::field_value(change.record_type, record, field)
        };
        let mut texts = Vec::new();
        for (field, value) in &change.fields {
            if let (Value::String(refused_text), false) =
                (value, matches!(field.as_str(), "id" | "household_id"))
            {
                let now = here(field);
                texts.push((field.clone(), current_text(now.as_ref(), refused_text)));
            }
        }
        // Each text of a life domain, not the key that names it.
        for (field, entry) in patch_entries(change.record_type, &change.fields) {
            let key = entry_path(&field).and_then(|(list, _)| key_member(change.record_type, list));
            let now = here(&field);
            for (member, value) in entry {
                let Some(refused_text) = value.as_str() else {
                    continue;
                };
                if Some(member.as_str()) != key {
                    let now = now.as_ref().and_then(|e| e.get(member));
                    texts.push((format!("{field}/{member}"), current_text(now, refused_text)));
                }
            }
        }
        // Texts deeper in a field: a quick scan's answers (`answers/own_words/text`), a plan's
        // goals (`goals/0/result`).
        for (field, value) in &change.fields {
            let keyed =
                entry_path(field).is_some() || key_member(change.record_type, field).is_some();
            if !keyed && (value.is_object() || value.is_array()) {
                nested_texts(field, value, here(field).as_ref(), &mut texts);
            }
        }
        texts
    }

    /// Forgets a refused change the server recorded as thrown away.
    pub fn forget_rejected(&self, seq: u64) {
        self.kv.remove(&format!("{REJECTED_PREFIX}{seq:012}"));
    }

    /// Outbox entries that could not be read, set aside with their raw content.
    pub fn unreadable(&self) -> Vec<Unreadable> {
        self.kv
            .keys(UNREADABLE_PREFIX)
            .iter()
            .filter_map(|key| self.read_json(key).ok().flatten())
            .collect()
    }

    /// Drops every queued change the server settled, keeping the refused ones' reasons.
    pub fn settle(&self, response: &PushResponse, sent: &[Change]) -> Result<(), StoreError> {
        for result in &response.results {
            if let (Some(version), Some(change)) =
                (result.version, sent.iter().find(|c| c.seq == result.seq))
            {
                self.note_own_version(change, version)?;
            }
            if result.outcome != ChangeOutcome::Rejected {
                continue;
            }
            if let Some(change) = sent.iter().find(|c| c.seq == result.seq) {
                self.keep_rejected(change, result.reason.as_deref())?;
            }
        }
        self.note_settled(response.applied_through)?;
        // Only what this answer settled leaves: an entry the server settled earlier (learnt
        // from a pull after a lost answer) goes out once more, so that a rejection comes back
        // with its reason instead of vanishing with the lost answer.
        for change in sent.iter().filter(|c| c.seq <= response.applied_through) {
            self.kv.remove(&super::outbox_key(change.seq));
        }
        self.purge_left_households();
        Ok(())
    }

    fn keep_rejected(&self, change: &Change, reason: Option<&str>) -> Result<(), StoreError> {
        let rejected = RejectedChange {
            change: change.clone(),
            reason: reason.unwrap_or_default().to_owned(),
            refused_on: Some(crate::clock::today()),
        };
        self.write_json(&format!("{REJECTED_PREFIX}{:012}", change.seq), &rejected)
    }

    /// Removes the numbered entries up to `applied_through` (learnt from a pull, after the
    /// refusals among them were kept).
    fn drop_confirmed(&self, applied_through: u64) {
        for key in self.kv.keys(OUTBOX_PREFIX) {
            if seq_of(&key) <= applied_through {
                self.kv.remove(&key);
            }
        }
    }

    fn note_settled(&self, applied_through: u64) -> Result<(), StoreError> {
        let mut device = self.device()?;
        if applied_through > device.settled_through {
            device.settled_through = applied_through;
            self.write_json(DEVICE_KEY, &device)?;
        }
        Ok(())
    }

    fn note_own_version(&self, change: &Change, version: u64) -> Result<(), StoreError> {
        let key = Self::record_key(change.record_type.key(), change.record_id);
        if let Some(mut stored) = self.read_json::<Stored<Value>>(&key)? {
            if version > stored.own_version {
                stored.own_version = version;
                self.write_json(&key, &stored)?;
            }
        }
        Ok(())
    }

    /// After an app update: queued changes from the previous version are rewritten to the
    /// current schema, in place, and replayed.
    pub fn upgrade_outbox(&self) -> Result<usize, StoreError> {
        let mut upgraded = 0;
        for key in self.outbox_keys() {
            if let Some(change) = self.read_json::<Change>(&key)? {
                if change.schema_version != SCHEMA_VERSION
                    || change.protocol_version != PROTOCOL_VERSION
                {
                    let mut change = upgrade(change);
                    change.protocol_version = PROTOCOL_VERSION;
                    self.write_json(&key, &change)?;
                    upgraded += 1;
                }
            }
        }
        Ok(upgraded)
    }

    /// Applies one pulled page and moves the cursor. First the changes the server settled leave
    /// the outbox (their effect is in the page); fields still queued after that keep their local
    /// value: they are on their way and the server merges them. At once: [`Store::begin_pull`],
    /// [`Store::take_page`], [`Store::apply_part`] with all its entries, [`Store::end_pull`]; the
    /// browser applies a page in parts, painting between them.
    pub fn apply_pull(&self, page: &PullResponse) -> Result<(), StoreError> {
        let mut pulling = self.begin_pull();
        self.take_page(page)?;
        self.apply_part(&mut pulling, &page.entries)?;
        self.end_pull();
        Ok(())
    }

    /// Reads, once for a whole pull of many pages, what applying them shares: the room left
    /// before the reserve that keeps typing possible, and the households marked to leave. (Each
    /// read goes through every key of localStorage: once per part would cost more than the
    /// applying itself.)
    pub fn begin_pull(&self) -> PullInProgress {
        PullInProgress {
            room: Room::new(
                self.kv
                    .room()
                    .map(|(used, quota)| quota.saturating_sub(used + PULL_RESERVE_BYTES)),
            ),
            leaving: self
                .kv
                .keys(PURGE_PREFIX)
                .iter()
                .filter_map(|key| key[PURGE_PREFIX.len()..].parse().ok())
                .collect(),
        }
    }

    /// A page's refusals and settled number, before its entries.
    pub fn take_page(&self, page: &PullResponse) -> Result<(), StoreError> {
        // Refusals whose push answer was lost: kept with their words before the outbox
        // drops what the server settled.
        for result in &page.rejected {
            let key = super::outbox_key(result.seq);
            if let Some(change) = self.read_json::<Change>(&key)? {
                self.keep_rejected(&change, result.reason.as_deref())?;
            }
        }
        self.note_settled(page.applied_through)?;
        self.drop_confirmed(page.applied_through);
        Ok(())
    }

    /// Applies `entries` (a page, or the next part of one) and saves the cursor after them. What
    /// is queued is read again for every part: the worker may have typed in between, and a
    /// queued value must win over the pulled one.
    pub fn apply_part(
        &self,
        pulling: &mut PullInProgress,
        entries: &[LogEntry],
    ) -> Result<(), StoreError> {
        let pending = self.pending();
        let mut meta = self.sync_meta();
        for entry in entries {
            if entry.position <= meta.cursor {
                continue;
            }
            let json = serde_json::to_string(&entry.body).map_or(0, |t| t.len());
            if !pulling.room.may_take(json) {
                // Stop here and keep the cursor: the rest comes once there is room.
                self.set_sync_meta(&meta)?;
                return Err(StoreError::NearlyFull(self.largest_households(3)));
            }
            let before = self.kv.written();
            match &entry.body {
                LogBody::Record(state) => {
                    self.apply_state(state, pending.get(&state.record_id))?;
                    // A record of a household that left arrives again: it is back in this
                    // device's scope (moved back), so it is no longer to be purged.
                    if pulling.leaving.remove(&state.household_id) {
                        self.kv
                            .remove(&format!("{PURGE_PREFIX}{}", state.household_id));
                    }
                }
                LogBody::Conflict(conflict) => {
                    self.write_json(&format!("{CONFLICT_PREFIX}{}", conflict.id), conflict)?
                }
                LogBody::Resolved { conflict_id } => {
                    self.kv.remove(&format!("{CONFLICT_PREFIX}{conflict_id}"))
                }
                LogBody::LeftScope { household_id } => {
                    self.write_json(&format!("{PURGE_PREFIX}{household_id}"), &true)?;
                    pulling.leaving.insert(*household_id);
                }
            }
            // What it took: compressed, a sealed record is a fraction of its JSON. (Counting
            // the most instead stopped a fresh device at a third of what it holds.)
            let after = self.kv.written();
            pulling.room.took(
                json,
                before.zip(after).map(|(before, after)| after - before),
            );
            meta.cursor = entry.position;
        }
        self.set_sync_meta(&meta)
    }

    /// After a sync's first page: whether what waits after it will fit, kept for the worker
    /// to read until a sync finds that it does.
    pub fn foresee(
        &self,
        pulling: &PullInProgress,
        waiting: Option<Waiting>,
    ) -> Result<Option<ShortOfRoom>, StoreError> {
        let short = waiting.and_then(|waiting| pulling.room.foresee(waiting));
        let meta = self.sync_meta();
        if meta.short_of_room != short {
            self.set_sync_meta(&SyncMeta {
                short_of_room: short,
                ..meta
            })?;
        }
        Ok(short)
    }

    /// After the last page: removes the households that left this device's scope.
    pub fn end_pull(&self) {
        self.purge_left_households();
    }

    /// The names of the `n` households that take most room here.
    fn largest_households(&self, n: usize) -> String {
        let mut sizes: HashMap<Id, usize> = HashMap::new();
        let mut names: HashMap<Id, String> = HashMap::new();
        for key in self.kv.keys(super::RECORD_PREFIX) {
            let size = self.kv.raw(&key).map_or(0, |t| t.len());
            let Some(stored) = self.read_json::<Stored<Value>>(&key).ok().flatten() else {
                continue;
            };
            if let Some(household) = record_household(&stored.record) {
                *sizes.entry(household).or_default() += size;
                if key.starts_with(&format!("{}household/", super::RECORD_PREFIX)) {
                    if let Some(name) = stored.record.get("name").and_then(Value::as_str) {
                        // A name, not a page of text, in one sentence of the sync status.
                        let mut short: String = name.chars().take(40).collect();
                        if short.len() < name.len() {
                            short.push('…');
                        }
                        names.insert(household, short);
                    }
                }
            }
        }
        let mut largest: Vec<(usize, Id)> = sizes.into_iter().map(|(h, s)| (s, h)).collect();
        largest.sort_by(|a, b| b.cmp(a));
        largest
            .into_iter()
            .take(n)
            .filter_map(|(_, h)| names.get(&h).cloned())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Removes every record and conflict of a household that left this device's scope, as soon
    /// as no queued change refers to it any more (those are pushed first).
    fn purge_left_households(&self) {
        let marked: Vec<String> = self.kv.keys(PURGE_PREFIX);
        if marked.is_empty() {
            return;
        }
        let waiting: BTreeSet<Id> = self
            .outbox()
            .iter()
            .filter_map(|change| self.household_of(change))
            .collect();
        for key in marked {
            let Ok(household) = key[PURGE_PREFIX.len()..].parse::<Id>() else {
                continue;
            };
            if waiting.contains(&household) {
                continue;
            }
            for record_key in self.kv.keys(super::RECORD_PREFIX) {
                let belongs = self
                    .read_json::<Stored<Value>>(&record_key)
                    .ok()
                    .flatten()
                    .is_some_and(|s| record_household(&s.record) == Some(household));
                if belongs {
                    self.kv.remove(&record_key);
                }
            }
            for conflict in self.conflicts() {
                if conflict.household_id == household {
                    self.kv.remove(&format!("{CONFLICT_PREFIX}{}", conflict.id));
                }
            }
            self.kv.remove(&key);
        }
    }

    fn household_of(&self, change: &Change) -> Option<Id> {
        if change.record_type == shared::sync::RecordType::Household {
            return Some(change.record_id);
        }
        let from_fields = change
            .fields
            .get("household_id")
            .and_then(Value::as_str)
            .and_then(|s| s.parse().ok());
        from_fields.or_else(|| {
            let key = Self::record_key(change.record_type.key(), change.record_id);
            let stored: Stored<Value> = self.read_json(&key).ok().flatten()?;
            record_household(&stored.record)
        })
    }

    fn apply_state(
        &self,
        state: &RecordState,
        pending: Option<&Pending>,
    ) -> Result<(), StoreError> {
        let key = Self::record_key(state.record_type.key(), state.record_id);
        let local: Option<Stored<Value>> = self.read_json(&key).ok().flatten();
        if local
            .as_ref()
            .is_some_and(|l| l.base_version > state.version)
        {
            return Ok(());
        }
        if let Some(pending) = pending {
            if pending.whole || pending.deleted {
                return Ok(());
            }
        }
        if state.deleted {
            // Queued edits keep the record here: they meet the tombstone as conflicts, and the
            // worker's words stay visible until then.
            if pending.is_none() {
                self.kv.remove(&key);
            }
            return Ok(());
        }
        let mut fields = state.fields.clone();
        let mut base_version = state.version;
        let own_version = local.as_ref().map_or(0, |l| l.own_version);
        if let Some(pending) = pending.filter(|p| !p.fields.is_empty()) {
            // Queued values win here (taken from the outbox, so also for a record that was not
            // here, such as one restored by a conflict's resolution).
            for (field, value) in &pending.fields {
                set_field(state.record_type, &mut fields, field, value.clone());
            }
            // The worker has not seen the server's value of those fields: later edits stay
            // based on the old version, so the server reports a conflict rather than
            // overwriting a value nobody here saw.
            if let Some(local) = &local {
                base_version = local.base_version;
            }
        }
        self.write_json(
            &key,
            &Stored {
                base_version,
                own_version,
                record: Value::Object(fields),
            },
        )
    }

    /// What is still on its way, per record.
    fn pending(&self) -> HashMap<Id, Pending> {
        let mut pending: HashMap<Id, Pending> = HashMap::new();
        for change in self.outbox() {
            let entry = pending.entry(change.record_id).or_default();
            match change.op {
                Operation::Create => entry.whole = true,
                Operation::Delete => entry.deleted = true,
                Operation::Patch => {
                    for (field, value) in change.fields {
                        fold_field(change.record_type, &mut entry.fields, &field, value);
                    }
                }
            }
        }
        pending
    }

    /// The conflicts waiting for a worker's choice, oldest first.
    pub fn conflicts(&self) -> Vec<Conflict> {
        self.kv
            .keys(CONFLICT_PREFIX)
            .iter()
            .filter_map(|key| self.read_json(key).ok().flatten())
            .collect()
    }

    /// The changes the server refused for good.
    pub fn rejected(&self) -> Vec<RejectedChange> {
        self.kv
            .keys(REJECTED_PREFIX)
            .iter()
            .filter_map(|key| self.read_json(key).ok().flatten())
            .collect()
    }

    /// The refused changes of one household (a patch names it only through its record here).
    pub fn rejected_in(&self, household: Id) -> Vec<RejectedChange> {
        self.rejected()
            .into_iter()
            .filter(|r| self.household_of(&r.change) == Some(household))
            .collect()
    }

    /// Settles a conflict with the value the worker chose (one of both, or a merged text): the
    /// record takes it at once and a change that names the conflict is queued. `None` keeps a
    /// record that was deleted elsewhere deleted.
    pub fn resolve_conflict(
        &self,
        conflict: &Conflict,
        chosen: Option<Value>,
    ) -> Result<(), StoreError> {
        let key = Self::record_key(conflict.record_type.key(), conflict.record_id);
        let local: Option<Stored<Value>> = self.read_json(&key)?;
        let device = self.device()?;
        let mut fields = serde_json::Map::new();
        // A delete against another worker's edits: keeping the record is an empty patch.
        let whole = conflict.deleted_on_device;
        if let Some(chosen) = chosen.as_ref().filter(|_| !whole) {
            fields.insert(conflict.field.clone(), chosen.clone());
        }
        let base_version = local
            .as_ref()
            .map_or(0, |l| l.base_version)
            .max(conflict.server_version);
        let op = if chosen.is_some() {
            Operation::Patch
        } else {
            Operation::Delete
        };
        let mut change = Change::new(
            device.id,
            0,
            (conflict.record_type, conflict.record_id),
            op,
            fields,
            base_version,
        );
        change.resolves = Some(conflict.id);
        let undo = self.queue(change)?;
        if whole {
            if chosen.is_none() {
                self.kv.remove(&key);
            }
        } else if let (Some(mut stored), Some(chosen)) = (local, chosen) {
            if let Value::Object(record) = &mut stored.record {
                set_field(conflict.record_type, record, &conflict.field, chosen);
            }
            if let Err(error) = self.write_json(&key, &stored) {
                self.undo(undo);
                return Err(error);
            }
        }
        self.kv.remove(&format!("{CONFLICT_PREFIX}{}", conflict.id));
        Ok(())
    }
}

/// The household a stored record belongs to: its `household_id`, or its own id for a household.
fn record_household(record: &Value) -> Option<Id> {
    record
        .get("household_id")
        .or_else(|| record.get("members").and(record.get("id")))
        .and_then(Value::as_str)
        .and_then(|s| s.parse().ok())
}
