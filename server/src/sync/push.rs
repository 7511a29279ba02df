//! Push: a device's changes in order, applied in one transaction together with the device's
//! last settled change number, so a lost answer or a replay never applies a change twice.

use super::identity::{claim_device, team};
use super::log::PendingLog;
use super::records;
use crate::audit::{self, Action};
use crate::households::{may_touch, Purpose};
use crate::http::Principal;
use crate::{Error, Result};
use axum::http::StatusCode;
use serde_json::Value;
use shared::model::Id;
use shared::reference::Catalogue;
use shared::sync::{
    check_record, codes, merge, schema_support, upgrade, Change, ChangeOutcome, ChangeResult,
    Conflict, LogBody, Merged, PushRequest, PushResponse, RecordState, RecordType, SchemaSupport,
    MAX_PUSH_BATCH, PROTOCOL_VERSION, SCHEMA_VERSION,
};
use sqlx::{PgConnection, PgPool};
use std::borrow::Cow;

pub async fn push_batch(
    pool: &PgPool,
    principal: &Principal,
    request: PushRequest,
) -> Result<PushResponse> {
    check_request(&request)?;
    // Quick scans are checked against the template they were made with, published ones too.
    let catalogue = if request
        .changes
        .iter()
        .any(|c| c.record_type == RecordType::QuickScan)
    {
        Cow::Owned(Catalogue::with(
            &crate::reference::load(pool, &principal.municipality).await?,
        ))
    } else {
        Cow::Borrowed(Catalogue::shipped())
    };
    let mut tx = pool.begin().await?;
    let device = claim_device(&mut tx, principal, request.device_id).await?;
    let team = team(principal)?.to_owned();
    let mut expected = device.last_seq + 1;
    let mut results = Vec::with_capacity(request.changes.len());
    let mut log = PendingLog::default();
    let mut audited = audit::ChangeBatch::default();
    for change in request.changes {
        if change.seq < expected {
            results.push(replayed(&mut tx, &change).await?);
            continue;
        }
        if change.seq > expected {
            // Dropping the transaction rolls back: a gap applies nothing.
            return Err(Error::refused(
                StatusCode::CONFLICT,
                format!(
                    "Wijziging {} kwam binnen, maar wijziging {expected} is de volgende: verstuur opnieuw vanaf de oudste wachtende wijziging.",
                    change.seq
                ),
            )
            .with_code(codes::GAP));
        }
        let seq = change.seq;
        // Each change in a savepoint: a value PostgreSQL cannot store (a NUL character, a date
        // out of its range) rejects that change with its reason, and the batch goes on.
        sqlx::query!("SAVEPOINT change").execute(&mut *tx).await?;
        let marks = (log.len(), audited.len());
        let kept = change.clone();
        let applied = apply(
            &mut tx,
            (principal, &catalogue),
            &team,
            upgrade(change),
            &mut log,
            &mut audited,
        )
        .await;
        let settled = match applied {
            Ok(settled) => {
                sqlx::query!("RELEASE SAVEPOINT change")
                    .execute(&mut *tx)
                    .await?;
                settled
            }
            Err(error) if unstorable(&error) => {
                tracing::warn!(%error, seq, "change rejected: a value the database cannot store");
                sqlx::query!("ROLLBACK TO SAVEPOINT change")
                    .execute(&mut *tx)
                    .await?;
                log.truncate(marks.0);
                audited.truncate(marks.1);
                reject(&mut tx, &kept, UNSTORABLE).await?
            }
            Err(error) => return Err(error),
        };
        results.push(ChangeResult {
            seq,
            outcome: settled.0,
            reason: settled.1,
            version: settled.2,
        });
        expected += 1;
    }
    let applied_through = expected - 1;
    sqlx::query!(
        "UPDATE device SET last_seq = $2 WHERE id = $1",
        request.device_id,
        applied_through as i64
    )
    .execute(&mut *tx)
    .await?;
    log.write_routed(&mut tx, &team).await?;
    audited
        .write(&mut *tx, principal, request.device_id)
        .await?;
    tx.commit().await?;
    Ok(PushResponse {
        applied_through,
        results,
        // A leaver's or lost device has now handed over what it held.
        wipe: device.lost || !principal.active,
    })
}

/// The answer to a change settled before (its answer was lost): a rejection is answered again
/// from its receipt, with its reason, so the device keeps the words; anything else is a
/// duplicate.
async fn replayed(tx: &mut PgConnection, change: &Change) -> Result<ChangeResult> {
    let rejection = sqlx::query_scalar!(
        "SELECT reason FROM receipt WHERE device_id = $1 AND seq = $2 AND outcome = 'rejected'",
        change.device_id,
        change.seq as i64
    )
    .fetch_optional(&mut *tx)
    .await?;
    Ok(ChangeResult {
        seq: change.seq,
        outcome: if rejection.is_some() {
            ChangeOutcome::Rejected
        } else {
            ChangeOutcome::Duplicate
        },
        reason: rejection.flatten(),
        version: None,
    })
}

/// Refusals of the whole request, before anything is touched.
fn check_request(request: &PushRequest) -> Result<()> {
    let update_required = |message: String| {
        Error::refused(StatusCode::UPGRADE_REQUIRED, message).with_code(codes::UPDATE_REQUIRED)
    };
    if request.protocol_version != PROTOCOL_VERSION {
        return Err(update_required(format!(
            "Deze versie van de app (protocol {}) is te oud voor de server (protocol {PROTOCOL_VERSION}). Werk de app bij; wat wacht blijft bewaard.",
            request.protocol_version
        )));
    }
    if request.changes.len() > MAX_PUSH_BATCH {
        return Err(Error::refused(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("Hoogstens {MAX_PUSH_BATCH} wijzigingen per keer."),
        ));
    }
    for (i, change) in request.changes.iter().enumerate() {
        if change.device_id != request.device_id {
            return Err(Error::BadRequest(format!(
                "Wijziging {} hoort bij een ander apparaat.",
                change.seq
            )));
        }
        if i > 0 && change.seq != request.changes[i - 1].seq + 1 {
            return Err(Error::BadRequest(
                "De wijzigingen moeten opeenvolgend genummerd zijn.".into(),
            ));
        }
        let support = schema_support(change.schema_version);
        if change.protocol_version != PROTOCOL_VERSION || support == SchemaSupport::TooOld {
            return Err(update_required(format!(
                "Wijziging {} is gemaakt met een app-versie die de server niet meer aanneemt. Werk de app bij; wat wacht blijft bewaard.",
                change.seq
            )));
        }
        if support == SchemaSupport::TooNew {
            return Err(Error::BadRequest(format!(
                "Wijziging {} heeft schemaversie {}, nieuwer dan die van de server ({SCHEMA_VERSION}): de server moet eerst worden bijgewerkt.",
                change.seq, change.schema_version
            )));
        }
    }
    Ok(())
}

/// A field only the server writes: a patch may not carry it, a create only empty.
fn writes_server_owned(change: &Change) -> bool {
    change.fields.iter().any(|(field, value)| {
        shared::sync::fields::server_owned(change.record_type, field)
            && (change.op != shared::sync::Operation::Create || !value.is_null())
    })
}

/// Why a change with a value the database refuses is rejected, in words for the worker.
const UNSTORABLE: &str = "Deze wijziging bevat een waarde die de server niet kan opslaan (bijvoorbeeld een onzichtbaar teken of een datum buiten het bereik). Je tekst is bewaard: pas de waarde aan en verstuur opnieuw.";

/// A data exception (SQLSTATE class 22): the value, not the server, is at fault.
fn unstorable(error: &Error) -> bool {
    match error {
        Error::Database(sqlx::Error::Database(e)) => {
            e.code().is_some_and(|code| code.starts_with("22"))
        }
        _ => false,
    }
}

/// The outcome, the reason of a rejection, the record's version after an applied change.
type Settled = (ChangeOutcome, Option<String>, Option<u64>);

/// Applies one change; a change that can never land is rejected (with its fields kept).
async fn apply(
    tx: &mut PgConnection,
    (principal, catalogue): (&Principal, &Catalogue),
    team: &str,
    change: Change,
    log: &mut PendingLog,
    audited: &mut audit::ChangeBatch,
) -> Result<Settled> {
    let current = records::load(tx, change.record_type, change.record_id).await?;
    let household_id = match &current {
        Some(row) => Some(row.household_id),
        None if change.record_type == RecordType::Household => Some(change.record_id),
        None => change
            .fields
            .get("household_id")
            .and_then(Value::as_str)
            .and_then(|s| s.parse::<Id>().ok()),
    };
    let Some(household_id) = household_id else {
        if current.is_none() && change.op != shared::sync::Operation::Create {
            // A change of a record whose creation never landed (refused, not yet sent again).
            return reject(tx, &change, "Dit dossierdeel is niet bekend op de server.").await;
        }
        return reject(tx, &change, "Het record noemt geen huishouden.").await;
    };
    let creating_household = current.is_none() && change.record_type == RecordType::Household;
    if !creating_household {
        let touch = may_touch(tx, principal, household_id, Purpose::Write).await?;
        if let Err(denied) = touch {
            return reject(tx, &change, denied.words()).await;
        }
    }
    if !principal.role.may_handle(change.record_type) {
        return reject(
            tx,
            &change,
            "Je rol heeft geen toegang tot dit soort gegevens.",
        )
        .await;
    }
    if writes_server_owned(&change) {
        return reject(
            tx,
            &change,
            "De regisseur wordt toegewezen door de coördinator (caseload), niet vanaf een apparaat.",
        )
        .await;
    }
    let origin = (change.device_id, change.seq);
    let (record, conflicts) = match merge(current.as_ref().map(|r| &r.record), &change) {
        Merged::Rejected(reason) => {
            if let Some(row) = &current {
                // The device shows what it typed; the server's state puts it right again.
                log.push(
                    household_id,
                    change.record_id,
                    origin,
                    &state(&change, row.household_id, &row.record),
                );
            }
            return reject(tx, &change, &reason).await;
        }
        Merged::Written { record, conflicts } => (record, conflicts),
    };
    if let Err(reason) = check_record(
        catalogue,
        change.record_type,
        change.record_id,
        &record.fields,
    ) {
        if let Some(row) = &current {
            log.push(
                household_id,
                change.record_id,
                origin,
                &state(&change, household_id, &row.record),
            );
        }
        return reject(tx, &change, &reason).await;
    }
    match &current {
        None => {
            records::insert(
                tx,
                change.record_type,
                change.record_id,
                household_id,
                team,
                &record,
            )
            .await?;
            if creating_household && principal.role.only_assigned_households() {
                // The consultant who registers a household coordinates it.
                sqlx::query!(
                    "INSERT INTO household_worker (household_id, account_id) VALUES ($1, $2)
                     ON CONFLICT DO NOTHING",
                    household_id,
                    principal.account_id
                )
                .execute(&mut *tx)
                .await?;
            }
        }
        Some(row) if row.record != record => {
            records::update(tx, change.record_type, change.record_id, &record).await?
        }
        Some(_) => {}
    }
    log.push(
        household_id,
        change.record_id,
        origin,
        &state(&change, household_id, &record),
    );
    for field_conflict in &conflicts {
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
        sqlx::query!(
            "INSERT INTO conflict (id, team_id, household_id, record_type, record_id, field,
                 server_value, device_value, deleted_on_server, device_id, device_seq,
                 server_version, deleted_on_device)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            conflict.id,
            team,
            household_id,
            change.record_type.key(),
            change.record_id,
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
        log.push(
            household_id,
            change.record_id,
            origin,
            &LogBody::Conflict(conflict),
        );
    }
    if let Some(conflict_id) = change.resolves {
        let resolved = sqlx::query_scalar!(
            "UPDATE conflict SET resolved_at = now(), resolved_by = $2
             WHERE id = $1 AND team_id = $3 AND resolved_at IS NULL RETURNING id",
            conflict_id,
            change.device_id,
            team
        )
        .fetch_optional(&mut *tx)
        .await?;
        if resolved.is_some() {
            log.push(
                household_id,
                change.record_id,
                origin,
                &LogBody::Resolved { conflict_id },
            );
        }
    }
    let outcome = if conflicts.is_empty() {
        ChangeOutcome::Applied
    } else {
        ChangeOutcome::Conflict
    };
    receipt(tx, &change, outcome, None).await?;
    let action = match (&current, change.op) {
        (None, _) => Action::Create,
        (_, shared::sync::Operation::Delete) => Action::Delete,
        _ => Action::Change,
    };
    audited.push(
        action,
        household_id,
        change.record_type.key(),
        change.record_id,
    );
    Ok((outcome, None, Some(record.version)))
}

fn state(change: &Change, household_id: Id, record: &shared::sync::ServerRecord) -> LogBody {
    LogBody::Record(RecordState {
        record_type: change.record_type,
        record_id: change.record_id,
        household_id,
        version: record.version,
        deleted: record.deleted,
        fields: record.fields.clone(),
    })
}

async fn reject(tx: &mut PgConnection, change: &Change, reason: &str) -> Result<Settled> {
    receipt(tx, change, ChangeOutcome::Rejected, Some(reason)).await?;
    Ok((ChangeOutcome::Rejected, Some(reason.to_owned()), None))
}

async fn receipt(
    tx: &mut PgConnection,
    change: &Change,
    outcome: ChangeOutcome,
    reason: Option<&str>,
) -> Result<()> {
    let outcome_name = match outcome {
        ChangeOutcome::Applied | ChangeOutcome::Duplicate => "applied",
        ChangeOutcome::Conflict => "conflict",
        ChangeOutcome::Rejected => "rejected",
    };
    // The rejected words are kept. Text PostgreSQL cannot hold in a JSON value (a NUL) is kept
    // as the change's JSON text instead, escaped.
    let kept = (outcome == ChangeOutcome::Rejected).then(|| {
        let fields = Value::Object(change.fields.clone());
        if fields.to_string().contains("\\u0000") {
            Value::String(fields.to_string())
        } else {
            fields
        }
    });
    sqlx::query!(
        "INSERT INTO receipt (device_id, seq, outcome, reason, record_type, record_id, rejected_fields)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        change.device_id,
        change.seq as i64,
        outcome_name,
        reason,
        change.record_type.key(),
        change.record_id,
        kept
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}
