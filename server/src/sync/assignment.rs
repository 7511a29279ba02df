//! A consultant added to (or taken off) a household: their devices receive its records (or
//! remove them) through entries in the team's log meant for that account only. Both run in the
//! caller's transaction, with its check and its audit row.

use super::log::PendingLog;
use super::records::lock_household;
use crate::Result;
use shared::model::Id;
use shared::sync::LogBody;
use sqlx::PgConnection;

/// Returns whether anything changed.
pub async fn add_worker(tx: &mut PgConnection, household_id: Id, account: Id) -> Result<bool> {
    let team = lock_household(tx, household_id).await?;
    let added = sqlx::query!(
        "INSERT INTO household_worker (household_id, account_id) VALUES ($1, $2)
         ON CONFLICT DO NOTHING",
        household_id,
        account
    )
    .execute(&mut *tx)
    .await?;
    let changed = added.rows_affected() > 0;
    if changed {
        let mut log = PendingLog::for_account(account);
        log.push_household_states(tx, household_id).await?;
        log.write(tx, &team).await?;
    }
    Ok(changed)
}

/// Returns whether anything changed.
pub async fn remove_worker(tx: &mut PgConnection, household_id: Id, account: Id) -> Result<bool> {
    let team = lock_household(tx, household_id).await?;
    let removed = sqlx::query!(
        "DELETE FROM household_worker WHERE household_id = $1 AND account_id = $2",
        household_id,
        account
    )
    .execute(&mut *tx)
    .await?;
    let changed = removed.rows_affected() > 0;
    if changed {
        let mut log = PendingLog::for_account(account);
        log.push_from_server(
            household_id,
            household_id,
            &LogBody::LeftScope { household_id },
        );
        log.write(tx, &team).await?;
    }
    Ok(changed)
}
