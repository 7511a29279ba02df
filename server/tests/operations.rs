//! Issue 18 item 4: operations can watch the server without it giving anything away. `/metrics`
//! answers in Prometheus's text format only with the operator's token (or on its own listen
//! address), counts requests by declared route and status and the sync's outcomes; and the
//! server reaches PostgreSQL over TLS (`sslmode=require`).

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{account, push_ok, router, site_root};
use http_body_util::BodyExt;
use shared::model::{Id, Role};
use sqlx::{ConnectOptions, PgPool};
use tower::ServiceExt;

const TOKEN: &str = "operations-token-for-the-tests";

async fn metrics(app: &axum::Router, token: Option<&str>) -> (StatusCode, String) {
    let mut request = Request::get("/metrics");
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    let response = app
        .clone()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned())
}

fn app_with_token(pool: PgPool) -> axum::Router {
    let options = leptos::prelude::LeptosOptions::builder()
        .output_name("keukentafel")
        .site_root(site_root().to_string_lossy().to_string())
        .site_pkg_dir("pkg")
        .build();
    let mut state = server::AppState::new(options, pool);
    state.metrics_token = Some(TOKEN.into());
    server::app(state)
}

#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn metrics_need_the_token_and_count_routes_and_sync_outcomes(pool: PgPool) {
    // Without a token configured there is no /metrics on the app's address.
    let (status, _) = metrics(&router(pool.clone()), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let app = app_with_token(pool.clone());
    for wrong in [None, Some("guess")] {
        let (status, body) = metrics(&app, wrong).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
        assert!(!body.contains("keukentafel_http_requests_total"));
    }
    let (session, _) = account(&pool, Role::Coordinator, Some("wijkteam")).await;
    let (device, home) = (Id::now_v7(), Id::now_v7());
    let change = common::new_household(device, 1, home, "Huishouden Metriek");
    push_ok(&app, &session, device, vec![change]).await;

    let (status, body) = metrics(&app, Some(TOKEN)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(
        body.contains(
            r#"keukentafel_http_requests_total{method="POST",route="/api/sync/push",status="200"}"#
        ),
        "{body}"
    );
    assert!(
        body.contains("keukentafel_http_request_duration_seconds_bucket{"),
        "{body}"
    );
    assert!(
        body.contains(r#"keukentafel_sync_changes_total{outcome="applied"}"#),
        "{body}"
    );
    assert!(body.contains("keukentafel_db_pool_connections{"), "{body}");
    assert!(body.contains(&format!(
        r#"keukentafel_build_info{{version="{}"}} 1"#,
        shared::APP_VERSION
    )));
    // Routes as declared, never the data in a path or a body.
    assert!(!body.contains(&home.to_string()));
    assert!(!body.contains("Metriek"));

    // The operations address serves the same figures without a token, and nothing else.
    let operations = server::metrics::operations_router(pool.clone());
    let (status, body) = metrics(&operations, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("keukentafel_http_requests_total"));
    let response = operations
        .oneshot(Request::get("/healthz").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

/// The last statement the reads pool's one connection ran.
async fn last_read(pool: &PgPool) -> String {
    sqlx::query_scalar(
        "SELECT query FROM pg_stat_activity WHERE application_name = 'keukentafel-reads'",
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

/// Issue 19 item 6: with a replica configured, the figures and the caseload list read from it
/// (here a read-only pool on the same database, so a write there would fail) and nothing else
/// does.
#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn the_figures_and_the_caseload_list_read_from_the_replica(pool: PgPool) {
    let (coordinator, _) = account(&pool, Role::Coordinator, Some("wijkteam")).await;
    let options = pool
        .connect_options()
        .as_ref()
        .clone()
        .application_name("keukentafel-reads")
        .options([("default_transaction_read_only", "on")]);
    let reads = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .unwrap();
    let mut state = common::state(pool.clone());
    state.reads = reads;
    let app = server::app(state);
    let before = last_read(&pool).await;

    let (status, body) = common::send(&app, "GET", "/api/team/roster", &coordinator, None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        last_read(&pool).await,
        before,
        "the roster reads the primary"
    );

    let (status, body) = common::send(&app, "GET", "/api/caseload", &coordinator, None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let after_caseload = last_read(&pool).await;
    assert_ne!(after_caseload, before, "the caseload list read the replica");

    let query = "from=2026-01-05&to=2026-02-28";
    let (status, body) = common::send(
        &app,
        "GET",
        &format!("/api/figures?{query}"),
        &coordinator,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_ne!(
        last_read(&pool).await,
        after_caseload,
        "the figures read the replica"
    );
}

#[tokio::test]
async fn the_database_is_reached_over_tls_when_required() {
    let url = std::env::var("DATABASE_URL").expect("DATABASE_URL (scripts/test sets it)");
    let options: sqlx::postgres::PgConnectOptions = url.parse().unwrap();
    let mut connection = options
        .ssl_mode(sqlx::postgres::PgSslMode::Require)
        .connect()
        .await
        .expect("sslmode=require connects (scripts/lib/pg.sh starts PostgreSQL with TLS)");
    let encrypted: bool =
        sqlx::query_scalar("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            .fetch_one(&mut connection)
            .await
            .unwrap();
    assert!(encrypted);
}
