//! Warm handover: a household passed to a colleague or a partner with what is known (the note and
//! the open questions), only with the resident's consent for that partner or a recorded legal
//! ground; the one who handed over sees whether it was picked up.

use super::access::{colleague, may_touch, Purpose};
use crate::audit::{self, Action};
use crate::http::{ApiJson, ApiPath, Principal};
use crate::{AppState, Error, Result};
use axum::{extract::State, http::StatusCode, Json};
use shared::model::caseload::{HandoverContext, HandoverSummary, NewHandover, HANDOVER_PURPOSE};
use shared::model::consent::{may_hand_over, Consent};
use shared::model::{Id, Role};
use sqlx::{PgConnection, PgPool};
use std::collections::HashMap;

#[utoipa::path(
    post,
    path = "/api/households/{id}/handovers",
    operation_id = "create_handover",
    tag = "handovers",
    params(("id" = uuid::Uuid, Path, description = "The household")),
    request_body = NewHandover,
    responses(
        (status = 201, description = "Handed over", body = HandoverSummary),
        crate::openapi::Refusals,
    ),
    security(("session" = [], "unlock" = [])),
)]
pub(super) async fn create(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(household): ApiPath<Id>,
    ApiJson(body): ApiJson<NewHandover>,
) -> Result<(StatusCode, Json<HandoverSummary>)> {
    let new = body;
    new.check()
        .map_err(|message| Error::refused(StatusCode::UNPROCESSABLE_ENTITY, message))?;
    let mut tx = state.pool.begin().await?;
    let team = may_touch(&mut tx, &principal, household, Purpose::HandOver)
        .await??
        .team;
    let today = crate::db::local_today(&mut *tx).await?;
    let partner = new
        .to_partner
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty());
    if let Some(partner) = partner {
        let known = sqlx::query_scalar!(
            "SELECT id FROM partner WHERE municipality_id = $1 AND id = $2",
            principal.municipality,
            partner
        )
        .fetch_optional(&mut *tx)
        .await?;
        if known.is_none() {
            return Err(Error::refused(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Deze partner staat niet op de sociale kaart.",
            ));
        }
        let consents: Vec<Consent> = sqlx::query_scalar!(
            "SELECT fields FROM consent WHERE household_id = $1 AND NOT deleted",
            household
        )
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .filter_map(|fields| serde_json::from_value(fields).ok())
        .collect();
        may_hand_over(
            &consents,
            partner,
            HANDOVER_PURPOSE,
            today,
            &new.legal_ground,
        )
        .map_err(|refused| Error::refused(StatusCode::UNPROCESSABLE_ENTITY, refused.to_string()))?;
    }
    if let Some(to) = new.to_account {
        match colleague(&mut tx, &team, to).await? {
            Some(Role::Consultant) => {
                crate::sync::add_worker(&mut tx, household, to).await?;
            }
            Some(Role::Coordinator) => {}
            Some(_) => return Err(not_a_receiver()),
            // Another team of the municipality: the colleague becomes a guest of the household
            // (read and write, as a granted access request), so their devices receive it.
            None => match other_team(&mut tx, &principal.municipality, to).await? {
                Some(their_team) => {
                    crate::sync::add_guest(&mut tx, household, to, &their_team).await?;
                }
                None => return Err(not_a_receiver()),
            },
        }
    }
    let context = context_of(&mut tx, household).await?;
    let id = Id::now_v7();
    sqlx::query!(
        "INSERT INTO handover (id, household_id, from_account, to_account, to_partner, note, context, legal_ground)
         VALUES ($1, $2, $3, $4, $5, $6, $7, NULLIF($8, ''))",
        id,
        household,
        principal.account_id,
        new.to_account,
        partner,
        new.note.trim(),
        serde_json::to_value(&context).map_err(|e| Error::Internal(e.to_string()))?,
        new.legal_ground.trim()
    )
    .execute(&mut *tx)
    .await?;
    let event = audit::Event::by(&principal, Action::Handover)
        .household(household)
        .detail(
            &new.to_account
                .map_or_else(|| partner.unwrap_or_default().to_owned(), |a| a.to_string()),
        );
    audit::record(&mut *tx, event).await?;
    tx.commit().await?;
    let summary = summaries(&state.pool, "id", &[id]).await?.remove(0);
    Ok((StatusCode::CREATED, Json(summary)))
}

fn not_a_receiver() -> Error {
    Error::refused(
        StatusCode::UNPROCESSABLE_ENTITY,
        "Draag over aan een consulent of coördinator van een team van deze gemeente.",
    )
}

/// The team of an active consultant or coordinator of the municipality, if `account` is one.
async fn other_team(
    tx: &mut PgConnection,
    municipality: &str,
    account: Id,
) -> Result<Option<String>> {
    Ok(sqlx::query_scalar!(
        r#"SELECT team_id AS "team!" FROM account
           WHERE id = $1 AND municipality_id = $2 AND active AND team_id IS NOT NULL
             AND role IN ('consultant', 'coordinator')"#,
        account,
        municipality
    )
    .fetch_optional(&mut *tx)
    .await?)
}

/// What is known now: the household's name and its open questions in the resident's words.
async fn context_of(tx: &mut PgConnection, household: Id) -> Result<HandoverContext> {
    let name = sqlx::query_scalar!(
        r#"SELECT name AS "name!" FROM household WHERE id = $1"#,
        household
    )
    .fetch_one(&mut *tx)
    .await?;
    let open_questions = sqlx::query_scalar!(
        r#"SELECT fields->>'own_words' AS "words!" FROM question
           WHERE household_id = $1 AND NOT deleted AND status = 'open' AND fields ? 'own_words'
           ORDER BY id"#,
        household
    )
    .fetch_all(&mut *tx)
    .await?;
    Ok(HandoverContext {
        household_name: name,
        open_questions,
    })
}

/// Handovers by id (`by = "id"`) or of households (`by = "household"`), newest first.
async fn summaries(pool: &PgPool, by: &str, ids: &[Id]) -> Result<Vec<HandoverSummary>> {
    let rows = sqlx::query!(
        r#"SELECT o.id, o.household_id, o.note, o.context, o.created_at, o.picked_up_at,
                  f.name AS from_name, coalesce(t.name, p.name, o.to_partner) AS "to_name!"
           FROM handover o
           JOIN account f ON f.id = o.from_account
           LEFT JOIN account t ON t.id = o.to_account
           LEFT JOIN partner p ON p.id = o.to_partner AND p.municipality_id = f.municipality_id
           WHERE CASE WHEN $1 = 'id' THEN o.id = ANY($2) ELSE o.household_id = ANY($2) END
           ORDER BY o.created_at DESC"#,
        by,
        ids
    )
    .fetch_all(pool)
    .await?;
    let iso = |t: time::OffsetDateTime| {
        t.format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default()
    };
    Ok(rows
        .into_iter()
        .map(|r| HandoverSummary {
            id: r.id,
            household_id: r.household_id,
            to: r.to_name,
            from: r.from_name,
            note: r.note,
            context: serde_json::from_value(r.context).unwrap_or(HandoverContext {
                household_name: String::new(),
                open_questions: vec![],
            }),
            created_at: iso(r.created_at),
            picked_up_at: r.picked_up_at.map(iso),
        })
        .collect())
}

pub(crate) async fn latest_per_household(
    pool: &PgPool,
    households: &[Id],
) -> Result<HashMap<Id, HandoverSummary>> {
    let mut latest = HashMap::new();
    for summary in summaries(pool, "household", households).await? {
        latest.entry(summary.household_id).or_insert(summary);
    }
    Ok(latest)
}

#[utoipa::path(
    get,
    path = "/api/households/{id}/handovers",
    operation_id = "handovers_of_household",
    tag = "handovers",
    params(("id" = uuid::Uuid, Path, description = "The household")),
    responses(
        (status = 200, description = "The household's handovers", body = [HandoverSummary]),
        crate::openapi::Refusals,
    ),
    security(("session" = [], "unlock" = [])),
)]
pub(super) async fn of_household(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(household): ApiPath<Id>,
) -> Result<Json<Vec<HandoverSummary>>> {
    // A read: one connection, no transaction to hold.
    let mut db = state.pool.acquire().await?;
    may_touch(&mut db, &principal, household, Purpose::Read).await??;
    Ok(Json(
        summaries(&state.pool, "household", &[household]).await?,
    ))
}

/// Handovers to me that I have not picked up yet.
#[utoipa::path(
    get,
    path = "/api/handovers/waiting",
    operation_id = "waiting_handovers",
    tag = "handovers",
    responses(
        (status = 200, description = "Handovers waiting for the worker", body = [HandoverSummary]),
        crate::openapi::Refusals,
    ),
    security(("session" = [], "unlock" = [])),
)]
pub(super) async fn waiting(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<Vec<HandoverSummary>>> {
    let ids = sqlx::query_scalar!(
        "SELECT id FROM handover WHERE to_account = $1 AND picked_up_at IS NULL",
        principal.account_id
    )
    .fetch_all(&state.pool)
    .await?;
    Ok(Json(summaries(&state.pool, "id", &ids).await?))
}

/// Picked up: by the colleague it went to; for a partner (who has no account), recorded by the
/// one who handed over or a coordinator of the team when the partner confirmed.
#[utoipa::path(
    post,
    path = "/api/handovers/{id}/pick-up",
    tag = "handovers",
    params(("id" = uuid::Uuid, Path, description = "The handover")),
    responses(
        (status = 200, description = "Picked up", body = HandoverSummary),
        crate::openapi::Refusals,
    ),
    security(("session" = [], "unlock" = [])),
)]
pub(super) async fn pick_up(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(id): ApiPath<Id>,
) -> Result<Json<HandoverSummary>> {
    let mut tx = state.pool.begin().await?;
    let row = sqlx::query!(
        "SELECT household_id, from_account, to_account, picked_up_at FROM handover WHERE id = $1
         FOR UPDATE",
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Error::NotFound)?;
    let allowed = match row.to_account {
        Some(to) => to == principal.account_id,
        None => {
            row.from_account == principal.account_id
                || (principal.role == Role::Coordinator
                    && may_touch(&mut tx, &principal, row.household_id, Purpose::Read)
                        .await?
                        .is_ok())
        }
    };
    if !allowed {
        return Err(Error::NotFound);
    }
    if row.picked_up_at.is_none() {
        sqlx::query!(
            "UPDATE handover SET picked_up_at = now(), picked_up_by = $2 WHERE id = $1",
            id,
            principal.account_id
        )
        .execute(&mut *tx)
        .await?;
        let event =
            audit::Event::by(&principal, Action::HandoverPickedUp).household(row.household_id);
        audit::record(&mut *tx, event).await?;
    }
    tx.commit().await?;
    Ok(Json(summaries(&state.pool, "id", &[id]).await?.remove(0)))
}
