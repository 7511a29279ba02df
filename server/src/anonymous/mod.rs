//! Anonymous contacts (`shared::model::anonymous_contact`): quick questions where no resident
//! was registered, sent by the devices that recorded them (offline too). Each is stored once,
//! by its id, for the worker's team; the figures count them. No resident's data is in them.

use crate::audit::{self, Action};
use crate::http::{BatchJson, Principal};
use crate::{AppState, Error, Result};
use axum::{extract::State, Json};
use shared::model::one_way::{OneWayReceipt, MAX_ONE_WAY_BATCH};
use shared::model::AnonymousContact;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(record))
}

/// Stores each contact the shared check accepts (one already held counts as stored) and
/// names each it refuses, in one transaction with its audit row.
#[utoipa::path(
    post,
    path = "/api/anonymous-contacts",
    operation_id = "record_anonymous_contacts",
    tag = "front office",
    request_body = Vec<AnonymousContact>,
    responses(
        (status = 200, description = "Which were stored and which refused, with why", body = OneWayReceipt),
        crate::openapi::Refusals,
    ),
    security(("session" = [], "unlock" = [])),
)]
async fn record(
    State(state): State<AppState>,
    principal: Principal,
    BatchJson(contacts): BatchJson<Vec<AnonymousContact>>,
) -> Result<Json<OneWayReceipt>> {
    let team = principal.team_worker()?;
    if contacts.len() > MAX_ONE_WAY_BATCH {
        return Err(Error::BadRequest(format!(
            "Stuur hoogstens {MAX_ONE_WAY_BATCH} contacten tegelijk."
        )));
    }
    let mut receipt = OneWayReceipt::default();
    let mut tx = state.pool.begin().await?;
    let mut new = 0;
    for contact in contacts {
        if let Err(errors) = contact.check() {
            receipt.refused.push((contact.id, errors.sentence()));
            continue;
        }
        let stored = sqlx::query!(
            "INSERT INTO anonymous_contact (id, team_id, account_id, channel, at, subject, life_domains, given)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING",
            contact.id,
            team,
            principal.account_id,
            contact.channel.key(),
            contact.at,
            contact.subject.trim(),
            &contact.life_domains,
            contact.given.key()
        )
        .execute(&mut *tx)
        .await?;
        new += stored.rows_affected();
        receipt.stored.push(contact.id);
    }
    if new > 0 {
        let event = audit::Event::by(&principal, Action::AnonymousContactsRecorded)
            .detail(&new.to_string());
        audit::record(&mut *tx, event).await?;
    }
    tx.commit().await?;
    Ok(Json(receipt))
}

/// Retention's part: anonymous contacts `years` after they were made (they name nobody, but a
/// subject is free text). Returns how many.
pub async fn remove_older_than(tx: &mut sqlx::PgConnection, years: i32) -> Result<u64> {
    let removed = sqlx::query!(
        "DELETE FROM anonymous_contact WHERE at + make_interval(years => $1::int) < now()",
        years
    )
    .execute(&mut *tx)
    .await?;
    Ok(removed.rows_affected())
}
