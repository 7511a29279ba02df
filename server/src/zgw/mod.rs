//! The ZGW export (docs/zgw.md): every melding becomes a zaak in the municipality's
//! zaaksysteem, moved through its statuses as the legal clock moves, with each report the
//! resident agreed to as a PDF document. A push that changes a household's meldingen, or a
//! conversation's agreement or date, queues its meldingen ([`enqueue`], in the push's transaction); the
//! [`delivery`] worker empties the queue, retrying with backoff. The household record shows
//! its zaken, the administrator the queue.

pub mod client;
pub mod delivery;

use crate::audit::{self, Action, Event};
use crate::households::{may_touch, Purpose};
use crate::http::{ApiPath, Principal};
use crate::{AppState, Error, Result};
use axum::{extract::State, http::StatusCode, Json};
use shared::model::{Id, Role};
use shared::zgw::{Queue, QueueItem, ZaakLine};
use sqlx::{PgConnection, PgPool};
use std::sync::Arc;
use tokio::sync::Notify;
use utoipa_axum::{router::OpenApiRouter, routes};

pub use client::{ZgwClient, ZgwSettings};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(of_household))
        .routes(routes!(queue))
        .routes(routes!(retry))
}

/// Queues the meldingen of the households of these meldingen and conversations (each melding
/// gets its zaak's identificatie now, once), so their zaken are brought up to date. Called in
/// the push's transaction.
pub async fn enqueue(tx: &mut PgConnection, records: &[Id]) -> Result<()> {
    if records.is_empty() {
        return Ok(());
    }
    let households: Vec<Id> = sqlx::query_scalar!(
        r#"SELECT household_id AS "id!" FROM notification WHERE id = ANY($1)
           UNION SELECT household_id FROM conversation WHERE id = ANY($1)"#,
        records
    )
    .fetch_all(&mut *tx)
    .await?;
    sqlx::query!(
        "INSERT INTO zgw_zaak (notification_id, identificatie)
         SELECT n.id,
                format('Z-%s-%s', extract(year FROM now())::int,
                       lpad(nextval('zgw_zaak_number')::text, 6, '0'))
           FROM notification n
          WHERE n.household_id = ANY($1) AND NOT n.deleted
            AND NOT EXISTS (SELECT 1 FROM zgw_zaak z WHERE z.notification_id = n.id)
          ORDER BY n.id
         ON CONFLICT (notification_id) DO NOTHING",
        &households
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "INSERT INTO zgw_outbox (notification_id)
         SELECT z.notification_id FROM zgw_zaak z
           JOIN notification n ON n.id = z.notification_id
          WHERE n.household_id = ANY($1) AND NOT n.deleted
         ON CONFLICT (notification_id) DO UPDATE
            SET queued_at = now(), due_at = now(), attempts = 0",
        &households
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Meldingen per run of the worker.
const RUN_LIMIT: usize = 50;

/// The worker: wakes when a push queued something, and every `interval` for the retries.
pub fn spawn_worker(pool: PgPool, client: Arc<ZgwClient>, wake: Arc<Notify>) {
    tokio::spawn(async move {
        loop {
            let full = match delivery::deliver_due(&pool, &client, RUN_LIMIT).await {
                Ok(summary) => {
                    if summary.delivered + summary.failed > 0 {
                        tracing::info!(
                            delivered = summary.delivered,
                            failed = summary.failed,
                            "zgw outbox"
                        );
                    }
                    summary.delivered + summary.failed == RUN_LIMIT
                }
                Err(error) => {
                    tracing::error!(%error, "zgw outbox");
                    false
                }
            };
            // A backlog (a zaaksysteem configured later, or back after a night down) is worked
            // through run after run; otherwise the worker waits for a push or the interval.
            if !full {
                let _ = tokio::time::timeout(client.settings.interval, wake.notified()).await;
            }
        }
    });
}

/// The household's zaken in the zaaksysteem, for whoever may read the household.
#[utoipa::path(
    get,
    path = "/api/households/{id}/zaken",
    operation_id = "zaken_of_household",
    tag = "zgw",
    params(("id" = uuid::Uuid, Path, description = "The household")),
    responses(
        (status = 200, description = "The household's zaken, oldest first", body = [ZaakLine]),
        crate::openapi::Refusals,
    ),
    security(("session" = [], "unlock" = [])),
)]
async fn of_household(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(household): ApiPath<Id>,
) -> Result<Json<Vec<ZaakLine>>> {
    let mut tx = state.pool.begin().await?;
    may_touch(&mut tx, &principal, household, Purpose::Read).await??;
    let rows = sqlx::query!(
        r#"SELECT z.identificatie, z.updated_at, o.notification_id AS "waiting?", o.last_error
             FROM zgw_zaak z
             JOIN notification n ON n.id = z.notification_id AND NOT n.deleted
             LEFT JOIN zgw_outbox o ON o.notification_id = z.notification_id
            WHERE n.household_id = $1
            ORDER BY z.identificatie"#,
        household
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| ZaakLine {
                identificatie: r.identificatie,
                updated_at: r.updated_at,
                waiting: r.waiting.is_some(),
                failure: r.last_error,
            })
            .collect(),
    ))
}

/// The export's queue for the administrator: what waits, how often it failed, and why.
#[utoipa::path(
    get,
    path = "/api/zgw/queue",
    operation_id = "zgw_queue",
    tag = "zgw",
    responses(
        (status = 200, description = "The waiting deliveries, the longest waiting first", body = Queue),
        crate::openapi::Refusals,
    ),
    security(("session" = [], "unlock" = [])),
)]
async fn queue(State(state): State<AppState>, principal: Principal) -> Result<Json<Queue>> {
    principal.require(&[Role::Administrator])?;
    let rows = sqlx::query!(
        "SELECT o.notification_id, n.household_id, z.identificatie, o.attempts, o.due_at,
                o.last_error
           FROM zgw_outbox o
           JOIN zgw_zaak z ON z.notification_id = o.notification_id
           JOIN notification n ON n.id = o.notification_id
           JOIN household h ON h.id = n.household_id
           JOIN team t ON t.id = h.team_id
          WHERE t.municipality_id = $1
          ORDER BY o.queued_at
          LIMIT 500",
        principal.municipality
    )
    .fetch_all(&state.pool)
    .await?;
    Ok(Json(Queue {
        configured: state.zgw.is_some(),
        items: rows
            .into_iter()
            .map(|r| QueueItem {
                notification_id: r.notification_id,
                household_id: r.household_id,
                identificatie: r.identificatie,
                attempts: r.attempts,
                next_attempt_at: r.due_at,
                failure: r.last_error,
            })
            .collect(),
    }))
}

/// Tries a waiting delivery now (after the administrator fixed the cause).
#[utoipa::path(
    post,
    path = "/api/zgw/queue/{id}/retry",
    operation_id = "zgw_retry",
    tag = "zgw",
    params(("id" = uuid::Uuid, Path, description = "The melding whose zaak waits")),
    responses(
        (status = 204, description = "It is tried now"),
        crate::openapi::Refusals,
    ),
    security(("session" = [], "unlock" = [])),
)]
async fn retry(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(id): ApiPath<Id>,
) -> Result<StatusCode> {
    principal.require(&[Role::Administrator])?;
    let mut tx = state.pool.begin().await?;
    let household = sqlx::query_scalar!(
        "UPDATE zgw_outbox o SET due_at = now()
           FROM notification n JOIN household h ON h.id = n.household_id
           JOIN team t ON t.id = h.team_id
          WHERE o.notification_id = $1 AND n.id = o.notification_id
            AND t.municipality_id = $2
          RETURNING n.household_id",
        id,
        principal.municipality
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Error::NotFound)?;
    audit::record(
        &mut *tx,
        Event::by(&principal, Action::ZaakRetried)
            .household(household)
            .record("notification", id),
    )
    .await?;
    tx.commit().await?;
    if let Some(zgw) = &state.zgw {
        zgw.wake.notify_one();
    }
    Ok(StatusCode::NO_CONTENT)
}

/// The export as the running server has it: the client and the worker's wake-up call.
pub struct Export {
    pub client: Arc<ZgwClient>,
    pub wake: Arc<Notify>,
}
