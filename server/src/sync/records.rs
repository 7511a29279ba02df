//! Reading and writing the aggregates' tables. Each aggregate has its own table with the same
//! sync columns; the macros below write the same checked SQL once per table.

use crate::Result;
use serde_json::{Map, Value};
use shared::model::Id;
use shared::sync::{FieldStamp, RecordType, ServerRecord};
use sqlx::PgConnection;
use std::collections::BTreeMap;

pub(super) struct Row {
    pub household_id: Id,
    pub record: ServerRecord,
}

fn row(household_id: Id, version: i64, deleted: bool, fields: Value, versions: Value) -> Row {
    let fields = match fields {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    let field_versions: BTreeMap<String, FieldStamp> =
        serde_json::from_value(versions).unwrap_or_default();
    Row {
        household_id,
        record: ServerRecord {
            version: version as u64,
            deleted,
            fields,
            field_versions,
        },
    }
}

fn versions_json(record: &ServerRecord) -> Value {
    serde_json::to_value(&record.field_versions).unwrap_or_default()
}

/// Runs `$body!("table")` for the record type's table; `$household` is the household table's
/// own version where its columns differ (it has a team instead of a household).
macro_rules! for_table {
    ($record_type:expr, $body:ident) => {
        for_table!($record_type, $body, $body!("household"))
    };
    ($record_type:expr, $body:ident, $household:expr) => {
        match $record_type {
            RecordType::Household => $household,
            RecordType::Resident => $body!("resident"),
            RecordType::Contact => $body!("contact"),
            RecordType::Question => $body!("question"),
            RecordType::QuickScan => $body!("quick_scan"),
            RecordType::Conversation => $body!("conversation"),
            RecordType::Notification => $body!("notification"),
            RecordType::SupportPlan => $body!("support_plan"),
            RecordType::Consent => $body!("consent"),
        }
    };
}

/// The record, locked until the transaction ends, or None when the server never saw it.
pub(super) async fn load(
    tx: &mut PgConnection,
    record_type: RecordType,
    id: Id,
) -> Result<Option<Row>> {
    macro_rules! select {
        ($table:tt) => {
            sqlx::query!(
                "SELECT household_id AS \"household_id!\", version, deleted, fields, field_versions FROM "
                    + $table
                    + " WHERE id = $1 FOR UPDATE",
                id
            )
            .fetch_optional(&mut *tx)
            .await?
            .map(|r| row(r.household_id, r.version, r.deleted, r.fields, r.field_versions))
        };
    }
    Ok(for_table!(record_type, select))
}

/// Stores a record the server did not have yet.
pub(super) async fn insert(
    tx: &mut PgConnection,
    record_type: RecordType,
    id: Id,
    household_id: Id,
    team: &str,
    record: &ServerRecord,
) -> Result<()> {
    let fields = Value::Object(record.fields.clone());
    let versions = versions_json(record);
    let version = record.version as i64;
    macro_rules! insert {
        ($table:tt) => {
            sqlx::query!(
                "INSERT INTO "
                    + $table
                    + " (id, household_id, version, deleted, fields, field_versions)
                      VALUES ($1, $2, $3, $4, $5, $6)",
                id,
                household_id,
                version,
                record.deleted,
                fields,
                versions
            )
            .execute(&mut *tx)
            .await?
        };
    }
    for_table!(
        record_type,
        insert,
        sqlx::query!(
            "INSERT INTO household (id, team_id, version, deleted, fields, field_versions)
             VALUES ($1, $2, $3, $4, $5, $6)",
            id,
            team,
            version,
            record.deleted,
            fields,
            versions
        )
        .execute(&mut *tx)
        .await?
    );
    Ok(())
}

/// Writes a record's new state.
pub(super) async fn update(
    tx: &mut PgConnection,
    record_type: RecordType,
    id: Id,
    record: &ServerRecord,
) -> Result<()> {
    let fields = Value::Object(record.fields.clone());
    let versions = versions_json(record);
    let version = record.version as i64;
    macro_rules! update {
        ($table:tt) => {
            sqlx::query!(
                "UPDATE "
                    + $table
                    + " SET version = $2, deleted = $3, fields = $4, field_versions = $5,
                        updated_at = now() WHERE id = $1",
                id,
                version,
                record.deleted,
                fields,
                versions
            )
            .execute(&mut *tx)
            .await?
        };
    }
    for_table!(record_type, update);
    Ok(())
}

/// Every record of one type in a household (the household itself for its own table).
pub(super) async fn of_household(
    tx: &mut PgConnection,
    record_type: RecordType,
    household_id: Id,
) -> Result<Vec<(Id, ServerRecord)>> {
    macro_rules! select_all {
        ($table:tt) => {
            sqlx::query!(
                "SELECT id, version, deleted, fields, field_versions FROM "
                    + $table
                    + " WHERE household_id = $1 ORDER BY id",
                household_id
            )
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .map(|r| {
                let row = row(
                    household_id,
                    r.version,
                    r.deleted,
                    r.fields,
                    r.field_versions,
                );
                (r.id, row.record)
            })
            .collect()
        };
    }
    Ok(for_table!(record_type, select_all))
}

/// Removes every record of one type in a household (retention); returns how many.
async fn delete_household_records(
    tx: &mut PgConnection,
    record_type: RecordType,
    household_id: Id,
) -> Result<u64> {
    macro_rules! delete {
        ($table:tt) => {
            sqlx::query!(
                "DELETE FROM " + $table + " WHERE household_id = $1",
                household_id
            )
            .execute(&mut *tx)
            .await?
            .rows_affected()
        };
    }
    Ok(for_table!(record_type, delete))
}

/// Retention, the sync module's part: every record of the household, its conflicts, the
/// receipts of its changes (a refused one keeps the worker's words), the consultants added to
/// it and its log. Returns the number of records removed.
pub(crate) async fn remove_household(tx: &mut PgConnection, household_id: Id) -> Result<u64> {
    // The log names every record the household ever had, deleted ones included.
    sqlx::query!(
        "DELETE FROM receipt WHERE record_id IN
             (SELECT record_id FROM change_log WHERE household_id = $1 UNION SELECT $1)
           OR (outcome = 'rejected' AND strpos(rejected_fields #>> '{}', $1::text) > 0)",
        household_id
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "DELETE FROM household_worker WHERE household_id = $1",
        household_id
    )
    .execute(&mut *tx)
    .await?;
    let mut records = 0;
    // Children first, the household itself last (the others refer to it).
    for record_type in RecordType::ALL.iter().rev() {
        records += delete_household_records(tx, *record_type, household_id).await?;
    }
    sqlx::query!("DELETE FROM conflict WHERE household_id = $1", household_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query!(
        "DELETE FROM change_log WHERE household_id = $1",
        household_id
    )
    .execute(&mut *tx)
    .await?;
    Ok(records)
}

/// The team of a household, locking the household until the transaction ends (for moves and
/// assignments, so no push changes its scope meanwhile).
pub(super) async fn lock_household(tx: &mut PgConnection, household_id: Id) -> Result<String> {
    sqlx::query_scalar!(
        "SELECT team_id FROM household WHERE id = $1 FOR UPDATE",
        household_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(crate::Error::NotFound)
}
