//! The team's caseload (coordinator): households with their regisseur, open questions, next
//! dates, legal clock and last handover; the team's workers, and its roster (every worker's
//! device keeps it, to hand work to a colleague offline). What is done with one household
//! lives in `households`.

use crate::http::{ApiQuery, Principal};
use crate::{AppState, Error, Result};
use axum::{extract::State, Json};
use serde::Deserialize;
use shared::model::caseload::{
    CaseloadDeadline, CaseloadRow, Colleague, Roster, TeamMember, TeamWorker,
};
use shared::model::{Id, Role};
use shared::rules::legal_clock::LegalClock;
use sqlx::PgPool;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(caseload))
        .routes(routes!(workers))
        .routes(routes!(roster))
        .routes(routes!(colleagues))
}

/// The team's active members, for every worker of the team: work is handed to them offline.
#[utoipa::path(
    get,
    path = "/api/team/roster",
    tag = "team",
    responses(
        (status = 200, description = "The team's active members", body = Roster),
        crate::openapi::Refusals,
    ),
    security(("session" = [], "unlock" = [])),
)]
async fn roster(State(state): State<AppState>, principal: Principal) -> Result<Json<Roster>> {
    let team = principal.team_worker()?;
    let team_name = sqlx::query_scalar!("SELECT name FROM team WHERE id = $1", team)
        .fetch_one(&state.pool)
        .await?;
    let members = sqlx::query!(
        "SELECT id, name, role FROM account
         WHERE team_id = $1 AND active AND role IN ('front_office', 'consultant', 'coordinator')
         ORDER BY name",
        team
    )
    .fetch_all(&state.pool)
    .await?
    .into_iter()
    .filter_map(|r| {
        Some(TeamMember {
            account_id: r.id,
            name: r.name,
            role: Role::from_key(&r.role)?,
        })
    })
    .collect();
    Ok(Json(Roster {
        team_id: team.to_owned(),
        team_name,
        members,
    }))
}

/// Whom a worker can hand a household over to: the consultants and coordinators of every team of
/// the municipality, their own team first.
#[utoipa::path(
    get,
    path = "/api/colleagues",
    tag = "team",
    responses(
        (status = 200, description = "Colleagues of every team, the worker's own first", body = [Colleague]),
        crate::openapi::Refusals,
    ),
    security(("session" = [], "unlock" = [])),
)]
async fn colleagues(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<Vec<Colleague>>> {
    principal.team_worker()?;
    let rows = sqlx::query!(
        r#"SELECT a.id, a.name, a.role, t.id AS team_id, t.name AS team_name
           FROM account a JOIN team t ON t.id = a.team_id
           WHERE a.municipality_id = $1 AND a.active AND a.id <> $2
             AND a.role IN ('consultant', 'coordinator')
           ORDER BY t.id = $3 DESC, t.name, a.name"#,
        principal.municipality,
        principal.account_id,
        principal.team.as_deref().unwrap_or_default()
    )
    .fetch_all(&state.pool)
    .await?;
    Ok(Json(
        rows.into_iter()
            .filter_map(|r| {
                Some(Colleague {
                    account_id: r.id,
                    name: r.name,
                    role: Role::from_key(&r.role)?,
                    team_id: r.team_id,
                    team_name: r.team_name,
                })
            })
            .collect(),
    ))
}

/// The coordinator's team (a coordinator always has one).
fn team_of(principal: &Principal) -> Result<&str> {
    principal.require(&[Role::Coordinator])?;
    principal.team.as_deref().ok_or(Error::NotFound)
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct Search {
    /// A household's or resident's name, or part of it.
    #[serde(default)]
    q: String,
}

#[utoipa::path(
    get,
    path = "/api/caseload",
    tag = "team",
    params(Search),
    responses(
        (status = 200, description = "The team's households", body = [CaseloadRow]),
        crate::openapi::Refusals,
    ),
    security(("session" = [], "unlock" = [])),
)]
async fn caseload(
    State(state): State<AppState>,
    principal: Principal,
    ApiQuery(search): ApiQuery<Search>,
) -> Result<Json<Vec<CaseloadRow>>> {
    let team = team_of(&principal)?;
    Ok(Json(rows(&state.reads, team, search.q.trim()).await?))
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
    let mut last = crate::households::latest_per_household(pool, &ids).await?;
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

#[utoipa::path(
    get,
    path = "/api/team/workers",
    tag = "team",
    responses(
        (status = 200, description = "The team's workers and their load", body = [TeamWorker]),
        crate::openapi::Refusals,
    ),
    security(("session" = [], "unlock" = [])),
)]
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
