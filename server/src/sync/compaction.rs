//! Compaction: only what is current travels. Every record entry carries the record's whole
//! state, so an entry followed by a later one for the same record, reaching at least the same
//! workers, tells no device anything the later one does not. Once such an entry is older than
//! the bound (`KEUKENTAFEL_SUPERSEDED_LOG_DAYS`), it leaves the log, and with it the text that
//! was corrected since. A new device, or one away long, then receives each record's latest
//! state once, plus the tail not yet compacted. A deleted record's last entry loses its fields
//! (a device removes the record and never reads them), and a conflict's entry leaves once the
//! entry saying it was settled follows. Run nightly by `server retention`
//! (which compacts every team's log after removing what retention removes).

use crate::audit::{self, Action};
use crate::Result;
use sqlx::PgPool;

/// What one compaction removed from the log.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Compacted {
    /// Entries removed, per team (superseded records and settled conflicts).
    pub per_team: Vec<(String, u64)>,
    /// Deleted records whose last entry no longer carries their fields.
    pub tombstones_emptied: u64,
}

impl Compacted {
    pub fn entries(&self) -> u64 {
        self.per_team.iter().map(|(_, n)| n).sum()
    }
}

/// Compacts the log of `team`, or of every team: entries older than `days` days that a later
/// entry supersedes. One transaction with its audit row (counts only); a dry run counts and
/// rolls back.
pub async fn compact_log(
    pool: &PgPool,
    team: Option<&str>,
    days: i32,
    dry_run: bool,
) -> Result<Compacted> {
    let mut tx = pool.begin().await?;
    // A later entry for everyone (no audience) reaches whoever an earlier one reached; a later
    // entry for one account only supersedes that account's earlier entries only. The role's
    // filters (record type, household) are the same for both: same record, same household.
    let removed = sqlx::query!(
        r#"WITH ranked AS (
               SELECT team_id, position,
                      max(position) FILTER (WHERE audience IS NULL) OVER later AS later_for_all,
                      lead(position) OVER (PARTITION BY team_id, record_id, audience
                                           ORDER BY position) AS later_same
               FROM change_log
               WHERE kind = 'record' AND ($2::text IS NULL OR team_id = $2)
               WINDOW later AS (PARTITION BY team_id, record_id ORDER BY position DESC
                                ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
           ), superseded AS (
               DELETE FROM change_log c USING ranked r
               WHERE c.team_id = r.team_id AND c.position = r.position
                 AND c.created_at < now() - make_interval(days => $1)
                 AND (r.later_for_all IS NOT NULL OR r.later_same IS NOT NULL)
               RETURNING c.team_id
           ), settled AS (
               DELETE FROM change_log c
               WHERE c.kind = 'conflict' AND c.created_at < now() - make_interval(days => $1)
                 AND ($2::text IS NULL OR c.team_id = $2)
                 AND EXISTS (SELECT 1 FROM change_log r
                             WHERE r.team_id = c.team_id AND r.kind = 'resolved'
                               AND r.position > c.position
                               AND r.body->>'conflict_id' = c.body->>'id')
               RETURNING c.team_id
           )
           SELECT team_id AS "team_id!", count(*) AS "removed!"
           FROM (SELECT team_id FROM superseded UNION ALL SELECT team_id FROM settled) gone
           GROUP BY team_id ORDER BY team_id"#,
        days,
        team
    )
    .fetch_all(&mut *tx)
    .await?;
    // A deleted record's entries older than the bound keep no fields.
    let tombstones = sqlx::query!(
        r#"UPDATE change_log SET body = jsonb_set(body, '{fields}', '{}'::jsonb)
           WHERE kind = 'record' AND created_at < now() - make_interval(days => $1)
             AND body->>'deleted' = 'true' AND body->'fields' <> '{}'::jsonb
             AND ($2::text IS NULL OR team_id = $2)"#,
        days,
        team
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let compacted = Compacted {
        per_team: removed
            .into_iter()
            .map(|r| (r.team_id, r.removed as u64))
            .collect(),
        tombstones_emptied: tombstones,
    };
    if dry_run || (compacted.entries() == 0 && tombstones == 0) {
        return Ok(compacted);
    }
    audit::record(
        &mut *tx,
        audit::Event::new(Action::Delete).detail(&format!(
            "log compaction: {} superseded entries removed, {tombstones} deleted records' fields removed",
            compacted.entries()
        )),
    )
    .await?;
    tx.commit().await?;
    Ok(compacted)
}
