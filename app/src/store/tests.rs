use super::kv::{KeyValue, MemoryKv, StoreError};
use super::*;
use shared::model::{Household, Relation};
use shared::sync::RecordType;

fn open(kv: MemoryKv) -> Store<MemoryKv> {
    Store::open(kv, || Id::from_u128(42)).unwrap()
}

fn household(id: u128, name: &str) -> Household {
    Household::for_resident(Id::from_u128(id), Id::from_u128(id + 1000), name)
}

#[test]
fn records_round_trip_and_list_by_type() {
    let store = open(MemoryKv::default());
    store.put(&household(1, "Jansen")).unwrap();
    store.put(&household(2, "Öztürk")).unwrap();
    assert_eq!(
        store.get::<Household>(Id::from_u128(1)).unwrap().name,
        "Huishouden Jansen"
    );
    let mut names: Vec<_> = store
        .list::<Household>()
        .into_iter()
        .map(|h| h.name)
        .collect();
    names.sort();
    assert_eq!(names, ["Huishouden Jansen", "Huishouden Öztürk"]);
    assert!(store.get::<Household>(Id::from_u128(3)).is_none());
}

#[test]
fn every_change_is_queued_in_order_without_gaps() {
    let store = open(MemoryKv::default());
    store.put(&household(1, "A")).unwrap();
    store.put(&household(2, "B")).unwrap();
    let mut changed = household(1, "A");
    changed.add_member(Id::from_u128(77), Relation::Child);
    store.put(&changed).unwrap();
    let outbox = store.outbox();
    let seqs: Vec<u64> = outbox.iter().map(|c| c.seq).collect();
    assert_eq!(seqs, [1, 2, 3]);
    assert_eq!(outbox[0].op, Operation::Create);
    assert_eq!(outbox[2].op, Operation::Patch);
    assert_eq!(outbox[2].record_type, RecordType::Household);
    assert!(outbox[2].fields.contains_key("members"));
    assert!(
        !outbox[2].fields.contains_key("name"),
        "only changed fields travel"
    );
    assert!(outbox.iter().all(|c| c.device_id == Id::from_u128(42)));
    assert_eq!(store.device().unwrap().next_seq, 4);
}

#[test]
fn typing_into_one_record_folds_into_one_change() {
    let store = open(MemoryKv::default());
    let mut record = household(1, "J");
    store.put(&record).unwrap();
    for name in ["Huishouden Ja", "Huishouden Jan", "Huishouden Jansen"] {
        record.name = name.into();
        store.put(&record).unwrap();
    }
    let outbox = store.outbox();
    assert_eq!(outbox.len(), 1);
    assert_eq!(outbox[0].op, Operation::Create);
    assert_eq!(outbox[0].fields["name"], "Huishouden Jansen");
}

#[test]
fn an_unchanged_record_queues_nothing() {
    let store = open(MemoryKv::default());
    store.put(&household(1, "A")).unwrap();
    store.put(&household(2, "B")).unwrap();
    store.put(&household(1, "A")).unwrap();
    assert_eq!(store.outbox().len(), 2);
}

#[test]
fn a_full_device_refuses_the_change_and_keeps_everything_stored() {
    let store = open(MemoryKv::with_quota(2_500));
    store.put(&household(1, "Jansen")).unwrap();
    let outbox_before = store.outbox();
    let device_before = store.device().unwrap();
    let mut big = household(2, "Groot");
    big.name = "x".repeat(2_000);
    assert_eq!(store.put(&big), Err(StoreError::QuotaExceeded));
    assert!(store.get::<Household>(Id::from_u128(2)).is_none());
    assert_eq!(
        store.get::<Household>(Id::from_u128(1)).unwrap().name,
        "Huishouden Jansen"
    );
    assert_eq!(
        store.outbox(),
        outbox_before,
        "no half change in the outbox"
    );
    assert_eq!(
        store.device().unwrap(),
        device_before,
        "no gap in the numbering"
    );
    assert!(StoreError::QuotaExceeded.message().contains("vol"));
}

/// Accepts every write but a record's: the moment between queueing and storing.
struct RecordsFail(MemoryKv);

impl KeyValue for RecordsFail {
    fn get(&self, key: &str) -> Option<String> {
        self.0.get(key)
    }
    fn set(&self, key: &str, value: &str) -> Result<(), StoreError> {
        if key.starts_with("kt/rec/") {
            return Err(StoreError::QuotaExceeded);
        }
        self.0.set(key, value)
    }
    fn remove(&self, key: &str) {
        self.0.remove(key)
    }
    fn keys(&self, prefix: &str) -> Vec<String> {
        self.0.keys(prefix)
    }
}

#[test]
fn a_record_write_that_fails_takes_its_outbox_entry_back() {
    let store = Store::open(RecordsFail(MemoryKv::default()), || Id::from_u128(42)).unwrap();
    let device = store.device().unwrap();
    assert_eq!(
        store.put(&household(1, "A")),
        Err(StoreError::QuotaExceeded)
    );
    assert!(store.outbox().is_empty());
    assert_eq!(store.device().unwrap(), device);
}

#[test]
fn the_skeleton_layout_is_migrated() {
    let kv = MemoryKv::default();
    kv.set("keukentafel.settings.v1", r#"{"text_size":"large"}"#)
        .unwrap();
    let store = open(kv);
    assert_eq!(
        store.kv().get(migrate::SETTINGS_KEY).as_deref(),
        Some(r#"{"text_size":"large"}"#)
    );
    assert!(store.kv().get("keukentafel.settings.v1").is_none());
    assert_eq!(
        store.kv().get("kt/meta/store-version").as_deref(),
        Some("2")
    );
    // Opening again changes nothing and keeps the device identity.
    let device = store.device().unwrap();
    let again = Store::open(store.kv, || Id::from_u128(99)).unwrap();
    assert_eq!(again.device().unwrap(), device);
}

#[test]
fn a_store_from_a_newer_app_is_left_alone() {
    let kv = MemoryKv::default();
    kv.set("kt/meta/store-version", "99").unwrap();
    assert!(matches!(
        Store::open(kv, Id::nil),
        Err(StoreError::Unavailable(_))
    ));
}

#[test]
fn drafts_survive_and_clear() {
    let store = open(MemoryKv::default());
    store.save_draft("new-contact", &"half typed").unwrap();
    assert_eq!(
        store.draft::<String>("new-contact").as_deref(),
        Some("half typed")
    );
    store.clear_draft("new-contact");
    assert!(store.draft::<String>("new-contact").is_none());
    assert!(store.outbox().is_empty(), "drafts are not synced");
}
