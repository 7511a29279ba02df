//! A household as a whole: who may touch it ([`access`], the one check the push and every route
//! here use), its consultants and its one regisseur, guests from other teams (find before you
//! register, access requests), warm handovers, closing and reopening, the resident's report as
//! a PDF ([`report`]), and its part in retention. Records inside a household travel through
//! `sync`; the team's view of all its households is `caseload`.

mod access;
mod closure;
mod coordinator;
mod duplicates;
mod guests;
mod handover;
mod moving;
mod report;
mod workers;

pub use access::{may_touch, may_touch_many, registering, Denied, Household, Purpose};
pub use coordinator::adopt_plan_coordinators;
pub use duplicates::flag as flag_duplicates;
pub(crate) use handover::latest_per_household;

use crate::{AppState, Result};
use axum::{
    routing::{get, post, put},
    Router,
};
use shared::model::Id;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/households/{household}/workers/{account}",
            put(workers::add).delete(workers::remove),
        )
        .route("/api/households/{id}/coordinator", put(coordinator::assign))
        .route(
            "/api/households/{id}/handovers",
            post(handover::create).get(handover::of_household),
        )
        .route("/api/households/{id}/report.pdf", get(report::pdf))
        .route("/api/households/{id}/close", post(closure::close))
        .route("/api/households/{id}/transfer", post(moving::transfer))
        .route("/api/teams", get(moving::teams))
        .route("/api/households/{id}/reopen", post(closure::reopen))
        .route("/api/residents/lookup", post(guests::lookup))
        .route(
            "/api/households/{id}/access-requests",
            post(guests::request_access),
        )
        .route("/api/access-requests", get(guests::waiting))
        .route("/api/households/{id}/guests", get(guests::of_household))
        .route(
            "/api/households/{household}/guests/{account}",
            axum::routing::delete(guests::revoke),
        )
        .route("/api/access-requests/{id}/grant", post(guests::grant))
        .route("/api/access-requests/{id}/refuse", post(guests::refuse))
        .route("/api/duplicates", get(duplicates::waiting))
        .route("/api/duplicates/{id}/merge", post(duplicates::merge))
        .route("/api/duplicates/{id}/dismiss", post(duplicates::dismiss))
        .route("/api/handovers/waiting", get(handover::waiting))
        .route("/api/handovers/{id}/pick-up", post(handover::pick_up))
}

/// Retention, this module's part: the handovers (whose context carries a copy of the resident's
/// words), the regisseur, the closure, access requests and guests. Runs first, since these rows
/// refer to the household.
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
    sqlx::query!(
        "DELETE FROM access_request WHERE household_id = $1",
        household
    )
    .execute(&mut *tx)
    .await?;
    // Guests' devices are told to remove it, as the team's are.
    crate::sync::remove_guests(tx, household).await?;
    sqlx::query!(
        "DELETE FROM possible_duplicate WHERE $1 IN (household_id, other_household_id)",
        household
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "DELETE FROM household_closure WHERE household_id = $1",
        household
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}
