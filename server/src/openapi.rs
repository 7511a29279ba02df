//! The OpenAPI 3.1 description of `/api`, generated from the handlers themselves: every feature
//! module registers its routes with `utoipa_axum::routes!`, which adds the handler to the router
//! and its `#[utoipa::path]` to the description in one step, so a route cannot be served
//! undescribed (`tests/openapi.rs` checks the description against the router both ways).
//! Served at `GET /api/openapi.json`; Schemathesis fuzzes the API from it (`scripts/fuzz-api`).

use crate::http::ErrorBody;
use crate::AppState;
use axum::{http::header::CONTENT_TYPE, routing::get, Router};
use std::sync::Arc;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::openapi::OpenApi as Description;
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

pub const PATH: &str = "/api/openapi.json";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Keukentafel",
        description = "The API of Keukentafel, the front door of the social domain: devices sync \
            through it, office staff read and manage through it. Errors are JSON with `error` \
            (Dutch words for the worker), an optional stable `code` and per-field `fields`.",
        license(name = "EUPL-1.2")
    ),
    modifiers(&Security),
    components(schemas(ErrorBody)),
)]
struct Api;

/// The session cookie, and the unlock proof the app sends for anything with residents' data
/// (`http::principal`).
struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut Description) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::http::principal::COOKIE,
                "The session, set by POST /api/session.",
            ))),
        );
        components.add_security_scheme(
            "unlock",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                shared::sync::UNLOCK_HEADER,
                "The unlock proof from sign-in: residents' data needs it beside the cookie.",
            ))),
        );
    }
}

/// The refusals any route may answer with, each with the one error body (`http::error`).
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)] // Describes responses; never built.
pub enum Refusals {
    /// The request could not be read (malformed JSON, a wrong path or query parameter).
    #[response(status = 400)]
    BadRequest(ErrorBody),
    /// Not signed in, the session ended or is locked, or the unlock proof is missing.
    #[response(status = 401)]
    SignedOut(ErrorBody),
    /// The role or the household's access does not allow it.
    #[response(status = 403)]
    Forbidden(ErrorBody),
    #[response(status = 404)]
    NotFound(ErrorBody),
    /// It clashes with what is there now (already done, a newer version).
    #[response(status = 409)]
    Conflict(ErrorBody),
    #[response(status = 413)]
    TooLarge(ErrorBody),
    /// Not JSON.
    #[response(status = 415)]
    UnsupportedMediaType(ErrorBody),
    /// Fields with problems, each named.
    #[response(status = 422)]
    Invalid(ErrorBody),
    /// An app too old for this server.
    #[response(status = 426)]
    UpgradeRequired(ErrorBody),
    /// Too many attempts: wait.
    #[response(status = 429)]
    TooMany(ErrorBody),
    /// The database does not answer now: try again later.
    #[response(status = 503)]
    Unavailable(ErrorBody),
}

/// Every `/api` route with its description, assembled from the feature modules.
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(Api::openapi())
        .merge(crate::sync::routes())
        .merge(crate::accounts::routes())
        .merge(crate::audit::routes())
        .merge(crate::figures::routes())
        .merge(crate::caseload::routes())
        .merge(crate::agenda::routes())
        .merge(crate::anonymous::routes())
        .merge(crate::signals::routes())
        .merge(crate::households::routes())
        .merge(crate::reference::routes())
        .merge(crate::zgw::routes())
}

/// The router for `/api` plus `GET /api/openapi.json` serving its description (made once, at
/// start-up: it depends only on the code).
pub fn router() -> (Router<AppState>, Description) {
    let (router, description) = api().split_for_parts();
    let json: Arc<str> = description
        .to_pretty_json()
        .expect("the OpenAPI description serialises")
        .into();
    let router = router.route(
        PATH,
        get(move || async move { ([(CONTENT_TYPE, "application/json")], json.to_string()) }),
    );
    (router, description)
}
