//! Starts the Keukentafel server: configuration, logging, database, then the router.

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let result = match args.get(1).map(String::as_str) {
        Some("create-account") => server::commands::create_account_command(&args[2..]).await,
        Some("create-team") => server::commands::create_team_command(&args[2..]).await,
        Some("seed-demo") => server::commands::seed_demo_command().await,
        Some("retention") => server::commands::retention_command(&args[2..]).await,
        _ => server::run().await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // Logging may not be set up yet when configuration fails.
            eprintln!("keukentafel: {error}");
            tracing::error!(%error, "server stopped");
            ExitCode::FAILURE
        }
    }
}
