//! A worker throws away a change the server refused, on purpose: the receipt keeps when and by
//! whom, and the audit log says so. Until then the device keeps showing it ("Niet verwerkt").

use crate::audit::{self, Action, Event};
use crate::http::Principal;
use crate::{Error, Result};
use axum::http::StatusCode;
use shared::sync::DiscardRejected;
use sqlx::PgPool;

pub async fn discard_rejected(
    pool: &PgPool,
    principal: &Principal,
    request: DiscardRejected,
) -> Result<()> {
    let mut tx = pool.begin().await?;
    let discarded = sqlx::query!(
        "UPDATE receipt r SET discarded_at = now(), discarded_by = $3
         FROM device d
         WHERE r.device_id = $1 AND r.seq = $2 AND r.outcome = 'rejected' AND r.discarded_at IS NULL
           AND d.id = r.device_id AND d.account_id = $3
         RETURNING r.record_type, r.record_id, r.rejected_fields->>'household_id' AS household",
        request.device_id,
        request.seq as i64,
        principal.account_id
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = discarded else {
        removed_by_retention(&mut tx, principal, &request).await?;
        tx.commit().await?;
        return Ok(());
    };
    let mut event = Event::by(principal, Action::RejectedDiscarded)
        .device(request.device_id)
        .record(&row.record_type, row.record_id)
        .detail(&format!("wijziging {}", request.seq));
    if let Some(household) = row.household.and_then(|h| h.parse().ok()) {
        event = event.household(household);
    }
    audit::record(&mut *tx, event).await?;
    tx.commit().await?;
    Ok(())
}

/// A refused change whose receipt retention removed with its household (the receipt held the
/// resident's words): the server settled that number and keeps nothing of it, so the worker may
/// throw it away too; without this it would stay under "Niet verwerkt" for good. Anything else
/// not found is another device's, or a number never settled.
async fn removed_by_retention(
    tx: &mut sqlx::PgConnection,
    principal: &Principal,
    request: &DiscardRejected,
) -> Result<()> {
    let settled_and_gone = sqlx::query_scalar!(
        r#"SELECT EXISTS (
               SELECT 1 FROM device d
               WHERE d.id = $1 AND d.account_id = $3 AND $2 <= d.last_seq
                 AND NOT EXISTS (SELECT 1 FROM receipt r WHERE r.device_id = d.id AND r.seq = $2)
           ) AS "gone!""#,
        request.device_id,
        request.seq as i64,
        principal.account_id
    )
    .fetch_one(&mut *tx)
    .await?;
    if !settled_and_gone {
        return Err(Error::refused(
            StatusCode::NOT_FOUND,
            "Deze niet verwerkte wijziging is niet bekend op de server voor dit apparaat.",
        ));
    }
    let event = Event::by(principal, Action::RejectedDiscarded)
        .device(request.device_id)
        .detail(&format!(
            "wijziging {} (het huishouden was al verwijderd na de bewaartermijn)",
            request.seq
        ));
    audit::record(&mut *tx, event).await?;
    Ok(())
}
