//! Extractors whose rejections (malformed JSON, a bad query string or path, a body over the
//! limit) become [`super::Error`]: the same JSON shape and Dutch words as every other refusal,
//! instead of axum's plain-text English.

use super::Error;

/// A JSON body.
#[derive(axum::extract::FromRequest)]
#[from_request(via(axum::Json), rejection(Error))]
pub struct ApiJson<T>(pub T);

/// The query string.
#[derive(axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(Error))]
pub struct ApiQuery<T>(pub T);

/// Path parameters.
#[derive(axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(Error))]
pub struct ApiPath<T>(pub T);
