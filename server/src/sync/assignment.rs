//! A consultant added to (or taken off) a household: their devices receive its records (or
//! remove them) through entries in the team's log meant for that account only.

use super::log::PendingLog;
use super::records::lock_household;
use crate::Result;
use shared::model::Id;
use shared::sync::LogBody;
use sqlx::PgPool;

pub async fn add_worker(pool: &PgPool, household_id: Id, account: Id) -> Result<()> {
    let mut tx = pool.begin().await?;
    let team = lock_household(&mut tx, household_id).await?;
    let added = sqlx::query!(
        "INSERT INTO household_worker (household_id, account_id) VALUES ($1, $2)
         ON CONFLICT DO NOTHING",
        household_id,
        account
    )
    .execute(&mut *tx)
    .await?;
    if added.rows_affected() > 0 {
        let mut log = PendingLog::for_account(account);
        log.push_household_states(&mut tx, household_id).await?;
        log.write(&mut tx, &team).await?;
    }
    tx.commit().await?;
    Ok(())
}

pub async fn remove_worker(pool: &PgPool, household_id: Id, account: Id) -> Result<()> {
    let mut tx = pool.begin().await?;
    let team = lock_household(&mut tx, household_id).await?;
    let removed = sqlx::query!(
        "DELETE FROM household_worker WHERE household_id = $1 AND account_id = $2",
        household_id,
        account
    )
    .execute(&mut *tx)
    .await?;
    if removed.rows_affected() > 0 {
        let mut log = PendingLog::for_account(account);
        log.push_from_server(
            household_id,
            household_id,
            &LogBody::LeftScope { household_id },
        );
        log.write(&mut tx, &team).await?;
    }
    tx.commit().await?;
    Ok(())
}
