//! Who is syncing. Until accounts exist (issue 6) a device names its worker and team in
//! headers; the server binds a device to the first team it sees and refuses it under another
//! team, so one device cannot read or write another team's households.

use crate::Error;
use axum::{extract::FromRequestParts, http::request::Parts, http::StatusCode};
use shared::sync::codes;

/// The team every device belongs to until accounts and teams are managed (issue 6).
pub const DEFAULT_TEAM: &str = "wijkteam";
pub const WORKER_HEADER: &str = "x-keukentafel-worker";
pub const TEAM_HEADER: &str = "x-keukentafel-team";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Worker {
    pub name: String,
    pub team: String,
}

impl<S: Send + Sync> FromRequestParts<S> for Worker {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Error> {
        let header = |name: &str| {
            parts
                .headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        let name = header(WORKER_HEADER).unwrap_or_else(|| "onbekend".into());
        let team = header(TEAM_HEADER).unwrap_or_else(|| DEFAULT_TEAM.into());
        if name.len() > 200 || team.len() > 100 {
            return Err(Error::refused(
                StatusCode::BAD_REQUEST,
                "worker or team name too long",
            ));
        }
        Ok(Worker { name, team })
    }
}

/// The device as the server knows it, locked for this transaction.
pub(super) struct DeviceRow {
    pub last_seq: u64,
}

/// Registers the device on first sight and locks its row; refuses it under another team.
pub(super) async fn claim_device(
    tx: &mut sqlx::PgConnection,
    worker: &Worker,
    device_id: shared::model::Id,
) -> crate::Result<DeviceRow> {
    let team_known = sqlx::query_scalar!("SELECT count(*) FROM team WHERE id = $1", worker.team)
        .fetch_one(&mut *tx)
        .await?
        .unwrap_or(0);
    if team_known == 0 {
        return Err(forbidden(format!("unknown team '{}'", worker.team)));
    }
    let row = sqlx::query!(
        r#"INSERT INTO device (id, team_id, worker) VALUES ($1, $2, $3)
           ON CONFLICT (id) DO UPDATE SET last_seen_at = now(), worker = EXCLUDED.worker
           RETURNING team_id, last_seq"#,
        device_id,
        worker.team,
        worker.name
    )
    .fetch_one(&mut *tx)
    .await?;
    if row.team_id != worker.team {
        return Err(forbidden(
            "this device is registered to another team".into(),
        ));
    }
    Ok(DeviceRow {
        last_seq: row.last_seq as u64,
    })
}

fn forbidden(message: String) -> Error {
    Error::refused(StatusCode::FORBIDDEN, message).with_code(codes::FORBIDDEN)
}
