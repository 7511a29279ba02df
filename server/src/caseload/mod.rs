//! The team's caseload (coordinator): households with their coordinator, open questions, next
//! dates and legal clock; assigning the one coordinator; warm handovers to a colleague or a
//! partner, and whether they were picked up.

mod handover;

use crate::accounts::session::Principal;
use crate::audit::{self, Action};
use crate::{AppState, Error, Result};
use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    routing::{get, post, put},
    Json, Router,
};
use serde::Deserialize;
use shared::model::caseload::{AssignCoordinator, CaseloadDeadline, CaseloadRow, TeamWorker};
use shared::model::{Id, Role};
use shared::rules::legal_clock::LegalClock;
use sqlx::PgPool;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/caseload", get(caseload))
        .route("/api/team/workers", get(workers))
        .route("/api/households/{id}/coordinator", put(assign_coordinator))
        .route(
            "/api/households/{id}/handovers",
            post(handover::create).get(handover::of_household),
        )
        .route("/api/handovers/waiting", get(handover::waiting))
        .route("/api/handovers/{id}/pick-up", post(handover::pick_up))
}

/// Retention, the caseload's part: the household's coordinator and its handovers (whose
/// context carries a copy of the resident's words).
pub(crate) async fn remove_household(tx: &mut sqlx::PgConnection, household: Id) -> Result<()> {
    sqlx::query!("DELETE FROM handover WHERE household_id = $1", household)
        .execute(&mut *tx)
        .await?;
    sqlx::query!(
        "DELETE FROM household_coordinator WHERE household_id = $1",
        household
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// The coordinator's team (a coordinator always has one).
fn team_of(principal: &Principal) -> Result<&str> {
    principal.require(&[Role::Coordinator])?;
    principal.team.as_deref().ok_or(Error::NotFound)
}

#[derive(Debug, Deserialize)]
struct Search {
    #[serde(default)]
    q: String,
}

async fn caseload(
    State(state): State<AppState>,
    principal: Principal,
    search: std::result::Result<Query<Search>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Vec<CaseloadRow>>> {
    let team = team_of(&principal)?;
    let Query(search) = search?;
    Ok(Json(rows(&state.pool, team, search.q.trim()).await?))
}

pub async fn rows(pool: &PgPool, team: &str, query: &str) -> Result<Vec<CaseloadRow>> {
    let today = crate::db::local_today(pool).await?;
    let rows = sqlx::query!(
        r#"SELECT h.id, h.name AS "name!", hc.account_id AS "coordinator_id?", a.name AS "coordinator_name?",
                  (SELECT count(*) FROM question q
                   WHERE q.household_id = h.id AND NOT q.deleted AND q.status = 'open') AS "open_questions!",
                  (SELECT min(kt_date(q.fields->'next_date')) FROM question q
                   WHERE q.household_id = h.id AND NOT q.deleted AND q.status = 'open') AS next_date,
                  (SELECT coalesce(jsonb_agg(n.fields->'clock'), '[]') FROM notification n
                   WHERE n.household_id = h.id AND NOT n.deleted) AS "clocks!"
           FROM household h
           LEFT JOIN household_coordinator hc ON hc.household_id = h.id
           LEFT JOIN account a ON a.id = hc.account_id
           WHERE h.team_id = $1 AND NOT h.deleted
             AND NOT EXISTS (SELECT 1 FROM household_closure c WHERE c.household_id = h.id)
             AND ($2 = '' OR h.name ILIKE '%' || $2 || '%' OR a.name ILIKE '%' || $2 || '%')
           ORDER BY h.name
           LIMIT 2000"#,
        team,
        query
    )
    .fetch_all(pool)
    .await?;
    let ids: Vec<Id> = rows.iter().map(|r| r.id).collect();
    let mut last = handover::latest_per_household(pool, &ids).await?;
    let mut result: Vec<CaseloadRow> = rows
        .into_iter()
        .map(|r| {
            let clocks: Vec<LegalClock> = serde_json::from_value(r.clocks).unwrap_or_default();
            let deadline = clocks
                .iter()
                .flat_map(|c| c.open_items(today))
                .min_by_key(|item| item.due)
                .map(|item| CaseloadDeadline {
                    label: item.label.to_owned(),
                    due: item.due.to_string(),
                    days_left: item.days_left,
                });
            CaseloadRow {
                household_id: r.id,
                name: r.name,
                coordinator_id: r.coordinator_id,
                coordinator_name: r.coordinator_name,
                open_questions: r.open_questions,
                next_date: r.next_date.map(|d| d.to_string()),
                deadline,
                last_handover: last.remove(&r.id),
            }
        })
        .collect();
    // Most urgent first: a running legal clock, then the next date, then the name.
    result.sort_by(|a, b| {
        let key = |r: &CaseloadRow| {
            (
                r.deadline.as_ref().map_or(i64::MAX, |d| d.days_left),
                r.next_date.clone().unwrap_or_else(|| "9999".into()),
            )
        };
        key(a).cmp(&key(b)).then_with(|| a.name.cmp(&b.name))
    });
    Ok(result)
}

async fn workers(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<Vec<TeamWorker>>> {
    principal.require(&[Role::Coordinator, Role::Consultant])?;
    let team = principal.team.as_deref().ok_or(Error::NotFound)?;
    let rows = sqlx::query_as!(
        TeamWorker,
        "SELECT id, name, role FROM account
         WHERE team_id = $1 AND role IN ('consultant', 'coordinator') ORDER BY name",
        team
    )
    .fetch_all(&state.pool)
    .await?;
    Ok(Json(rows))
}

/// The household's one coordinator: a consultant or coordinator of the team. A consultant is
/// also added to the household, so their devices receive it.
async fn assign_coordinator(
    State(state): State<AppState>,
    principal: Principal,
    Path(household): Path<Id>,
    body: std::result::Result<Json<AssignCoordinator>, axum::extract::rejection::JsonRejection>,
) -> Result<StatusCode> {
    let team = team_of(&principal)?;
    let Json(body) = body?;
    let row = sqlx::query!(
        "SELECT h.team_id AS household_team, a.team_id AS account_team, a.role
         FROM household h, account a WHERE h.id = $1 AND a.id = $2",
        household,
        body.account_id
    )
    .fetch_optional(&state.pool)
    .await?
    .ok_or(Error::NotFound)?;
    if row.household_team != team {
        return Err(Error::NotFound);
    }
    if row.account_team.as_deref() != Some(team)
        || !matches!(row.role.as_str(), "consultant" | "coordinator")
    {
        return Err(Error::refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Regisseur kan alleen een consulent of coördinator van dit team zijn.",
        ));
    }
    if row.role == "consultant" {
        crate::sync::add_worker(&state.pool, household, body.account_id).await?;
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
    .execute(&state.pool)
    .await?;
    let event = audit::Event::by(&principal, Action::CoordinatorAssigned)
        .household(household)
        .detail(&body.account_id.to_string());
    audit::record(&state.pool, event).await?;
    Ok(StatusCode::NO_CONTENT)
}
