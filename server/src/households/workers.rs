//! The coordinator adds a consultant of the team to a household (their devices receive it) or
//! takes them off (their devices remove it), in one transaction with the audit row.

use super::access::{colleague, may_touch, Purpose};
use crate::audit::{self, Action};
use crate::http::{ApiPath, Principal};
use crate::{AppState, Error, Result};
use axum::{extract::State, http::StatusCode};
use shared::model::{Id, Role};

#[utoipa::path(
    put,
    path = "/api/households/{household}/workers/{account}",
    tag = "households",
    params(
        ("household" = uuid::Uuid, Path, description = "The household"),
        ("account" = uuid::Uuid, Path, description = "The account"),
    ),
    responses(
        (status = 204, description = "The consultant works with the household"),
        crate::openapi::Refusals,
    ),
    security(("session" = [], "unlock" = [])),
)]
pub(super) async fn add(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath((household, account)): ApiPath<(Id, Id)>,
) -> Result<StatusCode> {
    change(&state, &principal, household, account, true).await
}

#[utoipa::path(
    delete,
    path = "/api/households/{household}/workers/{account}",
    tag = "households",
    params(
        ("household" = uuid::Uuid, Path, description = "The household"),
        ("account" = uuid::Uuid, Path, description = "The account"),
    ),
    responses(
        (status = 204, description = "No longer"),
        crate::openapi::Refusals,
    ),
    security(("session" = [], "unlock" = [])),
)]
pub(super) async fn remove(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath((household, account)): ApiPath<(Id, Id)>,
) -> Result<StatusCode> {
    change(&state, &principal, household, account, false).await
}

async fn change(
    state: &AppState,
    principal: &Principal,
    household: Id,
    account: Id,
    add: bool,
) -> Result<StatusCode> {
    let mut tx = state.pool.begin().await?;
    let found = may_touch(&mut tx, principal, household, Purpose::Manage).await??;
    match colleague(&mut tx, &found.team, account).await? {
        Some(Role::Consultant) => {}
        // Another team's account does not exist for this coordinator.
        None => return Err(Error::NotFound),
        Some(_) => {
            return Err(Error::BadRequest(
                "Alleen consulenten worden aan een huishouden toegevoegd.".into(),
            ))
        }
    }
    let action = if add {
        crate::sync::add_worker(&mut tx, household, account).await?;
        Action::Assigned
    } else {
        crate::sync::remove_worker(&mut tx, household, account).await?;
        Action::Unassigned
    };
    let event = audit::Event::by(principal, action)
        .household(household)
        .detail(&account.to_string());
    audit::record(&mut *tx, event).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
