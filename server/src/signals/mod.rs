//! Signals from outside (`shared::model::outside_signal`): recorded by the front office on its
//! device (offline too) and sent at sync, stored once by id for the worker's team; the team's
//! inbox shows them, one becomes a question when a contact made from it is synced
//! ([`became_question`], called by the push), or is closed with a reason; the reporter can be
//! told it was picked up. Retention removes a signal with its household, or five years after it
//! was closed.

use crate::audit::{self, Action};
use crate::http::{ApiJson, ApiPath, BatchJson, Principal};
use crate::{AppState, Error, Result};
use axum::{extract::State, http::StatusCode, Json};
use shared::model::one_way::{OneWayReceipt, MAX_ONE_WAY_BATCH};
use shared::model::outside_signal::{
    CloseReason, CloseSignal, Ground, InboxSignal, Reporter, Settlement, Source,
};
use shared::model::{Channel, Id, OutsideSignal};
use sqlx::PgConnection;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(record, inbox))
        .routes(routes!(close))
        .routes(routes!(reporter_told))
}

/// Stores each signal the shared check accepts (one already held counts as stored) and names
/// each it refuses, in one transaction with its audit row.
#[utoipa::path(
    post,
    path = "/api/signals",
    operation_id = "record_signals",
    tag = "front office",
    request_body = Vec<OutsideSignal>,
    responses(
        (status = 200, description = "Which were stored and which refused, with why", body = OneWayReceipt),
        crate::openapi::Refusals,
    ),
    security(("session" = [], "unlock" = [])),
)]
async fn record(
    State(state): State<AppState>,
    principal: Principal,
    BatchJson(signals): BatchJson<Vec<OutsideSignal>>,
) -> Result<Json<OneWayReceipt>> {
    let team = principal.team_worker()?;
    if signals.len() > MAX_ONE_WAY_BATCH {
        return Err(Error::BadRequest(format!(
            "Stuur hoogstens {MAX_ONE_WAY_BATCH} signalen tegelijk."
        )));
    }
    let mut receipt = OneWayReceipt::default();
    let mut tx = state.pool.begin().await?;
    for signal in signals {
        if let Err(errors) = signal.check() {
            receipt.refused.push((signal.id, errors.sentence()));
            continue;
        }
        let reporter = &signal.reporter;
        let stored = sqlx::query!(
            "INSERT INTO outside_signal (id, team_id, recorded_by, recorded_by_name, channel,
                 received_at, source, reporter_anonymous, reporter_name, reporter_reach, concern,
                 about, ground)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
             ON CONFLICT (id) DO NOTHING",
            signal.id,
            team,
            principal.account_id,
            principal.name,
            signal.channel.key(),
            signal.received_at,
            reporter.source.key(),
            reporter.anonymous,
            reporter.name.trim(),
            reporter.reach.trim(),
            signal.concern.trim(),
            signal.about.trim(),
            signal.ground.key()
        )
        .execute(&mut *tx)
        .await?;
        if stored.rows_affected() > 0 {
            let event =
                audit::Event::by(&principal, Action::SignalRecorded).detail(&signal.id.to_string());
            audit::record(&mut *tx, event).await?;
        }
        receipt.stored.push(signal.id);
    }
    tx.commit().await?;
    Ok(Json(receipt))
}

/// Open signals of the team (oldest first) and those settled in the last 30 days (newest
/// first). Reading them is audited: they name people.
#[utoipa::path(
    get,
    path = "/api/signals",
    tag = "front office",
    responses(
        (status = 200, description = "The team's open signals", body = [InboxSignal]),
        crate::openapi::Refusals,
    ),
    security(("session" = [], "unlock" = [])),
)]
async fn inbox(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<Vec<InboxSignal>>> {
    let team = principal.team_worker()?;
    let mut tx = state.pool.begin().await?;
    let rows = sqlx::query!(
        r#"SELECT s.id, s.channel, s.received_at, s.source, s.reporter_anonymous, s.reporter_name,
                  s.reporter_reach, s.concern, s.about, s.ground, s.status, s.recorded_by_name,
                  s.household_id, h.name AS "household_name?", s.close_reason, s.close_note,
                  (s.settled_at AT TIME ZONE 'Europe/Amsterdam')::date AS settled_on,
                  (s.reporter_told_at AT TIME ZONE 'Europe/Amsterdam')::date AS reporter_told_on
           FROM outside_signal s LEFT JOIN household h ON h.id = s.household_id
           WHERE s.team_id = $1
             AND (s.status = 'open' OR s.settled_at > now() - interval '30 days')
           ORDER BY s.status <> 'open', CASE WHEN s.status = 'open' THEN s.received_at END,
                    s.settled_at DESC"#,
        team
    )
    .fetch_all(&mut *tx)
    .await?;
    let list: Vec<InboxSignal> = rows
        .into_iter()
        .map(|r| {
            let settlement = match (r.status.as_str(), r.household_id) {
                ("became_question", Some(household_id)) => Settlement::BecameQuestion {
                    household_id,
                    household_name: r.household_name.unwrap_or_default(),
                },
                ("closed", _) => Settlement::Closed {
                    reason: r
                        .close_reason
                        .as_deref()
                        .and_then(CloseReason::from_key)
                        .unwrap_or(CloseReason::Other),
                    note: r.close_note.unwrap_or_default(),
                },
                _ => Settlement::Open,
            };
            InboxSignal {
                signal: OutsideSignal {
                    id: r.id,
                    channel: Channel::from_key(&r.channel).unwrap_or(Channel::Phone),
                    received_at: r.received_at,
                    reporter: Reporter {
                        source: Source::from_key(&r.source).unwrap_or(Source::Other),
                        anonymous: r.reporter_anonymous,
                        name: r.reporter_name,
                        reach: r.reporter_reach,
                    },
                    concern: r.concern,
                    about: r.about,
                    ground: Ground::from_key(&r.ground).unwrap_or(Ground::ToEstablish),
                },
                recorded_by: r.recorded_by_name,
                settlement,
                settled_on: r.settled_on,
                reporter_told_on: r.reporter_told_on,
            }
        })
        .collect();
    let event = audit::Event::by(&principal, Action::SignalsRead).detail(&list.len().to_string());
    audit::record(&mut *tx, event).await?;
    tx.commit().await?;
    Ok(Json(list))
}

/// Closes an open signal of the team with a reason.
#[utoipa::path(
    post,
    path = "/api/signals/{id}/close",
    operation_id = "close_signal",
    tag = "front office",
    params(("id" = uuid::Uuid, Path, description = "The signal")),
    request_body = CloseSignal,
    responses(
        (status = 204, description = "Closed"),
        crate::openapi::Refusals,
    ),
    security(("session" = [], "unlock" = [])),
)]
async fn close(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(id): ApiPath<Id>,
    ApiJson(request): ApiJson<CloseSignal>,
) -> Result<StatusCode> {
    let team = principal.team_worker()?;
    request.check().map_err(Error::Invalid)?;
    let mut tx = state.pool.begin().await?;
    open_signal(&mut tx, id, team).await?;
    sqlx::query!(
        "UPDATE outside_signal SET status = 'closed', close_reason = $2, close_note = $3,
             settled_at = now(), settled_by = $4
         WHERE id = $1",
        id,
        request.reason.key(),
        request.note.trim(),
        principal.account_id
    )
    .execute(&mut *tx)
    .await?;
    let event = audit::Event::by(&principal, Action::SignalClosed)
        .detail(&format!("{id} {}", request.reason.key()));
    audit::record(&mut *tx, event).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The signal, locked, when it is the team's and still open; else why not, in words.
async fn open_signal(tx: &mut PgConnection, id: Id, team: &str) -> Result<()> {
    let found = sqlx::query_scalar!(
        "SELECT status FROM outside_signal WHERE id = $1 AND team_id = $2 FOR UPDATE",
        id,
        team
    )
    .fetch_optional(&mut *tx)
    .await?;
    match found.as_deref() {
        None => Err(Error::NotFound),
        Some("open") => Ok(()),
        Some(_) => Err(Error::refused(
            StatusCode::CONFLICT,
            "Dit signaal is al afgehandeld.",
        )),
    }
}

/// Notes that the reporter was told the signal was picked up (only that: what became of it is
/// the resident's). Once; an anonymous or unreachable reporter cannot be told.
#[utoipa::path(
    post,
    path = "/api/signals/{id}/reporter-told",
    tag = "front office",
    params(("id" = uuid::Uuid, Path, description = "The signal")),
    responses(
        (status = 204, description = "Recorded"),
        crate::openapi::Refusals,
    ),
    security(("session" = [], "unlock" = [])),
)]
async fn reporter_told(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(id): ApiPath<Id>,
) -> Result<StatusCode> {
    let team = principal.team_worker()?;
    let mut tx = state.pool.begin().await?;
    let found = sqlx::query!(
        "SELECT reporter_anonymous, reporter_reach, reporter_told_at FROM outside_signal
         WHERE id = $1 AND team_id = $2 FOR UPDATE",
        id,
        team
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Error::NotFound)?;
    if found.reporter_anonymous || found.reporter_reach.is_empty() {
        return Err(Error::refused(
            StatusCode::CONFLICT,
            "Deze melder is anoniem of niet te bereiken.",
        ));
    }
    if found.reporter_told_at.is_some() {
        return Ok(StatusCode::NO_CONTENT);
    }
    sqlx::query!(
        "UPDATE outside_signal SET reporter_told_at = now() WHERE id = $1",
        id
    )
    .execute(&mut *tx)
    .await?;
    let event = audit::Event::by(&principal, Action::SignalReporterTold).detail(&id.to_string());
    audit::record(&mut *tx, event).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Marks the team's open signals that contacts applied in this push were made from as having
/// become a question of the contact's household (audited, with the household). A signal of
/// another team, or one already settled, is left as it is.
pub async fn became_question(
    tx: &mut PgConnection,
    principal: &Principal,
    contacts: &[(Id, Id)],
) -> Result<()> {
    for (signal, household) in contacts {
        let updated = sqlx::query!(
            "UPDATE outside_signal s SET status = 'became_question', household_id = $2,
                 settled_at = now(), settled_by = $3
             FROM household h
             WHERE s.id = $1 AND s.status = 'open' AND h.id = $2 AND h.team_id = s.team_id",
            signal,
            household,
            principal.account_id
        )
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() > 0 {
            let event = audit::Event::by(principal, Action::SignalBecameQuestion)
                .household(*household)
                .detail(&signal.to_string());
            audit::record(&mut *tx, event).await?;
        }
    }
    Ok(())
}

/// Retention's part: signals closed without becoming a question, `years` after closing
/// (those that did go with their household, by the foreign key). Returns how many.
pub async fn remove_closed(tx: &mut PgConnection, years: i32) -> Result<u64> {
    let removed = sqlx::query!(
        "DELETE FROM outside_signal
         WHERE status = 'closed' AND settled_at + make_interval(years => $1::int) < now()",
        years
    )
    .execute(&mut *tx)
    .await?;
    Ok(removed.rows_affected())
}
