//! The team's coordinator closes a household (naming the basis of the support, which sets its
//! retention period) and may reopen it: closed, it takes no new records. Both reach the devices
//! through the household record's `closed`.

use super::access::{may_touch, Purpose};
use crate::audit::{self, Action};
use crate::http::{ApiJson, ApiPath, Principal};
use crate::{AppState, Error, Result};
use axum::{extract::State, http::StatusCode};
use serde::Deserialize;
use shared::model::Id;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub(super) struct Close {
    basis: String,
}

#[utoipa::path(
    post,
    path = "/api/households/{id}/close",
    operation_id = "close_household",
    tag = "households",
    params(("id" = uuid::Uuid, Path, description = "The household")),
    request_body = Close,
    responses(
        (status = 204, description = "Closed"),
        crate::openapi::Refusals,
    ),
    security(("session" = [], "unlock" = [])),
)]
pub(super) async fn close(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(household): ApiPath<Id>,
    ApiJson(body): ApiJson<Close>,
) -> Result<StatusCode> {
    if !matches!(
        body.basis.as_str(),
        "wmo_support" | "no_support" | "youth_act"
    ) {
        return Err(Error::BadRequest(
            "Kies de grondslag: wmo_support, no_support of youth_act.".into(),
        ));
    }
    let mut tx = state.pool.begin().await?;
    let found = may_touch(&mut tx, &principal, household, Purpose::Manage).await??;
    sqlx::query!(
        "INSERT INTO household_closure (household_id, basis, closed_by) VALUES ($1, $2, $3)
         ON CONFLICT (household_id) DO UPDATE SET basis = $2, closed_at = now(), closed_by = $3",
        household,
        body.basis,
        principal.account_id
    )
    .execute(&mut *tx)
    .await?;
    // Every device holding it learns at its next pull, before a change of its is refused.
    let closed = shared::model::Closure {
        on: time::OffsetDateTime::now_utc().date(),
    };
    write_closed(
        &mut tx,
        &found.team,
        household,
        serde_json::to_value(&closed).unwrap_or_default(),
    )
    .await?;
    audit::record(
        &mut *tx,
        audit::Event::by(&principal, Action::Change)
            .household(household)
            .detail(&format!("closed ({})", body.basis)),
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The household record's `closed`, written by the server for every device that holds it.
async fn write_closed(
    tx: &mut sqlx::PgConnection,
    team: &str,
    household: Id,
    closed: serde_json::Value,
) -> Result<()> {
    let record = (shared::sync::RecordType::Household, household);
    crate::sync::write_field(tx, team, record, "closed", closed).await
}

/// It takes records again, and its retention clock stops until it is closed anew.
#[utoipa::path(
    post,
    path = "/api/households/{id}/reopen",
    tag = "households",
    params(("id" = uuid::Uuid, Path, description = "The household")),
    responses(
        (status = 204, description = "Open again"),
        crate::openapi::Refusals,
    ),
    security(("session" = [], "unlock" = [])),
)]
pub(super) async fn reopen(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(household): ApiPath<Id>,
) -> Result<StatusCode> {
    let mut tx = state.pool.begin().await?;
    let found = may_touch(&mut tx, &principal, household, Purpose::Manage).await??;
    let reopened = sqlx::query!(
        "DELETE FROM household_closure WHERE household_id = $1",
        household
    )
    .execute(&mut *tx)
    .await?;
    if reopened.rows_affected() > 0 {
        write_closed(&mut tx, &found.team, household, serde_json::Value::Null).await?;
        audit::record(
            &mut *tx,
            audit::Event::by(&principal, Action::Reopened).household(household),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
