//! Extractors whose rejections (malformed JSON, a bad query string or path, a body over the
//! limit) become [`super::Error`]: the same JSON shape and Dutch words as every other refusal,
//! instead of axum's plain-text English. They also refuse the NUL character, which PostgreSQL
//! cannot store in text or JSON (it made the database fail: a 500, found by Schemathesis) —
//! except in a device's queued batch ([`BatchJson`]), where the shared checks refuse it per item.

use super::Error;
use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::{request::Parts, StatusCode};
use serde::de::DeserializeOwned;

/// A JSON body.
pub struct ApiJson<T>(pub T);

/// A batch from a device's queue (sync changes, one-way items, access events). NUL is not refused
/// for the whole request here: one bad item would then block every later one on the device
/// forever. The shared checks refuse such an item alone, with its reason, and the rest goes on.
#[derive(axum::extract::FromRequest)]
#[from_request(via(axum::Json), rejection(Error))]
pub struct BatchJson<T>(pub T);

/// The query string.
pub struct ApiQuery<T>(pub T);

/// Path parameters.
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = Error;

    async fn from_request(request: Request, state: &S) -> Result<Self, Error> {
        let (parts, body) = request.into_parts();
        // The body limit and its rejection are Bytes's; the content type and parsing axum::Json's.
        let bytes = Bytes::from_request(Request::from_parts(parts.clone(), body), state)
            .await
            .map_err(axum::extract::rejection::JsonRejection::from)?;
        refuse_nul_in_json(&bytes)?;
        let request = Request::from_parts(parts, Body::from(bytes));
        let axum::Json(value) = axum::Json::<T>::from_request(request, state).await?;
        Ok(ApiJson(value))
    }
}

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Error> {
        refuse_nul_in_uri(parts.uri.query().unwrap_or_default())?;
        let Query(value) = Query::<T>::from_request_parts(parts, state).await?;
        Ok(ApiQuery(value))
    }
}

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Error> {
        refuse_nul_in_uri(parts.uri.path())?;
        let Path(value) = Path::<T>::from_request_parts(parts, state).await?;
        Ok(ApiPath(value))
    }
}

fn nul_refused(status: StatusCode) -> Error {
    Error::refused(
        status,
        "De tekst bevat een nul-teken (U+0000); dat kan niet worden bewaard. Haal het weg en probeer het opnieuw.",
    )
}

/// In a URI a NUL can only travel percent-encoded.
fn refuse_nul_in_uri(text: &str) -> Result<(), Error> {
    if text.contains("%00") {
        return Err(nul_refused(StatusCode::BAD_REQUEST));
    }
    Ok(())
}

/// JSON text holds a NUL only as the escape `\u0000` (a raw one is not JSON): one whose
/// backslash is not itself escaped, that is, preceded by an even number of backslashes.
pub fn refuse_nul_in_json(bytes: &[u8]) -> Result<(), Error> {
    const ESCAPE: &[u8] = b"\\u0000";
    let found = bytes.contains(&0)
        || bytes.windows(ESCAPE.len()).enumerate().any(|(i, w)| {
            w == ESCAPE && bytes[..i].iter().rev().take_while(|b| **b == b'\\').count() % 2 == 0
        });
    if found {
        return Err(nul_refused(StatusCode::UNPROCESSABLE_ENTITY));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nul_escape_is_found_and_an_escaped_backslash_before_u0000_is_text() {
        assert!(refuse_nul_in_json(br#"{"a":"x\u0000"}"#).is_err());
        assert!(refuse_nul_in_json(br#"{"a":"\\\u0000"}"#).is_err());
        assert!(refuse_nul_in_json(b"{\"a\":\"\0\"}").is_err());
        // `\\u0000` is a backslash followed by the letters u0000: no NUL.
        assert!(refuse_nul_in_json(br#"{"a":"\\u0000"}"#).is_ok());
        assert!(refuse_nul_in_json(br#"{"a":"\u0001 and u0000"}"#).is_ok());
        assert!(refuse_nul_in_uri("q=%00").is_err());
        assert!(refuse_nul_in_uri("q=%2500").is_ok());
    }
}
