//! Appointments booked with a colleague (`shared::rules::agenda`): the colleague's devices
//! receive the household at their next sync, and others booking a slot see the colleague's
//! busy slots (when, and whether a home visit; never who or where).

use crate::audit::{self, Action};
use crate::http::{ApiQuery, Principal};
use crate::{AppState, Error, Result};
use axum::{extract::State, Json};
use serde::Deserialize;
use shared::model::{ConfirmedOutcome, Id, Outcome, Role};
use shared::rules::agenda::BusySlot;
use shared::rules::validation::parse_date;
use shared::sync::{Change, ChangeOutcome, ChangeResult, RecordType};
use sqlx::PgConnection;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(busy))
}

/// The longest period asked at once: a few weeks is what booking needs.
const MAX_DAYS: i64 = 62;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct BusyQuery {
    #[param(value_type = uuid::Uuid)]
    account: Id,
    /// yyyy-mm-dd
    from: String,
    /// yyyy-mm-dd
    to: String,
}

/// A colleague's taken slots from `from` through `to` (yyyy-mm-dd), for anyone of their team.
#[utoipa::path(
    get,
    path = "/api/agenda/busy",
    tag = "team",
    params(BusyQuery),
    responses(
        (status = 200, description = "The colleague's taken slots", body = [BusySlot]),
        crate::openapi::Refusals,
    ),
    security(("session" = [], "unlock" = [])),
)]
async fn busy(
    State(state): State<AppState>,
    principal: Principal,
    ApiQuery(query): ApiQuery<BusyQuery>,
) -> Result<Json<Vec<BusySlot>>> {
    let team = principal.team_worker()?;
    let (Some(from), Some(to)) = (parse_date(&query.from), parse_date(&query.to)) else {
        return Err(Error::BadRequest(
            "Geef de periode als jjjj-mm-dd, bijvoorbeeld from=2026-12-01&to=2026-12-07.".into(),
        ));
    };
    if to < from || (to - from).whole_days() > MAX_DAYS {
        return Err(Error::BadRequest(format!(
            "Vraag een periode van hoogstens {MAX_DAYS} dagen, met het begin voor het eind."
        )));
    }
    // Another team's colleague does not exist for this worker.
    let known = sqlx::query_scalar!(
        "SELECT 1 AS \"one!\" FROM account WHERE id = $1 AND team_id = $2 AND active",
        query.account,
        team
    )
    .fetch_optional(&state.pool)
    .await?;
    if known.is_none() {
        return Err(Error::NotFound);
    }
    let outcomes = sqlx::query_scalar!(
        r#"SELECT fields -> 'outcome' AS "outcome!" FROM quick_scan
           WHERE outcome_kind = 'appointment' AND NOT deleted
             AND fields -> 'outcome' -> 'outcome' ->> 'worker_account' = $1::uuid::text"#,
        query.account
    )
    .fetch_all(&state.pool)
    .await?;
    let mut slots: Vec<BusySlot> = outcomes
        .into_iter()
        .filter_map(|value| serde_json::from_value::<ConfirmedOutcome>(value).ok())
        .filter_map(|confirmed| match confirmed.outcome {
            Outcome::Appointment {
                date,
                time,
                home_visit,
                ..
            } if date >= from && date <= to => Some(BusySlot {
                date,
                time,
                home_visit,
            }),
            _ => None,
        })
        .collect();
    slots.sort_by(|a, b| (a.date, &a.time).cmp(&(b.date, &b.time)));
    Ok(Json(slots))
}

/// In a push's transaction: each appointment a pushed quick scan booked with a colleague of
/// the household's team gives that colleague the household (a consultant or front-office
/// worker is added to it; a coordinator holds the team's households already), audited.
pub async fn share_booked(
    tx: &mut PgConnection,
    principal: &Principal,
    changes: &[Change],
    results: &[ChangeResult],
) -> Result<()> {
    for (change, _) in changes.iter().zip(results).filter(|(change, result)| {
        change.record_type == RecordType::QuickScan
            && result.outcome == ChangeOutcome::Applied
            && change.fields.contains_key("outcome")
    }) {
        let booked = change
            .fields
            .get("outcome")
            .and_then(|v| serde_json::from_value::<ConfirmedOutcome>(v.clone()).ok());
        let Some(Outcome::Appointment {
            worker_account: Some(account),
            ..
        }) = booked.map(|b| b.outcome)
        else {
            continue;
        };
        if account == principal.account_id {
            continue;
        }
        let found = sqlx::query!(
            "SELECT s.household_id, a.role FROM quick_scan s
             JOIN household h ON h.id = s.household_id
             JOIN account a ON a.team_id = h.team_id AND a.id = $2 AND a.active
             WHERE s.id = $1",
            change.record_id,
            account
        )
        .fetch_optional(&mut *tx)
        .await?;
        // Someone outside the household's team: the appointment names them, nothing is shared.
        let Some(found) = found else { continue };
        if Role::from_key(&found.role) == Some(Role::Coordinator) {
            continue;
        }
        if crate::sync::add_worker(tx, found.household_id, account).await? {
            let event = audit::Event::by(principal, Action::AppointmentBooked)
                .household(found.household_id)
                .detail(&account.to_string());
            audit::record(&mut *tx, event).await?;
        }
    }
    Ok(())
}
