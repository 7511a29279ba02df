//! A device's own account of what it showed and printed, also offline: each read and print is
//! written to the audit log once (by device and number), for households of the worker's team.

use super::claim_device;
use crate::audit::Action;
use crate::http::{BatchJson, Principal};
use crate::{AppState, Error, Result};
use axum::{extract::State, http::StatusCode, Json};
use shared::sync::{AccessAction, AccessReceipt, AccessReport};
use time::{format_description::well_known::Rfc3339, OffsetDateTime};

/// Reads and prints a device made (also offline), each recorded once, for households of the
/// worker's team only.
#[utoipa::path(
    post,
    path = "/api/audit/access",
    tag = "sync",
    request_body = AccessReport,
    responses(
        (status = 200, description = "The events recorded", body = AccessReceipt),
        crate::openapi::Refusals,
    ),
    security(("session" = [], "unlock" = [])),
)]
pub(super) async fn report(
    State(state): State<AppState>,
    principal: Principal,
    BatchJson(report): BatchJson<AccessReport>,
) -> Result<Json<AccessReceipt>> {
    if report.events.len() > 1_000 {
        return Err(Error::refused(
            StatusCode::PAYLOAD_TOO_LARGE,
            "Hoogstens 1000 gebeurtenissen per melding.",
        ));
    }
    let mut seqs = Vec::with_capacity(report.events.len());
    let mut times = Vec::with_capacity(report.events.len());
    let mut actions = Vec::with_capacity(report.events.len());
    let mut households = Vec::with_capacity(report.events.len());
    for event in &report.events {
        let at = OffsetDateTime::parse(&event.at, &Rfc3339).map_err(|_| {
            Error::BadRequest(format!(
                "Gebeurtenis {}: 'at' is geen RFC 3339-tijd.",
                event.seq
            ))
        })?;
        seqs.push(event.seq as i64);
        times.push(at);
        actions.push(
            match event.action {
                AccessAction::Read => Action::Read.key(),
                AccessAction::Print => Action::Print.key(),
            }
            .to_owned(),
        );
        households.push(event.household_id);
    }
    let mut tx = state.pool.begin().await?;
    claim_device(&mut tx, &principal, report.device_id).await?;
    let team = principal.team.clone().unwrap_or_default();
    sqlx::query!(
        "INSERT INTO audit_event
             (municipality_id, account_id, device_id, device_seq, at, action, household_id, detail)
         SELECT $1, $2, $3, e.seq, e.at, e.action, e.household, 'on the device'
         FROM UNNEST($4::bigint[], $5::timestamptz[], $6::text[], $7::uuid[])
              AS e(seq, at, action, household)
         JOIN household h ON h.id = e.household AND h.team_id = $8
         ON CONFLICT (device_id, device_seq) WHERE device_seq IS NOT NULL DO NOTHING",
        principal.municipality,
        principal.account_id,
        report.device_id,
        &seqs,
        &times,
        &actions,
        &households,
        team
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Json(AccessReceipt {
        recorded_through: report.events.iter().map(|e| e.seq).max().unwrap_or(0),
    }))
}
