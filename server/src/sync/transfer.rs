//! Moving a household to another team: the old team's devices are told to remove it, the new
//! team's devices receive its records and open conflicts. Who may do this is decided by the
//! caller (`households::moving`, the coordinator), in whose transaction it runs.

use super::log::PendingLog;
use crate::Result;
use shared::model::Id;
use shared::sync::{LogBody, RecordType};
use sqlx::PgPool;

pub async fn transfer_household(pool: &PgPool, household_id: Id, to_team: &str) -> Result<()> {
    let mut tx = pool.begin().await?;
    transfer_household_in(&mut tx, household_id, to_team).await?;
    tx.commit().await?;
    Ok(())
}

/// The move, in the caller's transaction (with its check and its audit row).
pub async fn transfer_household_in(
    tx: &mut sqlx::PgConnection,
    household_id: Id,
    to_team: &str,
) -> Result<()> {
    let from_team = super::records::lock_household(tx, household_id).await?;
    if from_team == to_team {
        return Ok(());
    }
    sqlx::query!(
        "UPDATE household SET team_id = $2 WHERE id = $1",
        household_id,
        to_team
    )
    .execute(&mut *tx)
    .await?;
    let mut left = PendingLog::default();
    left.push_from_server(
        household_id,
        household_id,
        &LogBody::LeftScope { household_id },
    );
    left.write(tx, &from_team).await?;

    let mut arrived = PendingLog::default();
    arrived.push_household_states(tx, household_id).await?;
    let conflicts = sqlx::query!(
        "UPDATE conflict SET team_id = $2 WHERE household_id = $1 AND resolved_at IS NULL
         RETURNING id, record_type, record_id, field, server_value, device_value,
                   deleted_on_server, device_id, device_seq, server_version,
                   deleted_on_device",
        household_id,
        to_team
    )
    .fetch_all(&mut *tx)
    .await?;
    for c in conflicts {
        let Some(record_type) = RecordType::from_key(&c.record_type) else {
            continue;
        };
        let conflict = shared::sync::Conflict {
            id: c.id,
            record_type,
            record_id: c.record_id,
            household_id,
            field: c.field,
            server_value: c.server_value,
            device_value: c.device_value,
            deleted_on_server: c.deleted_on_server,
            deleted_on_device: c.deleted_on_device,
            server_version: c.server_version as u64,
            device_id: c.device_id,
            seq: c.device_seq as u64,
        };
        arrived.push_from_server(household_id, c.record_id, &LogBody::Conflict(conflict));
    }
    arrived.write(tx, to_team).await?;
    Ok(())
}
