//! The sync protocol's unit: a change a device made to one record. The device numbers its
//! changes without gaps; the server applies each exactly once (see docs/sync.md).

mod check;
pub mod fields;
mod merge;
mod protocol;

pub use check::{check_record, MAX_RECORD_BYTES, MAX_TEXT_CHARS};
pub use fields::{fold_field, patch_fields, set_field};
pub use merge::{merge, FieldConflict, FieldStamp, Merged, ServerRecord, WHOLE_RECORD};
pub use protocol::*;

use crate::model::Id;
use serde::{Deserialize, Serialize};

/// The version of this protocol.
pub const PROTOCOL_VERSION: u32 = 1;
/// The version of the record shapes in `model`.
pub const SCHEMA_VERSION: u32 = 1;
/// The oldest record shapes the server still accepts: the previous schema version, so a device
/// that has not updated yet can still empty its outbox.
pub const MIN_SCHEMA_VERSION: u32 = SCHEMA_VERSION - 1;

/// Whether the server takes changes written in a schema version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaSupport {
    Accepted,
    /// Older than the server takes: the app must update, then replay its outbox.
    TooOld,
    /// Newer than this server: the server must be updated first.
    TooNew,
}

pub fn schema_support(version: u32) -> SchemaSupport {
    if version > SCHEMA_VERSION {
        SchemaSupport::TooNew
    } else if (MIN_SCHEMA_VERSION..=SCHEMA_VERSION).contains(&version) {
        SchemaSupport::Accepted
    } else {
        SchemaSupport::TooOld
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RecordType {
    Resident,
    Household,
    Contact,
    Question,
    QuickScan,
    Conversation,
    Notification,
    SupportPlan,
    Consent,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Operation {
    Create,
    Patch,
    Delete,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Change {
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub device_id: Id,
    /// 1, 2, 3, … per device, without gaps.
    pub seq: u64,
    pub record_type: RecordType,
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub record_id: Id,
    pub op: Operation,
    /// The fields set: all of them for a create, the changed ones for a patch.
    pub fields: serde_json::Map<String, serde_json::Value>,
    /// The record version the change was based on (0 for a create).
    pub base_version: u64,
    pub protocol_version: u32,
    pub schema_version: u32,
    /// The conflict this change settles: the worker saw both values and chose.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<uuid::Uuid>))]
    pub resolves: Option<Id>,
    /// Words the server refused before, corrected and sent again: checked against every later
    /// edit, this device's own included (they were made after the refused words, on top of
    /// what the server had), so nothing written since is overwritten without a conflict.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub resent: bool,
}

impl Change {
    /// A change written by this version of the app (current protocol and schema, resolving
    /// nothing).
    pub fn new(
        device_id: Id,
        seq: u64,
        (record_type, record_id): (RecordType, Id),
        op: Operation,
        fields: serde_json::Map<String, serde_json::Value>,
        base_version: u64,
    ) -> Self {
        Change {
            device_id,
            seq,
            record_type,
            record_id,
            op,
            fields,
            base_version,
            protocol_version: PROTOCOL_VERSION,
            schema_version: SCHEMA_VERSION,
            resolves: None,
            resent: false,
        }
    }

    /// Folds a later patch of the same record into this unsent one, so typing a paragraph
    /// queues one change rather than one per keystroke. Later values win.
    pub fn absorb(&mut self, later: &Change) -> bool {
        let same_record =
            self.record_id == later.record_id && self.record_type == later.record_type;
        // A resend stands alone: folding two of them, or an edit into one, would let one
        // text replace the other before the server could turn them into a conflict.
        if !same_record
            || later.op != Operation::Patch
            || self.op == Operation::Delete
            || later.resolves.is_some()
            || self.resent
            || later.resent
        {
            return false;
        }
        for (field, value) in &later.fields {
            fields::fold_field(self.record_type, &mut self.fields, field, value.clone());
        }
        true
    }
}

/// The fields of `after` that differ from `before` (both JSON objects), for a patch.
pub fn changed_fields(
    before: &serde_json::Value,
    after: &serde_json::Value,
) -> serde_json::Map<String, serde_json::Value> {
    let empty = serde_json::Map::new();
    let before = before.as_object().unwrap_or(&empty);
    after
        .as_object()
        .unwrap_or(&empty)
        .iter()
        .filter(|(k, v)| before.get(*k) != Some(*v))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn change(op: Operation, fields: serde_json::Value) -> Change {
        Change {
            device_id: Id::nil(),
            seq: 1,
            record_type: RecordType::QuickScan,
            record_id: Id::from_u128(7),
            op,
            fields: fields.as_object().unwrap().clone(),
            base_version: 0,
            protocol_version: PROTOCOL_VERSION,
            schema_version: SCHEMA_VERSION,
            resolves: None,
            resent: false,
        }
    }

    #[test]
    fn only_changed_fields_travel() {
        let fields = changed_fields(
            &json!({"a": 1, "b": "x"}),
            &json!({"a": 1, "b": "y", "c": true}),
        );
        assert_eq!(
            serde_json::Value::Object(fields),
            json!({"b": "y", "c": true})
        );
    }

    #[test]
    fn later_patches_fold_into_an_unsent_change() {
        let mut first = change(Operation::Create, json!({"a": 1, "b": "x"}));
        assert!(first.absorb(&change(Operation::Patch, json!({"b": "xy"}))));
        assert!(first.absorb(&change(Operation::Patch, json!({"b": "xyz"}))));
        assert_eq!(
            serde_json::Value::Object(first.fields.clone()),
            json!({"a": 1, "b": "xyz"})
        );
        let mut other = change(Operation::Patch, json!({}));
        other.record_id = Id::from_u128(8);
        assert!(!first.absorb(&other));
    }
}

/// A record that travels through the outbox.
pub trait Record: Serialize + serde::de::DeserializeOwned {
    const TYPE: RecordType;
    fn id(&self) -> Id;
}

macro_rules! record {
    ($type:ty, $kind:ident) => {
        impl Record for $type {
            const TYPE: RecordType = RecordType::$kind;
            fn id(&self) -> Id {
                self.id
            }
        }
    };
}

record!(crate::model::Resident, Resident);
record!(crate::model::Household, Household);
record!(crate::model::Contact, Contact);
record!(crate::model::Question, Question);
record!(crate::model::QuickScan, QuickScan);
record!(crate::model::Conversation, Conversation);
record!(crate::model::Notification, Notification);
record!(crate::model::plan::SupportPlan, SupportPlan);
record!(crate::model::consent::Consent, Consent);

impl RecordType {
    pub const ALL: [RecordType; 9] = [
        RecordType::Household,
        RecordType::Resident,
        RecordType::Contact,
        RecordType::Question,
        RecordType::QuickScan,
        RecordType::Conversation,
        RecordType::Notification,
        RecordType::SupportPlan,
        RecordType::Consent,
    ];

    pub fn from_key(key: &str) -> Option<RecordType> {
        RecordType::ALL.into_iter().find(|t| t.key() == key)
    }

    pub fn key(self) -> &'static str {
        match self {
            RecordType::Resident => "resident",
            RecordType::Household => "household",
            RecordType::Contact => "contact",
            RecordType::Question => "question",
            RecordType::QuickScan => "quick_scan",
            RecordType::Conversation => "conversation",
            RecordType::Notification => "notification",
            RecordType::SupportPlan => "support_plan",
            RecordType::Consent => "consent",
        }
    }
}
