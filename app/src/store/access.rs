//! Reads and prints of a household's data on this device, kept until the audit log on the
//! server has them (they are sent with every sync, also when made offline).

use super::kv::{KeyValue, StoreError};
use super::Store;
use shared::model::Id;
use shared::sync::{AccessAction, AccessEvent};

const ACCESS_PREFIX: &str = "kt/access/";
const ACCESS_SEQ_KEY: &str = "kt/meta/access-seq";

impl<K: KeyValue> Store<K> {
    pub fn note_access(
        &self,
        action: AccessAction,
        household_id: Id,
        at: String,
    ) -> Result<(), StoreError> {
        let seq: u64 = self.read_json(ACCESS_SEQ_KEY)?.unwrap_or(1);
        let event = AccessEvent {
            seq,
            at,
            action,
            household_id,
        };
        self.write_json(&format!("{ACCESS_PREFIX}{seq:012}"), &event)?;
        self.write_json(ACCESS_SEQ_KEY, &(seq + 1))
    }

    /// The oldest `max` events not yet on the server.
    pub fn access_events(&self, max: usize) -> Vec<AccessEvent> {
        self.kv
            .keys(ACCESS_PREFIX)
            .iter()
            .take(max)
            .filter_map(|key| self.read_json(key).ok().flatten())
            .collect()
    }

    pub fn drop_access(&self, through: u64) {
        for key in self.kv.keys(ACCESS_PREFIX) {
            if key[ACCESS_PREFIX.len()..]
                .parse::<u64>()
                .unwrap_or(u64::MAX)
                <= through
            {
                self.kv.remove(&key);
            }
        }
    }
}
