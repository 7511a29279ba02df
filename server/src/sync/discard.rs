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
        return Err(Error::refused(
            StatusCode::NOT_FOUND,
            "Deze niet verwerkte wijziging is niet bekend op de server voor dit apparaat.",
        ));
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
