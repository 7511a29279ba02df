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
    if row.team_id != team || row.account_id != Some(principal.account_id) {
        return Err(forbidden(
            "Dit apparaat staat op naam van een andere medewerker. Laat die eerst uitloggen op dit apparaat.".into(),
        ));
    }
    Ok(DeviceRow {
        last_seq: row.last_seq as u64,
        lost: row.lost,
    })
}

pub(super) fn forbidden(message: String) -> Error {
    Error::refused(StatusCode::FORBIDDEN, message).with_code(codes::FORBIDDEN)
}
