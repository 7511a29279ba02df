//! Keukentafel's server. [`app`] builds the whole router from a state, so that tests drive it
//! without a socket; [`run`] is what the binary does.

pub mod accounts;
pub mod audit;
pub mod caseload;
pub mod config;
pub mod db;
pub mod figures;
pub mod health;
pub mod households;
pub mod http;
pub mod pwa;
pub mod reference;
pub mod retention;
pub mod security;
pub mod sync;
pub mod telemetry;

use app::{client_shell, shell, App};
use axum::{extract::FromRef, routing::get, Router};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use sqlx::PgPool;
use std::sync::Arc;
use tower_http::{compression::CompressionLayer, trace::TraceLayer};

pub use http::{Error, Result};

/// Everything a request handler may need.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub pool: PgPool,
    pub assets: Arc<pwa::AssetVersions>,
    /// Session cookies carry `Secure` (the server runs behind TLS).
    pub secure_cookies: bool,
    /// Sign-in limits and session settings.
    pub access: Arc<accounts::guard::SignInGuard>,
}

impl AppState {
    pub fn new(leptos_options: LeptosOptions, pool: PgPool) -> Self {
        let assets = Arc::new(pwa::AssetVersions::new(&leptos_options));
        Self {
            leptos_options,
            pool,
            assets,
            secure_cookies: false,
            access: Arc::new(accounts::guard::SignInGuard::new(Default::default())),
        }
    }
}

/// The whole HTTP surface of Keukentafel.
pub fn app(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let context = {
        let assets = state.assets.clone();
        move || {
            provide_context(assets.current());
            security::page_policy();
        }
    };
    let options = state.leptos_options.clone();
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/sw.js", get(pwa::service_worker))
        .merge(sync::routes())
        .merge(accounts::routes())
        .merge(audit::routes())
        .merge(figures::routes())
        .merge(caseload::routes())
        .merge(households::routes())
        .merge(reference::routes())
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
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Reads the configuration, connects and migrates the database, and serves until a shutdown
/// signal arrives.
pub async fn run() -> Result<()> {
    let leptos = get_configuration(None).map_err(|e| Error::Config(e.to_string()))?;
    let config = config::Config::from_env(leptos.leptos_options.site_addr)?;
    telemetry::init(&config);
    let pool = db::connect(&config.database_url).await?;
    db::migrate(&pool).await?;
    let mut state = AppState::new(leptos.leptos_options, pool.clone());
    state.secure_cookies = config.secure_cookies;
    state.access = Arc::new(accounts::guard::SignInGuard::new(config.access.clone()));
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

/// `server create-account`: creates an account (the first administrator, typically) from the
/// command line. The password comes from `KEUKENTAFEL_PASSWORD` or, when unset, standard input.
pub async fn create_account_command(args: &[String]) -> Result<()> {
    let usage = || {
        Error::Config(
            "usage: server create-account --email E --name N --role R [--team T] [--municipality M] [--second-factor BASE32]"
                .into(),
        )
    };
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let role = value("--role")
        .and_then(|r| shared::model::Role::from_key(&r))
        .ok_or_else(usage)?;
    let password = match config::provisioning_password() {
        Some(password) => password,
        None => {
            let mut line = String::new();
            std::io::stdin()
                .read_line(&mut line)
                .map_err(|e| Error::Config(format!("cannot read the password: {e}")))?;
            line.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    let database_url = config::database_url()?;
    let pool = db::connect(&database_url).await?;
    db::migrate(&pool).await?;
    let id = accounts::create_account(
        &pool,
        accounts::NewAccount {
            email: value("--email").ok_or_else(usage)?,
            name: value("--name").ok_or_else(usage)?,
            role,
            team: value("--team"),
            municipality: value("--municipality").unwrap_or_else(|| "lindeveen".into()),
            password,
            // The operator typed this password for the person in front of them.
            must_change_password: false,
        },
    )
    .await?;
    // Provisioning (and the browser tests): the second factor enrolled with a known secret.
    if let Some(secret) = value("--second-factor") {
        let secret = accounts::second_factor::from_base32(&secret)
            .ok_or_else(|| Error::Config("--second-factor must be a base32 secret".into()))?;
        sqlx::query("UPDATE account SET totp_secret = $2 WHERE id = $1")
            .bind(id)
            .bind(secret)
            .execute(&pool)
            .await?;
    }
    println!("account {id} created");
    Ok(())
}

/// `server create-team --id T --name N [--municipality M]`: a team (and its place in the sync
/// log). Running it again for an existing team changes nothing.
pub async fn create_team_command(args: &[String]) -> Result<()> {
    let usage =
        || Error::Config("usage: server create-team --id T --name N [--municipality M]".into());
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let id = value("--id").ok_or_else(usage)?;
    let name = value("--name").ok_or_else(usage)?;
    let municipality = value("--municipality").unwrap_or_else(|| "lindeveen".into());
    let database_url = config::database_url()?;
    let pool = db::connect(&database_url).await?;
    db::migrate(&pool).await?;
    let mut tx = pool.begin().await?;
    sqlx::query(
        "INSERT INTO team (id, name, municipality_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    )
    .bind(&id)
    .bind(&name)
    .bind(&municipality)
    .execute(&mut *tx)
    .await?;
    sqlx::query("INSERT INTO scope_counter (team_id) VALUES ($1) ON CONFLICT DO NOTHING")
        .bind(&id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    println!("team {id} ready");
    Ok(())
}

/// `server retention [--dry-run]`: removes closed households whose retention period passed.
pub async fn retention_command(args: &[String]) -> Result<()> {
    let dry_run = args.iter().any(|a| a == "--dry-run");
    let periods = config::retention_periods()?;
    let database_url = config::database_url()?;
    let pool = db::connect(&database_url).await?;
    db::migrate(&pool).await?;
    let removed = retention::run(&pool, periods, dry_run).await?;
    for household in &removed.households {
        println!(
            "{} household {household}",
            if dry_run { "would remove" } else { "removed" }
        );
    }
    println!(
        "{} households, {} records{}",
        removed.households.len(),
        removed.records,
        if dry_run {
            " (dry run: nothing removed)"
        } else {
            ""
        }
    );
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
