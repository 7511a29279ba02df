//! Keukentafel's server. [`app`] builds the whole router from a state, so that tests drive it
//! without a socket; [`run`] is what the binary does.

pub mod accounts;
pub mod agenda;
pub mod anonymous;
pub mod assets;
pub mod audit;
pub mod caseload;
pub mod commands;
pub mod config;
pub mod db;
pub mod figures;
pub mod health;
pub mod households;
pub mod http;
pub mod metrics;
pub mod openapi;
pub mod pdf;
pub mod pwa;
pub mod reference;
pub mod retention;
pub mod security;
pub mod signals;
pub mod sync;
pub mod telemetry;
pub mod zgw;

use app::{client_shell, shell, App};
use axum::{extract::FromRef, routing::get, Router};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use sqlx::PgPool;
use std::sync::Arc;
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
use tower_http::{compression::CompressionLayer, trace::TraceLayer};

pub use http::{Error, Result};

/// Everything a request handler may need.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub pool: PgPool,
    /// Where the figures and the caseload list read: a streaming replica when configured
    /// (`KEUKENTAFEL_READ_DATABASE_URL`), else `pool`. Nothing written goes here. (Skipped by
    /// `FromRef`: extractors of a `PgPool` get the primary.)
    #[from_ref(skip)]
    pub reads: PgPool,
    pub assets: Arc<pwa::AssetVersions>,
    /// Session cookies carry `Secure` (the server runs behind TLS).
    pub secure_cookies: bool,
    /// Sign-in limits and session settings.
    pub access: Arc<accounts::guard::SignInGuard>,
    /// The bearer token for `/metrics` on the app's address; none: no `/metrics` there.
    pub metrics_token: Option<Arc<str>>,
    /// The ZGW export, when a zaaksysteem is configured.
    pub zgw: Option<Arc<zgw::Export>>,
}

impl AppState {
    pub fn new(leptos_options: LeptosOptions, pool: PgPool) -> Self {
        let assets = Arc::new(pwa::AssetVersions::new(&leptos_options));
        Self {
            leptos_options,
            reads: pool.clone(),
            pool,
            assets,
            secure_cookies: false,
            access: Arc::new(accounts::guard::SignInGuard::new(Default::default())),
            metrics_token: None,
            zgw: None,
        }
    }
}

/// The whole HTTP surface of Keukentafel.
pub fn app(state: AppState) -> Router {
    metrics::handle();
    let routes = generate_route_list(App);
    let context = {
        let assets = state.assets.clone();
        let options = state.leptos_options.clone();
        move || {
            let version = assets.current();
            pwa::provide_split_manifest(&options, &version.0);
            provide_context(version);
            security::page_policy();
        }
    };
    let options = state.leptos_options.clone();
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/sw.js", get(pwa::service_worker))
        .route("/pkg/{*file}", get(assets::asset))
        .merge(openapi::router().0)
        .merge(metrics::routes())
        .route(
            pwa::CLIENT_SHELL_PATH,
            get(leptos_axum::render_app_to_stream_with_context(
                context.clone(),
                move || client_shell(options.clone()),
            )),
        )
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context, shell))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security::headers,
        ))
        .layer(CompressionLayer::new().compress_when(per_request()))
        .layer(axum::middleware::from_fn(metrics::track))
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .with_state(state)
}

/// Reads the configuration, connects and migrates the database, and serves until a shutdown
/// signal arrives.
/// What is compressed per request: pages and API answers, not the built assets (compressed
/// once at build time, `assets`).
fn per_request() -> impl Predicate {
    DefaultPredicate::new()
        .and(NotForContentType::const_new("application/wasm"))
        .and(NotForContentType::const_new("text/javascript"))
        .and(NotForContentType::const_new("text/css"))
}

/// A request's log span: its method and route, never its query string (a search for a
/// resident's name travels in one: `/api/caseload?q=…`) or its path's ids.
fn request_span(request: &axum::http::Request<axum::body::Body>) -> tracing::Span {
    let route = request
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map_or("unrouted", |path| path.as_str());
    tracing::debug_span!("request", method = %request.method(), route)
}

pub async fn run() -> Result<()> {
    let leptos = get_configuration(None).map_err(|e| Error::Config(e.to_string()))?;
    let config = config::Config::from_env(leptos.leptos_options.site_addr)?;
    telemetry::init(&config);
    let pool = db::connect_with(&config.database_url, config.db_connections).await?;
    if config.migration_database_url == config.database_url {
        db::migrate(&pool).await?;
    } else {
        let direct = db::connect_with(&config.migration_database_url, 1).await?;
        db::migrate(&direct).await?;
        direct.close().await;
    }
    let reads = match &config.read_database_url {
        Some(url) => db::connect_with(url, config.db_connections).await?,
        None => pool.clone(),
    };
    let adopted = households::adopt_plan_coordinators(&pool).await?;
    if adopted > 0 {
        tracing::info!(adopted, "regisseurs taken over from the plans' free text");
    }
    if !assets::precompressed(&leptos.leptos_options) {
        tracing::warn!("the built assets have no compressed copies (scripts/lib/compress-assets): they go out uncompressed");
    }
    let mut state = AppState::new(leptos.leptos_options, pool.clone());
    state.reads = reads;
    state.secure_cookies = config.secure_cookies;
    state.access = Arc::new(accounts::guard::SignInGuard::new(config.access.clone()));
    state.metrics_token = config.metrics_token.as_deref().map(Arc::from);
    if let Some(settings) = config.zgw.clone() {
        let export = Arc::new(zgw::Export {
            client: Arc::new(zgw::ZgwClient::new(settings)),
            wake: Arc::new(tokio::sync::Notify::new()),
        });
        zgw::spawn_worker(pool.clone(), export.client.clone(), export.wake.clone());
        tracing::info!("zgw export on");
        state.zgw = Some(export);
    }
    if let Some(address) = config.metrics_listen {
        let listener = tokio::net::TcpListener::bind(address)
            .await
            .map_err(|e| Error::Config(format!("cannot listen on {address}: {e}")))?;
        tracing::info!(%address, "metrics listening");
        let operations = metrics::operations_router(pool.clone());
        tokio::spawn(async move { axum::serve(listener, operations).await });
    }
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|e| Error::Config(format!("cannot listen on {}: {e}", config.listen)))?;
    tracing::info!(address = %config.listen, version = shared::APP_VERSION, "listening");
    // The client's address feeds the per-address sign-in limit.
    let service = app(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, service)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| Error::Internal(format!("server failed: {e}")))?;
    pool.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Ctrl-C or SIGTERM: stop accepting, finish the requests in flight, then return.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
