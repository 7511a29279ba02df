use super::kv::{KeyValue, MemoryKv, StoreError};
use super::*;
use shared::model::{Household, Relation};
use shared::sync::{LogBody, LogEntry, PullResponse, RecordState, RecordType};

fn open(kv: MemoryKv) -> Store<MemoryKv> {
    Store::open(kv, || Id::from_u128(42)).unwrap()
}

fn household(id: u128, name: &str) -> Household {
    Household::for_resident(Id::from_u128(id), Id::from_u128(id + 1000), name)
}

/// A record's state in the server's log, at `position`, as the server's `version`.
fn entry<T: shared::sync::Record>(
    position: u64,
    version: u64,
    record: &T,
) -> shared::sync::LogEntry {
    let fields = serde_json::to_value(record)
        .unwrap()
        .as_object()
        .unwrap()
        .clone();
    let household_id = fields
        .get("household_id")
        .and_then(|v| v.as_str())
        .map_or(record.id(), |id| id.parse().unwrap());
    LogEntry {
        position,
        body: LogBody::Record(RecordState {
            record_type: T::TYPE,
            record_id: record.id(),
            household_id,
            version,
            deleted: false,
            fields,
        }),
    }
}

/// One page of the log, the last one, and the device's changes the server settled.
fn page(entries: Vec<LogEntry>, applied_through: u64) -> PullResponse {
    PullResponse {
        cursor: entries.last().map_or(0, |e| e.position),
        entries,
        more: false,
        applied_through,
        rejected: vec![],
        waiting: None,
    }
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
    assert_eq!(store.outbox_len(), 3);
    // Numbered when sent (by the one tab that syncs), in the order they were made.
    let outbox = store.begin_push(10).unwrap();
    let seqs: Vec<u64> = outbox.iter().map(|c| c.seq).collect();
    assert_eq!(seqs, [1, 2, 3]);
    assert_eq!(
        store.outbox(),
        outbox,
        "sent again as they are until settled"
    );
    assert_eq!(outbox[0].op, Operation::Create);
    assert_eq!(outbox[2].op, Operation::Patch);
    assert_eq!(outbox[2].record_type, RecordType::Household);
    // A new member travels as its own entry of the keyed list `members`.
    let member = format!("members/{}", Id::from_u128(77));
    assert!(
        outbox[2].fields.contains_key(&member),
        "{:?}",
        outbox[2].fields
    );
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
fn a_change_the_server_would_refuse_is_never_queued_and_says_why() {
    let store = open(MemoryKv::default());
    store.put(&household(1, "Jansen")).unwrap();
    let outbox_before = store.outbox();
    let mut long = household(1, "Jansen");
    long.name = "x".repeat(shared::sync::MAX_TEXT_CHARS + 1);
    let refused = store.put(&long).unwrap_err();
    assert!(matches!(&refused, StoreError::Refused(reason) if reason.contains("te lang")));
    assert!(refused.message().contains("staat nog op het scherm"));
    assert_eq!(store.outbox(), outbox_before);
    assert_eq!(
        store.get::<Household>(Id::from_u128(1)).unwrap().name,
        "Huishouden Jansen"
    );
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

mod sync {
    use super::*;
    use serde_json::json;
    use shared::sync::Conflict;

    fn state(id: u128, version: u64, name: &str) -> LogEntry {
        entry(version, version, &household(id, name))
    }

    #[test]
    fn sent_changes_take_no_later_edits() {
        let store = open(MemoryKv::default());
        store.put(&household(1, "A")).unwrap();
        assert_eq!(store.begin_push(10).unwrap().len(), 1);
        store.put(&household(1, "AB")).unwrap();
        assert_eq!(
            store.outbox().len(),
            2,
            "an edit after sending is a change of its own"
        );
    }

    /// The browser applies a page in parts and the worker may type in between: what they typed
    /// is queued, and the next part must not put the pulled value over it.
    #[test]
    fn what_is_typed_between_the_parts_of_a_page_stays() {
        let store = open(MemoryKv::default());
        store
            .apply_pull(&page(vec![state(1, 1, "Jansen")], 0))
            .unwrap();
        let mut theirs = state(1, 3, "Jansen-de Vries");
        theirs.position = 3;
        let whole = page(vec![state(2, 2, "Bakker"), theirs], 0);
        let mut pulling = store.begin_pull();
        store.take_page(&whole).unwrap();
        store.apply_part(&mut pulling, &whole.entries[..1]).unwrap();
        assert_eq!(store.sync_meta().cursor, 2, "each part keeps its cursor");
        let mut mine = store.get::<Household>(Id::from_u128(1)).unwrap();
        mine.name = "Huishouden Jansen-Smit".into();
        store.put(&mine).unwrap();
        store.apply_part(&mut pulling, &whole.entries[1..]).unwrap();
        store.end_pull();
        assert_eq!(
            store.get::<Household>(Id::from_u128(1)).unwrap().name,
            "Huishouden Jansen-Smit"
        );
        assert_eq!(store.sync_meta().cursor, 3);
        assert_eq!(store.list::<Household>().len(), 2);
    }

    #[test]
    fn a_pull_keeps_queued_fields_and_their_base_and_drops_what_the_server_settled() {
        let store = open(MemoryKv::default());
        store
            .apply_pull(&page(vec![state(1, 1, "Jansen")], 0))
            .unwrap();
        let mut mine = store.get::<Household>(Id::from_u128(1)).unwrap();
        mine.name = "Huishouden Jansen-Smit".into();
        store.put(&mine).unwrap();
        // Someone else renamed it too; our rename is still queued.
        let mut theirs = state(1, 2, "Jansen-de Vries");
        if let LogBody::Record(s) = &mut theirs.body {
            s.fields.insert("members".into(), json!([]));
        }
        store.apply_pull(&page(vec![theirs], 0)).unwrap();
        let here = store.get::<Household>(Id::from_u128(1)).unwrap();
        assert_eq!(
            here.name, "Huishouden Jansen-Smit",
            "the queued field stays"
        );
        assert!(here.members.is_empty(), "other fields follow the server");
        assert_eq!(store.sync_meta().cursor, 2);
        // The device has not seen the server's name: a new edit still claims version 1.
        store.begin_push(10).unwrap();
        let mut again = here.clone();
        again.name = "Huishouden Smit".into();
        store.put(&again).unwrap();
        assert_eq!(store.outbox().last().unwrap().base_version, 1);
        // Once the server settled both (sent, the answer lost), the next page applies in full.
        assert_eq!(store.begin_push(10).unwrap().len(), 2);
        store
            .apply_pull(&page(vec![state(1, 3, "Eindnaam")], 2))
            .unwrap();
        assert!(store.outbox().is_empty());
        assert_eq!(
            store.get::<Household>(Id::from_u128(1)).unwrap().name,
            "Huishouden Eindnaam"
        );
    }

    #[test]
    fn resolving_a_conflict_queues_a_change_that_names_it() {
        let store = open(MemoryKv::default());
        store
            .apply_pull(&page(vec![state(1, 3, "Jansen")], 0))
            .unwrap();
        let conflict = Conflict {
            id: Id::from_u128(500),
            record_type: RecordType::Household,
            record_id: Id::from_u128(1),
            household_id: Id::from_u128(1),
            field: "name".into(),
            server_value: json!("Huishouden Jansen"),
            device_value: json!("Huishouden Janssen"),
            deleted_on_server: false,
            deleted_on_device: false,
            server_version: 2,
            device_id: Id::from_u128(42),
            seq: 1,
        };
        store
            .apply_pull(&page(
                vec![LogEntry {
                    position: 4,
                    body: LogBody::Conflict(conflict.clone()),
                }],
                0,
            ))
            .unwrap();
        assert_eq!(store.conflicts(), vec![conflict.clone()]);
        store
            .resolve_conflict(&conflict, Some(json!("Huishouden Janssen")))
            .unwrap();
        assert!(store.conflicts().is_empty());
        let queued = store.outbox();
        assert_eq!(queued.len(), 1);
        assert_eq!(queued[0].resolves, Some(conflict.id));
        assert_eq!(queued[0].base_version, 3);
        assert_eq!(
            store.get::<Household>(Id::from_u128(1)).unwrap().name,
            "Huishouden Janssen"
        );
    }

    #[test]
    fn a_delete_against_newer_edits_is_kept_or_deleted_after_all_by_choice() {
        let store = open(MemoryKv::default());
        store
            .apply_pull(&page(vec![state(1, 3, "Jansen")], 0))
            .unwrap();
        let conflict = Conflict {
            id: Id::from_u128(501),
            record_type: RecordType::Household,
            record_id: Id::from_u128(1),
            household_id: Id::from_u128(1),
            field: shared::sync::WHOLE_RECORD.into(),
            server_value: json!({"name": "Huishouden Jansen"}),
            device_value: serde_json::Value::Null,
            deleted_on_server: false,
            deleted_on_device: true,
            server_version: 3,
            device_id: Id::from_u128(42),
            seq: 1,
        };
        // Keeping it: an empty patch naming the conflict; the record stays.
        store
            .resolve_conflict(&conflict, Some(serde_json::Value::Null))
            .unwrap();
        let queued = store.outbox();
        assert_eq!(queued[0].op, Operation::Patch);
        assert!(queued[0].fields.is_empty());
        assert_eq!(queued[0].resolves, Some(conflict.id));
        assert!(store.get::<Household>(Id::from_u128(1)).is_some());
        // Deleting after all: a delete naming the conflict; the record goes here too.
        store.resolve_conflict(&conflict, None).unwrap();
        let queued = store.outbox();
        assert_eq!(queued.last().unwrap().op, Operation::Delete);
        assert!(store.get::<Household>(Id::from_u128(1)).is_none());
    }
}

#[test]
fn a_household_that_left_the_scope_is_removed_once_its_queued_changes_are_pushed() {
    let store = open(MemoryKv::default());
    let home = household(1, "Kok");
    store.put(&home).unwrap();
    store.put(&household(2, "Anders")).unwrap();
    let left = page(
        vec![LogEntry {
            position: 1,
            body: LogBody::LeftScope {
                household_id: home.id,
            },
        }],
        0,
    );
    store.apply_pull(&left).unwrap();
    assert!(
        store.get::<Household>(home.id).is_some(),
        "still queued: kept until pushed"
    );
    let sent = store.begin_push(10).unwrap();
    let response = shared::sync::PushResponse {
        applied_through: 2,
        results: vec![],
        wipe: false,
    };
    store.settle(&response, &sent).unwrap();
    assert!(
        store.get::<Household>(home.id).is_none(),
        "pushed, then purged"
    );
    assert!(store.get::<Household>(Id::from_u128(2)).is_some());
}

#[test]
fn a_household_that_comes_back_before_its_queued_changes_are_pushed_stays() {
    // Found by the simulation's moves: a household moved to another team while a change for
    // it waited here, and moved back before that change was pushed, was purged once the change
    // went: the device lost a household its team holds again.
    let store = open(MemoryKv::default());
    let home = household(1, "Kok");
    store.put(&home).unwrap();
    let left = LogEntry {
        position: 1,
        body: LogBody::LeftScope {
            household_id: home.id,
        },
    };
    store.apply_pull(&page(vec![left], 0)).unwrap();
    store
        .apply_pull(&page(vec![entry(2, 2, &home)], 0))
        .unwrap();
    let sent = store.begin_push(10).unwrap();
    store.settle(&applied(&sent), &sent).unwrap();
    assert!(
        store.get::<Household>(home.id).is_some(),
        "back in scope: kept"
    );
}

/// What a push answer settling `sent` (all applied) looks like.
fn applied(sent: &[shared::sync::Change]) -> shared::sync::PushResponse {
    shared::sync::PushResponse {
        applied_through: sent.last().map_or(0, |c| c.seq),
        results: sent
            .iter()
            .map(|c| shared::sync::ChangeResult {
                seq: c.seq,
                outcome: shared::sync::ChangeOutcome::Applied,
                reason: None,
                version: Some(1),
            })
            .collect(),
        wipe: false,
    }
}

#[test]
fn a_push_is_cut_by_bytes_as_well_as_by_count() {
    let store = open(MemoryKv::default());
    for id in 1..=3 {
        let mut home = household(id, "Jansen");
        home.name = "x".repeat(4_000);
        store.put(&home).unwrap();
    }
    let one = serde_json::to_string(&store.outbox()[0]).unwrap().len();
    assert_eq!(store.begin_push_within(10, one * 2 + 10).unwrap().len(), 2);
    assert_eq!(store.begin_push_within(1, usize::MAX).unwrap().len(), 1);
    // One change larger than the budget still goes out alone, never jams the queue.
    assert_eq!(store.begin_push_within(10, 1).unwrap().len(), 1);
}

#[test]
fn an_unreadable_outbox_entry_is_set_aside_with_its_content_and_the_queue_moves_on() {
    let store = open(MemoryKv::default());
    for id in 1..=3 {
        store.put(&household(id, "Jansen")).unwrap();
    }
    // Sent once (numbered 1 to 3), the answer lost; then entry 2 is damaged (a half-written
    // entry, a broken disk sector).
    assert_eq!(store.begin_push(10).unwrap().len(), 3);
    store
        .kv()
        .set("kt/outbox/000000000002", "{\"device_id\": \"half")
        .unwrap();
    let sent = store.begin_push(10).unwrap();
    let numbers: Vec<u64> = sent.iter().map(|c| c.seq).collect();
    assert_eq!(
        numbers,
        [1, 2],
        "no gap: the server would refuse a push from 3"
    );
    assert_eq!(sent[1].record_id, Id::from_u128(3));
    assert_eq!(store.device().unwrap().next_seq, 3);
    let aside = store.unreadable();
    assert_eq!(aside.len(), 1);
    assert_eq!(aside[0].raw, "{\"device_id\": \"half");
    // Nothing else was lost: the households themselves are all still here.
    assert_eq!(store.list::<Household>().len(), 3);
}

#[test]
fn a_refused_change_keeps_its_words_until_the_worker_resends_them_corrected() {
    let store = open(MemoryKv::default());
    store.put(&household(1, "Jan\u{0}sen")).unwrap();
    let sent = store.begin_push(10).unwrap();
    store.settle(&unstorable(&sent), &sent).unwrap();
    assert!(store.outbox().is_empty());
    let refused = store.rejected();
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0].change.fields["name"], "Huishouden Jan\u{0}sen");
    assert!(refused[0].reason.contains("niet kan opslaan"));

    store
        .resend_rejected(
            refused[0].change.seq,
            &[("name".into(), "Huishouden Jansen".into())],
        )
        .unwrap();
    assert!(store.rejected().is_empty());
    let queued = store.begin_push(10).unwrap();
    assert_eq!(queued.len(), 1);
    assert_eq!(queued[0].op, shared::sync::Operation::Create);
    assert_eq!(queued[0].seq, 2, "a new number: the server settled 1");
    assert_eq!(queued[0].fields["name"], "Huishouden Jansen");
    assert_eq!(
        store.get::<Household>(Id::from_u128(1)).unwrap().name,
        "Huishouden Jansen"
    );
}

#[test]
fn a_rejection_whose_answer_was_lost_still_comes_back_with_its_words() {
    let store = open(MemoryKv::default());
    store.put(&household(1, "Jan\u{0}sen")).unwrap();
    store.begin_push(10).unwrap();
    // The answer is lost; a pull says the change was settled, and refused.
    let page = PullResponse {
        cursor: 0,
        entries: vec![],
        more: false,
        applied_through: 1,
        rejected: vec![shared::sync::ChangeResult {
            seq: 1,
            outcome: shared::sync::ChangeOutcome::Rejected,
            reason: Some("niet kan opslaan".into()),
            version: None,
        }],
        waiting: None,
    };
    store.apply_pull(&page).unwrap();
    assert!(store.outbox().is_empty());
    assert_eq!(store.rejected().len(), 1);
    assert_eq!(
        store.rejected()[0].change.fields["name"],
        "Huishouden Jan\u{0}sen"
    );
    assert_eq!(store.rejected()[0].reason, "niet kan opslaan");
}

#[test]
fn a_nearly_full_device_stops_pulling_keeps_its_cursor_and_room_to_type() {
    let quota = super::sync::PULL_RESERVE_BYTES + 40_000;
    let store = open(MemoryKv::with_quota(quota));
    store.put(&household(1, "Jansen")).unwrap();
    // A page of states bigger than the room left above the reserve.
    let entries = (0..20u128)
        .map(|i| {
            let mut home = household(100 + i, "Groot");
            home.name = format!("Huishouden {}", "x".repeat(2_000));
            entry(1 + i as u64, 1, &home)
        })
        .collect();
    let refused = store.apply_pull(&page(entries, 0)).unwrap_err();
    assert!(matches!(refused, StoreError::NearlyFull(_)));
    assert!(refused.message().contains("bijna vol"));
    // The largest households by name, not by a page of their text.
    assert!(
        refused.message().contains("Huishouden xxx") && refused.message().chars().count() < 600,
        "{}",
        refused.message()
    );
    let cursor = store.sync_meta().cursor;
    assert!(cursor < 20, "the rest waits for room");
    assert_eq!(store.list::<Household>().len() as u64, 1 + cursor);
    // The reserve is still there: typing goes on.
    let mut typed = household(1, "Jansen");
    typed.name = format!("Huishouden Jansen {}", "woorden ".repeat(1_000));
    store.put(&typed).unwrap();
}

#[test]
fn an_unreadable_entry_the_server_already_settled_leaves_its_number_used() {
    let store = open(MemoryKv::default());
    for id in 1..=3 {
        store.put(&household(id, "Jansen")).unwrap();
    }
    let sent = store.begin_push(10).unwrap();
    // The server settled 1 and 2 (its answer was lost; a later answer said so), then entry 2
    // is damaged. Moving 3 down onto number 2 would have the server answer "duplicate".
    let mut answer = applied(&[]);
    answer.applied_through = 2;
    store.settle(&answer, &[]).unwrap();
    store
        .kv()
        .set("kt/outbox/000000000002", "{\"device_id\": \"half")
        .unwrap();
    let again = store.begin_push(10).unwrap();
    assert_eq!(again.iter().map(|c| c.seq).collect::<Vec<_>>(), [1]);
    assert_eq!(store.unreadable().len(), 1);
    store.settle(&applied(&again), &again).unwrap();
    let last = store.begin_push(10).unwrap();
    assert_eq!(last.len(), 1);
    assert_eq!((last[0].seq, last[0].record_id), (3, sent[2].record_id));
}

/// The push answer refusing the first sent change for a value the database cannot store.
fn unstorable(sent: &[shared::sync::Change]) -> shared::sync::PushResponse {
    let mut response = applied(sent);
    response.results[0].outcome = shared::sync::ChangeOutcome::Rejected;
    response.results[0].reason = Some("Een waarde die de server niet kan opslaan.".into());
    response.results[0].version = None;
    response
}

/// A conversation of household 1, begun today with the current template.
fn conversation() -> shared::model::Conversation {
    let template = crate::reference::catalogue().current_conversation();
    shared::model::Conversation::start(
        Id::from_u128(5),
        Id::from_u128(1),
        &template.version,
        "Anne",
        time::macros::date!(2026 - 11 - 30),
    )
}

/// Issue 14 item 1: a conversation edit sends the life domain typed in, not all of them (old
/// code: every patch carried the whole `domains` list); a pulled state keeps the queued domain
/// and takes the other worker's domains.
#[test]
fn a_conversation_edit_sends_only_its_life_domain() {
    let store = open(MemoryKv::default());
    let mut talk = conversation();
    talk.open_domain("finances");
    talk.open_domain("housing");
    talk.entry_mut("housing").unwrap().network = "x".repeat(5_000);
    store.put(&talk).unwrap();
    let sent = store.begin_push(10).unwrap();
    store.settle(&applied(&sent), &sent).unwrap();
    talk.entry_mut("finances").unwrap().network = "zus helpt".into();
    store.put(&talk).unwrap();
    let sent = store.outbox();
    let fields: Vec<&String> = sent.last().unwrap().fields.keys().collect();
    assert_eq!(fields, ["domains/finances"]);
    assert!(serde_json::to_string(&sent).unwrap().len() < 1_000);

    // The server's state from another worker (housing changed); the queued finances stays.
    let mut theirs = talk.clone();
    theirs.entry_mut("finances").unwrap().network = String::new();
    theirs.entry_mut("housing").unwrap().network = "buurman".into();
    store
        .apply_pull(&page(vec![entry(1, 2, &theirs)], 1))
        .unwrap();
    let here = store.get::<shared::model::Conversation>(talk.id).unwrap();
    assert_eq!(here.entry("finances").unwrap().network, "zus helpt");
    assert_eq!(here.entry("housing").unwrap().network, "buurman");
    assert_eq!(here.domains.len(), 2);
}

#[test]
fn a_refused_life_domain_offers_its_texts_for_correcting_and_resends_them() {
    let store = open(MemoryKv::default());
    let mut talk = conversation();
    talk.open_domain("finances");
    store.put(&talk).unwrap();
    let sent = store.begin_push(10).unwrap();
    store.settle(&applied(&sent), &sent).unwrap();
    talk.entry_mut("finances").unwrap().network = "zus\u{0} helpt".into();
    store.put(&talk).unwrap();
    let sent = store.begin_push(10).unwrap();
    store.settle(&unstorable(&sent), &sent).unwrap();

    // The domain's words are offered one text at a time, its key is not.
    let refused = store.rejected();
    let texts = store.rejected_texts(&refused[0]);
    assert!(
        texts.contains(&("domains/finances/network".into(), "zus\u{0} helpt".into())),
        "{texts:?}"
    );
    assert!(!texts
        .iter()
        .any(|(field, _)| field == "domains/finances/domain"));
    let corrected: Vec<(String, String)> = texts
        .into_iter()
        .map(|(field, text)| (field, text.replace('\0', "")))
        .collect();
    store
        .resend_rejected(refused[0].change.seq, &corrected)
        .unwrap();
    let queued = store.begin_push(10).unwrap();
    assert_eq!(queued.len(), 1);
    assert_eq!(queued[0].fields["domains/finances"]["network"], "zus helpt");
    assert_eq!(queued[0].fields["domains/finances"]["domain"], "finances");
    let here = store.get::<shared::model::Conversation>(talk.id).unwrap();
    assert_eq!(here.entry("finances").unwrap().network, "zus helpt");
}

/// Simulation: a quick scan's answer is a text inside the `answers` field. Refused, it must be
/// offered for correcting like any text, or "Opnieuw versturen" sends the same refused words
/// for ever and the worker can only throw them away.
#[test]
fn a_refused_answer_inside_a_field_is_offered_for_correcting_and_resent() {
    use shared::model::{Answer, QuickScan};
    let store = open(MemoryKv::default());
    let mut scan = QuickScan {
        id: Id::from_u128(40),
        contact_id: Id::from_u128(41),
        household_id: Id::from_u128(42),
        resident_id: Id::from_u128(43),
        template_version: "2026.1".into(),
        answers: [("own_words".to_owned(), Answer::Text("hulp".into()))].into(),
        step: 1,
        outcome: None,
        completed_at: None,
    };
    store.put(&scan).unwrap();
    let sent = store.begin_push(10).unwrap();
    store.settle(&applied(&sent), &sent).unwrap();
    scan.answers.insert(
        "own_words".into(),
        Answer::Text("hulp bij\u{0} post".into()),
    );
    store.put(&scan).unwrap();
    let sent = store.begin_push(10).unwrap();
    store.settle(&unstorable(&sent), &sent).unwrap();

    let refused = store.rejected();
    let texts = store.rejected_texts(&refused[0]);
    assert_eq!(
        texts,
        vec![(
            "answers/own_words/text".to_owned(),
            "hulp bij\u{0} post".to_owned()
        )]
    );
    let corrected = vec![(
        "answers/own_words/text".to_owned(),
        "hulp bij post".to_owned(),
    )];
    store
        .resend_rejected(refused[0].change.seq, &corrected)
        .unwrap();
    let queued = store.begin_push(10).unwrap();
    assert_eq!(queued.len(), 1);
    assert_eq!(
        queued[0].fields["answers"]["own_words"]["text"],
        "hulp bij post"
    );
    assert!(!queued[0].fields.contains_key("answers/own_words/text"));
    let here = store.get::<QuickScan>(scan.id).unwrap();
    assert_eq!(here.text("own_words"), "hulp bij post");
}

/// Simulation seed 784: words refused while another worker changed the same field, written
/// back into the record by a resend that was refused again, then typed on. The new edit must
/// stay based on the version the refused words were based on, or it overwrites the other
/// worker's words without a conflict.
#[test]
fn an_edit_on_top_of_resent_words_stays_based_on_what_they_were_based_on() {
    let store = open(MemoryKv::default());
    let created = household(1, "Jansen");
    store.put(&created).unwrap();
    let sent = store.begin_push(10).unwrap();
    store.settle(&applied(&sent), &sent).unwrap();
    store
        .apply_pull(&page(vec![entry(1, 1, &created)], 1))
        .unwrap();

    // This worker renames; the household was closed meanwhile: refused.
    let mut mine = store.get::<Household>(Id::from_u128(1)).unwrap();
    mine.name = "Huishouden Jansen-de Vries".into();
    store.put(&mine).unwrap();
    let sent = store.begin_push(10).unwrap();
    assert_eq!(sent[0].base_version, 1);
    store.settle(&unstorable(&sent), &sent).unwrap();

    // Another worker's name arrives as version 2 before the worker resends.
    let mut theirs = created.clone();
    theirs.name = "Huishouden Jansen (Noord)".into();
    store
        .apply_pull(&page(vec![entry(2, 2, &theirs)], 2))
        .unwrap();
    let refused = store.rejected().remove(0);
    let texts = store.rejected_texts(&refused);
    store.resend_rejected(refused.change.seq, &texts).unwrap();
    let sent = store.begin_push(10).unwrap();
    assert_eq!(sent[0].base_version, 1, "a resend keeps its base");
    store.settle(&unstorable(&sent), &sent).unwrap();

    // The worker types on in the name they see (their own refused words).
    let mut typed = store.get::<Household>(Id::from_u128(1)).unwrap();
    assert_eq!(typed.name, "Huishouden Jansen-de Vries");
    typed.name.push_str(" en kinderen");
    store.put(&typed).unwrap();
    let sent = store.begin_push(10).unwrap();
    assert_eq!(
        sent[0].base_version, 1,
        "the worker never saw version 2's name: the server must meet it as a conflict"
    );
}

/// A sealed store, as on a device (compressed, encrypted), with `quota` bytes and unlocked.
fn sealed(quota: usize) -> Store<super::seal::SealedKv<MemoryKv>> {
    let (kv, _) = super::seal::unlocked(MemoryKv::with_quota(quota));
    Store::open(kv, || Id::from_u128(42)).unwrap()
}

#[test]
fn a_pull_counts_what_the_sealed_store_really_takes() {
    // Words as workers type them; sealed, they are compressed to well under their JSON.
    let entries: Vec<LogEntry> = (0..200u128)
        .map(|i| {
            let mut home = household(100 + i, "Jansen");
            home.name = format!(
                "Huishouden {i}: {}",
                "zorgen over de schulden, de mantelzorg en het huis ".repeat(15)
            );
            entry(1 + i as u64, 1, &home)
        })
        .collect();
    let json: usize = entries
        .iter()
        .map(|e| serde_json::to_string(&e.body).unwrap().len())
        .sum();
    // Room above the reserve for the team's JSON once (bytes), where the sealed records take
    // a fraction of it: the whole team arrives in one sync, and nothing says "nearly full".
    let store = sealed(super::sync::PULL_RESERVE_BYTES + 20_000 + json);
    let mut pulling = store.begin_pull();
    for part in entries.chunks(100) {
        store.take_page(&page(part.to_vec(), 0)).unwrap();
        store.apply_part(&mut pulling, part).unwrap();
    }
    store.end_pull();
    assert_eq!(store.sync_meta().cursor, 200);
    assert_eq!(store.list::<Household>().len(), 200);
    let (used, quota) = store.kv.room().unwrap();
    assert!(
        used + super::sync::PULL_RESERVE_BYTES < quota,
        "the reserve for typing is kept ({used} of {quota})"
    );
}

#[test]
fn a_sync_whose_scope_will_not_fit_says_so_on_its_first_page() {
    let store = sealed(super::sync::PULL_RESERVE_BYTES + 200_000);
    let mut pulling = store.begin_pull();
    let first: Vec<LogEntry> = (0..10u128)
        .map(|i| entry(1 + i as u64, 1, &household(100 + i, "Jansen")))
        .collect();
    store.take_page(&page(first.clone(), 0)).unwrap();
    store.apply_part(&mut pulling, &first).unwrap();
    // A whole team waits: 10 MB as JSON, foreseen at what the first page took (less than the
    // most an entry can take, three bytes a byte).
    let team = shared::sync::Waiting {
        entries: 50_000,
        bytes: 10_000_000,
    };
    let short = store.foresee(&pulling, Some(team)).unwrap().unwrap();
    assert!(
        short.left < 200_000 && short.needed > short.left,
        "{short:?}"
    );
    assert!(short.needed < 3 * team.bytes, "{short:?}");
    assert_eq!(store.sync_meta().short_of_room, Some(short));
    // A later sync finds that what waits fits: the warning goes.
    let little = shared::sync::Waiting {
        entries: 10,
        bytes: 2_000,
    };
    assert_eq!(store.foresee(&pulling, Some(little)).unwrap(), None);
    assert_eq!(store.sync_meta().short_of_room, None);
}
