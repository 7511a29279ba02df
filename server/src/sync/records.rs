//! Reading and writing the aggregates' tables. Each aggregate has its own table with the same
//! sync columns; the macros below write the same checked SQL once per table.

use crate::Result;
use serde_json::{Map, Value};
use shared::model::Id;
use shared::sync::{FieldStamp, RecordType, ServerRecord};
use sqlx::PgConnection;
use std::collections::BTreeMap;

#[derive(Clone)]
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
    Ok(load_many(tx, record_type, &[id])
        .await?
        .pop()
        .map(|(_, row)| row))
}

/// The records among `ids` the server has, locked until the transaction ends: against other
/// writers, not against the household check's KEY SHARE lock (FOR NO KEY UPDATE, the lock an
/// UPDATE of these columns takes anyway). In id order, so concurrent pushes lock alike.
pub(super) async fn load_many(
    tx: &mut PgConnection,
    record_type: RecordType,
    ids: &[Id],
) -> Result<Vec<(Id, Row)>> {
    macro_rules! select {
        ($table:tt) => {
            sqlx::query!(
                "SELECT id AS \"id!\", household_id AS \"household_id!\", version, deleted, fields,
                        field_versions FROM "
                    + $table
                    + " WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE",
                ids
            )
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .map(|r| {
                let row = row(
                    r.household_id,
                    r.version,
                    r.deleted,
                    r.fields,
                    r.field_versions,
                );
                (r.id, row)
            })
            .collect()
        };
    }
    Ok(for_table!(record_type, select))
}

/// Records of one type as columns, for one statement per table.
#[derive(Default)]
pub(super) struct Columns {
    ids: Vec<Id>,
    households: Vec<Id>,
    versions: Vec<i64>,
    deleted: Vec<bool>,
    fields: Vec<Value>,
    field_versions: Vec<Value>,
}

impl Columns {
    pub fn push(&mut self, id: Id, household_id: Id, record: &ServerRecord) {
        self.ids.push(id);
        self.households.push(household_id);
        self.versions.push(record.version as i64);
        self.deleted.push(record.deleted);
        self.fields.push(Value::Object(record.fields.clone()));
        self.field_versions.push(versions_json(record));
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}

/// Stores records the server did not have yet (a household's records into `team`).
pub(super) async fn insert_many(
    tx: &mut PgConnection,
    record_type: RecordType,
    team: &str,
    rows: &Columns,
) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    macro_rules! insert {
        ($table:tt) => {
            sqlx::query!(
                "INSERT INTO "
                    + $table
                    + " (id, household_id, version, deleted, fields, field_versions)
                      SELECT * FROM UNNEST($1::uuid[], $2::uuid[], $3::bigint[], $4::bool[],
                                           $5::jsonb[], $6::jsonb[])",
                &rows.ids,
                &rows.households,
                &rows.versions,
                &rows.deleted,
                &rows.fields,
                &rows.field_versions
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
             SELECT id, $5, version, deleted, fields, field_versions
             FROM UNNEST($1::uuid[], $2::bigint[], $3::bool[], $4::jsonb[], $6::jsonb[])
                  AS r(id, version, deleted, fields, field_versions)",
            &rows.ids,
            &rows.versions,
            &rows.deleted,
            &rows.fields,
            team,
            &rows.field_versions
        )
        .execute(&mut *tx)
        .await?
    );
    Ok(())
}

/// Writes records' new states.
pub(super) async fn update_many(
    tx: &mut PgConnection,
    record_type: RecordType,
    rows: &Columns,
) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    macro_rules! update {
        ($table:tt) => {
            sqlx::query!(
                "UPDATE "
                    + $table
                    + " AS t SET version = r.version, deleted = r.deleted, fields = r.fields,
                        field_versions = r.field_versions, updated_at = now()
                      FROM UNNEST($1::uuid[], $2::bigint[], $3::bool[], $4::jsonb[], $5::jsonb[])
                           AS r(id, version, deleted, fields, field_versions)
                      WHERE t.id = r.id",
                &rows.ids,
                &rows.versions,
                &rows.deleted,
                &rows.fields,
                &rows.field_versions
            )
            .execute(&mut *tx)
            .await?
        };
    }
    for_table!(record_type, update);
    Ok(())
}

/// Every record of one type in `from` now belongs to `to` (a merge; the caller writes their
/// new states).
pub(super) async fn rehome(
    tx: &mut PgConnection,
    record_type: RecordType,
    from: Id,
    to: Id,
) -> Result<()> {
    macro_rules! rehome {
        ($table:tt) => {
            sqlx::query!(
                "UPDATE " + $table + " SET household_id = $2 WHERE household_id = $1",
                from,
                to
            )
            .execute(&mut *tx)
            .await?
        };
    }
    for_table!(record_type, rehome, {
        // The household table's household_id is its own id.
        return Ok(());
    });
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
