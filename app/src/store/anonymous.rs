//! Anonymous contacts (`shared::model::anonymous_contact`) waiting to reach the server, like the
//! access events: kept until the server holds them. They go by id, so one whose answer was lost
//! is sent again and still stored once. One the server refuses is set aside with its reason,
//! never dropped, and no longer holds up the others.

use super::kv::{KeyValue, StoreError};
use super::Store;
use serde::{Deserialize, Serialize};
use shared::model::anonymous_contact::AnonymousReceipt;
use shared::model::AnonymousContact;

const WAITING_PREFIX: &str = "kt/anon/";
const REFUSED_PREFIX: &str = "kt/anon-refused/";

/// An anonymous contact the server refused, with its words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefusedAnonymous {
    pub contact: AnonymousContact,
    pub reason: String,
}

impl<K: KeyValue> Store<K> {
    /// Keeps a new anonymous contact to send; checked as the server will check it.
    pub fn record_anonymous(&self, contact: &AnonymousContact) -> Result<(), StoreError> {
        contact
            .check()
            .map_err(|errors| StoreError::Refused(errors.sentence()))?;
        self.write_json(&format!("{WAITING_PREFIX}{}", contact.id), contact)
    }

    /// The anonymous contacts not yet held by the server, oldest first (ids are UUIDv7).
    pub fn anonymous_waiting(&self, limit: usize) -> Vec<AnonymousContact> {
        let mut keys = self.kv.keys(WAITING_PREFIX);
        keys.sort();
        keys.iter()
            .filter_map(|key| self.read_json(key).ok().flatten())
            .take(limit)
            .collect()
    }

    /// How many wait to be sent (counted by key: nothing is read).
    pub fn anonymous_waiting_count(&self) -> usize {
        self.kv.keys(WAITING_PREFIX).len()
    }

    /// The server's answer: what it holds leaves, what it refused is set aside with why.
    pub fn settle_anonymous(&self, receipt: &AnonymousReceipt) -> Result<(), StoreError> {
        for id in &receipt.stored {
            self.kv.remove(&format!("{WAITING_PREFIX}{id}"));
        }
        for (id, reason) in &receipt.refused {
            let key = format!("{WAITING_PREFIX}{id}");
            if let Some(contact) = self.read_json::<AnonymousContact>(&key)? {
                let refused = RefusedAnonymous {
                    contact,
                    reason: reason.clone(),
                };
                self.write_json(&format!("{REFUSED_PREFIX}{id}"), &refused)?;
                self.kv.remove(&key);
            }
        }
        Ok(())
    }

    /// Anonymous contacts the server refused, kept with their reasons.
    pub fn anonymous_refused(&self) -> Vec<RefusedAnonymous> {
        self.kv
            .keys(REFUSED_PREFIX)
            .iter()
            .filter_map(|key| self.read_json(key).ok().flatten())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::kv::MemoryKv;
    use super::*;
    use shared::model::{Channel, Given, Id};

    fn contact(n: u128, subject: &str) -> AnonymousContact {
        AnonymousContact {
            id: Id::from_u128(n),
            channel: Channel::Phone,
            at: time::macros::datetime!(2026-12-01 10:00 +1),
            subject: subject.into(),
            life_domains: vec!["finances".into()],
            given: Given::Information,
        }
    }

    #[test]
    fn an_anonymous_contact_waits_until_the_server_holds_it_and_a_refused_one_is_kept() {
        let store = Store::open(MemoryKv::default(), || Id::from_u128(42)).unwrap();
        store.record_anonymous(&contact(1, "Huurtoeslag")).unwrap();
        store
            .record_anonymous(&contact(2, "Parkeervergunning"))
            .unwrap();
        store.record_anonymous(&contact(3, "Afvalpas")).unwrap();
        assert!(matches!(
            store.record_anonymous(&contact(4, " ")),
            Err(StoreError::Refused(_))
        ));
        let waiting = store.anonymous_waiting(10);
        let ids: Vec<Id> = waiting.iter().map(|c| c.id).collect();
        assert_eq!(ids, [Id::from_u128(1), Id::from_u128(2), Id::from_u128(3)]);
        assert_eq!(store.anonymous_waiting(2).len(), 2);
        assert_eq!(store.anonymous_waiting_count(), 3);

        // The answer is lost: nothing leaves, the same ids go again.
        assert_eq!(store.anonymous_waiting(10).len(), 3);
        let receipt = AnonymousReceipt {
            stored: vec![Id::from_u128(1), Id::from_u128(3)],
            refused: vec![(Id::from_u128(2), "Onbekend leefgebied.".into())],
        };
        store.settle_anonymous(&receipt).unwrap();
        assert!(store.anonymous_waiting(10).is_empty());
        let refused = store.anonymous_refused();
        assert_eq!(refused.len(), 1);
        assert_eq!(refused[0].contact.subject, "Parkeervergunning");
        assert_eq!(refused[0].reason, "Onbekend leefgebied.");
    }
}
