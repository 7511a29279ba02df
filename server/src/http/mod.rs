//! The HTTP kernel every feature module builds on: one error type mapped to responses in one
//! place ([`error`]), extractors that turn rejections into it ([`extract`]), the signed-in
//! worker ([`principal`]) and file downloads ([`csv`]). It imports no feature module (the
//! office idle limit comes through `AppState`), so the features depend on it and not on each
//! other for these.

pub mod csv;
pub mod error;
pub mod extract;
pub mod principal;

pub use error::{Error, ErrorBody, Result};
pub use extract::{ApiJson, ApiPath, ApiQuery, BatchJson};
pub use principal::{Download, OwnSession, Principal, Pushing};
