//! Who is syncing: the signed-in worker (a session, see `accounts::session`), on a device the
//! server binds to that worker's account on first sight.

use crate::http::Principal;
use crate::{Error, Result};
use axum::http::StatusCode;
use shared::sync::codes;

/// The device as the server knows it, locked for this transaction.
pub(crate) struct DeviceRow {
    pub last_seq: u64,
    /// Marked lost ("Apparaat kwijt"): it may push what it holds, then wipes; it pulls nothing.
    pub lost: bool,
    /// Last seen over a minute ago (only [`seen_device`] tells).
    pub stale: bool,
}

impl DeviceRow {
    /// Refuses a pull to a lost device.
    pub fn refuse_if_lost(&self) -> Result<()> {
        if self.lost {
            return Err(Error::refused(
                StatusCode::FORBIDDEN,
                "Dit apparaat is als kwijt gemeld. Wat er nog op stond is verstuurd; de gegevens hier worden gewist.",
            )
            .with_code(codes::DEVICE_LOST));
        }
        Ok(())
    }
}

/// The worker's team, if the role works with residents' records at all.
pub(super) fn team(principal: &Principal) -> Result<&str> {
    match (&principal.team, principal.role.works_with_residents()) {
        (Some(team), true) => Ok(team),
        _ => Err(forbidden(
            "Je rol werkt niet met dossiers van inwoners en synchroniseert dus niets.".into(),
        )),
    }
}

/// Registers the device on first sight and locks its row; refuses it for another account.
pub(crate) async fn claim_device(
    tx: &mut sqlx::PgConnection,
    principal: &Principal,
    device_id: shared::model::Id,
) -> Result<DeviceRow> {
    let team = team(principal)?;
    let row = sqlx::query!(
        r#"INSERT INTO device (id, team_id, worker, account_id) VALUES ($1, $2, $3, $4)
           ON CONFLICT (id) DO UPDATE SET last_seen_at = now()
           RETURNING team_id, account_id, last_seq, lost_at IS NOT NULL AS "lost!""#,
        device_id,
        team,
        principal.name,
        principal.account_id
    )
    .fetch_one(&mut *tx)
    .await?;
    refuse_someone_elses(&row.team_id, row.account_id, team, principal)?;
    Ok(DeviceRow {
        last_seq: row.last_seq as u64,
        lost: row.lost,
        stale: false,
    })
}

/// The device for a pull: registered on first sight like [`claim_device`], otherwise only read
/// (a pull writes nothing of its own but its audit rows; its row is not locked, so pushes of
/// the same device need not wait). `stale`: its `last_seen_at` is over a minute old, for
/// [`mark_seen`] once the pull's snapshot is done.
pub(crate) async fn seen_device(
    tx: &mut sqlx::PgConnection,
    principal: &Principal,
    device_id: shared::model::Id,
) -> Result<DeviceRow> {
    let team = team(principal)?;
    let row = sqlx::query!(
        r#"SELECT team_id, account_id, last_seq, lost_at IS NOT NULL AS "lost!",
                  last_seen_at < now() - interval '1 minute' AS "stale!"
           FROM device WHERE id = $1"#,
        device_id
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else {
        return claim_device(tx, principal, device_id).await;
    };
    refuse_someone_elses(&row.team_id, row.account_id, team, principal)?;
    Ok(DeviceRow {
        last_seq: row.last_seq as u64,
        lost: row.lost,
        stale: row.stale,
    })
}

/// Notes that the device was seen now (the accounts page lists devices by it).
pub(crate) async fn mark_seen(pool: &sqlx::PgPool, device_id: shared::model::Id) -> Result<()> {
    sqlx::query!(
        "UPDATE device SET last_seen_at = now() WHERE id = $1",
        device_id
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// A device belongs to the account and team that first synced it.
fn refuse_someone_elses(
    device_team: &str,
    device_account: Option<shared::model::Id>,
    team: &str,
    principal: &Principal,
) -> Result<()> {
    if device_team != team || device_account != Some(principal.account_id) {
        return Err(forbidden(
            "Dit apparaat staat op naam van een andere medewerker. Laat die eerst uitloggen op dit apparaat.".into(),
        ));
    }
    Ok(())
}

pub(super) fn forbidden(message: String) -> Error {
    Error::refused(StatusCode::FORBIDDEN, message).with_code(codes::FORBIDDEN)
}
