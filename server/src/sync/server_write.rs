//! A field the server itself writes into a record (the household's regisseur, chosen in the
//! caseload): a new version of the record, stamped by no device, and its state in the log, so
//! every device that holds the household receives it like any other change. Devices may not
//! write such a field (`shared::sync::fields::server_owned`).

use super::log::PendingLog;
use super::records;
use crate::{Error, Result};
use serde_json::{Map, Value};
use shared::model::Id;
use shared::sync::{set_field, FieldStamp, LogBody, RecordState, RecordType};
use sqlx::PgConnection;

/// Sets `field` of the record in the caller's transaction and logs the record's new state to
/// `team`'s devices.
pub async fn write_field(
    tx: &mut PgConnection,
    team: &str,
    (record_type, id): (RecordType, Id),
    field: &str,
    value: Value,
) -> Result<()> {
    let fields = Map::from_iter([(field.to_owned(), value)]);
    let state = write_fields(tx, (record_type, id), fields).await?;
    let mut log = PendingLog::default();
    log.push_from_server(state.household_id, id, &LogBody::Record(state));
    log.write(tx, team).await
}

/// Sets `fields` of the record as one new version, stamped by the server; the caller logs the
/// state returned.
pub(super) async fn write_fields(
    tx: &mut PgConnection,
    (record_type, id): (RecordType, Id),
    fields: Map<String, Value>,
) -> Result<RecordState> {
    let Some(row) = records::load(tx, record_type, id).await? else {
        return Err(Error::NotFound);
    };
    let mut record = row.record;
    record.version += 1;
    for (field, value) in fields {
        set_field(record_type, &mut record.fields, &field, value);
        record.field_versions.insert(
            field,
            FieldStamp {
                version: record.version,
                device: Id::nil(),
            },
        );
    }
    let mut changed = records::Columns::default();
    changed.push(id, row.household_id, &record);
    records::update_many(tx, record_type, &changed).await?;
    Ok(RecordState {
        record_type,
        record_id: id,
        household_id: row.household_id,
        version: record.version,
        deleted: record.deleted,
        fields: record.fields,
    })
}
