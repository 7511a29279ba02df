//! Two tabs of one app write to one localStorage. Chromium shows each tab its own copy and
//! passes writes between tabs a moment later; these tests model that lag and check that no
//! edit is lost and every change reaches the server exactly once (issue 14, item 5).

use super::kv::{KeyValue, StoreError};
use super::*;
use shared::model::Household;
use shared::sync::{ChangeOutcome, ChangeResult, PushResponse};
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

#[derive(Default)]
struct Shared {
    views: [BTreeMap<String, String>; 2],
    /// Writes on their way to each view.
    pending: [Vec<(String, Option<String>)>; 2],
}

/// One tab's view of the shared storage.
#[derive(Clone)]
struct TabKv {
    shared: Rc<RefCell<Shared>>,
    tab: usize,
}

impl TabKv {
    fn write(&self, key: &str, value: Option<String>) {
        let mut shared = self.shared.borrow_mut();
        match &value {
            Some(v) => shared.views[self.tab].insert(key.to_owned(), v.clone()),
            None => shared.views[self.tab].remove(key),
        };
        shared.pending[1 - self.tab].push((key.to_owned(), value));
    }
}

impl KeyValue for TabKv {
    fn get(&self, key: &str) -> Option<String> {
        self.shared.borrow().views[self.tab].get(key).cloned()
    }
    fn set(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.write(key, Some(value.to_owned()));
        Ok(())
    }
    fn remove(&self, key: &str) {
        self.write(key, None);
    }
    fn keys(&self, prefix: &str) -> Vec<String> {
        self.shared.borrow().views[self.tab]
            .range(prefix.to_owned()..)
            .take_while(|(k, _)| k.starts_with(prefix))
            .map(|(k, _)| k.clone())
            .collect()
    }
}

/// Lets the writes of the other tab reach `tab`'s view.
fn deliver(shared: &Rc<RefCell<Shared>>, tab: usize) {
    let mut s = shared.borrow_mut();
    let pending = std::mem::take(&mut s.pending[tab]);
    for (key, value) in pending {
        match value {
            Some(v) => s.views[tab].insert(key, v),
            None => s.views[tab].remove(&key),
        };
    }
}

/// The server's half, as `server::sync::push` keeps it: numbers without gaps, each applied once.
#[derive(Default)]
struct Server {
    last_seq: u64,
    names: HashMap<Id, Vec<String>>,
}

impl Server {
    fn push(&mut self, batch: &[shared::sync::Change]) -> PushResponse {
        let mut results = Vec::new();
        for change in batch {
            if change.seq <= self.last_seq {
                if std::env::var("KT_TRACE").is_ok() {
                    eprintln!(
                        "duplicate seq {} {:?}",
                        change.seq,
                        change.fields.get("name")
                    );
                }
                results.push(ChangeResult {
                    seq: change.seq,
                    outcome: ChangeOutcome::Duplicate,
                    reason: None,
                    version: None,
                });
                continue;
            }
            if std::env::var("KT_TRACE").is_ok() {
                eprintln!(
                    "server seq {} last {} {:?}",
                    change.seq,
                    self.last_seq,
                    change.fields.get("name")
                );
            }
            assert_eq!(
                change.seq,
                self.last_seq + 1,
                "a gap: the server refuses it"
            );
            self.last_seq = change.seq;
            if let Some(name) = change.fields.get("name").and_then(|n| n.as_str()) {
                self.names
                    .entry(change.record_id)
                    .or_default()
                    .push(name.to_owned());
            }
            results.push(ChangeResult {
                seq: change.seq,
                outcome: ChangeOutcome::Applied,
                reason: None,
                version: Some(1),
            });
        }
        PushResponse {
            applied_through: self.last_seq,
            results,
            wipe: false,
        }
    }
}

/// A small deterministic generator, so a failing seed can be replayed.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

fn tab(shared: &Rc<RefCell<Shared>>, index: usize) -> Store<TabKv> {
    Store::open(
        TabKv {
            shared: shared.clone(),
            tab: index,
        },
        || Id::from_u128(42),
    )
    .unwrap()
}

#[test]
fn two_tabs_writing_500_changes_each_lose_nothing_and_send_each_once() {
    const EACH: usize = 500;
    let seeds = std::env::var("KT_SEED")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .map_or(0..20, |s| s..s + 1);
    for seed in seeds {
        let shared = Rc::new(RefCell::new(Shared::default()));
        // The device exists before the tabs race (it is made at the first sign-in).
        let tabs = [tab(&shared, 0), tab(&shared, 1)];
        deliver(&shared, 0);
        deliver(&shared, 1);
        let mut rng = Lcg(seed);
        let mut server = Server::default();
        let mut written = [0usize; 2];
        let mut pusher = 0;
        // Each tab alternates between two households, so every edit is a change of its own.
        let record = |t: usize, i: usize| Id::from_u128((t * 2 + i % 2 + 1) as u128);
        let push = |t: usize, server: &mut Server| {
            let batch = tabs[t].begin_push(50).unwrap();
            let answer = server.push(&batch);
            tabs[t].settle(&answer, &batch).unwrap();
        };
        while written.iter().any(|w| *w < EACH) {
            match rng.next(6) {
                0..=2 => {
                    let t = rng.next(2) as usize;
                    if written[t] < EACH {
                        let i = written[t];
                        let mut home = Household::for_resident(record(t, i), Id::nil(), "x");
                        home.name = format!("{t}-{i}");
                        tabs[t].put(&home).unwrap();
                        written[t] += 1;
                    }
                }
                3 => deliver(&shared, 0),
                4 => deliver(&shared, 1),
                _ => {
                    // The sync lock passes to another tab now and then; by the time it has
                    // it, that tab sees what the previous holder wrote.
                    if rng.next(4) == 0 {
                        deliver(&shared, 1 - pusher);
                        pusher = 1 - pusher;
                    }
                    push(pusher, &mut server);
                }
            }
        }
        for _ in 0..100 {
            deliver(&shared, 0);
            deliver(&shared, 1);
            push(0, &mut server);
        }
        deliver(&shared, 0);
        deliver(&shared, 1);
        assert_eq!(tabs[0].outbox_len(), 0, "seed {seed}: everything sent");
        for t in 0..2 {
            for parity in 0..2 {
                let names = &server.names[&record(t, parity)];
                let expected: Vec<String> = (parity..EACH)
                    .step_by(2)
                    .map(|i| format!("{t}-{i}"))
                    .collect();
                assert_eq!(names, &expected, "seed {seed}: every edit, once, in order");
            }
        }
    }
}
