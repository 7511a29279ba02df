//! The connection pool and the migrations. Queries live with their aggregate's module.

use crate::Result;
use sqlx::{migrate::Migrator, postgres::PgPoolOptions, PgPool};
use std::time::Duration;

pub static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

/// How long a request waits for a connection before the server answers 503.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(3);
/// How long start-up waits for a database that is still starting.
const STARTUP_ATTEMPTS: u32 = 30;

/// A pool of the default size (10), for the commands, benches and tests.
pub async fn connect(database_url: &str) -> Result<PgPool> {
    connect_with(database_url, 10).await
}

/// A pool of `max` connections; waits for a database that is still starting.
pub async fn connect_with(database_url: &str, max: u32) -> Result<PgPool> {
    let options = PgPoolOptions::new()
        .max_connections(max)
        .acquire_timeout(ACQUIRE_TIMEOUT);
    let mut attempt = 1;
    loop {
        match options.clone().connect(database_url).await {
            Ok(pool) => return Ok(pool),
            Err(error) if attempt < STARTUP_ATTEMPTS => {
                tracing::warn!(%error, attempt, "database not reachable yet, retrying");
                tokio::time::sleep(Duration::from_secs(1)).await;
                attempt += 1;
            }
            Err(error) => return Err(error.into()),
        }
    }
}

pub async fn migrate(pool: &PgPool) -> Result<()> {
    MIGRATOR.run(pool).await?;
    tracing::info!(
        migrations = MIGRATOR.iter().count(),
        "database schema up to date"
    );
    Ok(())
}

/// Today's date where the municipalities work (Europe/Amsterdam), by the database's clock, so
/// every office query counts against the same day.
pub async fn local_today<'e>(db: impl sqlx::PgExecutor<'e>) -> Result<time::Date> {
    Ok(
        sqlx::query_scalar!(r#"SELECT (now() AT TIME ZONE 'Europe/Amsterdam')::date AS "today!""#)
            .fetch_one(db)
            .await?,
    )
}
