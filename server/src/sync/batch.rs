//! Applying a push's changes as a set: the records they touch and their households' access are
//! read with one query per table, the changes are merged in memory in order, and what they
//! wrote goes back with one statement per table (records, receipts, consultants added). A value
//! PostgreSQL refuses fails such a statement as a whole: the batch is then applied again one
//! change at a time, each in a savepoint, so only the change at fault is rejected.

use super::log::PendingLog;
use super::records::{self, Columns, Row};
use crate::audit::{self, Action};
use crate::households::{may_touch_many, registering, Denied, Household, Purpose};
use crate::http::Principal;
use crate::{Error, Result};
use serde_json::Value;
use shared::model::Id;
use shared::reference::Catalogue;
use shared::sync::{
    check_record, merge, Change, ChangeOutcome, ChangeResult, Conflict, LogBody, Merged, Operation,
    RecordState, RecordType, ServerRecord,
};
use sqlx::PgConnection;
use std::collections::HashMap;

/// Who pushes, and what their changes are checked against.
pub(super) struct Context<'a> {
    pub principal: &'a Principal,
    pub catalogue: &'a Catalogue,
    pub team: &'a str,
}

/// What a batch settled: each change's answer, the log entries and audit rows to write.
#[derive(Default)]
pub(super) struct Settled {
    pub results: Vec<ChangeResult>,
    pub log: PendingLog,
    pub audited: audit::ChangeBatch,
}

impl Settled {
    fn marks(&self) -> (usize, usize, usize) {
        (self.results.len(), self.log.len(), self.audited.len())
    }

    /// Takes back what was settled after `marks` (rolled back to a savepoint).
    fn truncate(&mut self, (results, log, audited): (usize, usize, usize)) {
        self.results.truncate(results);
        self.log.truncate(log);
        self.audited.truncate(audited);
    }
}

/// Why a change with a value the database refuses is rejected, in words for the worker.
const UNSTORABLE: &str = "Deze wijziging bevat een waarde die de server niet kan opslaan (bijvoorbeeld een onzichtbaar teken of een datum buiten het bereik). Je tekst is bewaard: pas de waarde aan en verstuur opnieuw.";

/// Applies `changes` (consecutive, none settled before) in the caller's transaction.
pub(super) async fn settle(
    tx: &mut PgConnection,
    context: &Context<'_>,
    changes: &[Change],
) -> Result<Settled> {
    let mut settled = Settled::default();
    sqlx::query!("SAVEPOINT batch").execute(&mut *tx).await?;
    match Batch::run(tx, context, changes, &mut settled).await {
        Ok(()) => {
            sqlx::query!("RELEASE SAVEPOINT batch")
                .execute(&mut *tx)
                .await?;
            return Ok(settled);
        }
        Err(error) if unstorable(&error) => {
            sqlx::query!("ROLLBACK TO SAVEPOINT batch")
                .execute(&mut *tx)
                .await?;
            settled = Settled::default();
        }
        Err(error) => return Err(error),
    }
    for change in changes {
        sqlx::query!("SAVEPOINT change").execute(&mut *tx).await?;
        let marks = settled.marks();
        match Batch::run(tx, context, std::slice::from_ref(change), &mut settled).await {
            Ok(()) => {
                sqlx::query!("RELEASE SAVEPOINT change")
                    .execute(&mut *tx)
                    .await?;
            }
            Err(error) if unstorable(&error) => {
                tracing::warn!(%error, seq = change.seq, "change rejected: a value the database cannot store");
                sqlx::query!("ROLLBACK TO SAVEPOINT change")
                    .execute(&mut *tx)
                    .await?;
                settled.truncate(marks);
                let mut receipts = Receipts::default();
                receipts.push(change, ChangeOutcome::Rejected, Some(UNSTORABLE));
                receipts.write(tx, change.device_id).await?;
                settled.results.push(rejected(change, UNSTORABLE));
            }
            Err(error) => return Err(error),
        }
    }
    Ok(settled)
}

/// A data exception (SQLSTATE class 22): the value, not the server, is at fault.
fn unstorable(error: &Error) -> bool {
    match error {
        Error::Database(sqlx::Error::Database(e)) => {
            e.code().is_some_and(|code| code.starts_with("22"))
        }
        _ => false,
    }
}

/// A record as the batch sees it: as loaded, then as its changes left it.
struct Slot {
    row: Option<Row>,
    /// The server had it before this batch (an update, not an insert).
    stored: bool,
    written: bool,
}

/// The batch's working state: records and households' access read at the start, writes kept
/// until the end.
struct Batch<'a> {
    context: &'a Context<'a>,
    records: HashMap<(RecordType, Id), Slot>,
    access: HashMap<Id, std::result::Result<Household, Denied>>,
    receipts: Receipts,
    conflicts: Vec<Conflict>,
    /// Households the (consultant) worker registered: they coordinate them.
    registered: Vec<Id>,
}

impl<'a> Batch<'a> {
    async fn run(
        tx: &mut PgConnection,
        context: &'a Context<'a>,
        changes: &[Change],
        settled: &mut Settled,
    ) -> Result<()> {
        let mut batch = Batch {
            context,
            records: HashMap::new(),
            access: HashMap::new(),
            receipts: Receipts::default(),
            conflicts: Vec::new(),
            registered: Vec::new(),
        };
        batch.load(tx, changes).await?;
        for change in changes {
            let result = batch.apply(tx, change, settled).await?;
            settled.results.push(result);
        }
        batch
            .write(tx, changes.first().map_or(Id::nil(), |c| c.device_id))
            .await
    }

    /// Reads every record the changes name (one query per table) and the access to every
    /// household they belong to (one query).
    async fn load(&mut self, tx: &mut PgConnection, changes: &[Change]) -> Result<()> {
        for record_type in RecordType::ALL {
            let mut ids: Vec<Id> = changes
                .iter()
                .filter(|c| c.record_type == record_type)
                .map(|c| c.record_id)
                .collect();
            if ids.is_empty() {
                continue;
            }
            ids.sort();
            ids.dedup();
            let mut found: HashMap<Id, Row> = records::load_many(tx, record_type, &ids)
                .await?
                .into_iter()
                .collect();
            for id in ids {
                let row = found.remove(&id);
                let slot = Slot {
                    stored: row.is_some(),
                    row,
                    written: false,
                };
                self.records.insert((record_type, id), slot);
            }
        }
        let mut households: Vec<Id> = changes
            .iter()
            .filter_map(|change| self.household_of(change))
            .collect();
        households.sort();
        households.dedup();
        let principal = self.context.principal;
        self.access = may_touch_many(tx, principal, &households, Purpose::Write).await?;
        Ok(())
    }

    fn current(&self, change: &Change) -> Option<&Row> {
        self.records
            .get(&(change.record_type, change.record_id))
            .and_then(|slot| slot.row.as_ref())
    }

    /// The household a change belongs to: its record's, or for a new record the one it names.
    fn household_of(&self, change: &Change) -> Option<Id> {
        match self.current(change) {
            Some(row) => Some(row.household_id),
            None if change.record_type == RecordType::Household => Some(change.record_id),
            None => change
                .fields
                .get("household_id")
                .and_then(Value::as_str)
                .and_then(|s| s.parse::<Id>().ok()),
        }
    }

    /// Applies one change in memory; a change that can never land is rejected (its fields
    /// kept in its receipt).
    async fn apply(
        &mut self,
        tx: &mut PgConnection,
        change: &Change,
        settled: &mut Settled,
    ) -> Result<ChangeResult> {
        let Context {
            principal,
            catalogue,
            team,
        } = *self.context;
        let current = self.current(change).cloned();
        let Some(household_id) = self.household_of(change) else {
            if current.is_none() && change.op != Operation::Create {
                // A change of a record whose creation never landed (refused, not yet sent again).
                return Ok(self.reject(change, "Dit dossierdeel is niet bekend op de server."));
            }
            return Ok(self.reject(change, "Het record noemt geen huishouden."));
        };
        let registers = current.is_none() && change.record_type == RecordType::Household;
        if !registers {
            let access = self.access.get(&household_id);
            if let Err(denied) = access.cloned().unwrap_or(Err(Denied::Unknown)) {
                return Ok(self.reject(change, denied.words()));
            }
        }
        if !principal.role.may_handle(change.record_type) {
            return Ok(self.reject(change, "Je rol heeft geen toegang tot dit soort gegevens."));
        }
        if writes_server_owned(change) {
            return Ok(self.reject(
                change,
                "De regisseur wordt toegewezen door de coördinator (caseload), niet vanaf een apparaat.",
            ));
        }
        let origin = (change.device_id, change.seq);
        let merged = match merge(current.as_ref().map(|r| &r.record), change) {
            Merged::Rejected(reason) => Err(reason),
            Merged::Written { record, conflicts } => check_record(
                catalogue,
                change.record_type,
                change.record_id,
                &record.fields,
            )
            .map(|()| (record, conflicts)),
        };
        let (record, conflicts) = match merged {
            Ok(merged) => merged,
            Err(reason) => {
                if let Some(row) = &current {
                    // The device shows what it typed; the server's state puts it right again.
                    let state = state(change, household_id, &row.record);
                    settled
                        .log
                        .push(household_id, change.record_id, origin, &state);
                }
                return Ok(self.reject(change, &reason));
            }
        };
        if current.as_ref().is_none_or(|row| row.record != record) {
            let slot = self
                .records
                .get_mut(&(change.record_type, change.record_id))
                .expect("every change's record was loaded");
            slot.row = Some(Row {
                household_id,
                record: record.clone(),
            });
            slot.written = true;
        }
        if registers {
            self.access
                .insert(household_id, registering(principal, household_id, team));
            if principal.role.only_assigned_households() {
                // The consultant who registers a household coordinates it.
                self.registered.push(household_id);
            }
        }
        let entry = state(change, household_id, &record);
        settled
            .log
            .push(household_id, change.record_id, origin, &entry);
        for field_conflict in conflicts.iter() {
            let conflict = Conflict {
                id: Id::now_v7(),
                record_type: change.record_type,
                record_id: change.record_id,
                household_id,
                field: field_conflict.field.clone(),
                server_value: field_conflict.server_value.clone(),
                device_value: field_conflict.device_value.clone(),
                deleted_on_server: field_conflict.deleted_on_server,
                deleted_on_device: field_conflict.deleted_on_device,
                server_version: record.version,
                device_id: change.device_id,
                seq: change.seq,
            };
            let body = LogBody::Conflict(conflict.clone());
            settled
                .log
                .push(household_id, change.record_id, origin, &body);
            self.conflicts.push(conflict);
        }
        if let Some(conflict_id) = change.resolves {
            if resolve(tx, conflict_id, change.device_id, team).await? {
                let body = LogBody::Resolved { conflict_id };
                settled
                    .log
                    .push(household_id, change.record_id, origin, &body);
            }
        }
        let outcome = if conflicts.is_empty() {
            ChangeOutcome::Applied
        } else {
            ChangeOutcome::Conflict
        };
        self.receipts.push(change, outcome, None);
        let action = match (&current, change.op) {
            (None, _) => Action::Create,
            (_, Operation::Delete) => Action::Delete,
            _ => Action::Change,
        };
        let record_type = change.record_type.key();
        settled
            .audited
            .push(action, household_id, record_type, change.record_id);
        Ok(ChangeResult {
            seq: change.seq,
            outcome,
            reason: None,
            version: Some(record.version),
        })
    }

    fn reject(&mut self, change: &Change, reason: &str) -> ChangeResult {
        self.receipts
            .push(change, ChangeOutcome::Rejected, Some(reason));
        rejected(change, reason)
    }

    /// Writes what the batch changed: new records (households first, the others refer to
    /// them), changed records, the consultants who registered households, conflicts, receipts.
    async fn write(self, tx: &mut PgConnection, device: Id) -> Result<()> {
        let team = self.context.team;
        for record_type in RecordType::ALL {
            let (mut new, mut changed) = (Columns::default(), Columns::default());
            let slots = self
                .records
                .iter()
                .filter(|((t, _), slot)| *t == record_type && slot.written);
            for ((_, id), slot) in slots {
                let Some(row) = &slot.row else { continue };
                let into = if slot.stored { &mut changed } else { &mut new };
                into.push(*id, row.household_id, &row.record);
            }
            records::insert_many(tx, record_type, team, &new).await?;
            records::update_many(tx, record_type, &changed).await?;
        }
        if !self.registered.is_empty() {
            sqlx::query!(
                "INSERT INTO household_worker (household_id, account_id)
                 SELECT h, $2 FROM UNNEST($1::uuid[]) AS h ON CONFLICT DO NOTHING",
                &self.registered,
                self.context.principal.account_id
            )
            .execute(&mut *tx)
            .await?;
        }
        for conflict in &self.conflicts {
            insert_conflict(tx, team, conflict).await?;
        }
        self.receipts.write(tx, device).await
    }
}

/// A field only the server writes: a patch may not carry it, a create only empty.
fn writes_server_owned(change: &Change) -> bool {
    change.fields.iter().any(|(field, value)| {
        shared::sync::fields::server_owned(change.record_type, field)
            && (change.op != Operation::Create || !value.is_null())
    })
}

fn state(change: &Change, household_id: Id, record: &ServerRecord) -> LogBody {
    LogBody::Record(RecordState {
        record_type: change.record_type,
        record_id: change.record_id,
        household_id,
        version: record.version,
        deleted: record.deleted,
        fields: record.fields.clone(),
    })
}

fn rejected(change: &Change, reason: &str) -> ChangeResult {
    ChangeResult {
        seq: change.seq,
        outcome: ChangeOutcome::Rejected,
        reason: Some(reason.to_owned()),
        version: None,
    }
}

/// Marks a conflict the change settles; whether it was still open in the team.
async fn resolve(tx: &mut PgConnection, conflict: Id, device: Id, team: &str) -> Result<bool> {
    let resolved = sqlx::query_scalar!(
        "UPDATE conflict SET resolved_at = now(), resolved_by = $2
         WHERE id = $1 AND team_id = $3 AND resolved_at IS NULL RETURNING id",
        conflict,
        device,
        team
    )
    .fetch_optional(&mut *tx)
    .await?;
    Ok(resolved.is_some())
}

async fn insert_conflict(tx: &mut PgConnection, team: &str, conflict: &Conflict) -> Result<()> {
    sqlx::query!(
        "INSERT INTO conflict (id, team_id, household_id, record_type, record_id, field,
             server_value, device_value, deleted_on_server, device_id, device_seq,
             server_version, deleted_on_device)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        conflict.id,
        team,
        conflict.household_id,
        conflict.record_type.key(),
        conflict.record_id,
        conflict.field,
        conflict.server_value,
        conflict.device_value,
        conflict.deleted_on_server,
        conflict.device_id,
        conflict.seq as i64,
        conflict.server_version as i64,
        conflict.deleted_on_device
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Each change's receipt, as columns for one statement: a replay is answered from it.
#[derive(Default)]
struct Receipts {
    seqs: Vec<i64>,
    outcomes: Vec<String>,
    /// Empty: none (a rejection always has words).
    reasons: Vec<String>,
    record_types: Vec<String>,
    records: Vec<Id>,
    /// JSON null: none.
    kept: Vec<Value>,
}

impl Receipts {
    fn push(&mut self, change: &Change, outcome: ChangeOutcome, reason: Option<&str>) {
        let outcome_name = match outcome {
            ChangeOutcome::Applied | ChangeOutcome::Duplicate => "applied",
            ChangeOutcome::Conflict => "conflict",
            ChangeOutcome::Rejected => "rejected",
        };
        // The rejected words are kept. Text PostgreSQL cannot hold in a JSON value (a NUL) is
        // kept as the change's JSON text instead, escaped.
        let kept = if outcome == ChangeOutcome::Rejected {
            let fields = Value::Object(change.fields.clone());
            if fields.to_string().contains("\\u0000") {
                Value::String(fields.to_string())
            } else {
                fields
            }
        } else {
            Value::Null
        };
        self.seqs.push(change.seq as i64);
        self.outcomes.push(outcome_name.into());
        self.reasons.push(reason.unwrap_or_default().into());
        self.record_types.push(change.record_type.key().into());
        self.records.push(change.record_id);
        self.kept.push(kept);
    }

    async fn write(self, tx: &mut PgConnection, device: Id) -> Result<()> {
        if self.seqs.is_empty() {
            return Ok(());
        }
        sqlx::query!(
            "INSERT INTO receipt (device_id, seq, outcome, reason, record_type, record_id,
                                  rejected_fields)
             SELECT $1, seq, outcome, NULLIF(reason, ''), record_type, record_id,
                    NULLIF(kept, 'null'::jsonb)
             FROM UNNEST($2::bigint[], $3::text[], $4::text[], $5::text[], $6::uuid[],
                         $7::jsonb[])
                  AS r(seq, outcome, reason, record_type, record_id, kept)",
            device,
            &self.seqs,
            &self.outcomes,
            &self.reasons,
            &self.record_types,
            &self.records,
            &self.kept
        )
        .execute(&mut *tx)
        .await?;
        Ok(())
    }
}
