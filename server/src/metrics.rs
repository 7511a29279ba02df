//! Operations figures in Prometheus's text format: requests by route and status with their
//! durations, sync outcomes and pulled entries, the database pool, the build. Never public:
//! served on a listen address of its own (`KEUKENTAFEL_METRICS_LISTEN`, for the operations
//! network) or on the app's address only with the bearer token `KEUKENTAFEL_METRICS_TOKEN`;
//! with neither, `/metrics` does not exist. Labels name routes as declared (`/api/households/{id}`),
//! never a resident's data.

use crate::{AppState, Error, Result};
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use sqlx::PgPool;
use std::sync::OnceLock;
use std::time::Instant;

const REQUESTS: &str = "keukentafel_http_requests_total";
const DURATION: &str = "keukentafel_http_request_duration_seconds";
const CHANGES: &str = "keukentafel_sync_changes_total";
const PULLED: &str = "keukentafel_sync_pulled_entries_total";

/// The process's recorder, installed once (by `app()`: the tests build many apps in one
/// process); figures recorded before it would be lost.
pub fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let buckets = [
            0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
        ];
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Full(DURATION.into()), &buckets)
            .expect("buckets are not empty")
            .build_recorder();
        let handle = recorder.handle();
        // Another recorder installed first (none is) would only leave these figures empty.
        let _ = metrics::set_global_recorder(recorder);
        handle
    })
}

/// Counts and times every request by method, declared route and status.
pub async fn track(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().to_string();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unrouted".to_owned(), |path| path.as_str().to_owned());
    let response = next.run(request).await;
    let labels = [
        ("method", method),
        ("route", route),
        ("status", response.status().as_u16().to_string()),
    ];
    metrics::counter!(REQUESTS, &labels).increment(1);
    metrics::histogram!(DURATION, &labels).record(started.elapsed().as_secs_f64());
    response
}

/// A push's changes by outcome (`applied`, `duplicate`, `rejected`, `conflict`).
pub fn sync_changes(outcome: &'static str, count: usize) {
    metrics::counter!(CHANGES, "outcome" => outcome).increment(count as u64);
}

/// Log entries a pull sent to a device.
pub fn pulled(count: usize) {
    metrics::counter!(PULLED).increment(count as u64);
}

/// One run of the ZGW outbox for one melding: `delivered` or `failed`.
pub fn zgw_delivery(outcome: &'static str) {
    metrics::counter!("keukentafel_zgw_deliveries_total", "outcome" => outcome).increment(1);
}

/// The ZGW queue's length and how many of its meldingen failed at least once, counted after
/// each run of the worker (so at most its interval old).
pub async fn zgw_queue(pool: &PgPool) {
    let counted = sqlx::query!(
        r#"SELECT count(*) AS "waiting!", count(*) FILTER (WHERE attempts > 0) AS "failing!"
             FROM zgw_outbox"#
    )
    .fetch_one(pool)
    .await;
    if let Ok(row) = counted {
        metrics::gauge!("keukentafel_zgw_queue_length").set(row.waiting as f64);
        metrics::gauge!("keukentafel_zgw_queue_failing").set(row.failing as f64);
    }
}

/// The figures now, in Prometheus's text format.
pub fn render(pool: &PgPool) -> String {
    let handle = handle();
    let idle = pool.num_idle() as f64;
    metrics::gauge!("keukentafel_db_pool_connections", "state" => "idle").set(idle);
    metrics::gauge!("keukentafel_db_pool_connections", "state" => "in_use")
        .set(f64::from(pool.size()) - idle);
    metrics::gauge!("keukentafel_db_pool_max_connections")
        .set(f64::from(pool.options().get_max_connections()));
    metrics::gauge!("keukentafel_build_info", "version" => shared::APP_VERSION).set(1.0);
    // Histograms are kept in buckets only after upkeep.
    handle.run_upkeep();
    handle.render()
}

fn text(body: String) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        body,
    )
        .into_response()
}

/// `GET /metrics` on the app's address: with the configured bearer token only.
async fn guarded(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
) -> Result<Response> {
    let Some(token) = state.metrics_token.as_deref() else {
        return Err(Error::NotFound);
    };
    let offered = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "));
    let matches = offered.is_some_and(|offered| {
        use subtle::ConstantTimeEq;
        offered.as_bytes().ct_eq(token.as_bytes()).into()
    });
    if !matches {
        return Err(Error::refused(
            StatusCode::UNAUTHORIZED,
            "Voor /metrics is het token van de beheerder nodig.",
        ));
    }
    Ok(text(render(&state.pool)))
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/metrics", get(guarded))
}

/// The router for the metrics' own listen address: `/metrics`, nothing else.
pub fn operations_router(pool: PgPool) -> Router {
    Router::new().route(
        "/metrics",
        get(move || {
            let pool = pool.clone();
            async move { text(render(&pool)) }
        }),
    )
}
