//! Push: a device's changes in order, applied in one transaction together with the device's
//! last settled change number, so a lost answer or a replay never applies a change twice. How
//! the new changes are applied: `batch.rs`.

use super::batch::{self, Context};
use super::identity::{claim_device, team};
use crate::http::Principal;
use crate::{Error, Result};
use axum::http::StatusCode;
use shared::model::Id;
use shared::reference::Catalogue;
use shared::sync::{
    codes, schema_support, upgrade, Change, ChangeOutcome, ChangeResult, PushRequest, PushResponse,
    RecordType, SchemaSupport, MAX_PUSH_BATCH, PROTOCOL_VERSION, SCHEMA_VERSION,
};
use sqlx::{PgConnection, PgPool};
use std::borrow::Cow;
use std::collections::HashMap;

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
    let expected = device.last_seq + 1;
    // The numbers are consecutive (checked above): settled ones first, then new ones.
    let (old, new): (Vec<Change>, Vec<Change>) = request
        .changes
        .into_iter()
        .partition(|change| change.seq < expected);
    if let Some(first) = new.first().filter(|change| change.seq > expected) {
        // Dropping the transaction rolls back: a gap applies nothing.
        return Err(Error::refused(
            StatusCode::CONFLICT,
            format!(
                "Wijziging {} kwam binnen, maar wijziging {expected} is de volgende: verstuur opnieuw vanaf de oudste wachtende wijziging.",
                first.seq
            ),
        )
        .with_code(codes::GAP));
    }
    let mut results = replayed(&mut tx, request.device_id, &old).await?;
    let new: Vec<Change> = new.into_iter().map(upgrade).collect();
    let context = Context {
        principal,
        catalogue: &catalogue,
        team: &team,
    };
    let settled = batch::settle(&mut tx, &context, &new).await?;
    // A resident typed while the municipality already knew them (offline, where nobody could
    // ask first) is flagged for the coordinator.
    let residents: Vec<Id> = new
        .iter()
        .zip(&settled.results)
        .filter(|(change, result)| {
            change.record_type == RecordType::Resident
                && result.outcome == ChangeOutcome::Applied
                && ["bsn", "family_name", "birth_date"]
                    .iter()
                    .any(|field| change.fields.contains_key(*field))
        })
        .map(|(change, _)| change.record_id)
        .collect();
    crate::households::flag_duplicates(&mut tx, &principal.municipality, &residents).await?;
    // A conversation booked with a colleague reaches their devices.
    crate::agenda::share_booked(&mut tx, principal, &new, &settled.results).await?;
    // A contact made from a signal from outside: the signal became a question.
    let from_signals: Vec<(Id, Id)> = new
        .iter()
        .zip(&settled.results)
        .filter(|(change, result)| {
            change.record_type == RecordType::Contact && result.outcome == ChangeOutcome::Applied
        })
        .filter_map(|(change, _)| {
            let id = |field: &str| {
                change
                    .fields
                    .get(field)
                    .and_then(|v| v.as_str())
                    .and_then(|v| Id::parse_str(v).ok())
            };
            Some((id("signal")?, id("household_id")?))
        })
        .collect();
    crate::signals::became_question(&mut tx, principal, &from_signals).await?;
    // What a zaak is made of changed: its household's zaken are brought up to date.
    let zaak_records: Vec<Id> = new
        .iter()
        .zip(&settled.results)
        .filter(|(change, result)| {
            shared::zgw::concerns_zaak(change.record_type, &change.fields)
                && matches!(
                    result.outcome,
                    ChangeOutcome::Applied | ChangeOutcome::Conflict
                )
        })
        .map(|(change, _)| change.record_id)
        .collect();
    crate::zgw::enqueue(&mut tx, &zaak_records).await?;
    results.extend(settled.results);
    let applied_through = new.last().map_or(expected - 1, |change| change.seq);
    sqlx::query!(
        "UPDATE device SET last_seq = $2 WHERE id = $1",
        request.device_id,
        applied_through as i64
    )
    .execute(&mut *tx)
    .await?;
    settled.log.write_routed(&mut tx, &team).await?;
    settled
        .audited
        .write(&mut *tx, principal, request.device_id)
        .await?;
    tx.commit().await?;
    count(&results);
    Ok(PushResponse {
        applied_through,
        results,
        // A leaver's or lost device has now handed over what it held.
        wipe: device.lost || !principal.active,
    })
}

/// The answers to changes settled before (their answer was lost): a rejection is answered
/// again from its receipt, with its reason, so the device keeps the words; anything else is a
/// duplicate.
async fn replayed(
    tx: &mut PgConnection,
    device: Id,
    changes: &[Change],
) -> Result<Vec<ChangeResult>> {
    if changes.is_empty() {
        return Ok(Vec::new());
    }
    let seqs: Vec<i64> = changes.iter().map(|change| change.seq as i64).collect();
    let rejections: HashMap<i64, Option<String>> = sqlx::query!(
        "SELECT seq, reason FROM receipt
         WHERE device_id = $1 AND seq = ANY($2) AND outcome = 'rejected'",
        device,
        &seqs
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|row| (row.seq, row.reason))
    .collect();
    Ok(changes
        .iter()
        .map(|change| {
            let rejection = rejections.get(&(change.seq as i64));
            ChangeResult {
                seq: change.seq,
                outcome: if rejection.is_some() {
                    ChangeOutcome::Rejected
                } else {
                    ChangeOutcome::Duplicate
                },
                reason: rejection.cloned().flatten(),
                version: None,
            }
        })
        .collect())
}

/// The push's changes by outcome, for operations (`/metrics`).
fn count(results: &[ChangeResult]) {
    for (outcome, name) in [
        (ChangeOutcome::Applied, "applied"),
        (ChangeOutcome::Duplicate, "duplicate"),
        (ChangeOutcome::Rejected, "rejected"),
        (ChangeOutcome::Conflict, "conflict"),
    ] {
        let n = results.iter().filter(|r| r.outcome == outcome).count();
        if n > 0 {
            crate::metrics::sync_changes(name, n);
        }
    }
}

/// Refusals of the whole request, before anything is touched.
fn check_request(request: &PushRequest) -> Result<()> {
    let update_required = |message: String| {
        Error::refused(StatusCode::UPGRADE_REQUIRED, message).with_code(codes::UPDATE_REQUIRED)
    };
    if request.protocol_version < PROTOCOL_VERSION {
        return Err(update_required(format!(
            "Deze versie van de app (protocol {}) is te oud voor de server (protocol {PROTOCOL_VERSION}). Werk de app bij; wat wacht blijft bewaard.",
            request.protocol_version
        )));
    }
    // A newer app than the server (a server rolled back): updating the app would not help.
    if request.protocol_version > PROTOCOL_VERSION {
        return Err(Error::BadRequest(format!(
            "De server (protocol {PROTOCOL_VERSION}) is ouder dan deze versie van de app (protocol {}). Wat wacht blijft op dit apparaat bewaard; meld het bij de beheerder.",
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
