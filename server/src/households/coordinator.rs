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

#[utoipa::path(
    put,
    path = "/api/households/{id}/coordinator",
    tag = "households",
    params(("id" = uuid::Uuid, Path, description = "The household")),
    request_body = AssignCoordinator,
    responses(
        (status = 204, description = "The household's regisseur is set"),
        crate::openapi::Refusals,
    ),
    security(("session" = [], "unlock" = [])),
)]
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

/// Before the regisseur was an account, the plan named one in free text. At start-up each
/// household without a regisseur whose plan names exactly one active consultant or coordinator
/// of its team (by name, ignoring case and spaces around it) gets that account, as if the
/// coordinator had chosen it (audited, without a person: `detail` says where it came from).
/// A name that matches no account stays what it was: the plan's note. Returns how many.
pub async fn adopt_plan_coordinators(pool: &sqlx::PgPool) -> Result<u64> {
    let candidates = sqlx::query!(
        r#"SELECT p.household_id, h.team_id, t.municipality_id,
                  btrim(p.fields->>'coordinator') AS "named!"
           FROM support_plan p
           JOIN household h ON h.id = p.household_id
           JOIN team t ON t.id = h.team_id
           WHERE NOT p.deleted AND NOT h.deleted
             AND jsonb_typeof(h.fields->'case_manager') IS DISTINCT FROM 'object'
             AND btrim(coalesce(p.fields->>'coordinator', '')) <> ''
             -- Only names of exactly one colleague: the rest stay notes and cost nothing.
             AND (SELECT count(*) FROM account a
                  WHERE a.team_id = h.team_id AND a.active
                    AND a.role IN ('consultant', 'coordinator')
                    AND lower(btrim(a.name)) = lower(btrim(p.fields->>'coordinator'))) = 1"#
    )
    .fetch_all(pool)
    .await?;
    let mut adopted = 0;
    for plan in candidates {
        let mut tx = pool.begin().await?;
        let matches = sqlx::query!(
            "SELECT id, name, email, role FROM account
             WHERE team_id = $1 AND active AND role IN ('consultant', 'coordinator')
               AND lower(btrim(name)) = lower($2)",
            plan.team_id,
            plan.named
        )
        .fetch_all(&mut *tx)
        .await?;
        let [person] = matches.as_slice() else {
            continue;
        };
        if person.role == Role::Consultant.key() {
            crate::sync::add_worker(&mut tx, plan.household_id, person.id).await?;
        }
        sqlx::query!(
            "INSERT INTO household_coordinator (household_id, account_id) VALUES ($1, $2)
             ON CONFLICT (household_id) DO NOTHING",
            plan.household_id,
            person.id
        )
        .execute(&mut *tx)
        .await?;
        let case_manager = CaseManager {
            account_id: person.id,
            name: person.name.clone(),
            email: person.email.clone(),
        };
        crate::sync::write_field(
            &mut tx,
            &plan.team_id,
            (RecordType::Household, plan.household_id),
            "case_manager",
            serde_json::to_value(&case_manager).unwrap_or_default(),
        )
        .await?;
        let event = audit::Event::new(Action::CoordinatorAssigned)
            .municipality(&plan.municipality_id)
            .household(plan.household_id)
            .detail(&format!(
                "{} (uit het ondersteuningsplan overgenomen)",
                person.id
            ));
        audit::record(&mut *tx, event).await?;
        tx.commit().await?;
        adopted += 1;
    }
    Ok(adopted)
}
