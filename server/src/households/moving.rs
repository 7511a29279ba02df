//! Moving a household to another team of the municipality (loket → gebiedsteam), by its team's
//! coordinator with a reason: the old team's devices remove it (after pushing), the new team's
//! receive it (`sync::transfer_household_in`), in one transaction with the audit row.

use super::access::{may_touch, Purpose};
use crate::audit::{self, Action};
use crate::http::{ApiJson, ApiPath, Principal};
use crate::{AppState, Error, Result};
use axum::{extract::State, http::StatusCode, Json};
use serde::{Deserialize, Serialize};
use shared::model::{Id, Role};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub(super) struct Transfer {
    team: String,
    reason: String,
}

/// A team of the municipality a household can move to.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(super) struct Team {
    id: String,
    name: String,
}

/// The municipality's other teams (for the coordinator's choice).
#[utoipa::path(
    get,
    path = "/api/teams",
    tag = "households",
    responses(
        (status = 200, description = "The municipality's teams", body = [Team]),
        crate::openapi::Refusals,
    ),
    security(("session" = [], "unlock" = [])),
)]
pub(super) async fn teams(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<Vec<Team>>> {
    principal.require(&[Role::Coordinator])?;
    let rows = sqlx::query_as!(
        Team,
        "SELECT id, name FROM team WHERE municipality_id = $1 AND id <> $2 ORDER BY name",
        principal.municipality,
        principal.team.as_deref().unwrap_or_default()
    )
    .fetch_all(&state.pool)
    .await?;
    Ok(Json(rows))
}

#[utoipa::path(
    post,
    path = "/api/households/{id}/transfer",
    tag = "households",
    params(("id" = uuid::Uuid, Path, description = "The household")),
    request_body = Transfer,
    responses(
        (status = 204, description = "Moved to the other team"),
        crate::openapi::Refusals,
    ),
    security(("session" = [], "unlock" = [])),
)]
pub(super) async fn transfer(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(household): ApiPath<Id>,
    ApiJson(body): ApiJson<Transfer>,
) -> Result<StatusCode> {
    let reason = body.reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(Error::refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Schrijf kort waarom het huishouden naar het andere team gaat (hoogstens 500 tekens).",
        ));
    }
    let mut tx = state.pool.begin().await?;
    let found = may_touch(&mut tx, &principal, household, Purpose::Manage).await??;
    let target = sqlx::query_scalar!(
        "SELECT id FROM team WHERE id = $1 AND municipality_id = $2",
        body.team,
        principal.municipality
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(target) = target.filter(|t| *t != found.team) else {
        return Err(Error::refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Kies een ander team van de gemeente.",
        ));
    };
    crate::sync::transfer_household_in(&mut tx, household, &target).await?;
    let event = audit::Event::by(&principal, Action::Transferred)
        .household(household)
        .detail(&format!("naar {target}: {reason}"));
    audit::record(&mut *tx, event).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
