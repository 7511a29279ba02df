//! Reference data the administrator manages in the app (docs/reference-data.md): the social map
//! (`partners`) and published template versions (`templates`). Every change raises the
//! municipality's `reference_version`; devices fetch `GET /api/reference?since=<version>` with
//! every sync and keep the answer for offline use.

mod partners;
mod templates;

use crate::audit::{self, Action};
use crate::http::{ApiJson, ApiPath, ApiQuery, Download, Principal};
use crate::{AppState, Error, Result};
use axum::{
    body::Bytes,
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Response},
    Json,
};
use serde::{Deserialize, Serialize};
use shared::model::Role;
use shared::reference::{
    check_new_template, Catalogue, PublishedTemplate, ReferenceData, TemplateKind, TemplateRefusal,
};
use shared::social_map::csv::{from_csv, to_csv, ImportSummary};
use shared::social_map::Partner;
use sqlx::{PgExecutor, PgPool};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(reference))
        .routes(routes!(save_partner))
        .routes(routes!(export_csv, import_csv))
        .routes(routes!(list_templates))
        .routes(routes!(publish_template))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct Since {
    /// The version the device holds.
    since: Option<i64>,
}

/// Everything a device keeps, or 204 when it holds the current version already.
#[utoipa::path(
    get,
    path = "/api/reference",
    tag = "reference data",
    params(Since),
    responses(
        (status = 200, description = "The municipality's reference data", body = ReferenceData),
        (status = 204, description = "The device holds the current version"),
        crate::openapi::Refusals,
    ),
    security(("session" = [], "unlock" = [])),
)]
async fn reference(
    State(state): State<AppState>,
    principal: Principal,
    ApiQuery(since): ApiQuery<Since>,
) -> Result<Response> {
    let version = version(&state.pool, &principal.municipality).await?;
    if since.since == Some(version) {
        return Ok(StatusCode::NO_CONTENT.into_response());
    }
    Ok(Json(load(&state.pool, &principal.municipality).await?).into_response())
}

async fn version<'e>(db: impl PgExecutor<'e>, municipality: &str) -> Result<i64> {
    Ok(sqlx::query_scalar!(
        r#"SELECT coalesce((SELECT version FROM reference_version WHERE municipality_id = $1), 1) AS "v!""#,
        municipality
    )
    .fetch_one(db)
    .await?)
}

/// The municipality's reference data as devices receive it.
pub async fn load(pool: &PgPool, municipality: &str) -> Result<ReferenceData> {
    let version = version(pool, municipality).await?;
    let parse = |e: serde_json::Error| Error::Internal(format!("template row: {e}"));
    Ok(ReferenceData {
        version,
        municipality: sqlx::query_scalar!(
            "SELECT name FROM municipality WHERE id = $1",
            municipality
        )
        .fetch_optional(pool)
        .await?
        .unwrap_or_default(),
        partners: partners::list(pool, municipality).await?,
        quick_scans: templates::bodies(pool, municipality, TemplateKind::QuickScan)
            .await?
            .into_iter()
            .map(serde_json::from_value)
            .collect::<Result<_, _>>()
            .map_err(parse)?,
        conversations: templates::bodies(pool, municipality, TemplateKind::Conversation)
            .await?
            .into_iter()
            .map(serde_json::from_value)
            .collect::<Result<_, _>>()
            .map_err(parse)?,
    })
}

/// Raises the version so every device fetches the change with its next sync.
async fn bump<'e>(db: impl PgExecutor<'e>, municipality: &str) -> Result<i64> {
    Ok(sqlx::query_scalar!(
        r#"INSERT INTO reference_version (municipality_id, version) VALUES ($1, 2)
           ON CONFLICT (municipality_id) DO UPDATE SET version = reference_version.version + 1
           RETURNING version"#,
        municipality
    )
    .fetch_one(db)
    .await?)
}

fn unprocessable(message: impl Into<String>) -> Error {
    Error::refused(StatusCode::UNPROCESSABLE_ENTITY, message)
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
struct SavedPartner {
    saved: &'static str,
    version: i64,
}

#[utoipa::path(
    put,
    path = "/api/social-map/partners/{id}",
    tag = "reference data",
    params(("id" = String, Path, description = "The partner's key")),
    request_body = Partner,
    responses(
        (status = 200, description = "Saved, with the new reference version", body = SavedPartner),
        crate::openapi::Refusals,
    ),
    security(("session" = [], "unlock" = [])),
)]
async fn save_partner(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(id): ApiPath<String>,
    ApiJson(partner): ApiJson<Partner>,
) -> Result<Json<SavedPartner>> {
    principal.require(&[Role::Administrator])?;
    if partner.id != id {
        return Err(unprocessable(
            "De code van de partner past niet bij het adres.",
        ));
    }
    let municipality = &principal.municipality;
    let catalogue = Catalogue::with(&load(&state.pool, municipality).await?);
    let domains = catalogue.current_quick_scan().life_domains();
    let known: Vec<&str> = domains.iter().map(|(id, _)| *id).collect();
    partner
        .check(&known)
        .map_err(|errors| unprocessable(errors.sentence()))?;
    let mut tx = state.pool.begin().await?;
    let saved = partners::save(&mut *tx, municipality, &partner).await?;
    let version = if saved == partners::Saved::Unchanged {
        version(&mut *tx, municipality).await?
    } else {
        audit::record(
            &mut *tx,
            audit::Event::by(&principal, Action::PartnerSaved).detail(&partner.id),
        )
        .await?;
        bump(&mut *tx, municipality).await?
    };
    tx.commit().await?;
    let saved = match saved {
        partners::Saved::Added => "added",
        partners::Saved::Changed => "changed",
        partners::Saved::Unchanged => "unchanged",
    };
    Ok(Json(SavedPartner { saved, version }))
}

/// A download link: the social map holds no resident data, so the cookie suffices.
#[utoipa::path(
    get,
    path = "/api/social-map/csv",
    tag = "reference data",
    responses(
        (status = 200, description = "The social map as CSV", content_type = "text/csv", body = String),
        crate::openapi::Refusals,
    ),
    security(("session" = [])),
)]
async fn export_csv(
    State(state): State<AppState>,
    Download(principal): Download,
) -> Result<Response> {
    principal.require(&[Role::Administrator, Role::Coordinator])?;
    let partners = partners::list(&state.pool, &principal.municipality).await?;
    // The social map's own format, read back by the import: written by `shared`, as it is.
    Ok(crate::http::csv::download(
        "sociale-kaart.csv",
        to_csv(&partners),
    ))
}

/// All or nothing: every faulty line is named (422), or every row is stored in one transaction.
/// Partners missing from the file stay as they are.
#[utoipa::path(
    post,
    path = "/api/social-map/csv",
    tag = "reference data",
    request_body(content = String, content_type = "text/csv", description = "The social map as CSV (`;` or `,`)"),
    responses(
        (status = 200, description = "What the import did", body = ImportSummary),
        crate::openapi::Refusals,
    ),
    security(("session" = [], "unlock" = [])),
)]
async fn import_csv(
    State(state): State<AppState>,
    principal: Principal,
    body: Bytes,
) -> Result<Json<ImportSummary>> {
    principal.require(&[Role::Administrator])?;
    let text = std::str::from_utf8(&body)
        .map_err(|_| unprocessable("Het bestand is geen UTF-8-tekst. Sla het op als CSV UTF-8."))?;
    if text.contains('\0') {
        return Err(unprocessable(
            "Het bestand bevat een nul-teken (U+0000); sla het opnieuw op als CSV UTF-8.",
        ));
    }
    let municipality = &principal.municipality;
    let catalogue = Catalogue::with(&load(&state.pool, municipality).await?);
    let partners =
        from_csv(text, &catalogue.current_quick_scan().life_domains()).map_err(|errors| {
            unprocessable(
                errors
                    .iter()
                    .map(|e| format!("Regel {}: {}", e.line, e.message))
                    .collect::<Vec<_>>()
                    .join("\n"),
            )
        })?;
    if partners.is_empty() {
        return Err(unprocessable("Het bestand bevat geen partners."));
    }
    let mut summary = ImportSummary::default();
    let mut tx = state.pool.begin().await?;
    for partner in &partners {
        match partners::save(&mut *tx, municipality, partner).await? {
            partners::Saved::Added => summary.added += 1,
            partners::Saved::Changed => summary.changed += 1,
            partners::Saved::Unchanged => summary.unchanged += 1,
        }
    }
    if summary.added + summary.changed > 0 {
        audit::record(
            &mut *tx,
            audit::Event::by(&principal, Action::PartnersImported).detail(&format!(
                "{} toegevoegd, {} gewijzigd",
                summary.added, summary.changed
            )),
        )
        .await?;
        summary.version = bump(&mut *tx, municipality).await?;
    } else {
        summary.version = version(&mut *tx, municipality).await?;
    }
    tx.commit().await?;
    Ok(Json(summary))
}

/// The shipped versions, then the published ones.
#[utoipa::path(
    get,
    path = "/api/templates",
    tag = "reference data",
    responses(
        (status = 200, description = "Every template version, built-in and published", body = [PublishedTemplate]),
        crate::openapi::Refusals,
    ),
    security(("session" = [], "unlock" = [])),
)]
async fn list_templates(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<Vec<PublishedTemplate>>> {
    principal.require(&[Role::Administrator])?;
    let shipped = Catalogue::shipped();
    let mut list: Vec<PublishedTemplate> = shipped
        .quick_scans()
        .iter()
        .map(|t| (TemplateKind::QuickScan, &t.version, &t.title))
        .chain(
            shipped
                .conversations()
                .iter()
                .map(|t| (TemplateKind::Conversation, &t.version, &t.title)),
        )
        .map(|(kind, version, title)| PublishedTemplate {
            kind,
            version: version.clone(),
            title: title.clone(),
            published_at: None,
            published_by: None,
        })
        .collect();
    list.extend(templates::list(&state.pool, &principal.municipality).await?);
    Ok(Json(list))
}

#[utoipa::path(
    post,
    path = "/api/templates/{kind}",
    tag = "reference data",
    params(
        ("kind" = String, Path, description = "`vraagverkenning`, `gesprek` or `informatie`"),
    ),
    request_body(content = serde_json::Value, content_type = "application/json", description = "The template (docs/reference-data.md)"),
    responses(
        (status = 201, description = "Published", body = PublishedTemplate),
        crate::openapi::Refusals,
    ),
    security(("session" = [], "unlock" = [])),
)]
async fn publish_template(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(kind): ApiPath<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<PublishedTemplate>)> {
    principal.require(&[Role::Administrator])?;
    let kind = TemplateKind::from_key(&kind).ok_or(Error::NotFound)?;
    let municipality = &principal.municipality;
    let catalogue = Catalogue::with(&load(&state.pool, municipality).await?);
    let taken: Vec<String> = match kind {
        TemplateKind::QuickScan => catalogue
            .quick_scans()
            .iter()
            .map(|t| t.version.clone())
            .collect(),
        TemplateKind::Conversation => catalogue
            .conversations()
            .iter()
            .map(|t| t.version.clone())
            .collect(),
    };
    crate::http::extract::refuse_nul_in_json(&body)?;
    let text = String::from_utf8_lossy(&body);
    let version = check_new_template(kind, &text, &taken).map_err(|refusal| {
        let status = match refusal {
            TemplateRefusal::Exists(_) => StatusCode::CONFLICT,
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        };
        Error::refused(status, refusal.to_string())
    })?;
    let body: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| unprocessable(e.to_string()))?;
    let title = body["title"].as_str().unwrap_or_default().to_owned();
    let mut tx = state.pool.begin().await?;
    if !templates::publish(
        &mut *tx,
        municipality,
        kind,
        &version,
        &body,
        principal.account_id,
    )
    .await?
    {
        return Err(Error::refused(
            StatusCode::CONFLICT,
            format!("Versie {version} is zojuist al gepubliceerd."),
        ));
    }
    audit::record(
        &mut *tx,
        audit::Event::by(&principal, Action::TemplatePublished)
            .detail(&format!("{} {version}", kind.key())),
    )
    .await?;
    bump(&mut *tx, municipality).await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(PublishedTemplate {
            kind,
            version,
            title,
            published_at: time::OffsetDateTime::now_utc()
                .format(&time::format_description::well_known::Rfc3339)
                .ok(),
            published_by: Some(principal.name.clone()),
        }),
    ))
}
