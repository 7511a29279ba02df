//! The front door in figures for the coordinator (docs/figures.md): per period and team, as JSON
//! for the page and as CSV per table. Counts only: no resident's data leaves in a figure.

pub mod queries;

use crate::http::{csv::Csv, ApiPath, Download, Principal};
use crate::{AppState, Error, Result};
use axum::{
    extract::{Query, State},
    http::StatusCode,
    response::Response,
    Json,
};
use queries::Scope;
use serde::Deserialize;
use shared::figures::{self, Count, FrontDoorFigures};
use shared::model::quick_scan::OutcomeKind;
use shared::model::{Role, Scheme};
use shared::reference::Catalogue;
use sqlx::PgPool;
use time::Date;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(all))
        .routes(routes!(csv))
}

time::serde::format_description!(iso_date, Date, "[year]-[month]-[day]");

/// `team` is a team of the coordinator's municipality, `alle` for all of them, or absent for
/// the coordinator's own team.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Request {
    #[serde(with = "iso_date")]
    #[param(value_type = String, format = Date)]
    from: Date,
    #[serde(with = "iso_date")]
    #[param(value_type = String, format = Date)]
    to: Date,
    team: Option<String>,
}

type RequestQuery = std::result::Result<Query<Request>, axum::extract::rejection::QueryRejection>;

fn parse(query: RequestQuery) -> Result<Request> {
    let Query(request) = query.map_err(|_| {
        Error::refused(
            StatusCode::BAD_REQUEST,
            "Geef een periode op als from=JJJJ-MM-DD&to=JJJJ-MM-DD.",
        )
    })?;
    figures::check_period(request.from, request.to)
        .map_err(|message| Error::refused(StatusCode::BAD_REQUEST, message))?;
    Ok(request)
}

/// The teams a request counts, and how the page names them.
async fn scope(pool: &PgPool, principal: &Principal, request: &Request) -> Result<(Scope, String)> {
    principal.require(&[Role::Coordinator])?;
    let teams = sqlx::query!(
        "SELECT t.id, t.name FROM team t WHERE t.municipality_id = $1 ORDER BY t.id",
        principal.municipality
    )
    .fetch_all(pool)
    .await?;
    let wanted = request.team.as_deref().or(principal.team.as_deref());
    let (ids, label) = match wanted {
        Some("alle") => (
            teams.iter().map(|t| t.id.clone()).collect(),
            "Alle teams".to_owned(),
        ),
        Some(id) => match teams.iter().find(|t| t.id == id) {
            Some(team) => (vec![team.id.clone()], team.name.clone()),
            None => {
                return Err(Error::refused(
                    StatusCode::NOT_FOUND,
                    "Dit team bestaat niet in uw gemeente.",
                ))
            }
        },
        None => return Err(Error::refused(StatusCode::BAD_REQUEST, "Kies een team.")),
    };
    Ok((
        Scope {
            teams: ids,
            from: request.from,
            to: request.to,
        },
        label,
    ))
}

fn labelled(rows: Vec<(String, i64)>, label: impl Fn(&str) -> Option<String>) -> Vec<Count> {
    rows.into_iter()
        .map(|(key, count)| Count {
            label: label(&key).unwrap_or_else(|| key.clone()),
            key,
            count,
        })
        .collect()
}

/// Every figure for one scope and period, counted against `today` for open deadlines; partner
/// names and life-domain labels from `municipality`'s reference data.
pub async fn compute(
    pool: &PgPool,
    municipality: &str,
    scope: &Scope,
    label: String,
) -> Result<FrontDoorFigures> {
    let catalogue = Catalogue::with(&crate::reference::load(pool, municipality).await?);
    let mut db = queries::snapshot(pool).await?;
    let today = crate::db::local_today(&mut *db).await?;
    let per_day = queries::contacts_per_day(&mut db, scope).await?;
    let per_week = queries::contacts_per_week(&mut db, scope).await?;
    let domains = queries::questions_per_domain(&mut db, scope).await?;
    let outcomes = queries::outcomes(&mut db, scope).await?;
    let referrals = queries::referrals(&mut db, scope).await?;
    let meldingen = queries::meldingen(&mut db, scope).await?;
    let anonymous = queries::contacts_without_resident(&mut db, scope).await?;
    let per_scheme = queries::questions_per_scheme(&mut db, scope).await?;
    let question_mix = queries::question_mix(&mut db, scope).await?;
    let signals_per_source = queries::signals_per_source(&mut db, scope).await?;
    let mut questions_per_scheme = labelled(per_scheme, |k| match k {
        "" => Some("Niet vastgelegd".to_owned()),
        k => Scheme::from_key(k).map(|s| s.label().to_owned()),
    });
    questions_per_scheme.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label)));
    let lead_days = meldingen
        .iter()
        .filter_map(|(m, first)| first.map(|c| (c - m.notification_date).whole_days()))
        .collect();
    let dates: Vec<_> = meldingen.iter().map(|(m, _)| *m).collect();
    Ok(FrontDoorFigures {
        from: scope.from.to_string(),
        to: scope.to.to_string(),
        scope: label,
        contacts_per_day: per_day,
        contacts_per_week: per_week,
        questions_per_domain: labelled(domains, |k| {
            catalogue.life_domain_label(k).map(str::to_owned)
        }),
        outcomes: labelled(outcomes, |k| {
            OutcomeKind::from_key(k).map(|o| o.label().to_owned())
        }),
        referrals: labelled(referrals, |k| {
            catalogue.social_map().partner(k).map(|p| p.name.clone())
        }),
        melding_to_conversation: figures::lead_time(meldingen.len() as i64, lead_days),
        deadlines: figures::deadline_counts(&dates, today),
        contacts_without_resident: anonymous,
        questions_per_scheme,
        question_mix,
        signals_per_source,
    })
}

#[utoipa::path(
    get,
    path = "/api/figures",
    tag = "figures",
    params(Request),
    responses(
        (status = 200, description = "The front door's figures for the period", body = FrontDoorFigures),
        crate::openapi::Refusals,
    ),
    security(("session" = [], "unlock" = [])),
)]
async fn all(
    State(state): State<AppState>,
    principal: Principal,
    query: RequestQuery,
) -> Result<Json<FrontDoorFigures>> {
    let request = parse(query)?;
    let (scope, label) = scope(&state.reads, &principal, &request).await?;
    Ok(Json(
        compute(&state.reads, &principal.municipality, &scope, label).await?,
    ))
}

/// A download link: counts only, no resident data, so the cookie suffices.
#[utoipa::path(
    get,
    path = "/api/figures/csv/{table}",
    tag = "figures",
    params(
        ("table" = String, Path, description = "One of the figures' tables (`FrontDoorFigures::table`)"),
        Request,
    ),
    responses(
        (status = 200, description = "The table as CSV", content_type = "text/csv", body = String),
        crate::openapi::Refusals,
    ),
    security(("session" = [])),
)]
async fn csv(
    State(state): State<AppState>,
    Download(principal): Download,
    ApiPath(table): ApiPath<String>,
    query: RequestQuery,
) -> Result<Response> {
    let request = parse(query)?;
    if !figures::TABLE_KEYS.contains(&table.as_str()) {
        return Err(Error::refused(
            StatusCode::NOT_FOUND,
            format!("Onbekende tabel: {table}."),
        ));
    }
    let (scope, label) = scope(&state.reads, &principal, &request).await?;
    let figures = compute(&state.reads, &principal.municipality, &scope, label).await?;
    let table = figures.table(&table).ok_or(Error::NotFound)?;
    let mut csv = Csv::new(&table.headers);
    for row in &table.rows {
        csv.row(row);
    }
    Ok(csv.download(&format!(
        "{}-{}-{}.csv",
        table.key, request.from, request.to
    )))
}
