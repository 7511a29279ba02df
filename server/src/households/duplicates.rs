//! Possible duplicates: a resident registered while the municipality already knew them (typed
//! offline, where the server could not be asked first) is flagged when the registration
//! arrives, with the tolerance of `shared::rules::lookup`. The team's coordinator merges the
//! later household into the earlier one (`sync::merge_households_in`: every record and word of
//! both kept) or says it is no duplicate. Each decision is audited.

use super::access::{may_touch, Purpose};
use crate::audit::{self, Action};
use crate::http::{ApiPath, Principal};
use crate::{AppState, Error, Result};
use axum::{extract::State, http::StatusCode, Json};
use shared::model::{Id, Resident, Role};
use shared::rules::duplicates::PossibleDuplicate;
use shared::rules::lookup::LookupQuery;
use sqlx::PgConnection;

/// Flags each of `residents` (just registered or changed by a push) that matches a resident of
/// another household of the municipality. In the push's transaction.
pub async fn flag(tx: &mut PgConnection, municipality: &str, residents: &[Id]) -> Result<()> {
    if residents.is_empty() {
        return Ok(());
    }
    let rows = sqlx::query!(
        "SELECT id, household_id, fields FROM resident WHERE id = ANY($1) AND NOT deleted",
        residents
    )
    .fetch_all(&mut *tx)
    .await?;
    for row in rows {
        let Ok(resident) = serde_json::from_value::<Resident>(row.fields) else {
            continue;
        };
        let query = LookupQuery {
            bsn: resident
                .bsn
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            family_name: resident.family_name.clone(),
            birth_date: resident.birth_date,
        };
        if query.check().is_err() {
            continue;
        }
        let dates: Vec<serde_json::Value> = query
            .birth_date_variants()
            .iter()
            .filter_map(|d| serde_json::to_value(d).ok())
            .collect();
        // Coarse in SQL, exact in Rust, as the lookup before registering.
        let candidates = sqlx::query!(
            "SELECT r.id, r.household_id, r.fields
             FROM resident r JOIN household h ON h.id = r.household_id
             JOIN team t ON t.id = h.team_id
             WHERE t.municipality_id = $1 AND NOT r.deleted AND NOT h.deleted
               AND r.household_id <> $2
               AND (r.bsn = ANY($3) OR r.fields->'birth_date' = ANY($4::jsonb[]))
             ORDER BY r.id LIMIT 50",
            municipality,
            row.household_id,
            &query.bsn_variants(),
            &dates
        )
        .fetch_all(&mut *tx)
        .await?;
        for other in candidates {
            let matches = serde_json::from_value::<Resident>(other.fields)
                .is_ok_and(|known| query.matches(&known));
            if matches {
                sqlx::query!(
                    "INSERT INTO possible_duplicate
                       (id, household_id, resident_id, other_household_id, other_resident_id)
                     VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                    Id::now_v7(),
                    row.household_id,
                    row.id,
                    other.household_id,
                    other.id
                )
                .execute(&mut *tx)
                .await?;
            }
        }
    }
    Ok(())
}

fn coordinator_only(principal: &Principal) -> Result<&str> {
    match principal.team.as_deref() {
        Some(team) if principal.role == Role::Coordinator => Ok(team),
        _ => Err(Error::refused(
            StatusCode::FORBIDDEN,
            "Alleen de coördinator voegt huishoudens samen.",
        )),
    }
}

/// The open flags of the coordinator's team: those whose later household is the team's.
#[utoipa::path(
    get,
    path = "/api/duplicates",
    operation_id = "waiting_duplicates",
    tag = "households",
    responses(
        (status = 200, description = "Possible duplicates to settle", body = [PossibleDuplicate]),
        crate::openapi::Refusals,
    ),
    security(("session" = [], "unlock" = [])),
)]
pub(super) async fn waiting(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<Vec<PossibleDuplicate>>> {
    let team = coordinator_only(&principal)?;
    let rows = sqlx::query!(
        r#"SELECT d.id, d.household_id, h.fields->>'name' AS "household_name!",
                  r.fields->>'given_name' AS "given!", r.fields->>'family_name' AS "family!",
                  d.other_household_id, o.fields->>'name' AS "other_name!",
                  o.team_id = h.team_id AS "same_team!", t.name AS other_team,
                  (d.found_at AT TIME ZONE 'Europe/Amsterdam')::date AS "found_on!"
           FROM possible_duplicate d
           JOIN household h ON h.id = d.household_id
           JOIN household o ON o.id = d.other_household_id
           JOIN team t ON t.id = o.team_id
           JOIN resident r ON r.id = d.resident_id
           WHERE h.team_id = $1 AND d.settled_at IS NULL
           ORDER BY d.found_at"#,
        team
    )
    .fetch_all(&state.pool)
    .await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| PossibleDuplicate {
                id: r.id,
                household_id: r.household_id,
                household_name: r.household_name,
                resident_name: format!("{} {}", r.given, r.family).trim().to_owned(),
                other_household_id: r.other_household_id,
                other_household_name: r.same_team.then_some(r.other_name),
                other_team_name: r.other_team,
                mergeable: r.same_team,
                found_on: r.found_on,
            })
            .collect(),
    ))
}

/// The flag, locked, once it is this coordinator's to settle.
async fn open_flag(
    tx: &mut PgConnection,
    principal: &Principal,
    id: Id,
) -> Result<(Id, Id, String)> {
    let flag = sqlx::query!(
        "SELECT household_id, other_household_id, settled_at FROM possible_duplicate
         WHERE id = $1 FOR UPDATE",
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Error::NotFound)?;
    let later = may_touch(tx, principal, flag.household_id, Purpose::Manage).await??;
    if flag.settled_at.is_some() {
        return Err(Error::refused(
            StatusCode::CONFLICT,
            "Hierover is al beslist.",
        ));
    }
    Ok((flag.household_id, flag.other_household_id, later.team))
}

async fn settle(
    tx: &mut PgConnection,
    principal: &Principal,
    ids: &[Id],
    outcome: &str,
) -> Result<()> {
    sqlx::query!(
        "UPDATE possible_duplicate SET settled_at = now(), settled_by = $2, outcome = $3
         WHERE id = ANY($1)",
        ids,
        principal.account_id,
        outcome
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Not the same resident: the flag is closed, both households stay.
#[utoipa::path(
    post,
    path = "/api/duplicates/{id}/dismiss",
    tag = "households",
    params(("id" = uuid::Uuid, Path, description = "The flag")),
    responses(
        (status = 204, description = "Not the same person"),
        crate::openapi::Refusals,
    ),
    security(("session" = [], "unlock" = [])),
)]
pub(super) async fn dismiss(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(id): ApiPath<Id>,
) -> Result<StatusCode> {
    coordinator_only(&principal)?;
    let mut tx = state.pool.begin().await?;
    let (later, _, _) = open_flag(&mut tx, &principal, id).await?;
    settle(&mut tx, &principal, &[id], "dismissed").await?;
    let event = audit::Event::by(&principal, Action::DuplicateDismissed).household(later);
    audit::record(&mut *tx, event).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The later household merged into the earlier one, both of the coordinator's team.
#[utoipa::path(
    post,
    path = "/api/duplicates/{id}/merge",
    tag = "households",
    params(("id" = uuid::Uuid, Path, description = "The flag")),
    responses(
        (status = 204, description = "Merged"),
        crate::openapi::Refusals,
    ),
    security(("session" = [], "unlock" = [])),
)]
pub(super) async fn merge(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(id): ApiPath<Id>,
) -> Result<StatusCode> {
    coordinator_only(&principal)?;
    let mut tx = state.pool.begin().await?;
    let (later, earlier, team) = open_flag(&mut tx, &principal, id).await?;
    let kept = may_touch(&mut tx, &principal, earlier, Purpose::Manage).await?;
    if !kept.is_ok_and(|kept| kept.team == team) {
        return Err(Error::refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            "De eerdere registratie hoort bij een ander team: vraag toegang, of verplaats het huishouden naar dat team.",
        ));
    }
    // Every flag between these two households names a resident registered twice.
    let pairs = sqlx::query!(
        "SELECT id, resident_id, other_resident_id FROM possible_duplicate
         WHERE household_id = $1 AND other_household_id = $2 AND settled_at IS NULL",
        later,
        earlier
    )
    .fetch_all(&mut *tx)
    .await?;
    let same_person: Vec<(Id, Id)> = pairs
        .iter()
        .map(|p| (p.resident_id, p.other_resident_id))
        .collect();
    let flags: Vec<Id> = pairs.iter().map(|p| p.id).collect();
    settle(&mut tx, &principal, &flags, "merged").await?;
    // Open flags between the later household and a third one now concern the earlier one.
    sqlx::query!(
        "UPDATE possible_duplicate
         SET household_id = CASE WHEN household_id = $1 THEN $2 ELSE household_id END,
             other_household_id = CASE WHEN other_household_id = $1 THEN $2
                                       ELSE other_household_id END
         WHERE settled_at IS NULL AND $1 IN (household_id, other_household_id)",
        later,
        earlier
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "DELETE FROM possible_duplicate
         WHERE settled_at IS NULL AND household_id = other_household_id"
    )
    .execute(&mut *tx)
    .await?;
    crate::sync::merge_households_in(&mut tx, &team, (later, earlier), &same_person).await?;
    let event = audit::Event::by(&principal, Action::DuplicateMerged)
        .household(earlier)
        .detail(&format!("samengevoegd met {later}"));
    audit::record(&mut *tx, event).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
