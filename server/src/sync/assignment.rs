//! A consultant added to (or taken off) a household, or a guest of another team granted access:
//! their devices receive its records (or remove them) through entries in a team's log meant for
//! that account only. Each runs in the caller's transaction, with its check and its audit row.

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
        send_household(tx, household_id, account, &team).await?;
    }
    Ok(changed)
}

/// Every record of the household, into `team`'s log for `account` only: its devices receive it.
async fn send_household(
    tx: &mut PgConnection,
    household_id: Id,
    account: Id,
    team: &str,
) -> Result<()> {
    let mut log = PendingLog::for_account(account);
    log.push_household_states(tx, household_id).await?;
    log.write(tx, team).await
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

/// A worker of another team granted access to a household: their devices receive its records
/// through their own team's log (and every later change, `PendingLog::write`). Returns whether
/// anything changed.
pub async fn add_guest(
    tx: &mut PgConnection,
    household_id: Id,
    account: Id,
    guest_team: &str,
) -> Result<bool> {
    lock_household(tx, household_id).await?;
    let added = sqlx::query!(
        "INSERT INTO household_guest (household_id, account_id, team_id) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING",
        household_id,
        account,
        guest_team
    )
    .execute(&mut *tx)
    .await?;
    let changed = added.rows_affected() > 0;
    if changed {
        send_household(tx, household_id, account, guest_team).await?;
    }
    Ok(changed)
}

/// The household's guests lose it (retention): each guest's devices are told to remove it.
pub async fn remove_guests(tx: &mut PgConnection, household_id: Id) -> Result<()> {
    let guests = sqlx::query!(
        "DELETE FROM household_guest WHERE household_id = $1 RETURNING account_id, team_id",
        household_id
    )
    .fetch_all(&mut *tx)
    .await?;
    for guest in guests {
        guest_left(tx, household_id, guest.account_id, &guest.team_id).await?;
    }
    Ok(())
}

/// One guest's access taken back by the household's coordinator: their devices are told to
/// remove it. Returns whether they were a guest.
pub async fn remove_guest(tx: &mut PgConnection, household_id: Id, account: Id) -> Result<bool> {
    lock_household(tx, household_id).await?;
    let guest = sqlx::query!(
        "DELETE FROM household_guest WHERE household_id = $1 AND account_id = $2
         RETURNING team_id",
        household_id,
        account
    )
    .fetch_optional(&mut *tx)
    .await?;
    match guest {
        Some(guest) => {
            guest_left(tx, household_id, account, &guest.team_id).await?;
            Ok(true)
        }
        None => Ok(false),
    }
}

/// A `left_scope` entry for the guest's devices only, in their own team's log.
async fn guest_left(
    tx: &mut PgConnection,
    household_id: Id,
    account: Id,
    team: &str,
) -> Result<()> {
    let mut log = PendingLog::for_account(account);
    log.push_from_server(
        household_id,
        household_id,
        &LogBody::LeftScope { household_id },
    );
    log.write(tx, team).await
}
