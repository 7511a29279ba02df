//! Pull: the team's log after a cursor, one page at a time.

use super::identity::{claim_device, Worker};
use crate::{Error, Result};
use shared::model::Id;
use shared::sync::{LogEntry, PullResponse, MAX_PULL_PAGE};
use sqlx::PgPool;

pub async fn pull_page(
    pool: &PgPool,
    worker: &Worker,
    device_id: Id,
    cursor: u64,
    limit: Option<u32>,
) -> Result<PullResponse> {
    let limit = limit.unwrap_or(MAX_PULL_PAGE).clamp(1, MAX_PULL_PAGE);
    let cursor =
        i64::try_from(cursor).map_err(|_| Error::BadRequest("cursor out of range".into()))?;
    // One snapshot for the page and the device's settled number: a change counts as settled
    // exactly when its effect is in the entries the device receives.
    let mut conn = pool.begin().await?;
    sqlx::query!("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        .execute(&mut *conn)
        .await?;
    let device = claim_device(&mut conn, worker, device_id).await?;
    // One row more than asked tells whether another page waits.
    let rows = sqlx::query!(
        "SELECT position, body FROM change_log
         WHERE team_id = $1 AND position > $2 ORDER BY position LIMIT $3",
        worker.team,
        cursor,
        i64::from(limit) + 1
    )
    .fetch_all(&mut *conn)
    .await?;
    let more = rows.len() > limit as usize;
    let mut entries = Vec::with_capacity(rows.len().min(limit as usize));
    for row in rows.into_iter().take(limit as usize) {
        let body = serde_json::from_value(row.body)
            .map_err(|e| Error::Internal(format!("log entry {}: {e}", row.position)))?;
        entries.push(LogEntry {
            position: row.position as u64,
            body,
        });
    }
    conn.commit().await?;
    Ok(PullResponse {
        cursor: entries.last().map_or(cursor as u64, |e| e.position),
        entries,
        more,
        applied_through: device.last_seq,
    })
}
