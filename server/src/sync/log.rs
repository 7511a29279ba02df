//! Appending to a team's change log. Positions come from the team's counter row, updated in
//! the pushing transaction: the row lock makes positions commit in order (see the migration).

use crate::Result;
use serde_json::Value;
use shared::model::Id;
use shared::sync::{LogBody, RecordState, RecordType};
use sqlx::PgConnection;

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

    /// Takes the next positions of the team's counter (locking it until commit) and writes the
    /// entries in the order they were collected.
    pub async fn write(self, tx: &mut PgConnection, team: &str) -> Result<()> {
        if self.kinds.is_empty() {
            return Ok(());
        }
        let count = self.kinds.len() as i64;
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
            &self.kinds,
            &self.households,
            &self.records,
            &self.devices,
            &self.seqs,
            &self.bodies,
            self.audience,
            &self.record_types
        )
        .execute(&mut *tx)
        .await?;
        Ok(())
    }
}
