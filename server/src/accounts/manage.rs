//! The administrator's account lifecycle: disable (a leaver) and enable, change role or team,
//! reset a password to a one-time password, reset the second factor. Every change is one transaction with its audit
//! row, which says who, what before and what after. An administrator never changes their own
//! account here (functiescheiding): another administrator does.

use super::{check_role_and_team, password};
use crate::audit::{self, Action};
use crate::http::{ApiJson, ApiPath, Principal};
use crate::{AppState, Error, Result};
use axum::{extract::State, http::StatusCode, Json};
use serde::Deserialize;
use shared::model::{Id, Role};
use sqlx::PgConnection;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(disable))
        .routes(routes!(enable))
        .routes(routes!(change_role))
        .routes(routes!(reset_password))
        .routes(routes!(reset_second_factor))
}

/// The account as it is before a change, locked for the transaction.
struct Before {
    role: String,
    team: Option<String>,
    active: bool,
}

/// Loads the account of the administrator's municipality (404 otherwise) and refuses the
/// administrator's own.
async fn target(tx: &mut PgConnection, principal: &Principal, id: Id) -> Result<Before> {
    principal.require(&[Role::Administrator])?;
    if id == principal.account_id {
        return Err(Error::refused(
            StatusCode::FORBIDDEN,
            "Je eigen account wijzig je niet zelf: een andere beheerder doet dat.",
        )
        .with_code(shared::sync::codes::FORBIDDEN));
    }
    sqlx::query_as!(
        Before,
        "SELECT role, team_id AS team, active FROM account
         WHERE id = $1 AND municipality_id = $2 FOR UPDATE",
        id,
        principal.municipality
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Error::NotFound)
}

async fn set_active(
    state: &AppState,
    principal: &Principal,
    id: Id,
    active: bool,
) -> Result<StatusCode> {
    let mut tx = state.pool.begin().await?;
    let before = target(&mut tx, principal, id).await?;
    sqlx::query!("UPDATE account SET active = $2 WHERE id = $1", id, active)
        .execute(&mut *tx)
        .await?;
    let action = if active {
        Action::AccountEnabled
    } else {
        Action::AccountDisabled
    };
    let detail = format!("account {id}: active: {} -> {active}", before.active);
    audit::record(
        &mut *tx,
        audit::Event::by(principal, action).detail(&detail),
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A leaver: every session and device of the account is refused from the next request on
/// (its devices may still push what they hold, then wipe).
#[utoipa::path(
    post,
    path = "/api/accounts/{id}/disable",
    tag = "accounts",
    params(("id" = uuid::Uuid, Path, description = "The account")),
    responses(
        (status = 204, description = "Disabled; its sessions end"),
        crate::openapi::Refusals,
    ),
    security(("session" = [], "unlock" = [])),
)]
async fn disable(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(id): ApiPath<Id>,
) -> Result<StatusCode> {
    set_active(&state, &principal, id, false).await
}

#[utoipa::path(
    post,
    path = "/api/accounts/{id}/enable",
    tag = "accounts",
    params(("id" = uuid::Uuid, Path, description = "The account")),
    responses(
        (status = 204, description = "Enabled"),
        crate::openapi::Refusals,
    ),
    security(("session" = [], "unlock" = [])),
)]
async fn enable(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(id): ApiPath<Id>,
) -> Result<StatusCode> {
    set_active(&state, &principal, id, true).await
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
struct RoleChange {
    role: Role,
    team: Option<String>,
}

/// A new role or team. The account's sessions end, so its devices sign in again and sync the
/// scope that goes with the new role.
#[utoipa::path(
    put,
    path = "/api/accounts/{id}/role",
    tag = "accounts",
    params(("id" = uuid::Uuid, Path, description = "The account")),
    request_body = RoleChange,
    responses(
        (status = 204, description = "Changed; its sessions end"),
        crate::openapi::Refusals,
    ),
    security(("session" = [], "unlock" = [])),
)]
async fn change_role(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(id): ApiPath<Id>,
    ApiJson(body): ApiJson<RoleChange>,
) -> Result<StatusCode> {
    let mut tx = state.pool.begin().await?;
    let before = target(&mut tx, &principal, id).await?;
    check_role_and_team(
        &state.pool,
        body.role,
        body.team.as_deref(),
        &principal.municipality,
    )
    .await?;
    sqlx::query!(
        "UPDATE account SET role = $2, team_id = $3 WHERE id = $1",
        id,
        body.role.key(),
        body.team
    )
    .execute(&mut *tx)
    .await?;
    super::session::end_all(&mut *tx, id).await?;
    let detail = format!(
        "account {id}: role: {} -> {}; team: {} -> {}",
        before.role,
        body.role.key(),
        before.team.as_deref().unwrap_or("-"),
        body.team.as_deref().unwrap_or("-")
    );
    audit::record(
        &mut *tx,
        audit::Event::by(&principal, Action::AccountChanged).detail(&detail),
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A one-time password, shown once to the administrator, changed at the next sign-in. The
/// account's sessions end.
#[utoipa::path(
    post,
    path = "/api/accounts/{id}/password-reset",
    tag = "accounts",
    params(("id" = uuid::Uuid, Path, description = "The account")),
    responses(
        (status = 200, description = "The one-time password, shown once", body = super::OneTimePassword),
        crate::openapi::Refusals,
    ),
    security(("session" = [], "unlock" = [])),
)]
async fn reset_password(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(id): ApiPath<Id>,
) -> Result<Json<super::OneTimePassword>> {
    let one_time = password::one_time();
    let hash = password::hash_blocking(one_time.clone()).await?;
    let mut tx = state.pool.begin().await?;
    target(&mut tx, &principal, id).await?;
    sqlx::query!(
        "UPDATE account SET password_hash = $2, must_change_password = true,
             failed_sign_ins = 0, locked_until = NULL
         WHERE id = $1",
        id,
        hash
    )
    .execute(&mut *tx)
    .await?;
    super::session::end_all(&mut *tx, id).await?;
    let detail = format!("account {id}: one-time password");
    audit::record(
        &mut *tx,
        audit::Event::by(&principal, Action::PasswordReset).detail(&detail),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(super::OneTimePassword {
        id: None,
        one_time_password: one_time,
    }))
}

/// A lost phone: the worker sets up the second factor again at the next sign-in (with the
/// password). The account's sessions end and its recovery codes are void.
#[utoipa::path(
    post,
    path = "/api/accounts/{id}/second-factor-reset",
    tag = "accounts",
    params(("id" = uuid::Uuid, Path, description = "The account")),
    responses(
        (status = 204, description = "Reset; its sessions end"),
        crate::openapi::Refusals,
    ),
    security(("session" = [], "unlock" = [])),
)]
async fn reset_second_factor(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(id): ApiPath<Id>,
) -> Result<StatusCode> {
    let mut tx = state.pool.begin().await?;
    target(&mut tx, &principal, id).await?;
    sqlx::query!(
        "UPDATE account SET totp_secret = NULL, totp_pending = NULL WHERE id = $1",
        id
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!("DELETE FROM recovery_code WHERE account_id = $1", id)
        .execute(&mut *tx)
        .await?;
    super::session::end_all(&mut *tx, id).await?;
    let detail = format!("account {id}: second factor: set -> to be set up again");
    audit::record(
        &mut *tx,
        audit::Event::by(&principal, Action::SecondFactorReset).detail(&detail),
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
