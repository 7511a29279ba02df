//! One-way items (`shared::model::one_way`: anonymous contacts, signals from outside) waiting
//! to reach the server, like the access events: kept until the server holds them. They go by
//! id, so one whose answer was lost is sent again and still stored once. One the server refuses
//! is set aside with its reason, never dropped, and no longer holds up the others.

use super::kv::{KeyValue, StoreError};
use super::Store;
use serde::{Deserialize, Serialize};
use shared::model::{OneWay, OneWayReceipt};

fn waiting_key<T: OneWay>(id: impl std::fmt::Display) -> String {
    format!("kt/{}/{id}", T::KIND)
}

fn refused_key<T: OneWay>(id: impl std::fmt::Display) -> String {
    format!("kt/{}-refused/{id}", T::KIND)
}

/// A one-way item the server refused, with its words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefusedOneWay<T> {
    #[serde(alias = "contact")]
    pub item: T,
    pub reason: String,
}

impl<K: KeyValue> Store<K> {
    /// Keeps a new item to send; checked as the server will check it.
    pub fn record_one_way<T: OneWay>(&self, item: &T) -> Result<(), StoreError> {
        item.check()
            .map_err(|errors| StoreError::Refused(errors.sentence()))?;
        self.write_json(&waiting_key::<T>(item.id()), item)
    }

    /// The items not yet held by the server, oldest first (ids are UUIDv7).
    pub fn one_way_waiting<T: OneWay>(&self, limit: usize) -> Vec<T> {
        let mut keys = self.kv.keys(&waiting_key::<T>(""));
        keys.sort();
        keys.iter()
            .filter_map(|key| self.read_json(key).ok().flatten())
            .take(limit)
            .collect()
    }

    /// How many wait to be sent (counted by key: nothing is read).
    pub fn one_way_waiting_count<T: OneWay>(&self) -> usize {
        self.kv.keys(&waiting_key::<T>("")).len()
    }

    /// The server's answer: what it holds leaves, what it refused is set aside with why.
    pub fn settle_one_way<T: OneWay>(&self, receipt: &OneWayReceipt) -> Result<(), StoreError> {
        for id in &receipt.stored {
            self.kv.remove(&waiting_key::<T>(id));
        }
        for (id, reason) in &receipt.refused {
            let key = waiting_key::<T>(id);
            if let Some(item) = self.read_json::<T>(&key)? {
                let refused = RefusedOneWay {
                    item,
                    reason: reason.clone(),
                };
                self.write_json(&refused_key::<T>(id), &refused)?;
                self.kv.remove(&key);
            }
        }
        Ok(())
    }

    /// Items the server refused, kept with their reasons.
    pub fn one_way_refused<T: OneWay>(&self) -> Vec<RefusedOneWay<T>> {
        self.kv
            .keys(&refused_key::<T>(""))
            .iter()
            .filter_map(|key| self.read_json(key).ok().flatten())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::kv::MemoryKv;
    use super::*;
    use shared::model::{AnonymousContact, Channel, Given, Id};

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
        store.record_one_way(&contact(1, "Huurtoeslag")).unwrap();
        store
            .record_one_way(&contact(2, "Parkeervergunning"))
            .unwrap();
        store.record_one_way(&contact(3, "Afvalpas")).unwrap();
        assert!(matches!(
            store.record_one_way(&contact(4, " ")),
            Err(StoreError::Refused(_))
        ));
        let waiting = store.one_way_waiting::<AnonymousContact>(10);
        let ids: Vec<Id> = waiting.iter().map(|c| c.id).collect();
        assert_eq!(ids, [Id::from_u128(1), Id::from_u128(2), Id::from_u128(3)]);
        assert_eq!(store.one_way_waiting::<AnonymousContact>(2).len(), 2);
        assert_eq!(store.one_way_waiting_count::<AnonymousContact>(), 3);

        // The answer is lost: nothing leaves, the same ids go again.
        assert_eq!(store.one_way_waiting::<AnonymousContact>(10).len(), 3);
        let receipt = OneWayReceipt {
            stored: vec![Id::from_u128(1), Id::from_u128(3)],
            refused: vec![(Id::from_u128(2), "Onbekend leefgebied.".into())],
        };
        store.settle_one_way::<AnonymousContact>(&receipt).unwrap();
        assert!(store.one_way_waiting::<AnonymousContact>(10).is_empty());
        let refused = store.one_way_refused::<AnonymousContact>();
        assert_eq!(refused.len(), 1);
        assert_eq!(refused[0].item.subject, "Parkeervergunning");
        assert_eq!(refused[0].reason, "Onbekend leefgebied.");
    }

    #[test]
    fn signals_and_anonymous_contacts_wait_apart() {
        use shared::model::outside_signal::{Ground, Source};
        use shared::model::{OutsideSignal, Reporter};
        let store = Store::open(MemoryKv::default(), || Id::from_u128(42)).unwrap();
        store.record_one_way(&contact(1, "Huurtoeslag")).unwrap();
        let signal = OutsideSignal {
            id: Id::from_u128(2),
            channel: Channel::Phone,
            received_at: time::macros::datetime!(2026-12-01 10:00 +1),
            reporter: Reporter {
                source: Source::Gp,
                anonymous: false,
                name: "Huisartsenpraktijk".into(),
                reach: String::new(),
            },
            concern: "Valt vaak".into(),
            about: String::new(),
            ground: Ground::Consent,
        };
        store.record_one_way(&signal).unwrap();
        let mut anonymous_named = signal.clone();
        anonymous_named.id = Id::from_u128(3);
        anonymous_named.reporter.anonymous = true;
        assert!(matches!(
            store.record_one_way(&anonymous_named),
            Err(StoreError::Refused(_))
        ));
        assert_eq!(store.one_way_waiting_count::<OutsideSignal>(), 1);
        assert_eq!(store.one_way_waiting_count::<AnonymousContact>(), 1);
        assert_eq!(store.one_way_waiting::<OutsideSignal>(10), [signal]);
        store
            .settle_one_way::<OutsideSignal>(&OneWayReceipt {
                stored: vec![Id::from_u128(2)],
                refused: vec![],
            })
            .unwrap();
        assert_eq!(store.one_way_waiting_count::<OutsideSignal>(), 0);
        assert_eq!(store.one_way_waiting_count::<AnonymousContact>(), 1);
    }
}
