//! The household's one regisseur: a consultant or coordinator of the team, chosen by the team's
//! coordinator. A consultant is also added to the household, so their devices receive it; the
//! household record carries the regisseur (`case_manager`) to every device that holds it.

use super::access::{colleague, may_touch, Purpose};
use crate::audit::{self, Action};
use crate::http::{ApiJson, ApiPath, Principal};
use crate::{AppState, Error, Result};
use axum::{extract::State, http::StatusCode};
use shared::model::caseload::AssignCoordinator;
use shared::model::{CaseManager, Id, Role};
use shared::sync::RecordType;

pub(super) async fn assign(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(household): ApiPath<Id>,
    ApiJson(body): ApiJson<AssignCoordinator>,
) -> Result<StatusCode> {
    let mut tx = state.pool.begin().await?;
    let found = may_touch(&mut tx, &principal, household, Purpose::Manage).await??;
    match colleague(&mut tx, &found.team, body.account_id).await? {
        Some(Role::Consultant) => {
            crate::sync::add_worker(&mut tx, household, body.account_id).await?;
        }
        Some(Role::Coordinator) => {}
        _ => {
            return Err(Error::refused(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Regisseur kan alleen een consulent of coördinator van dit team zijn.",
            ))
        }
    }
    sqlx::query!(
        "INSERT INTO household_coordinator (household_id, account_id, assigned_by)
         VALUES ($1, $2, $3)
         ON CONFLICT (household_id) DO UPDATE
         SET account_id = EXCLUDED.account_id, assigned_by = EXCLUDED.assigned_by, assigned_at = now()",
        household,
        body.account_id,
        principal.account_id
    )
    .execute(&mut *tx)
    .await?;
    // Every device that holds the household learns who steers it (docs/sync.md).
    let person = sqlx::query!(
        "SELECT name, email FROM account WHERE id = $1",
        body.account_id
    )
    .fetch_one(&mut *tx)
    .await?;
    let case_manager = CaseManager {
        account_id: body.account_id,
        name: person.name,
        email: person.email,
    };
    crate::sync::write_field(
        &mut tx,
        &found.team,
        (RecordType::Household, household),
        "case_manager",
        serde_json::to_value(&case_manager).unwrap_or_default(),
    )
    .await?;
    let event = audit::Event::by(&principal, Action::CoordinatorAssigned)
        .household(household)
        .detail(&body.account_id.to_string());
    audit::record(&mut *tx, event).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
