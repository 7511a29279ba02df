//! `GET /healthz`: whether the server and its PostgreSQL answer.

use axum::{extract::State, http::StatusCode, Json};
use shared::health::{ComponentStatus, HealthReport};
use sqlx::{Connection, PgPool};
use std::time::Duration;

const PING_TIMEOUT: Duration = Duration::from_secs(2);

pub async fn healthz(State(pool): State<PgPool>) -> (StatusCode, Json<HealthReport>) {
    let database = match tokio::time::timeout(PING_TIMEOUT, ping(&pool)).await {
        Ok(Ok(())) => ComponentStatus::Up,
        Ok(Err(error)) => {
            tracing::warn!(%error, "health check: database down");
            ComponentStatus::Down
        }
        Err(_) => {
            tracing::warn!("health check: database did not answer in time");
            ComponentStatus::Down
        }
    };
    let report = HealthReport::from_database(database, shared::APP_VERSION);
    let status = if report.is_healthy() {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(report))
}

async fn ping(pool: &PgPool) -> Result<(), sqlx::Error> {
    pool.acquire().await?.ping().await
}
