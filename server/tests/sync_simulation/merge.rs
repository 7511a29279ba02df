//! How the simulated worker settles a conflict (keeping every word of every version), and the
//! words a record holds.

use serde_json::Value;
use std::collections::BTreeSet;

/// What a worker makes of a conflict: every word of every version. Texts merge their words;
/// an object (a life domain's entry, the quick scan's answers) merges member by member; a list
/// of entries named by `domain` or `id` merges entry by entry; a date, a number or a choice
/// keeps the first version given.
pub fn merge_values(values: &[Option<&Value>]) -> Value {
    let present: Vec<&Value> = values
        .iter()
        .flatten()
        .copied()
        .filter(|v| !v.is_null())
        .collect();
    match present.first() {
        None => Value::Null,
        Some(Value::String(first)) if is_date(first) => Value::String(first.clone()),
        Some(Value::String(_)) => Value::String(merge_words(
            &present.iter().map(|v| v.as_str()).collect::<Vec<_>>(),
        )),
        Some(Value::Object(_)) => {
            let mut keys: Vec<&String> = Vec::new();
            for object in present.iter().filter_map(|v| v.as_object()) {
                for key in object.keys() {
                    if !keys.contains(&key) {
                        keys.push(key);
                    }
                }
            }
            let merged = keys
                .into_iter()
                .map(|key| {
                    let versions: Vec<Option<&Value>> =
                        present.iter().map(|v| v.get(key)).collect();
                    (key.clone(), merge_values(&versions))
                })
                .collect();
            Value::Object(merged)
        }
        Some(Value::Array(_)) if present.iter().any(|list| is_keyed(list)) => {
            let key_of = |entry: &Value| {
                entry
                    .get("domain")
                    .or_else(|| entry.get("id"))
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            };
            let mut keys: Vec<String> = Vec::new();
            for list in &present {
                for entry in list.as_array().into_iter().flatten() {
                    if let Some(key) = key_of(entry) {
                        if !keys.contains(&key) {
                            keys.push(key);
                        }
                    }
                }
            }
            let entries = keys
                .iter()
                .map(|key| {
                    let versions: Vec<Option<&Value>> = present
                        .iter()
                        .map(|list| {
                            list.as_array().and_then(|l| {
                                l.iter()
                                    .find(|e| key_of(e).as_deref() == Some(key.as_str()))
                            })
                        })
                        .collect();
                    merge_values(&versions)
                })
                .collect();
            Value::Array(entries)
        }
        Some(other) => (*other).clone(),
    }
}

/// A list whose entries are objects named by `domain` or `id`.
fn is_keyed(list: &Value) -> bool {
    list.as_array().is_some_and(|entries| {
        entries
            .iter()
            .any(|e| e.get("domain").or_else(|| e.get("id")).is_some())
    })
}

/// `2026-11-30`: a date is chosen, not merged.
fn is_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        })
}

/// Every word in a record's JSON.
pub fn words_of(record: &Value) -> BTreeSet<String> {
    record
        .to_string()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .map(str::to_owned)
        .collect()
}

/// The words of several texts, each once, in first-seen order.
fn merge_words(texts: &[Option<&str>]) -> String {
    let mut seen = Vec::<&str>::new();
    for word in texts.iter().flatten().flat_map(|t| t.split_whitespace()) {
        if !seen.contains(&word) {
            seen.push(word);
        }
    }
    seen.join(" ")
}
