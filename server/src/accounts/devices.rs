//! "Apparaat kwijt": the devices that synced for a team, and marking one lost. A lost device
//! pulls nothing more; at its next contact it pushes what it still holds and wipes itself.

use crate::audit::{self, Action};
use crate::http::{ApiPath, Principal};
use crate::{AppState, Error, Result};
use axum::{extract::State, http::StatusCode, Json};
use shared::model::{DeviceSummary, Id, Role};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(mark_lost))
}

/// The coordinator sees the team's devices, the administrator the municipality's.
#[utoipa::path(
    get,
    path = "/api/devices",
    operation_id = "list_devices",
    tag = "accounts",
    responses(
        (status = 200, description = "The devices that synced", body = [DeviceSummary]),
        crate::openapi::Refusals,
    ),
    security(("session" = [], "unlock" = [])),
)]
async fn list(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<Vec<DeviceSummary>>> {
    principal.require(&[Role::Coordinator, Role::Administrator])?;
    let rows = sqlx::query!(
        r#"SELECT d.id, d.worker, d.team_id, to_char(d.last_seen_at AT TIME ZONE 'Europe/Amsterdam',
                  'DD-MM-YYYY HH24:MI') AS "last_seen!", d.lost_at IS NOT NULL AS "lost!"
           FROM device d JOIN team t ON t.id = d.team_id
           WHERE t.municipality_id = $1 AND ($2::text IS NULL OR d.team_id = $2)
           ORDER BY d.last_seen_at DESC LIMIT 1000"#,
        principal.municipality,
        principal.team
    )
    .fetch_all(&state.pool)
    .await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| DeviceSummary {
                id: r.id,
                worker: r.worker,
                team: r.team_id,
                last_seen_at: r.last_seen,
                lost: r.lost,
            })
            .collect(),
    ))
}

#[utoipa::path(
    post,
    path = "/api/devices/{id}/lost",
    tag = "accounts",
    params(("id" = uuid::Uuid, Path, description = "The device")),
    responses(
        (status = 204, description = "Marked lost"),
        crate::openapi::Refusals,
    ),
    security(("session" = [], "unlock" = [])),
)]
async fn mark_lost(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(id): ApiPath<Id>,
) -> Result<StatusCode> {
    principal.require(&[Role::Coordinator, Role::Administrator])?;
    let mut tx = state.pool.begin().await?;
    let marked = sqlx::query!(
        r#"UPDATE device d SET lost_at = coalesce(d.lost_at, now()), lost_by = $2
           FROM team t
           WHERE d.id = $1 AND t.id = d.team_id AND t.municipality_id = $3
             AND ($4::text IS NULL OR d.team_id = $4)
           RETURNING d.account_id"#,
        id,
        principal.account_id,
        principal.municipality,
        principal.team
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Error::NotFound)?;
    let detail = format!(
        "device {id} of account {}",
        marked
            .account_id
            .map_or_else(|| "-".to_owned(), |a| a.to_string())
    );
    let event = audit::Event::by(&principal, Action::DeviceLost)
        .device(id)
        .detail(&detail);
    audit::record(&mut *tx, event).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
