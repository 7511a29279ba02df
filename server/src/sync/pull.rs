//! Pull: the team's log after a cursor, one page at a time.

use super::identity::{mark_seen, seen_device, team};
use crate::audit;
use crate::http::Principal;
use crate::{Error, Result};
use serde::Serialize;
use serde_json::value::RawValue;
use shared::model::Id;
use shared::sync::{ChangeOutcome, ChangeResult, PullResponse, Waiting, MAX_PULL_PAGE};
use sqlx::PgPool;

/// A page as it goes out, in the shape of [`PullResponse`]: each entry is the JSON text
/// PostgreSQL makes of the log's body with its position put in front, passed on as it is. (Parsing a
/// page into typed entries and writing it again was most of what a pull cost this process.)
#[derive(Debug, Serialize)]
pub struct PullPage {
    pub entries: Vec<Box<RawValue>>,
    pub cursor: u64,
    pub more: bool,
    pub applied_through: u64,
    pub rejected: Vec<ChangeResult>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waiting: Option<Waiting>,
}

/// What a device asks: the page after `cursor`, refusals after `settled`, at most `limit`
/// entries, and with `waiting` what waits after the page.
#[derive(Debug, Clone, Copy, Default)]
pub struct PageRequest {
    pub cursor: u64,
    pub settled: Option<u64>,
    pub limit: Option<u32>,
    pub waiting: bool,
}

impl PullPage {
    /// The page as a device reads it.
    pub fn parse(&self) -> serde_json::Result<PullResponse> {
        serde_json::from_str(&serde_json::to_string(self)?)
    }
}

/// A log body (a JSON object as PostgreSQL writes it, `{"kind": …}`) with its position first,
/// as [`shared::sync::LogEntry`] has it.
fn with_position(position: i64, body: &str) -> Result<Box<RawValue>> {
    let members = body
        .strip_prefix('{')
        .filter(|rest| !rest.trim_start().starts_with('}'))
        .ok_or_else(|| Error::Internal(format!("log entry {position}: not an object")))?;
    RawValue::from_string(format!("{{\"position\":{position},{members}"))
        .map_err(|e| Error::Internal(format!("log entry {position}: {e}")))
}

pub async fn pull_page(
    pool: &PgPool,
    principal: &Principal,
    device_id: Id,
    request: PageRequest,
) -> Result<PullPage> {
    let PageRequest {
        cursor, settled, ..
    } = request;
    let limit = request
        .limit
        .unwrap_or(MAX_PULL_PAGE)
        .clamp(1, MAX_PULL_PAGE);
    let cursor =
        i64::try_from(cursor).map_err(|_| Error::BadRequest("De cursor is te groot.".into()))?;
    // One snapshot for the page and the device's settled number: a change counts as settled
    // exactly when its effect is in the entries the device receives.
    let mut conn = pool.begin().await?;
    sqlx::query!("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        .execute(&mut *conn)
        .await?;
    let device = seen_device(&mut conn, principal, device_id).await?;
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
    // The log's query is planned for this page's own values. Its generic plan (which a
    // prepared statement may switch to after five runs) reads the team's whole log after the
    // cursor and sorts it: 3.4 ms at 1,131 entries and growing with the log, where the plan for
    // the values walks the index (0.14 ms); seen under `bench/load` at 12 ms a page.
    sqlx::query!("SET LOCAL plan_cache_mode = force_custom_plan")
        .execute(&mut *conn)
        .await?;
    let rows = sqlx::query!(
        r#"SELECT position, household_id, body::text AS "body!"
           FROM change_log
         WHERE team_id = $1 AND position > $2
           AND (audience IS NULL OR audience = $4)
           AND (record_type IS NULL OR NOT (record_type = ANY($5)))
           AND (NOT $6 OR kind = 'left_scope' OR household_id IN
                (SELECT household_id FROM household_worker WHERE account_id = $4
                 UNION ALL SELECT household_id FROM household_guest WHERE account_id = $4))
         ORDER BY position LIMIT $3"#,
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
    let mut last = cursor;
    for row in rows.into_iter().take(limit as usize) {
        households.insert(row.household_id);
        entries.push(with_position(row.position, &row.body)?);
        last = row.position;
    }
    // The same view after the page, counted: once a sync, on its first page, when more waits.
    // (Its filter is the page query's, written twice: `sync_api.rs` checks that they agree.)
    let waiting = if request.waiting && more {
        let row = sqlx::query!(
            r#"SELECT count(*) AS "entries!", coalesce(sum(octet_length(body::text)), 0)::int8 AS "bytes!"
               FROM change_log
             WHERE team_id = $1 AND position > $2
               AND (audience IS NULL OR audience = $3)
               AND (record_type IS NULL OR NOT (record_type = ANY($4)))
               AND (NOT $5 OR kind = 'left_scope' OR household_id IN
                    (SELECT household_id FROM household_worker WHERE account_id = $3
                     UNION ALL SELECT household_id FROM household_guest WHERE account_id = $3))"#,
            team,
            last,
            principal.account_id,
            &hidden,
            principal.role.only_assigned_households()
        )
        .fetch_one(&mut *conn)
        .await?;
        Some(Waiting {
            entries: row.entries as u64,
            bytes: row.bytes as u64,
        })
    } else {
        None
    };
    // The rest are simple look-ups, whose generic plans are right and need no planning.
    sqlx::query!("SET LOCAL plan_cache_mode = auto")
        .execute(&mut *conn)
        .await?;
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
    if device.stale {
        mark_seen(pool, device_id).await?;
    }
    crate::metrics::pulled(entries.len());
    Ok(PullPage {
        cursor: last as u64,
        entries,
        more,
        applied_through: device.last_seq,
        rejected,
        waiting,
    })
}

#[cfg(test)]
mod tests {
    use super::with_position;
    use shared::sync::{LogBody, LogEntry};

    #[test]
    fn an_entry_goes_out_as_a_device_reads_it() {
        let body = r#"{"kind": "resolved", "conflict_id": "01936b31-2222-7f00-8000-0a0b0c0d0e0f"}"#;
        let entry: LogEntry =
            serde_json::from_str(with_position(121, body).unwrap().get()).unwrap();
        assert_eq!(entry.position, 121);
        assert!(matches!(entry.body, LogBody::Resolved { .. }));
        assert!(with_position(1, "{}").is_err());
        assert!(with_position(1, "[1]").is_err());
    }
}
