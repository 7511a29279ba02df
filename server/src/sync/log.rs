//! Appending to a team's change log. Positions come from the team's counter row, updated in
//! the pushing transaction: the row lock makes positions commit in order (see the migration).

use crate::Result;
use serde_json::Value;
use shared::model::Id;
use shared::sync::{LogBody, RecordState, RecordType};
use sqlx::PgConnection;

/// A worker of another team granted access to a household (`households::guests`).
struct Guest {
    household_id: Id,
    account_id: Id,
    team_id: String,
}

/// Entries collected while a batch is applied, written with positions at the end.
#[derive(Default)]
pub(super) struct PendingLog {
    /// Entries for one account only (none: for everyone in the team the role lets see them).
    audience: Option<Id>,
    record_types: Vec<String>,
    kinds: Vec<String>,
    households: Vec<Id>,
    records: Vec<Id>,
    devices: Vec<Id>,
    seqs: Vec<i64>,
    bodies: Vec<Value>,
}

impl PendingLog {
    pub fn for_account(account: Id) -> Self {
        PendingLog {
            audience: Some(account),
            ..Default::default()
        }
    }

    /// How many entries are pending (to take back a change's entries with `truncate`).
    pub fn len(&self) -> usize {
        self.bodies.len()
    }

    /// Drops the entries after the first `len` (a change rolled back to its savepoint).
    pub fn truncate(&mut self, len: usize) {
        self.record_types.truncate(len);
        self.kinds.truncate(len);
        self.households.truncate(len);
        self.records.truncate(len);
        self.devices.truncate(len);
        self.seqs.truncate(len);
        self.bodies.truncate(len);
    }

    /// An entry the server itself makes (a move, an assignment, retention): no device, number 0.
    pub fn push_from_server(&mut self, household_id: Id, record_id: Id, body: &LogBody) {
        self.push(household_id, record_id, (Id::nil(), 0), body);
    }

    /// The whole state of every record of a household, for devices that get it into scope.
    pub async fn push_household_states(
        &mut self,
        tx: &mut PgConnection,
        household_id: Id,
    ) -> Result<()> {
        for record_type in RecordType::ALL {
            for (id, record) in super::records::of_household(tx, record_type, household_id).await? {
                let state = RecordState {
                    record_type,
                    record_id: id,
                    household_id,
                    version: record.version,
                    deleted: record.deleted,
                    fields: record.fields,
                };
                self.push_from_server(household_id, id, &LogBody::Record(state));
            }
        }
        Ok(())
    }

    pub fn push(&mut self, household_id: Id, record_id: Id, origin: (Id, u64), body: &LogBody) {
        let (kind, record_type) = match body {
            LogBody::Record(state) => ("record", state.record_type.key()),
            LogBody::Conflict(conflict) => ("conflict", conflict.record_type.key()),
            // Carry nothing a role may not see: no type, so every role receives them.
            LogBody::Resolved { .. } => ("resolved", ""),
            LogBody::LeftScope { .. } => ("left_scope", ""),
        };
        self.record_types.push(record_type.into());
        self.kinds.push(kind.into());
        self.households.push(household_id);
        self.records.push(record_id);
        self.devices.push(origin.0);
        self.seqs.push(origin.1 as i64);
        self.bodies
            .push(serde_json::to_value(body).unwrap_or(Value::Null));
    }

    /// Writes the entries into `team`'s log, and a copy of each for every guest granted access
    /// to its household (for that account only, into the guest's own team's log).
    pub async fn write(self, tx: &mut PgConnection, team: &str) -> Result<()> {
        if self.kinds.is_empty() {
            return Ok(());
        }
        self.insert(tx, team, self.audience, |_| true).await?;
        if !self.concerns_guests() {
            return Ok(());
        }
        let guests = sqlx::query_as!(
            Guest,
            "SELECT household_id, account_id, team_id FROM household_guest
             WHERE household_id = ANY($1)",
            &self.distinct_households()
        )
        .fetch_all(&mut *tx)
        .await?;
        self.to_guests(tx, &guests).await
    }

    /// A push's entries: each into the log of its household's own team (a guest pushes into
    /// another team's household; nearly always that is `team`), and to the guests. One look-up
    /// for both, as this runs on every push.
    pub async fn write_routed(self, tx: &mut PgConnection, team: &str) -> Result<()> {
        if self.kinds.is_empty() {
            return Ok(());
        }
        // Rows without an account: a household of another team; with one: a guest.
        let elsewhere = sqlx::query!(
            r#"SELECT id AS "household_id!", team_id AS "team_id!", NULL::uuid AS account_id
               FROM household WHERE id = ANY($1) AND team_id <> $2
               UNION ALL
               SELECT household_id, team_id, account_id
               FROM household_guest WHERE household_id = ANY($1)"#,
            &self.distinct_households(),
            team
        )
        .fetch_all(&mut *tx)
        .await?;
        let (guests, moved): (Vec<_>, Vec<_>) =
            elsewhere.into_iter().partition(|r| r.account_id.is_some());
        let home = |h: &Id| {
            moved
                .iter()
                .find(|m| m.household_id == *h)
                .map(|m| m.team_id.as_str())
        };
        self.insert(tx, team, None, |h| home(h).is_none()).await?;
        let mut teams: Vec<&str> = moved.iter().map(|m| m.team_id.as_str()).collect();
        teams.sort();
        teams.dedup();
        for other in teams {
            self.insert(tx, other, None, |h| home(h) == Some(other))
                .await?;
        }
        let guests: Vec<Guest> = guests
            .into_iter()
            .filter_map(|g| {
                Some(Guest {
                    household_id: g.household_id,
                    account_id: g.account_id?,
                    team_id: g.team_id,
                })
            })
            .collect();
        if self.concerns_guests() {
            self.to_guests(tx, &guests).await?;
        }
        Ok(())
    }

    fn distinct_households(&self) -> Vec<Id> {
        let mut households = self.households.clone();
        households.sort();
        households.dedup();
        households
    }

    /// Entries meant for one account stay theirs, and a household leaving a team's scope says
    /// nothing about a guest's access (retention tells guests itself: `remove_guests`).
    fn concerns_guests(&self) -> bool {
        self.audience.is_none() && self.kinds.iter().any(|k| k != "left_scope")
    }

    /// Copies of the entries of each guest's household, for that guest only, into their own
    /// team's log.
    async fn to_guests(&self, tx: &mut PgConnection, guests: &[Guest]) -> Result<()> {
        for guest in guests {
            let mut theirs = PendingLog::for_account(guest.account_id);
            for i in 0..self.kinds.len() {
                if self.households[i] == guest.household_id && self.kinds[i] != "left_scope" {
                    theirs.copy_entry(self, i);
                }
            }
            if !theirs.kinds.is_empty() {
                write_entries(tx, &guest.team_id, theirs.audience, &theirs).await?;
            }
        }
        Ok(())
    }

    fn copy_entry(&mut self, from: &PendingLog, i: usize) {
        self.record_types.push(from.record_types[i].clone());
        self.kinds.push(from.kinds[i].clone());
        self.households.push(from.households[i]);
        self.records.push(from.records[i]);
        self.devices.push(from.devices[i]);
        self.seqs.push(from.seqs[i]);
        self.bodies.push(from.bodies[i].clone());
    }

    /// The entries whose household `keep` takes, written for `audience` into `team`'s log.
    async fn insert(
        &self,
        tx: &mut PgConnection,
        team: &str,
        audience: Option<Id>,
        keep: impl Fn(&Id) -> bool,
    ) -> Result<()> {
        let chosen: Vec<usize> = (0..self.kinds.len())
            .filter(|i| keep(&self.households[*i]))
            .collect();
        if chosen.len() == self.kinds.len() {
            return write_entries(tx, team, audience, self).await;
        }
        if chosen.is_empty() {
            return Ok(());
        }
        let mut some = PendingLog::default();
        for i in chosen {
            some.copy_entry(self, i);
        }
        write_entries(tx, team, audience, &some).await
    }
}

/// Takes the next positions of `team`'s counter (locking it until commit) and writes all of
/// `log`'s entries, in order.
async fn write_entries(
    tx: &mut PgConnection,
    team: &str,
    audience: Option<Id>,
    log: &PendingLog,
) -> Result<()> {
    let count = log.kinds.len() as i64;
    let last = sqlx::query_scalar!(
        "UPDATE scope_counter SET last_position = last_position + $2 WHERE team_id = $1
         RETURNING last_position",
        team,
        count
    )
    .fetch_one(&mut *tx)
    .await?;
    let positions: Vec<i64> = (last - count + 1..=last).collect();
    sqlx::query!(
        "INSERT INTO change_log (team_id, position, kind, household_id, record_id,
                                 device_id, device_seq, body, record_type, audience)
         SELECT $1, position, kind, household_id, record_id, device_id, device_seq, body,
                NULLIF(record_type, ''), $9
         FROM UNNEST($2::bigint[], $3::text[], $4::uuid[], $5::uuid[], $6::uuid[],
                     $7::bigint[], $8::jsonb[], $10::text[])
              AS e(position, kind, household_id, record_id, device_id, device_seq, body, record_type)",
        team,
        &positions,
        &log.kinds,
        &log.households,
        &log.records,
        &log.devices,
        &log.seqs,
        &log.bodies,
        audience,
        &log.record_types
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}
