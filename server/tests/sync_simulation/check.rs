//! What must hold once everything drained: every device holds exactly what its worker may see
//! of the server's live records, and agrees on each; every change was settled exactly once;
//! the log has no holes; and no typed word was lost.

use super::merge::words_of;
use super::Sim;
use serde_json::Value;
use shared::model::{
    consent::Consent, plan::SupportPlan, Contact, Conversation, Household, Id, Notification,
    Question, QuickScan, Resident, Role,
};
use shared::sync::Record;
use std::collections::BTreeSet;

/// One live or deleted record of the team on the server.
struct Row {
    kind: String,
    id: Id,
    household: Id,
    deleted: bool,
    fields: Value,
}

/// The record types a device holds, by their keys.
const KINDS: [&str; 9] = [
    "household",
    "resident",
    "contact",
    "question",
    "quick_scan",
    "conversation",
    "notification",
    "support_plan",
    "consent",
];

impl Sim {
    async fn rows(&self) -> Vec<Row> {
        let mut rows = Vec::new();
        for kind in KINDS {
            let household = if kind == "household" {
                "id"
            } else {
                "household_id"
            };
            let sql = format!(
                "SELECT r.id, r.{household}, r.deleted, r.fields FROM {kind} r
                 JOIN household h ON h.id = r.{household} WHERE h.team_id = $1"
            );
            let found: Vec<(Id, Id, bool, Value)> = sqlx::query_as(&sql)
                .bind(&self.team)
                .fetch_all(&self.pool)
                .await
                .unwrap();
            rows.extend(
                found
                    .into_iter()
                    .map(|(id, household, deleted, fields)| Row {
                        kind: kind.to_owned(),
                        id,
                        household,
                        deleted,
                        fields,
                    }),
            );
        }
        rows
    }

    pub(super) async fn check(&self) {
        let rows = self.rows().await;
        let consultant = self.devices[self.consultant()].account;
        let added: BTreeSet<Id> =
            sqlx::query_scalar("SELECT household_id FROM household_worker WHERE account_id = $1")
                .bind(consultant)
                .fetch_all(&self.pool)
                .await
                .unwrap()
                .into_iter()
                .collect();
        for device in &self.devices {
            let store = device.store();
            assert!(store.outbox().is_empty());
            assert!(store.conflicts().is_empty(), "{:?}", store.conflicts());
            assert!(store.rejected().is_empty(), "{:?}", store.rejected());
            // What this worker may see: the whole team's households, the consultant's own
            // ones; the front office no conversations or plans.
            let sees = |row: &Row| match device.role {
                Role::Consultant => added.contains(&row.household),
                Role::FrontOffice => !matches!(row.kind.as_str(), "conversation" | "support_plan"),
                _ => true,
            };
            let live: BTreeSet<Id> = rows
                .iter()
                .filter(|r| !r.deleted && sees(r))
                .map(|r| r.id)
                .collect();
            let mut local = BTreeSet::new();
            for kind in KINDS {
                local.extend(local_ids(store, kind));
            }
            assert_eq!(
                local, live,
                "device {} ({:?}) holds other records than the server",
                device.id, device.role
            );
            for row in rows.iter().filter(|r| !r.deleted && sees(r)) {
                let here = local_value(store, &row.kind, row.id);
                assert_eq!(
                    here, row.fields,
                    "device {} disagrees on {} {}",
                    device.id, row.kind, row.id
                );
            }
            self.check_receipts(device).await;
        }
        self.check_refusals().await;
        // The log has no holes but those retention left.
        let (count, max): (i64, Option<i64>) =
            sqlx::query_as("SELECT count(*), max(position) FROM change_log WHERE team_id = $1")
                .bind(&self.team)
                .fetch_one(&self.pool)
                .await
                .unwrap();
        assert_eq!(count + self.log_removed, max.unwrap_or(0));
        self.check_words(&rows).await;
    }

    /// Every change was settled exactly once: a receipt for each number 1..=n (retention
    /// removed those of the households it removed), none beyond.
    async fn check_receipts(&self, device: &super::Device) {
        let seqs: Vec<i64> = sqlx::query_scalar("SELECT seq FROM receipt WHERE device_id = $1")
            .bind(device.id)
            .fetch_all(&self.pool)
            .await
            .unwrap();
        let seqs: BTreeSet<u64> = seqs.into_iter().map(|s| s as u64).collect();
        let queued = device.store().device().unwrap().next_seq - 1;
        assert!(seqs.iter().all(|s| (1..=queued).contains(s)), "{seqs:?}");
        for seq in 1..=queued {
            if seqs.contains(&seq) {
                continue;
            }
            let home = device.sent.get(&seq).and_then(|r| self.homes.get(r));
            assert!(
                home.is_some_and(|h| self.retained.contains(h)),
                "change {seq} of device {} has no receipt",
                device.id
            );
        }
    }

    /// Refused only for a value the database cannot store, for a record whose create was
    /// refused that way and had not been sent again yet (or of a household retention
    /// removed), for a closed household, for one moved to the other team at the time, or for
    /// one the consultant was taken off; never for anything else.
    async fn check_refusals(&self) {
        let refused: Vec<String> = sqlx::query_scalar(
            "SELECT coalesce(r.reason, '') FROM receipt r JOIN device d ON d.id = r.device_id
             WHERE d.team_id = $1 AND r.outcome = 'rejected'",
        )
        .bind(&self.team)
        .fetch_all(&self.pool)
        .await
        .unwrap();
        assert!(
            refused.iter().all(|r| r.contains("niet kan opslaan")
                || r.contains("niet bekend op de server")
                || r.contains("afgesloten")
                || r.contains("hoort niet bij je team")
                || r.contains("niet aan dit huishouden toegevoegd")),
            "{refused:?}"
        );
    }

    /// No word lost: every typed word is in a live record, or in a tombstone whose delete was
    /// made by a worker who had that word in front of them, or was typed in a household
    /// retention removed. A delete that hid newer words would leave them only in a tombstone:
    /// that fails.
    async fn check_words(&self, rows: &[Row]) {
        let words = |deleted: bool| -> BTreeSet<String> {
            rows.iter()
                .filter(|r| r.deleted == deleted)
                .flat_map(|r| words_of(&r.fields))
                .collect()
        };
        let (live, tombstones) = (words(false), words(true));
        let lost: Vec<&String> = self
            .typed
            .iter()
            .filter(|(w, home)| {
                let seen_deleted =
                    tombstones.contains(w.as_str()) && self.seen_by_deleter.contains(w);
                !(live.contains(w.as_str()) || seen_deleted || self.retained.contains(home))
            })
            .map(|(w, _)| w)
            .collect();
        for word in &lost {
            let trail: Vec<(i64, String)> = sqlx::query_as(
                "SELECT position, device_id::text || ' ' || device_seq || ' ' || body::text FROM change_log WHERE team_id = $1 AND record_id IN (SELECT record_id FROM change_log WHERE body::text LIKE '%' || $2 || '%') ORDER BY position",
            )
            .bind(&self.team)
            .bind(word.as_str())
            .fetch_all(&self.pool)
            .await
            .unwrap();
            eprintln!("trail of {word}: {trail:#?}");
        }
        assert!(lost.is_empty(), "lost words: {lost:?}");
    }
}

fn local_ids<K: app::store::kv::KeyValue>(store: &app::store::Store<K>, kind: &str) -> Vec<Id> {
    fn ids<T: Record, K: app::store::kv::KeyValue>(store: &app::store::Store<K>) -> Vec<Id> {
        store.list::<T>().iter().map(Record::id).collect()
    }
    match kind {
        "household" => ids::<Household, K>(store),
        "resident" => ids::<Resident, K>(store),
        "contact" => ids::<Contact, K>(store),
        "question" => ids::<Question, K>(store),
        "quick_scan" => ids::<QuickScan, K>(store),
        "conversation" => ids::<Conversation, K>(store),
        "notification" => ids::<Notification, K>(store),
        "support_plan" => ids::<SupportPlan, K>(store),
        _ => ids::<Consent, K>(store),
    }
}

fn local_value<K: app::store::kv::KeyValue>(
    store: &app::store::Store<K>,
    kind: &str,
    id: Id,
) -> Value {
    fn value<T: Record, K: app::store::kv::KeyValue>(
        store: &app::store::Store<K>,
        id: Id,
    ) -> Value {
        serde_json::to_value(store.get::<T>(id).expect("held here")).unwrap()
    }
    match kind {
        "household" => value::<Household, K>(store, id),
        "resident" => value::<Resident, K>(store, id),
        "contact" => value::<Contact, K>(store, id),
        "question" => value::<Question, K>(store, id),
        "quick_scan" => value::<QuickScan, K>(store, id),
        "conversation" => value::<Conversation, K>(store, id),
        "notification" => value::<Notification, K>(store, id),
        "support_plan" => value::<SupportPlan, K>(store, id),
        _ => value::<Consent, K>(store, id),
    }
}
