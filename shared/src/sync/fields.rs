//! Keyed lists: a field holding entries each named by a key member (the conversation's
//! `domains`, by `domain`; the household's `members`, by `resident_id`). A patch carries one
//! changed entry as the field `domains/<key>`, so
//! typing in one life domain sends that domain and not all of them, and two workers in
//! different life domains of one conversation never conflict. A whole list still travels when
//! entries were removed or reordered, and from apps that predate this.

use super::RecordType;
use serde_json::{Map, Value};

/// (record type, list field, key member of each entry).
const KEYED_LISTS: [(RecordType, &str, &str); 3] = [
    (RecordType::Conversation, "domains", "domain"),
    (RecordType::Household, "members", "resident_id"),
    (RecordType::Household, "involved", "id"),
];

/// Fields only the server writes (`server/src/sync/server_write.rs`): a device never sends
/// them, and the server refuses a change that does.
const SERVER_OWNED: [(RecordType, &str); 2] = [
    (RecordType::Household, "case_manager"),
    (RecordType::Household, "closed"),
];

pub fn server_owned(record_type: RecordType, field: &str) -> bool {
    SERVER_OWNED
        .iter()
        .any(|(t, f)| *t == record_type && *f == field)
}

/// Between a list field and an entry's key: `domains/finances`.
pub const ENTRY_SEPARATOR: char = '/';

/// The member that names each entry of `list` (`domain` for a conversation's `domains`).
pub fn key_member(record_type: RecordType, list: &str) -> Option<&'static str> {
    KEYED_LISTS
        .iter()
        .find(|(t, f, _)| *t == record_type && *f == list)
        .map(|(_, _, key)| *key)
}

/// A field name split into the list and the entry's key, when it names an entry.
pub fn entry_path(field: &str) -> Option<(&str, &str)> {
    field.split_once(ENTRY_SEPARATOR)
}

/// Whether `field` is a field a patch of `record_type` may carry: a plain name, or an entry of
/// one of its keyed lists.
pub fn is_patchable(record_type: RecordType, field: &str) -> bool {
    match entry_path(field) {
        None => true,
        Some((list, key)) => !key.is_empty() && key_member(record_type, list).is_some(),
    }
}

/// The fields of `after` that differ from `before` (both JSON objects), for a patch; a keyed
/// list whose entries were only changed or added is split into its changed entries.
pub fn patch_fields(record_type: RecordType, before: &Value, after: &Value) -> Map<String, Value> {
    let mut fields = super::changed_fields(before, after);
    fields.retain(|field, _| !server_owned(record_type, field));
    for (_, list, key) in KEYED_LISTS.iter().filter(|(t, _, _)| *t == record_type) {
        let (Some(old), Some(new)) = (
            before.get(*list).and_then(Value::as_array),
            fields.get(*list).and_then(Value::as_array),
        ) else {
            continue;
        };
        if let Some(entries) = changed_entries(old, new, key) {
            fields.remove(*list);
            for (entry_key, entry) in entries {
                fields.insert(format!("{list}{ENTRY_SEPARATOR}{entry_key}"), entry);
            }
        }
    }
    fields
}

/// The changed and added entries, when the list kept its earlier entries in their order.
fn changed_entries(old: &[Value], new: &[Value], key: &str) -> Option<Vec<(String, Value)>> {
    let key_of = |entry: &Value| entry.get(key).and_then(Value::as_str).map(str::to_owned);
    if new.len() < old.len() {
        return None;
    }
    let mut changed = Vec::new();
    for (i, entry) in new.iter().enumerate() {
        let entry_key = key_of(entry).filter(|k| !k.is_empty())?;
        if entry_key.contains(ENTRY_SEPARATOR) {
            return None;
        }
        match old.get(i) {
            Some(before) if key_of(before).as_deref() != Some(entry_key.as_str()) => return None,
            Some(before) if before == entry => {}
            _ => changed.push((entry_key, entry.clone())),
        }
    }
    // A key twice would make one entry replace the other.
    let mut keys: Vec<_> = changed.iter().map(|(k, _)| k).collect();
    keys.sort();
    keys.dedup();
    (keys.len() == changed.len()).then_some(changed)
}

/// What `record` holds at `field`: a plain field, or one entry of a keyed list.
pub fn field_value(
    record_type: RecordType,
    record: &Map<String, Value>,
    field: &str,
) -> Option<Value> {
    match entry_path(field) {
        None => record.get(field).cloned(),
        Some((list, entry_key)) => {
            let key = key_member(record_type, list)?;
            record
                .get(list)?
                .as_array()?
                .iter()
                .find(|e| e.get(key).and_then(Value::as_str) == Some(entry_key))
                .cloned()
        }
    }
}

/// Every entry of a keyed list a patch carries, as (`list/key`, entry): entries sent on their
/// own and the entries of a whole list (a create, a reorder, an old app).
pub fn patch_entries(
    record_type: RecordType,
    fields: &Map<String, Value>,
) -> Vec<(String, &Map<String, Value>)> {
    let mut entries = Vec::new();
    for (field, value) in fields {
        match (entry_path(field), value) {
            (Some(_), Value::Object(entry)) => entries.push((field.clone(), entry)),
            (None, Value::Array(list)) => {
                let Some(key) = key_member(record_type, field) else {
                    continue;
                };
                for entry in list.iter().filter_map(Value::as_object) {
                    if let Some(name) = entry.get(key).and_then(Value::as_str) {
                        entries.push((format!("{field}{ENTRY_SEPARATOR}{name}"), entry));
                    }
                }
            }
            _ => {}
        }
    }
    entries
}

/// The entry `list/key` in a patch, to change in place: sent on its own, or inside the whole
/// list the patch carries.
pub fn patch_entry_mut<'a>(
    record_type: RecordType,
    fields: &'a mut Map<String, Value>,
    entry_field: &str,
) -> Option<&'a mut Map<String, Value>> {
    let (list, name) = entry_path(entry_field)?;
    let key = key_member(record_type, list)?;
    if fields.get(entry_field).is_some_and(Value::is_object) {
        return fields.get_mut(entry_field)?.as_object_mut();
    }
    fields
        .get_mut(list)?
        .as_array_mut()?
        .iter_mut()
        .find(|e| e.get(key).and_then(Value::as_str) == Some(name))?
        .as_object_mut()
}

/// Sets `field` in `record`: a plain field, or one entry of a keyed list (its members written
/// over the entry in place, or added at the end; its key member is the one the field names).
pub fn set_field(
    record_type: RecordType,
    record: &mut Map<String, Value>,
    field: &str,
    value: Value,
) {
    let Some((list, entry_key)) = entry_path(field) else {
        record.insert(field.to_owned(), value);
        return;
    };
    let Some(key) = key_member(record_type, list) else {
        return;
    };
    let mut value = value;
    if let Value::Object(entry) = &mut value {
        entry.insert(key.to_owned(), Value::String(entry_key.to_owned()));
    }
    let entries = record
        .entry(list.to_owned())
        .or_insert_with(|| Value::Array(Vec::new()));
    if !entries.is_array() {
        *entries = Value::Array(Vec::new());
    }
    let entries = entries.as_array_mut().expect("made an array above");
    match entries
        .iter_mut()
        .find(|e| e.get(key).and_then(Value::as_str) == Some(entry_key))
    {
        // Over what is there: members an older app does not know (it dropped them when it
        // read the entry) keep their values instead of being erased.
        Some(Value::Object(entry)) if value.is_object() => {
            if let Value::Object(members) = value {
                entry.extend(members);
            }
        }
        Some(entry) => *entry = value,
        None => entries.push(value),
    }
}

/// Folds a later patch's `field` into an earlier patch's fields, so the fields hold the latest
/// value of everything: a whole list replaces its earlier entries; an entry goes into an earlier
/// whole list rather than beside it (where the older list would hide it).
pub fn fold_field(
    record_type: RecordType,
    fields: &mut Map<String, Value>,
    field: &str,
    value: Value,
) {
    match entry_path(field) {
        Some((list, _)) if fields.contains_key(list) => {
            set_field(record_type, fields, field, value)
        }
        Some(_) => {
            fields.insert(field.to_owned(), value);
        }
        None => {
            let prefix = format!("{field}{ENTRY_SEPARATOR}");
            fields.retain(|f, _| !f.starts_with(&prefix));
            fields.insert(field.to_owned(), value);
        }
    }
}

/// Whether a write of `a` and a write of `b` touch the same data: the same field, or a list
/// and one of its entries.
pub fn overlap(a: &str, b: &str) -> bool {
    let list = |f: &str| entry_path(f).map_or(f, |(list, _)| list).to_owned();
    a == b || ((entry_path(a).is_none() || entry_path(b).is_none()) && list(a) == list(b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const C: RecordType = RecordType::Conversation;

    fn conversation(domains: Value) -> Value {
        json!({"id": "c", "status": "in_progress", "domains": domains})
    }

    #[test]
    fn an_entry_from_an_app_that_does_not_know_a_member_keeps_that_member() {
        let mut record = conversation(json!([
            {"domain": "finances", "network": "zus", "carer_support": "houdt het vol"}
        ]))
        .as_object()
        .unwrap()
        .clone();
        set_field(
            C,
            &mut record,
            "domains/finances",
            json!({"domain": "finances", "network": "zus en buurman"}),
        );
        assert_eq!(
            record["domains"],
            json!([{"domain": "finances", "network": "zus en buurman", "carer_support": "houdt het vol"}])
        );
    }

    #[test]
    fn a_patch_names_its_entries_whether_sent_alone_or_in_the_whole_list() {
        let mut fields = json!({
            "domains/housing": {"domain": "housing", "network": "buren"},
            "domains": [{"domain": "finances", "network": "zus"}],
            "status": "in_progress",
        })
        .as_object()
        .unwrap()
        .clone();
        let names: Vec<String> = patch_entries(C, &fields).into_iter().map(|e| e.0).collect();
        assert_eq!(names, ["domains/finances", "domains/housing"]);
        for field in ["domains/finances", "domains/housing"] {
            patch_entry_mut(C, &mut fields, field)
                .unwrap()
                .insert("network".into(), json!("nieuw"));
        }
        assert_eq!(fields["domains"][0]["network"], "nieuw");
        assert_eq!(fields["domains/housing"]["network"], "nieuw");
        assert!(patch_entry_mut(C, &mut fields, "domains/daytime").is_none());
    }

    #[test]
    fn an_edit_in_one_domain_sends_that_domain() {
        let before = conversation(json!([
            {"domain": "finances", "own_strength": ""},
            {"domain": "housing", "own_strength": "lang verhaal"}
        ]));
        let after = conversation(json!([
            {"domain": "finances", "own_strength": "budget"},
            {"domain": "housing", "own_strength": "lang verhaal"},
            {"domain": "health", "own_strength": ""}
        ]));
        let fields = patch_fields(C, &before, &after);
        assert_eq!(
            Value::Object(fields),
            json!({
                "domains/finances": {"domain": "finances", "own_strength": "budget"},
                "domains/health": {"domain": "health", "own_strength": ""}
            })
        );
    }

    #[test]
    fn a_removed_or_reordered_list_travels_whole() {
        let before = conversation(json!([{"domain": "a"}, {"domain": "b"}]));
        let removed = conversation(json!([{"domain": "a"}]));
        assert!(patch_fields(C, &before, &removed).contains_key("domains"));
        let reordered = conversation(json!([{"domain": "b"}, {"domain": "a"}]));
        assert!(patch_fields(C, &before, &reordered).contains_key("domains"));
        // Other record types never split.
        let fields = patch_fields(RecordType::SupportPlan, &before, &removed);
        assert!(fields.contains_key("domains"));
    }

    #[test]
    fn set_and_read_an_entry() {
        let mut record = conversation(json!([{"domain": "a", "x": 1}]))
            .as_object()
            .unwrap()
            .clone();
        set_field(C, &mut record, "domains/a", json!({"domain": "a", "x": 2}));
        set_field(
            C,
            &mut record,
            "domains/b",
            json!({"domain": "forged", "x": 3}),
        );
        assert_eq!(
            record["domains"],
            json!([{"domain": "a", "x": 2}, {"domain": "b", "x": 3}])
        );
        assert_eq!(
            field_value(C, &record, "domains/b"),
            Some(json!({"domain": "b", "x": 3}))
        );
        assert_eq!(field_value(C, &record, "domains/c"), None);
        assert_eq!(
            field_value(C, &record, "status"),
            Some(json!("in_progress"))
        );
    }

    #[test]
    fn folding_keeps_the_latest_of_list_and_entries() {
        let mut fields = Map::new();
        fold_field(C, &mut fields, "domains/a", json!({"domain": "a", "x": 1}));
        fold_field(C, &mut fields, "domains", json!([{"domain": "a", "x": 2}]));
        assert_eq!(
            Value::Object(fields.clone()),
            json!({"domains": [{"domain": "a", "x": 2}]})
        );
        fold_field(C, &mut fields, "domains/a", json!({"domain": "a", "x": 3}));
        fold_field(C, &mut fields, "domains/b", json!({"domain": "b", "x": 4}));
        assert_eq!(
            Value::Object(fields),
            json!({"domains": [{"domain": "a", "x": 3}, {"domain": "b", "x": 4}]})
        );
    }

    #[test]
    fn which_fields_overlap() {
        assert!(overlap("domains", "domains/a"));
        assert!(overlap("domains/a", "domains"));
        assert!(overlap("domains/a", "domains/a"));
        assert!(!overlap("domains/a", "domains/b"));
        assert!(!overlap("status", "domains"));
        assert!(is_patchable(C, "domains/a"));
        assert!(!is_patchable(C, "status/a"));
        assert!(!is_patchable(RecordType::Question, "domains/a"));
        assert!(!is_patchable(C, "domains/"));
    }
}
