//! The merge rule, per field: a change writes the fields nobody else changed since its base
//! version; a field someone else changed becomes a conflict. The server runs this for every
//! pushed change; it lives here so the rule is written once and tested without a database.

use super::fields::{field_value, is_patchable, overlap, set_field};
use super::{Change, Operation};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// A record as the server keeps it: its fields, and per field the version and device that
/// last wrote it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ServerRecord {
    pub version: u64,
    pub deleted: bool,
    pub fields: Map<String, Value>,
    pub field_versions: BTreeMap<String, FieldStamp>,
}

/// Who wrote a field last, at which version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldStamp {
    pub version: u64,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::model::uuid::Uuid))]
    pub device: crate::model::Id,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FieldConflict {
    pub field: String,
    pub server_value: Value,
    pub device_value: Value,
    pub deleted_on_server: bool,
    /// The device deleted the record while others still changed it: `field` is
    /// [`WHOLE_RECORD`] and `server_value` holds the fields changed since the device's base.
    pub deleted_on_device: bool,
}

/// The `field` of a conflict about the whole record (a delete against unseen edits).
pub const WHOLE_RECORD: &str = "*";

#[derive(Debug, Clone, PartialEq)]
pub enum Merged {
    /// The change can never be applied; the reason is for the worker.
    Rejected(String),
    /// The record after the change (`version` moved on only when something was written).
    Written {
        record: ServerRecord,
        conflicts: Vec<FieldConflict>,
    },
}

/// Fields that tie a record to its identity and scope: set at creation, never patched.
const FIXED_FIELDS: [&str; 2] = ["id", "household_id"];

/// Applies `change` to the server's `current` record (None: never seen).
pub fn merge(current: Option<&ServerRecord>, change: &Change) -> Merged {
    // An entry of a keyed list (`domains/<key>`) only in a patch, and only of a keyed list.
    if let Some(field) = change.fields.keys().find(|f| {
        (change.op == Operation::Create && super::fields::entry_path(f).is_some())
            || !is_patchable(change.record_type, f)
    }) {
        return Merged::Rejected(format!("Het veld '{field}' bestaat niet."));
    }
    let Some(current) = current else {
        return match change.op {
            Operation::Create => Merged::Written {
                record: ServerRecord {
                    version: 1,
                    deleted: false,
                    field_versions: change
                        .fields
                        .keys()
                        .map(|k| {
                            let stamp = FieldStamp {
                                version: 1,
                                device: change.device_id,
                            };
                            (k.clone(), stamp)
                        })
                        .collect(),
                    fields: change.fields.clone(),
                },
                conflicts: Vec::new(),
            },
            Operation::Patch | Operation::Delete => {
                Merged::Rejected("Dit dossierdeel is niet bekend op de server.".into())
            }
        };
    };
    if let Some(field) = FIXED_FIELDS.iter().find(|f| {
        change
            .fields
            .get(**f)
            .is_some_and(|v| current.fields.get(**f) != Some(v))
    }) {
        return Merged::Rejected(format!("Het veld '{field}' kan niet worden gewijzigd."));
    }
    if change.base_version > current.version {
        return Merged::Rejected(
            "Deze wijziging noemt een versie die de server niet kent. Haal de gegevens opnieuw op en probeer het nog eens.".into(),
        );
    }
    let mut record = current.clone();
    if change.op == Operation::Delete {
        // A delete that has not seen another worker's later edits would hide them: the worker
        // who deleted chooses, with those edits in view. A resent delete (from "Niet
        // verwerkt") is older than its own device's later edits too (simulation seed 524).
        let unseen: Map<String, Value> = current
            .field_versions
            .iter()
            .filter(|(_, s)| {
                s.version > change.base_version && (s.device != change.device_id || change.resent)
            })
            .filter_map(|(f, _)| {
                Some((
                    f.clone(),
                    field_value(change.record_type, &current.fields, f)?,
                ))
            })
            .collect();
        if !current.deleted && change.resolves.is_none() && !unseen.is_empty() {
            let conflict = FieldConflict {
                field: WHOLE_RECORD.into(),
                server_value: Value::Object(unseen),
                device_value: Value::Null,
                deleted_on_server: false,
                deleted_on_device: true,
            };
            return Merged::Written {
                record,
                conflicts: vec![conflict],
            };
        }
        if !record.deleted {
            record.deleted = true;
            record.version += 1;
        }
        return Merged::Written {
            record,
            conflicts: Vec::new(),
        };
    }
    // An edit of a deleted record is a conflict, unless the worker chose to restore it (a
    // resolution, or a create based on the tombstone's version).
    let restoring = change.resolves.is_some()
        || (change.op == Operation::Create && change.base_version >= current.version);
    if current.deleted && !restoring {
        let held = |field: &str| field_value(change.record_type, &current.fields, field);
        let conflicts = change
            .fields
            .iter()
            .filter(|(field, value)| held(field).as_ref() != Some(*value))
            .map(|(field, value)| FieldConflict {
                field: field.clone(),
                // The tombstone keeps its fields: the worker sees what was deleted.
                server_value: held(field).unwrap_or(Value::Null),
                device_value: value.clone(),
                deleted_on_server: true,
                deleted_on_device: false,
            })
            .collect();
        return Merged::Written { record, conflicts };
    }
    let next = current.version + 1;
    let mut conflicts = Vec::new();
    let mut written = current.deleted;
    record.deleted = false;
    let record_type = change.record_type;
    for (field, value) in &change.fields {
        let held = field_value(record_type, &current.fields, field);
        if held.as_ref() == Some(value) {
            continue;
        }
        // Changed since the device's base by someone else? A device always saw its own
        // earlier changes, even before it pulled them back.
        // A resolution or a resend is always checked strictly: it may have been chosen
        // without the record at hand, or be older than this device's own later edits.
        let strict = change.resolves.is_some() || change.resent;
        // A list and its entries overlap: a whole list written by another meets each entry.
        let changed_by_other = current
            .field_versions
            .iter()
            .filter(|(stamped, _)| overlap(stamped, field))
            .any(|(_, s)| {
                s.version > change.base_version && (s.device != change.device_id || strict)
            });
        if changed_by_other {
            conflicts.push(FieldConflict {
                field: field.clone(),
                server_value: held.unwrap_or(Value::Null),
                device_value: value.clone(),
                deleted_on_server: false,
                deleted_on_device: false,
            });
        } else {
            set_field(record_type, &mut record.fields, field, value.clone());
            let stamp = FieldStamp {
                version: next,
                device: change.device_id,
            };
            record.field_versions.insert(field.clone(), stamp);
            written = true;
        }
    }
    if written {
        record.version = next;
    }
    Merged::Written { record, conflicts }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Id;
    use crate::sync::{PROTOCOL_VERSION, SCHEMA_VERSION};
    use proptest::prelude::*;
    use serde_json::json;

    /// A change from a device of its own (conflicts are between devices).
    fn change(op: Operation, base_version: u64, fields: Value) -> Change {
        Change {
            device_id: Id::now_v7(),
            seq: 1,
            record_type: crate::sync::RecordType::Question,
            record_id: Id::from_u128(1),
            op,
            fields: fields.as_object().unwrap().clone(),
            base_version,
            protocol_version: PROTOCOL_VERSION,
            schema_version: SCHEMA_VERSION,
            resolves: None,
            resent: false,
        }
    }

    fn written(merged: Merged) -> (ServerRecord, Vec<FieldConflict>) {
        match merged {
            Merged::Written { record, conflicts } => (record, conflicts),
            Merged::Rejected(reason) => panic!("rejected: {reason}"),
        }
    }

    fn created() -> ServerRecord {
        written(merge(
            None,
            &change(Operation::Create, 0, json!({"a": "1", "b": "1"})),
        ))
        .0
    }

    #[test]
    fn different_fields_from_two_devices_both_land() {
        let v1 = created();
        let (v2, c) = written(merge(
            Some(&v1),
            &change(Operation::Patch, 1, json!({"a": "x"})),
        ));
        assert!(c.is_empty());
        let (v3, c) = written(merge(
            Some(&v2),
            &change(Operation::Patch, 1, json!({"b": "y"})),
        ));
        assert!(c.is_empty());
        assert_eq!(Value::Object(v3.fields), json!({"a": "x", "b": "y"}));
        assert_eq!(v3.version, 3);
    }

    #[test]
    fn the_same_field_from_the_same_base_is_a_conflict_keeping_both_values() {
        let v1 = created();
        let (v2, _) = written(merge(
            Some(&v1),
            &change(Operation::Patch, 1, json!({"a": "first"})),
        ));
        let (v3, conflicts) = written(merge(
            Some(&v2),
            &change(Operation::Patch, 1, json!({"a": "second", "b": "2"})),
        ));
        assert_eq!(v3.fields["a"], "first");
        assert_eq!(v3.fields["b"], "2", "the other field still merges");
        assert_eq!(conflicts.len(), 1);
        assert_eq!(conflicts[0].server_value, "first");
        assert_eq!(conflicts[0].device_value, "second");
    }

    #[test]
    fn an_edit_of_a_deleted_record_is_a_conflict_and_a_resolution_restores_it() {
        let v1 = created();
        let (v2, _) = written(merge(Some(&v1), &change(Operation::Delete, 1, json!({}))));
        assert!(v2.deleted);
        let (v2b, conflicts) = written(merge(
            Some(&v2),
            &change(Operation::Patch, 1, json!({"a": "late"})),
        ));
        assert!(v2b.deleted);
        assert!(conflicts[0].deleted_on_server);
        let mut resolution = change(Operation::Patch, 2, json!({"a": "late"}));
        resolution.resolves = Some(Id::from_u128(9));
        let (v3, conflicts) = written(merge(Some(&v2b), &resolution));
        assert!(!v3.deleted && conflicts.is_empty());
        assert_eq!(v3.fields["a"], "late");
    }

    #[test]
    fn a_device_never_conflicts_with_its_own_earlier_changes() {
        let create = change(Operation::Create, 0, json!({"a": "1"}));
        let v1 = written(merge(None, &create)).0;
        let mut later = change(Operation::Patch, 0, json!({"a": "2"}));
        later.device_id = create.device_id;
        let (v2, conflicts) = written(merge(Some(&v1), &later));
        assert!(conflicts.is_empty());
        assert_eq!(v2.fields["a"], "2");
        // A resolution from the same device is checked strictly (it may lack the record).
        let mut resolution = change(Operation::Patch, 0, json!({"a": "r"}));
        resolution.device_id = create.device_id;
        resolution.resolves = Some(Id::from_u128(1));
        assert_eq!(written(merge(Some(&v2), &resolution)).1.len(), 1);
        // Another device with the same stale base does conflict.
        let (_, conflicts) = written(merge(
            Some(&v2),
            &change(Operation::Patch, 0, json!({"a": "3"})),
        ));
        assert_eq!(conflicts.len(), 1);
    }

    #[test]
    fn a_base_version_the_server_never_had_is_rejected() {
        let v1 = created();
        let (v2, _) = written(merge(
            Some(&v1),
            &change(Operation::Patch, 1, json!({"a": "first"})),
        ));
        // An inflated base would make every other worker's field look seen: refused.
        assert!(matches!(
            merge(
                Some(&v2),
                &change(Operation::Patch, 99, json!({"a": "over"}))
            ),
            Merged::Rejected(_)
        ));
        assert!(matches!(
            merge(Some(&v2), &change(Operation::Delete, 3, json!({}))),
            Merged::Rejected(_)
        ));
        // The server's own version is a fine base.
        assert!(written(merge(
            Some(&v2),
            &change(Operation::Patch, 2, json!({"a": "ok"}))
        ))
        .1
        .is_empty());
    }

    #[test]
    fn a_delete_against_edits_it_has_not_seen_is_a_conflict_and_deletes_nothing() {
        let v1 = created();
        let (v2, _) = written(merge(
            Some(&v1),
            &change(Operation::Patch, 1, json!({"a": "newer words"})),
        ));
        let (v2b, conflicts) = written(merge(Some(&v2), &change(Operation::Delete, 1, json!({}))));
        assert!(!v2b.deleted, "the newer words stay");
        assert_eq!(v2b, v2);
        assert_eq!(conflicts.len(), 1);
        assert!(conflicts[0].deleted_on_device && !conflicts[0].deleted_on_server);
        assert_eq!(conflicts[0].field, WHOLE_RECORD);
        assert_eq!(conflicts[0].server_value, json!({"a": "newer words"}));
        // The worker who saw the conflict and still deletes: deleted.
        let mut resolution = change(Operation::Delete, 2, json!({}));
        resolution.resolves = Some(Id::from_u128(5));
        assert!(written(merge(Some(&v2b), &resolution)).0.deleted);
        // A delete that saw every edit just deletes.
        assert!(
            written(merge(Some(&v2), &change(Operation::Delete, 2, json!({}))))
                .0
                .deleted
        );
        // The worker keeps the record: an empty patch settles the conflict and changes nothing.
        let mut keep = change(Operation::Patch, 2, json!({}));
        keep.resolves = Some(Id::from_u128(5));
        let (kept, conflicts) = written(merge(Some(&v2b), &keep));
        assert!(conflicts.is_empty() && kept == v2);
    }

    #[test]
    fn a_resent_change_meets_even_its_own_devices_later_edits_as_a_conflict() {
        let create = change(Operation::Create, 0, json!({"a": "1"}));
        let v1 = written(merge(None, &create)).0;
        // The device wrote "1 2" at version 2, after words of its own the server refused.
        let mut later = change(Operation::Patch, 1, json!({"a": "1 2"}));
        later.device_id = create.device_id;
        let v2 = written(merge(Some(&v1), &later)).0;
        let mut resent = change(Operation::Patch, 1, json!({"a": "1 refused"}));
        resent.device_id = create.device_id;
        resent.resent = true;
        let (v3, conflicts) = written(merge(Some(&v2), &resent));
        assert_eq!(
            v3.fields["a"], "1 2",
            "nothing written since is overwritten"
        );
        assert_eq!(conflicts.len(), 1);
        assert_eq!(conflicts[0].device_value, "1 refused");
    }

    /// Simulation seed 524: a delete refused (household closed) and resent from "Niet
    /// verwerkt" after the device's own later edits (which held a colleague's words merged in
    /// from a conflict) hid them without a conflict.
    #[test]
    fn a_resent_delete_meets_even_its_own_devices_later_edits_as_a_conflict() {
        let create = change(Operation::Create, 0, json!({"a": "1"}));
        let v1 = written(merge(None, &create)).0;
        let mut later = change(Operation::Patch, 1, json!({"a": "1 2 van een collega"}));
        later.device_id = create.device_id;
        let v2 = written(merge(Some(&v1), &later)).0;
        let mut resent = change(Operation::Delete, 1, json!({}));
        resent.device_id = create.device_id;
        resent.resent = true;
        let (v3, conflicts) = written(merge(Some(&v2), &resent));
        assert!(!v3.deleted, "nothing written since is hidden");
        assert_eq!(conflicts.len(), 1);
        assert!(conflicts[0].deleted_on_device);
        // A first delete from the same device, based on what it saw, still just deletes.
        let mut first = change(Operation::Delete, 2, json!({}));
        first.device_id = create.device_id;
        assert!(written(merge(Some(&v2), &first)).0.deleted);
    }

    #[test]
    fn identity_fields_cannot_be_patched_and_unknown_records_are_rejected() {
        let v1 = created();
        assert!(matches!(
            merge(
                Some(&v1),
                &change(Operation::Patch, 1, json!({"household_id": "x"}))
            ),
            Merged::Rejected(_)
        ));
        assert!(matches!(
            merge(None, &change(Operation::Patch, 0, json!({"a": "x"}))),
            Merged::Rejected(_)
        ));
    }

    /// A conversation with two life domains, made by one device.
    fn conversation() -> ServerRecord {
        let mut create = change(
            Operation::Create,
            0,
            json!({"id": "c", "domains": [
                {"domain": "finances", "network": ""},
                {"domain": "housing", "network": ""}
            ]}),
        );
        create.record_type = crate::sync::RecordType::Conversation;
        written(merge(None, &create)).0
    }

    fn domain_patch(base: u64, fields: Value) -> Change {
        let mut patch = change(Operation::Patch, base, fields);
        patch.record_type = crate::sync::RecordType::Conversation;
        patch
    }

    #[test]
    fn two_workers_in_different_life_domains_both_land() {
        let v1 = conversation();
        let finances = json!({"domain": "finances", "network": "zus helpt"});
        let housing = json!({"domain": "housing", "network": "buurman"});
        let (v2, c) = written(merge(
            Some(&v1),
            &domain_patch(1, json!({"domains/finances": finances})),
        ));
        assert!(c.is_empty());
        let (v3, c) = written(merge(
            Some(&v2),
            &domain_patch(1, json!({"domains/housing": housing})),
        ));
        assert!(c.is_empty(), "{c:?}");
        assert_eq!(v3.fields["domains"], json!([finances, housing]));
        // The same domain from the same base is a conflict about that domain only.
        let late = json!({"domain": "finances", "network": "niemand"});
        let (v4, c) = written(merge(
            Some(&v3),
            &domain_patch(1, json!({"domains/finances": late})),
        ));
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].field, "domains/finances");
        assert_eq!(c[0].server_value, finances);
        assert_eq!(v4.fields["domains"], v3.fields["domains"]);
    }

    #[test]
    fn two_workers_adding_or_changing_different_members_both_land() {
        let mut create = change(
            Operation::Create,
            0,
            json!({"id": "h", "name": "Huishouden Jansen", "members": [
                {"resident_id": "r1", "relation": "main_contact"}
            ]}),
        );
        create.record_type = crate::sync::RecordType::Household;
        let v1 = written(merge(None, &create)).0;
        let member = |fields: Value| {
            let mut patch = change(Operation::Patch, 1, fields);
            patch.record_type = crate::sync::RecordType::Household;
            patch
        };
        let partner = json!({"resident_id": "r2", "relation": "partner"});
        let (v2, c) = written(merge(Some(&v1), &member(json!({"members/r2": partner}))));
        assert!(c.is_empty());
        let child = json!({"resident_id": "r3", "relation": "child"});
        let (v3, c) = written(merge(Some(&v2), &member(json!({"members/r3": child}))));
        assert!(c.is_empty(), "{c:?}");
        assert_eq!(v3.fields["members"].as_array().unwrap().len(), 3);
    }

    #[test]
    fn a_whole_list_meets_the_entries_written_since() {
        let v1 = conversation();
        let entry = json!({"domain": "housing", "network": "buurman"});
        let (v2, _) = written(merge(
            Some(&v1),
            &domain_patch(1, json!({"domains/housing": entry})),
        ));
        // An app from before keyed lists sends every domain, the housing one still empty.
        let (_, c) = written(merge(
            Some(&v2),
            &domain_patch(
                1,
                json!({"domains": [{"domain": "finances", "network": "x"}]}),
            ),
        ));
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].field, "domains");
        // An entry path on a create, or of a field that is no keyed list, is refused.
        let mut create = domain_patch(0, json!({"domains/housing": entry}));
        create.op = Operation::Create;
        create.record_id = Id::from_u128(2);
        assert!(matches!(merge(None, &create), Merged::Rejected(_)));
        assert!(matches!(
            merge(Some(&v2), &domain_patch(2, json!({"status/x": 1}))),
            Merged::Rejected(_)
        ));
    }

    proptest! {
        /// Any interleaving of patches: every value sent ends up either in the record's
        /// history (it was written) or in a conflict. Nothing silently disappears.
        #[test]
        fn no_value_disappears(edits in proptest::collection::vec((0usize..3, 0u64..4), 1..30)) {
            let mut record = created();
            let mut history: Vec<Value> = vec![];
            let mut conflicted: Vec<Value> = vec![];
            for (n, (field, lag)) in edits.iter().enumerate() {
                let field = ["a", "b", "c"][*field];
                let base = record.version.saturating_sub(*lag);
                let value = json!(format!("v{n}"));
                let (next, conflicts) = written(merge(
                    Some(&record),
                    &change(Operation::Patch, base, json!({ field: value.clone() })),
                ));
                if next.fields.get(field) == Some(&value) {
                    history.push(value.clone());
                }
                conflicted.extend(conflicts.into_iter().map(|c| c.device_value));
                prop_assert!(next.version >= record.version);
                record = next;
                prop_assert!(history.contains(&value) != conflicted.contains(&value));
            }
        }

        /// Patches of disjoint fields commute: the order two devices arrive in does not matter.
        #[test]
        fn disjoint_patches_commute(a in "[a-z]{0,8}", b in "[a-z]{0,8}") {
            let v1 = created();
            let pa = change(Operation::Patch, 1, json!({"a": a}));
            let pb = change(Operation::Patch, 1, json!({"b": b}));
            let (ab, _) = written(merge(Some(&written(merge(Some(&v1), &pa)).0), &pb));
            let (ba, _) = written(merge(Some(&written(merge(Some(&v1), &pb)).0), &pa));
            prop_assert_eq!(ab.fields, ba.fields);
        }
    }
}
