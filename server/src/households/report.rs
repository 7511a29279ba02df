//! The resident's report and plan as a PDF, made from the records the server holds (what the
//! devices synchronised), for a worker who may read the household. It holds the resident's
//! words, so it needs the unlocked session (not a plain download link), is never cached, and
//! each download is in the audit log.

use super::{may_touch, Purpose};
use crate::audit::{self, Action, Event};
use crate::http::{ApiPath, Principal};
use crate::{AppState, Error, Result};
use axum::{
    extract::State,
    http::{header, StatusCode},
    response::{IntoResponse, Response},
};
use serde::de::DeserializeOwned;
use serde_json::Value;
use shared::model::plan::SupportPlan;
use shared::model::{Conversation, Household, Id, Resident};
use shared::reference::Catalogue;
use shared::report::{ReportSource, ResidentReport};
use shared::rules::validation::display_date;
use shared::sync::RecordType;
use sqlx::PgConnection;

#[utoipa::path(
    get,
    path = "/api/households/{id}/report.pdf",
    tag = "households",
    params(("id" = uuid::Uuid, Path, description = "The household")),
    responses(
        (status = 200, description = "The resident's report and plan as a tagged PDF", content_type = "application/pdf", body = Vec<u8>),
        crate::openapi::Refusals,
    ),
    security(("session" = [], "unlock" = [])),
)]
pub(super) async fn pdf(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(id): ApiPath<Id>,
) -> Result<Response> {
    // The same rule that keeps conversations and plans off the front office's devices.
    for record_type in [RecordType::Conversation, RecordType::SupportPlan] {
        if !principal.role.may_handle(record_type) {
            return Err(Error::refused(
                StatusCode::FORBIDDEN,
                "Je rol mag het verslag en plan van een huishouden niet inzien.",
            ));
        }
    }
    let mut tx = state.pool.begin().await?;
    may_touch(&mut tx, &principal, id, Purpose::Read).await??;
    let report = build(&mut tx, &state.pool, &principal.municipality, id, None)
        .await?
        .ok_or(Error::NotFound)?;
    let today = crate::db::local_today(&mut *tx).await?;
    let bytes = crate::pdf::report(&report)?;
    audit::record(
        &mut *tx,
        Event::by(&principal, Action::Print)
            .household(id)
            .detail("pdf"),
    )
    .await?;
    tx.commit().await?;
    let filename = format!("verslag-en-plan-{}.pdf", display_date(today));
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

/// The report of a household as the server holds it: its latest conversation (or the one
/// named: the ZGW export sends each report the resident agreed to) and its plan. None when the
/// household is gone.
pub(crate) async fn build(
    conn: &mut PgConnection,
    pool: &sqlx::PgPool,
    municipality: &str,
    id: Id,
    conversation: Option<Id>,
) -> Result<Option<ResidentReport>> {
    let household: Option<Household> = sqlx::query_scalar!(
        "SELECT fields FROM household WHERE id = $1 AND NOT deleted",
        id
    )
    .fetch_optional(&mut *conn)
    .await?
    .and_then(parse);
    let Some(household) = household else {
        return Ok(None);
    };
    let residents: Vec<Resident> = parsed(
        sqlx::query_scalar!(
            "SELECT fields FROM resident WHERE household_id = $1 AND NOT deleted",
            id
        )
        .fetch_all(&mut *conn)
        .await?,
    );
    let conversations: Vec<Conversation> = parsed(
        sqlx::query_scalar!(
            "SELECT fields FROM conversation WHERE household_id = $1 AND NOT deleted",
            id
        )
        .fetch_all(&mut *conn)
        .await?,
    );
    let plans: Vec<SupportPlan> = parsed(
        sqlx::query_scalar!(
            "SELECT fields FROM support_plan WHERE household_id = $1 AND NOT deleted",
            id
        )
        .fetch_all(&mut *conn)
        .await?,
    );
    let today = crate::db::local_today(&mut *conn).await?;
    let reference = crate::reference::load(pool, municipality).await?;
    let catalogue = Catalogue::with(&reference);
    // The names in the order the household lists its members, as on the device.
    let names = household
        .members
        .iter()
        .filter(|m| m.is_current())
        .filter_map(|m| residents.iter().find(|r| r.id == m.resident_id))
        .map(Resident::full_name)
        .collect();
    let conversation = match conversation {
        Some(wanted) => conversations.iter().find(|c| c.id == wanted),
        None => conversations.iter().max_by_key(|c| c.held_on),
    };
    Ok(Some(ResidentReport::build(&ReportSource {
        household: &household,
        conversation,
        plan: plans.first(),
        names,
        catalogue: &catalogue,
        today,
    })))
}

/// A record as the device wrote it; the server checked it on the way in, so a record that no
/// longer reads (a model from a later version) is left out rather than failing the report.
fn parse<T: DeserializeOwned>(fields: Value) -> Option<T> {
    serde_json::from_value(fields).ok()
}

fn parsed<T: DeserializeOwned>(rows: Vec<Value>) -> Vec<T> {
    rows.into_iter().filter_map(parse).collect()
}
