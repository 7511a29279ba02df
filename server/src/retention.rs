//! Retention: a closed household's data is removed once its retention period has passed
//! (15 years after closing where support was given under the Wmo, 5 where it was not, 20 under
//! the Jeugdwet; configurable). Removal reaches the devices through the sync log, and what was
//! removed is written to the audit log (ids and counts only).

use crate::audit::{self, Action};
use crate::Result;
use shared::model::Id;
use shared::sync::LogBody;
use sqlx::PgPool;

/// Years a closed household's data is kept, per basis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Periods {
    pub wmo_support: i32,
    pub no_support: i32,
    pub youth_act: i32,
}

impl Default for Periods {
    fn default() -> Self {
        Periods {
            wmo_support: 15,
            no_support: 5,
            youth_act: 20,
        }
    }
}

/// What one run removed (or would remove, in a dry run).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Removed {
    pub households: Vec<Id>,
    pub records: u64,
    /// Signals from outside closed without becoming a question (kept as long as a household
    /// closed without support); those that became one go with their household.
    pub signals: u64,
    /// Anonymous contacts older than the no-support period.
    pub anonymous_contacts: u64,
}

/// Removes every closed household whose retention period has passed.
pub async fn run(pool: &PgPool, periods: Periods, dry_run: bool) -> Result<Removed> {
    let due = sqlx::query!(
        "SELECT c.household_id, h.team_id FROM household_closure c
         JOIN household h ON h.id = c.household_id
         WHERE c.closed_at + make_interval(years => CASE c.basis
                   WHEN 'wmo_support' THEN $1::int
                   WHEN 'no_support' THEN $2::int
                   ELSE $3::int END) < now()
         ORDER BY c.closed_at",
        periods.wmo_support,
        periods.no_support,
        periods.youth_act
    )
    .fetch_all(pool)
    .await?;
    let mut removed = Removed::default();
    for row in due {
        removed.households.push(row.household_id);
        if dry_run {
            continue;
        }
        removed.records += remove_household(pool, row.household_id, &row.team_id).await?;
    }
    (removed.signals, removed.anonymous_contacts) =
        remove_outside_households(pool, periods.no_support, dry_run).await?;
    Ok(removed)
}

/// Removes what is kept outside any household once the no-support period has passed: closed
/// signals from outside and anonymous contacts, in one transaction with its audit row
/// (counted and rolled back in a dry run).
async fn remove_outside_households(pool: &PgPool, years: i32, dry_run: bool) -> Result<(u64, u64)> {
    let mut tx = pool.begin().await?;
    let signals = crate::signals::remove_closed(&mut tx, years).await?;
    let anonymous = crate::anonymous::remove_older_than(&mut tx, years).await?;
    if dry_run || signals + anonymous == 0 {
        return Ok((signals, anonymous));
    }
    audit::record(
        &mut *tx,
        audit::Event::new(Action::Delete).detail(&format!(
            "retention: {signals} closed signals and {anonymous} anonymous contacts removed"
        )),
    )
    .await?;
    tx.commit().await?;
    Ok((signals, anonymous))
}

/// Removes one household in one transaction: every module that keeps household data removes
/// its own part (`households` first, since its rows refer to the household), then the devices
/// are told and the removal is audited.
async fn remove_household(pool: &PgPool, household: Id, team: &str) -> Result<u64> {
    let mut tx = pool.begin().await?;
    crate::households::remove_household(&mut tx, household).await?;
    let records = crate::sync::remove_household(&mut tx, household).await?;
    crate::sync::announce(
        &mut tx,
        team,
        household,
        LogBody::LeftScope {
            household_id: household,
        },
    )
    .await?;
    audit::record(
        &mut *tx,
        audit::Event::new(Action::Delete)
            .household(household)
            .detail(&format!("retention: {records} records removed")),
    )
    .await?;
    tx.commit().await?;
    Ok(records)
}
