//! Find before you register, and guests from other teams. A worker about to register a resident
//! asks the whole municipality whether they are known (by BSN, or family name and birth date,
//! with the tolerance of `shared::rules::lookup`). In the worker's own scope the match names the
//! household; elsewhere only that the resident is known, the team and the regisseur. The worker
//! may then ask that team's coordinator for access, who grants (the worker becomes a guest of
//! the household: reads and writes it, its devices receive it) or refuses. Each step is audited.

use super::access::{may_touch, Purpose};
use crate::audit::{self, Action};
use crate::http::{ApiJson, ApiPath, Principal};
use crate::{AppState, Error, Result};
use axum::{extract::State, http::StatusCode, Json};
use shared::model::{Id, Resident, Role};
use shared::rules::lookup::{AccessRequest, Guest, LookupMatch, LookupQuery, NewAccessRequest};

/// The most residents one lookup names: it is a check before registering, not a search.
const MOST_MATCHES: usize = 10;

#[utoipa::path(
    post,
    path = "/api/residents/lookup",
    tag = "access",
    request_body = LookupQuery,
    responses(
        (status = 200, description = "Residents known elsewhere in the municipality (find before you register)", body = [LookupMatch]),
        crate::openapi::Refusals,
    ),
    security(("session" = [], "unlock" = [])),
)]
pub(super) async fn lookup(
    State(state): State<AppState>,
    principal: Principal,
    ApiJson(query): ApiJson<LookupQuery>,
) -> Result<Json<Vec<LookupMatch>>> {
    if !principal.role.works_with_residents() || principal.team.is_none() {
        return Err(Error::refused(
            StatusCode::FORBIDDEN,
            "Je rol registreert geen inwoners.",
        ));
    }
    query
        .check()
        .map_err(|message| Error::refused(StatusCode::UNPROCESSABLE_ENTITY, message))?;
    // As the records store them.
    let dates: Vec<serde_json::Value> = query
        .birth_date_variants()
        .iter()
        .filter_map(|d| serde_json::to_value(d).ok())
        .collect();
    let mut tx = state.pool.begin().await?;
    // Coarse in SQL (the BSN or the birth date, each with its variants), exact in Rust.
    let rows = sqlx::query!(
        r#"SELECT r.fields, r.household_id, t.name AS team_name,
                  h.fields->'case_manager'->>'name' AS case_manager,
                  h.fields->>'name' AS household_name,
                  EXISTS (SELECT 1 FROM access_request a
                          WHERE a.household_id = h.id AND a.account_id = $4
                            AND a.decided_at IS NULL) AS "requested!"
           FROM resident r
           JOIN household h ON h.id = r.household_id
           JOIN team t ON t.id = h.team_id
           WHERE t.municipality_id = $1 AND NOT r.deleted AND NOT h.deleted
             AND (r.bsn = ANY($2) OR r.fields->'birth_date' = ANY($3::jsonb[]))
           LIMIT 200"#,
        principal.municipality,
        &query.bsn_variants(),
        &dates,
        principal.account_id
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut found = Vec::new();
    for row in rows {
        let Ok(resident) = serde_json::from_value::<Resident>(row.fields) else {
            continue;
        };
        if !query.matches(&resident)
            || found
                .iter()
                .any(|m: &LookupMatch| m.household_id == row.household_id)
        {
            continue;
        }
        let in_scope = may_touch(&mut tx, &principal, row.household_id, Purpose::Read)
            .await?
            .is_ok();
        found.push(LookupMatch {
            household_id: row.household_id,
            in_scope,
            resident_name: in_scope.then(|| resident.full_name()),
            household_name: if in_scope { row.household_name } else { None },
            team_name: row.team_name,
            case_manager: row.case_manager,
            requested: row.requested,
        });
        if found.len() == MOST_MATCHES {
            break;
        }
    }
    // Who looked, and how many they found; never what they typed.
    let event = audit::Event::by(&principal, Action::ResidentLookup)
        .detail(&format!("{} gevonden", found.len()));
    audit::record(&mut *tx, event).await?;
    tx.commit().await?;
    Ok(Json(found))
}

#[utoipa::path(
    post,
    path = "/api/households/{id}/access-requests",
    tag = "access",
    params(("id" = uuid::Uuid, Path, description = "The household")),
    request_body = NewAccessRequest,
    responses(
        (status = 204, description = "Asked"),
        crate::openapi::Refusals,
    ),
    security(("session" = [], "unlock" = [])),
)]
pub(super) async fn request_access(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(household): ApiPath<Id>,
    ApiJson(body): ApiJson<NewAccessRequest>,
) -> Result<StatusCode> {
    body.check()
        .map_err(|message| Error::refused(StatusCode::UNPROCESSABLE_ENTITY, message))?;
    principal.team_worker()?;
    let mut tx = state.pool.begin().await?;
    if may_touch(&mut tx, &principal, household, Purpose::Read)
        .await?
        .is_ok()
    {
        return Err(Error::refused(
            StatusCode::CONFLICT,
            "Je hebt al toegang tot dit huishouden.",
        ));
    }
    // Only a household of this municipality can be asked for: another one does not exist here.
    let known = sqlx::query_scalar!(
        "SELECT h.id FROM household h JOIN team t ON t.id = h.team_id
         WHERE h.id = $1 AND t.municipality_id = $2 AND NOT h.deleted",
        household,
        principal.municipality
    )
    .fetch_optional(&mut *tx)
    .await?;
    if known.is_none() {
        return Err(Error::NotFound);
    }
    let inserted = sqlx::query!(
        "INSERT INTO access_request (id, household_id, account_id, reason)
         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        Id::now_v7(),
        household,
        principal.account_id,
        body.reason.trim()
    )
    .execute(&mut *tx)
    .await?;
    if inserted.rows_affected() == 0 {
        return Err(Error::refused(
            StatusCode::CONFLICT,
            "Je hebt al toegang gevraagd; de coördinator van dat team beslist.",
        ));
    }
    let event = audit::Event::by(&principal, Action::AccessRequested).household(household);
    audit::record(&mut *tx, event).await?;
    tx.commit().await?;
    Ok(StatusCode::CREATED)
}

/// The requests waiting for this coordinator: those for the team's households.
#[utoipa::path(
    get,
    path = "/api/access-requests",
    operation_id = "waiting_access_requests",
    tag = "access",
    responses(
        (status = 200, description = "Requests waiting for the coordinator", body = [AccessRequest]),
        crate::openapi::Refusals,
    ),
    security(("session" = [], "unlock" = [])),
)]
pub(super) async fn waiting(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<Vec<AccessRequest>>> {
    if principal.role != Role::Coordinator {
        return Err(Error::refused(
            StatusCode::FORBIDDEN,
            "Alleen de coördinator beslist over toegang.",
        ));
    }
    let rows = sqlx::query!(
        r#"SELECT a.id, a.household_id, h.fields->>'name' AS "household_name!",
                  ac.name AS requester, COALESCE(t.name, '') AS "requester_team!", a.reason,
                  (a.requested_at AT TIME ZONE 'Europe/Amsterdam')::date AS "requested_on!"
           FROM access_request a
           JOIN household h ON h.id = a.household_id
           JOIN account ac ON ac.id = a.account_id
           LEFT JOIN team t ON t.id = ac.team_id
           WHERE h.team_id = $1 AND a.decided_at IS NULL
           ORDER BY a.requested_at"#,
        principal.team.as_deref().unwrap_or_default()
    )
    .fetch_all(&state.pool)
    .await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| AccessRequest {
                id: r.id,
                household_id: r.household_id,
                household_name: r.household_name,
                requester: r.requester,
                requester_team: r.requester_team,
                reason: r.reason,
                requested_on: r.requested_on,
            })
            .collect(),
    ))
}

#[utoipa::path(
    post,
    path = "/api/access-requests/{id}/grant",
    tag = "access",
    params(("id" = uuid::Uuid, Path, description = "The access request")),
    responses(
        (status = 204, description = "Granted"),
        crate::openapi::Refusals,
    ),
    security(("session" = [], "unlock" = [])),
)]
pub(super) async fn grant(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(id): ApiPath<Id>,
) -> Result<StatusCode> {
    decide(&state, &principal, id, true).await
}

#[utoipa::path(
    post,
    path = "/api/access-requests/{id}/refuse",
    tag = "access",
    params(("id" = uuid::Uuid, Path, description = "The access request")),
    responses(
        (status = 204, description = "Refused"),
        crate::openapi::Refusals,
    ),
    security(("session" = [], "unlock" = [])),
)]
pub(super) async fn refuse(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(id): ApiPath<Id>,
) -> Result<StatusCode> {
    decide(&state, &principal, id, false).await
}

/// The coordinator of the household's team answers, once.
async fn decide(
    state: &AppState,
    principal: &Principal,
    id: Id,
    granted: bool,
) -> Result<StatusCode> {
    let mut tx = state.pool.begin().await?;
    let request = sqlx::query!(
        "SELECT a.household_id, a.account_id, a.decided_at, ac.team_id AS requester_team
         FROM access_request a JOIN account ac ON ac.id = a.account_id
         WHERE a.id = $1 FOR UPDATE OF a",
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Error::NotFound)?;
    may_touch(&mut tx, principal, request.household_id, Purpose::Manage).await??;
    if request.decided_at.is_some() {
        return Err(Error::refused(
            StatusCode::CONFLICT,
            "Over dit verzoek is al beslist.",
        ));
    }
    sqlx::query!(
        "UPDATE access_request SET decided_at = now(), decided_by = $2, granted = $3 WHERE id = $1",
        id,
        principal.account_id,
        granted
    )
    .execute(&mut *tx)
    .await?;
    let action = match (granted, request.requester_team) {
        (true, Some(team)) => {
            crate::sync::add_guest(&mut tx, request.household_id, request.account_id, &team)
                .await?;
            Action::AccessGranted
        }
        (true, None) => {
            return Err(Error::refused(
                StatusCode::CONFLICT,
                "Deze medewerker hoort bij geen team meer; toegang geven kan niet.",
            ))
        }
        (false, _) => Action::AccessRefused,
    };
    let event = audit::Event::by(principal, action)
        .household(request.household_id)
        .detail(&request.account_id.to_string());
    audit::record(&mut *tx, event).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The household's guests, for its coordinator.
#[utoipa::path(
    get,
    path = "/api/households/{id}/guests",
    operation_id = "guests_of_household",
    tag = "access",
    params(("id" = uuid::Uuid, Path, description = "The household")),
    responses(
        (status = 200, description = "The household's guests", body = [Guest]),
        crate::openapi::Refusals,
    ),
    security(("session" = [], "unlock" = [])),
)]
pub(super) async fn of_household(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(household): ApiPath<Id>,
) -> Result<Json<Vec<Guest>>> {
    let mut tx = state.pool.begin().await?;
    may_touch(&mut tx, &principal, household, Purpose::Manage).await??;
    let guests = sqlx::query!(
        r#"SELECT g.account_id, a.name, t.name AS team,
                  (g.granted_at AT TIME ZONE 'Europe/Amsterdam')::date AS "granted_on!"
           FROM household_guest g
           JOIN account a ON a.id = g.account_id
           JOIN team t ON t.id = g.team_id
           WHERE g.household_id = $1
           ORDER BY g.granted_at"#,
        household
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Json(
        guests
            .into_iter()
            .map(|g| Guest {
                account_id: g.account_id,
                name: g.name,
                team: g.team,
                granted_on: g.granted_on,
            })
            .collect(),
    ))
}

/// The coordinator takes a guest's access back: the guest's devices remove the household at
/// their next sync, and their later changes to it are refused.
#[utoipa::path(
    delete,
    path = "/api/households/{household}/guests/{account}",
    tag = "access",
    params(
        ("household" = uuid::Uuid, Path, description = "The household"),
        ("account" = uuid::Uuid, Path, description = "The account"),
    ),
    responses(
        (status = 204, description = "Access ended"),
        crate::openapi::Refusals,
    ),
    security(("session" = [], "unlock" = [])),
)]
pub(super) async fn revoke(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath((household, account)): ApiPath<(Id, Id)>,
) -> Result<StatusCode> {
    let mut tx = state.pool.begin().await?;
    may_touch(&mut tx, &principal, household, Purpose::Manage).await??;
    if !crate::sync::remove_guest(&mut tx, household, account).await? {
        return Err(Error::NotFound);
    }
    let event = audit::Event::by(&principal, Action::AccessRevoked)
        .household(household)
        .detail(&account.to_string());
    audit::record(&mut *tx, event).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
