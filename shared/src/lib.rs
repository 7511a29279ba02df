//! Keukentafel's shared core: models, validation, the sync protocol and domain rules.
//!
//! This crate knows nothing of the browser or the database, so that the client (wasm) and the
//! server (native) apply exactly the same rules.

pub mod figures;
pub mod health;
pub mod model;
#[cfg(feature = "openapi")]
pub mod openapi;
pub mod reference;
pub mod report;
pub mod rules;
pub mod social_map;
pub mod sync;
pub mod templates;
pub mod zgw;

/// The version of the application, the same on client and server of one build.
pub const APP_VERSION: &str = env!("CARGO_PKG_VERSION");
