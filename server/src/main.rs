//! Starts the Keukentafel server: configuration, logging, database, then the router.

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    match server::run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // Logging may not be set up yet when configuration fails.
            eprintln!("keukentafel: {error}");
            tracing::error!(%error, "server stopped");
            ExitCode::FAILURE
        }
    }
}
