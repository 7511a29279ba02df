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
pub(crate) mod report;
mod workers;

pub use access::{may_touch, may_touch_many, registering, Denied, Household, Purpose};
pub use coordinator::adopt_plan_coordinators;
pub use duplicates::flag as flag_duplicates;
pub(crate) use handover::latest_per_household;

use crate::{AppState, Result};
use shared::model::Id;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(workers::add, workers::remove))
        .routes(routes!(coordinator::assign))
        .routes(routes!(handover::create, handover::of_household))
        .routes(routes!(report::pdf))
        .routes(routes!(closure::close))
        .routes(routes!(moving::transfer))
        .routes(routes!(moving::teams))
        .routes(routes!(closure::reopen))
        .routes(routes!(guests::lookup))
        .routes(routes!(guests::request_access))
        .routes(routes!(guests::waiting))
        .routes(routes!(guests::of_household))
        .routes(routes!(guests::revoke))
        .routes(routes!(guests::grant))
        .routes(routes!(guests::refuse))
        .routes(routes!(duplicates::waiting))
        .routes(routes!(duplicates::merge))
        .routes(routes!(duplicates::dismiss))
        .routes(routes!(handover::waiting))
        .routes(routes!(handover::pick_up))
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
