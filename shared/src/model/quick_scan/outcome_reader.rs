//! Reads an [`Outcome`] from its JSON: `{"kind": "...", <that kind's fields>}`, as serde
//! writes it. Read through one flat struct rather than serde's internally tagged enum reader,
//! which buffers the whole object first: that reader took 19 KB of the first screen's wasm
//! (issue 17), this one a fraction. It reads every object that reader read to the same outcome
//! and names a missing field as it did; it is stricter in one way only: a field of another
//! kind, which the writer never writes, must still be of that field's type.

use super::{ConversationKind, HandledHow, Outcome, OutcomeKind};
use crate::model::Id;
use serde::Deserialize;
use time::Date;

#[derive(Deserialize)]
pub(super) struct OutcomeReader {
    kind: OutcomeKind,
    how: Option<HandledHow>,
    note: Option<String>,
    partner_id: Option<String>,
    warm_handover: Option<bool>,
    conversation: Option<ConversationKind>,
    date: Option<Date>,
    time: Option<String>,
    place: Option<String>,
    home_visit: Option<bool>,
    #[serde(default)]
    worker: String,
    worker_account: Option<Id>,
    follow_up_owner: Option<String>,
    follow_up_date: Option<Date>,
}

/// A field the outcome's kind needs, in serde's words for a missing field.
fn needed<T>(value: Option<T>, field: &str) -> Result<T, String> {
    value.ok_or_else(|| format!("missing field `{field}`"))
}

impl TryFrom<OutcomeReader> for Outcome {
    type Error = String;

    fn try_from(r: OutcomeReader) -> Result<Self, String> {
        Ok(match r.kind {
            OutcomeKind::Handled => Outcome::Handled {
                how: needed(r.how, "how")?,
                note: needed(r.note, "note")?,
            },
            OutcomeKind::Referred => Outcome::Referred {
                partner_id: needed(r.partner_id, "partner_id")?,
                warm_handover: needed(r.warm_handover, "warm_handover")?,
                note: needed(r.note, "note")?,
            },
            OutcomeKind::Appointment => Outcome::Appointment {
                conversation: needed(r.conversation, "conversation")?,
                date: needed(r.date, "date")?,
                time: needed(r.time, "time")?,
                place: needed(r.place, "place")?,
                home_visit: needed(r.home_visit, "home_visit")?,
                worker: r.worker,
                worker_account: r.worker_account,
            },
            OutcomeKind::Notification => Outcome::Notification {
                date: needed(r.date, "date")?,
            },
            OutcomeKind::Escalated => Outcome::Escalated {
                follow_up_owner: needed(r.follow_up_owner, "follow_up_owner")?,
                follow_up_date: needed(r.follow_up_date, "follow_up_date")?,
                note: needed(r.note, "note")?,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    /// The reader serde derives for the same enum: what [`OutcomeReader`] must match. Written
    /// back, it and [`Outcome`] give the same JSON for the same outcome.
    #[derive(Debug, Deserialize, serde::Serialize)]
    #[serde(rename_all = "snake_case", tag = "kind")]
    enum Tagged {
        Handled {
            how: HandledHow,
            note: String,
        },
        Referred {
            partner_id: String,
            warm_handover: bool,
            note: String,
        },
        Appointment {
            conversation: ConversationKind,
            date: Date,
            time: String,
            place: String,
            home_visit: bool,
            #[serde(default)]
            worker: String,
            #[serde(default)]
            worker_account: Option<Id>,
        },
        Notification {
            date: Date,
        },
        Escalated {
            follow_up_owner: String,
            follow_up_date: Date,
            note: String,
        },
    }

    fn outcomes() -> Vec<Outcome> {
        let day = date!(2026 - 12 - 03);
        vec![
            Outcome::Handled {
                how: HandledHow::SimpleProduct,
                note: "Folder meegegeven".into(),
            },
            Outcome::Referred {
                partner_id: "p-1".into(),
                warm_handover: true,
                note: String::new(),
            },
            Outcome::Appointment {
                conversation: ConversationKind::KitchenTable,
                date: day,
                time: "10:30".into(),
                place: "Thuis".into(),
                home_visit: true,
                worker: "Anne".into(),
                worker_account: Some(Id::from_u128(1)),
            },
            Outcome::Notification { date: day },
            Outcome::Escalated {
                follow_up_owner: "Kim".into(),
                follow_up_date: day,
                note: "Veilig Thuis gebeld".into(),
            },
        ]
    }

    #[test]
    fn every_outcome_reads_back_as_written() {
        for outcome in outcomes() {
            let json = serde_json::to_string(&outcome).unwrap();
            assert_eq!(serde_json::from_str::<Outcome>(&json).unwrap(), outcome);
        }
    }

    const KEYS: [&str; 14] = [
        "how",
        "note",
        "partner_id",
        "warm_handover",
        "conversation",
        "date",
        "time",
        "place",
        "home_visit",
        "worker",
        "worker_account",
        "follow_up_owner",
        "follow_up_date",
        "other",
    ];

    /// An outcome's object with keys added, replaced by a value of any type or removed.
    fn objects() -> impl Strategy<Value = serde_json::Value> {
        let value = prop_oneof![
            Just(serde_json::json!(null)),
            Just(serde_json::json!(true)),
            Just(serde_json::json!(3)),
            Just(serde_json::json!("")),
            Just(serde_json::json!("10:30")),
            Just(serde_json::json!("2026-12-03")),
            Just(serde_json::json!([2026, 337])),
            Just(serde_json::json!("information_or_advice")),
            Just(serde_json::json!("kitchen_table")),
            Just(serde_json::json!("00000000-0000-4000-8000-000000000001")),
            Just(serde_json::json!("notification")),
            Just(serde_json::json!("unknown")),
        ];
        // Per key: kept (None), removed, or set to a value; "kind" too.
        let change = proptest::option::of(proptest::option::of(value));
        (
            0..outcomes().len(),
            proptest::collection::vec(change, KEYS.len() + 1),
        )
            .prop_map(|(base, changes)| {
                let mut object = serde_json::to_value(&outcomes()[base]).unwrap();
                let map = object.as_object_mut().unwrap();
                for (key, change) in KEYS.iter().chain(["kind"].iter()).zip(changes) {
                    match change {
                        None => {}
                        Some(None) => {
                            map.remove(*key);
                        }
                        Some(Some(value)) => {
                            map.insert(key.to_string(), value);
                        }
                    }
                }
                object
            })
    }

    /// The keys an outcome of `kind` has (what the writer writes for it).
    fn keys_of(kind: &serde_json::Value) -> Vec<String> {
        outcomes()
            .into_iter()
            .map(|o| serde_json::to_value(o).unwrap())
            .find(|o| &o["kind"] == kind)
            .map(|o| o.as_object().unwrap().keys().cloned().collect())
            .unwrap_or_default()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]
        /// Never more lenient than the tagged reader, the same outcome where both read one,
        /// and refusing only for a foreign field of the wrong type.
        #[test]
        fn reads_what_the_tagged_reader_reads(object in objects()) {
            let text = object.to_string();
            let ours = serde_json::from_str::<Outcome>(&text);
            let tagged = serde_json::from_str::<Tagged>(&text);
            match (ours, tagged) {
                (Ok(ours), Ok(tagged)) => prop_assert_eq!(
                    serde_json::to_value(ours).unwrap(),
                    serde_json::to_value(tagged).unwrap()
                ),
                (Ok(ours), Err(e)) => prop_assert!(false, "{} read as {:?}, tagged: {}", text, ours, e),
                (Err(_), Err(_)) => {}
                (Err(e), Ok(_)) => {
                    // Without the other kinds' fields, ours reads it too.
                    let own = keys_of(&object["kind"]);
                    let mut only_own = object.clone();
                    only_own
                        .as_object_mut()
                        .unwrap()
                        .retain(|k, _| k == "kind" || k == "other" || own.contains(k));
                    prop_assert!(
                        serde_json::from_str::<Outcome>(&only_own.to_string()).is_ok(),
                        "{} refused ({}) though the tagged reader reads it", text, e
                    );
                }
            }
        }
    }

    #[test]
    fn a_missing_field_is_named() {
        let error = serde_json::from_str::<Outcome>(r#"{"kind":"handled","note":""}"#)
            .unwrap_err()
            .to_string();
        assert!(error.contains("missing field `how`"), "{error}");
    }
}
