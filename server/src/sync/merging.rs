//! Merging a household registered twice into the earlier registration
//! (`households::duplicates` decides who may and which): every record of the later household
//! moves to the earlier one, a new version of each, so every device that holds them learns it
//! at its next pull; the earlier household takes the later one's members, betrokkenen and
//! regisseur (`shared::rules::duplicates`); the later household is then removed. Runs in the
//! caller's transaction, with its audit row.

use super::log::PendingLog;
use super::records::{self, Columns};
use crate::Result;
use serde_json::{Map, Value};
use shared::model::{Household, Id, Resident};
use shared::rules::duplicates::{fill_from, merged_household};
use shared::sync::{patch_fields, FieldStamp, LogBody, RecordState, RecordType};
use sqlx::PgConnection;

/// Merges `later` into `earlier` (both of `team`); `same_person` pairs a later resident with
/// the earlier resident they duplicate.
pub async fn merge_households_in(
    tx: &mut PgConnection,
    team: &str,
    (later, earlier): (Id, Id),
    same_person: &[(Id, Id)],
) -> Result<()> {
    records::lock_household(tx, earlier).await?;
    records::lock_household(tx, later).await?;
    // A guest of the later household only: told to remove it, as retention would.
    super::remove_guests(tx, later).await?;
    let mut log = PendingLog::default();
    for record_type in RecordType::ALL {
        if record_type != RecordType::Household {
            for state in move_records(tx, record_type, later, earlier).await? {
                log.push_from_server(earlier, state.record_id, &LogBody::Record(state));
            }
        }
    }
    for (later_resident, earlier_resident) in same_person {
        let (Some(mine), Some(theirs)) = (
            read::<Resident>(tx, RecordType::Resident, *earlier_resident).await?,
            read::<Resident>(tx, RecordType::Resident, *later_resident).await?,
        ) else {
            continue;
        };
        let filled = fill_from(&mine, &theirs);
        write(
            tx,
            &mut log,
            (RecordType::Resident, earlier),
            &mine,
            &filled,
        )
        .await?;
    }
    let (Some(kept), Some(gone)) = (
        read::<Household>(tx, RecordType::Household, earlier).await?,
        read::<Household>(tx, RecordType::Household, later).await?,
    ) else {
        return Err(crate::Error::NotFound);
    };
    let later_residents: Vec<Id> = same_person.iter().map(|(later, _)| *later).collect();
    let merged = merged_household(&kept, &gone, &later_residents);
    write(
        tx,
        &mut log,
        (RecordType::Household, earlier),
        &kept,
        &merged,
    )
    .await?;
    // Devices remove the later household (its records are the earlier one's by now).
    let tombstone = RecordState {
        record_type: RecordType::Household,
        record_id: later,
        household_id: later,
        version: records::load(tx, RecordType::Household, later)
            .await?
            .map_or(1, |row| row.record.version + 1),
        deleted: true,
        fields: Map::new(),
    };
    log.push_from_server(later, later, &LogBody::Record(tombstone));
    log.write(tx, team).await?;
    move_household_rows(tx, later, earlier).await
}

/// Every record of `record_type` in `from`, now in `to`: a new version whose `household_id`
/// is stamped by the server.
async fn move_records(
    tx: &mut PgConnection,
    record_type: RecordType,
    from: Id,
    to: Id,
) -> Result<Vec<RecordState>> {
    // The households are locked (FOR UPDATE): no push writes into either meanwhile.
    let rows = records::of_household(tx, record_type, from).await?;
    let mut changed = Columns::default();
    let mut states = Vec::new();
    for (id, mut record) in rows {
        record.version += 1;
        record
            .fields
            .insert("household_id".into(), Value::from(to.to_string()));
        record.field_versions.insert(
            "household_id".into(),
            FieldStamp {
                version: record.version,
                device: Id::nil(),
            },
        );
        changed.push(id, to, &record);
        states.push(RecordState {
            record_type,
            record_id: id,
            household_id: to,
            version: record.version,
            deleted: record.deleted,
            fields: record.fields,
        });
    }
    records::update_many(tx, record_type, &changed).await?;
    records::rehome(tx, record_type, from, to).await?;
    Ok(states)
}

async fn read<T: serde::de::DeserializeOwned>(
    tx: &mut PgConnection,
    record_type: RecordType,
    id: Id,
) -> Result<Option<T>> {
    Ok(records::load(tx, record_type, id)
        .await?
        .filter(|row| !row.record.deleted)
        .and_then(|row| serde_json::from_value(Value::Object(row.record.fields)).ok()))
}

/// Writes the fields in which `after` differs from `before` as the server's, and logs the
/// record's new state.
async fn write<T: serde::Serialize>(
    tx: &mut PgConnection,
    log: &mut PendingLog,
    (record_type, household): (RecordType, Id),
    before: &T,
    after: &T,
) -> Result<()> {
    let (before, after) = (
        serde_json::to_value(before).unwrap_or_default(),
        serde_json::to_value(after).unwrap_or_default(),
    );
    // Entry by entry for keyed lists (members, betrokkenen), as a device's patch.
    let changed = patch_fields(record_type, &before, &after);
    let Some(id) = before
        .get("id")
        .and_then(Value::as_str)
        .and_then(|id| Id::parse_str(id).ok())
    else {
        return Ok(());
    };
    if changed.is_empty() {
        return Ok(());
    }
    let state = super::server_write::write_fields(tx, (record_type, id), changed).await?;
    log.push_from_server(household, id, &LogBody::Record(state));
    Ok(())
}

/// What else hangs on the later household: its consultants, regisseur and handovers move; its
/// open conflicts and its log entries are the earlier one's from now on (so retention of that
/// household removes them too); then the later household's row goes.
async fn move_household_rows(tx: &mut PgConnection, later: Id, earlier: Id) -> Result<()> {
    sqlx::query!(
        "INSERT INTO household_worker (household_id, account_id)
         SELECT $2, account_id FROM household_worker WHERE household_id = $1
         ON CONFLICT DO NOTHING",
        later,
        earlier
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "INSERT INTO household_coordinator (household_id, account_id, assigned_by)
         SELECT $2, account_id, assigned_by FROM household_coordinator WHERE household_id = $1
         ON CONFLICT DO NOTHING",
        later,
        earlier
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "UPDATE handover SET household_id = $2 WHERE household_id = $1",
        later,
        earlier
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "UPDATE conflict SET household_id = $2 WHERE household_id = $1",
        later,
        earlier
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "UPDATE change_log SET household_id = $2 WHERE household_id = $1",
        later,
        earlier
    )
    .execute(&mut *tx)
    .await?;
    crate::households::remove_household(tx, later).await?;
    sqlx::query!(
        "DELETE FROM household_worker WHERE household_id = $1",
        later
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!("DELETE FROM household WHERE id = $1", later)
        .execute(&mut *tx)
        .await?;
    Ok(())
}
