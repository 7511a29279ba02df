//! A consultant added to (or taken off) a household: their devices receive its records (or
//! remove them) through entries in the team's log meant for that account only.

use super::log::PendingLog;
use super::records;
use crate::Result;
use shared::model::Id;
use shared::sync::{LogBody, RecordState, RecordType};
use sqlx::PgPool;

pub async fn add_worker(pool: &PgPool, household_id: Id, account: Id) -> Result<()> {
    let mut tx = pool.begin().await?;
    let team = sqlx::query_scalar!(
        "SELECT team_id FROM household WHERE id = $1 FOR UPDATE",
        household_id
    )
    .fetch_one(&mut *tx)
    .await?;
    let added = sqlx::query!(
        "INSERT INTO household_worker (household_id, account_id) VALUES ($1, $2)
         ON CONFLICT DO NOTHING",
        household_id,
        account
    )
    .execute(&mut *tx)
    .await?;
    if added.rows_affected() == 0 {
        return Ok(());
    }
    let origin = (Id::nil(), 0);
    let mut log = PendingLog::for_account(account);
    for record_type in RecordType::ALL {
        for (id, record) in records::of_household(&mut tx, record_type, household_id).await? {
            let state = RecordState {
                record_type,
                record_id: id,
                household_id,
                version: record.version,
                deleted: record.deleted,
                fields: record.fields,
            };
            log.push(household_id, id, origin, &LogBody::Record(state));
        }
    }
    log.write(&mut tx, &team).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn remove_worker(pool: &PgPool, household_id: Id, account: Id) -> Result<()> {
    let mut tx = pool.begin().await?;
    let team = sqlx::query_scalar!(
        "SELECT team_id FROM household WHERE id = $1 FOR UPDATE",
        household_id
    )
    .fetch_one(&mut *tx)
    .await?;
    let removed = sqlx::query!(
        "DELETE FROM household_worker WHERE household_id = $1 AND account_id = $2",
        household_id,
        account
    )
    .execute(&mut *tx)
    .await?;
    if removed.rows_affected() > 0 {
        let mut log = PendingLog::for_account(account);
        log.push(
            household_id,
            household_id,
            (Id::nil(), 0),
            &LogBody::LeftScope { household_id },
        );
        log.write(&mut tx, &team).await?;
    }
    tx.commit().await?;
    Ok(())
}
