//! The sync endpoints: devices push their outbox and pull their team's log (docs/sync.md).

mod access;
mod assignment;
mod batch;
mod compaction;
mod discard;
mod identity;
mod log;
mod merging;
mod pull;
mod push;
mod records;
mod server_write;
mod transfer;

pub use assignment::{add_guest, add_worker, remove_guest, remove_guests, remove_worker};
pub use compaction::{compact_log, Compacted};
pub(crate) use identity::claim_device;
pub(crate) use records::remove_household;

/// Writes one entry of the server's own (not a device's change) to a team's log.
pub(crate) async fn announce(
    tx: &mut sqlx::PgConnection,
    team: &str,
    household: shared::model::Id,
    body: shared::sync::LogBody,
) -> Result<()> {
    let mut log = log::PendingLog::default();
    log.push_from_server(household, household, &body);
    log.write(tx, team).await
}
pub use merging::merge_households_in;
pub use pull::{pull_page, PageRequest, PullPage};
pub use push::push_batch;
pub use server_write::write_field;
pub use transfer::{transfer_household, transfer_household_in};

use crate::http::{ApiJson, ApiQuery, BatchJson, Principal, Pushing};
use crate::openapi::Refusals;
use crate::{AppState, Result};
use axum::{
    extract::{DefaultBodyLimit, State},
    Json,
};
use shared::sync::{DiscardRejected, PullResponse, PushRequest, PushResponse};
use utoipa_axum::{router::OpenApiRouter, routes};

/// A push of a full batch of long texts fits easily; anything bigger is refused with a 413.
pub const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;
// A device's batch (cut at MAX_PUSH_BYTES of changes) always fits, with room for the envelope.
const _: () = assert!(shared::sync::MAX_PUSH_BYTES + 256 * 1024 < MAX_BODY_BYTES);

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(push))
        .routes(routes!(pull))
        .routes(routes!(discard))
        .routes(routes!(access::report))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
}

/// A disabled account's device may still push (see `Pushing`); the answer tells it to wipe.
#[utoipa::path(
    post,
    path = "/api/sync/push",
    tag = "sync",
    request_body = PushRequest,
    responses(
        (status = 200, description = "Each change's outcome, in order", body = PushResponse),
        Refusals,
    ),
    security(("session" = [], "unlock" = [])),
)]
async fn push(
    State(state): State<AppState>,
    Pushing(principal): Pushing,
    BatchJson(request): BatchJson<PushRequest>,
) -> Result<Json<PushResponse>> {
    let response = push_batch(&state.pool, &principal, request).await?;
    if let Some(zgw) = &state.zgw {
        zgw.wake.notify_one();
    }
    Ok(Json(response))
}

/// The worker throws a refused change away on purpose (audited).
#[utoipa::path(
    post,
    path = "/api/sync/rejected/discard",
    tag = "sync",
    request_body = DiscardRejected,
    responses(
        (status = 204, description = "Thrown away"),
        Refusals,
    ),
    security(("session" = [], "unlock" = [])),
)]
async fn discard(
    State(state): State<AppState>,
    principal: Principal,
    ApiJson(request): ApiJson<DiscardRejected>,
) -> Result<axum::http::StatusCode> {
    discard::discard_rejected(&state.pool, &principal, request).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct PullParams {
    #[param(value_type = uuid::Uuid)]
    device_id: shared::model::Id,
    #[serde(default)]
    cursor: u64,
    /// The device's last settled change number: refusals after it come along.
    settled: Option<u64>,
    limit: Option<u32>,
    /// Asks what waits after the page (entries and bytes), on a sync's first page.
    #[serde(default)]
    waiting: bool,
}

/// One page of the team's log after `cursor`, and the device's refusals after `settled`.
#[utoipa::path(
    get,
    path = "/api/sync/pull",
    tag = "sync",
    params(PullParams),
    responses(
        (status = 200, description = "A page of the log", body = PullResponse),
        Refusals,
    ),
    security(("session" = [], "unlock" = [])),
)]
async fn pull(
    State(state): State<AppState>,
    principal: Principal,
    ApiQuery(params): ApiQuery<PullParams>,
) -> Result<Json<PullPage>> {
    Ok(Json(
        pull_page(
            &state.pool,
            &principal,
            params.device_id,
            PageRequest {
                cursor: params.cursor,
                settled: params.settled,
                limit: params.limit,
                waiting: params.waiting,
            },
        )
        .await?,
    ))
}
