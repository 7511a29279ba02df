//! Pull: the team's log after a cursor, one page at a time.

use super::identity::{claim_device, team};
use crate::audit;
use crate::http::Principal;
use crate::{Error, Result};
use shared::model::Id;
use shared::sync::{ChangeOutcome, ChangeResult, LogEntry, PullResponse, MAX_PULL_PAGE};
use sqlx::PgPool;

pub async fn pull_page(
    pool: &PgPool,
    principal: &Principal,
    device_id: Id,
    (cursor, settled): (u64, Option<u64>),
    limit: Option<u32>,
) -> Result<PullResponse> {
    let limit = limit.unwrap_or(MAX_PULL_PAGE).clamp(1, MAX_PULL_PAGE);
    let cursor =
        i64::try_from(cursor).map_err(|_| Error::BadRequest("De cursor is te groot.".into()))?;
    // One snapshot for the page and the device's settled number: a change counts as settled
    // exactly when its effect is in the entries the device receives.
    let mut conn = pool.begin().await?;
    sqlx::query!("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        .execute(&mut *conn)
        .await?;
    let device = claim_device(&mut conn, principal, device_id).await?;
    device.refuse_if_lost()?;
    let team = team(principal)?;
    let hidden: Vec<String> = principal
        .role
        .hidden_record_types()
        .iter()
        .map(|t| t.key().to_owned())
        .collect();
    // One row more than asked tells whether another page waits.
    // The role's view of the team's log: entries meant for this account or for everyone, of
    // record types the role may see, for the households it may see. A `left_scope` entry
    // passes always: it concerns a household the account may no longer see (taken off it,
    // removed by retention), and carries nothing but its id.
    let rows = sqlx::query!(
        "SELECT position, household_id, body FROM change_log
         WHERE team_id = $1 AND position > $2
           AND (audience IS NULL OR audience = $4)
           AND (record_type IS NULL OR NOT (record_type = ANY($5)))
           AND (NOT $6 OR kind = 'left_scope' OR household_id IN
                (SELECT household_id FROM household_worker WHERE account_id = $4
                 UNION ALL SELECT household_id FROM household_guest WHERE account_id = $4))
         ORDER BY position LIMIT $3",
        team,
        cursor,
        i64::from(limit) + 1,
        principal.account_id,
        &hidden,
        principal.role.only_assigned_households()
    )
    .fetch_all(&mut *conn)
    .await?;
    let more = rows.len() > limit as usize;
    let mut entries = Vec::with_capacity(rows.len().min(limit as usize));
    let mut households = std::collections::BTreeSet::new();
    for row in rows.into_iter().take(limit as usize) {
        households.insert(row.household_id);
        let body = serde_json::from_value(row.body)
            .map_err(|e| Error::Internal(format!("log entry {}: {e}", row.position)))?;
        entries.push(LogEntry {
            position: row.position as u64,
            body,
        });
    }
    // Refusals the device may not have heard of (its push answer lost): reasons only, the
    // words are in its own outbox.
    let rejected = match settled {
        Some(settled) => sqlx::query!(
            "SELECT seq, reason FROM receipt
             WHERE device_id = $1 AND seq > $2 AND outcome = 'rejected' AND discarded_at IS NULL
             ORDER BY seq LIMIT $3",
            device_id,
            i64::try_from(settled).unwrap_or(i64::MAX),
            i64::from(MAX_PULL_PAGE)
        )
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|r| ChangeResult {
            seq: r.seq as u64,
            outcome: ChangeOutcome::Rejected,
            reason: r.reason,
            version: None,
        })
        .collect(),
        None => Vec::new(),
    };
    // What this worker's device received, per household, is on record (NEN 7513).
    let households: Vec<Id> = households.into_iter().collect();
    audit::record_reads(&mut *conn, principal, device_id, &households).await?;
    conn.commit().await?;
    crate::metrics::pulled(entries.len());
    Ok(PullResponse {
        cursor: entries.last().map_or(cursor as u64, |e| e.position),
        entries,
        more,
        applied_through: device.last_seq,
        rejected,
    })
}
