//! Web security basics on every response: a Content-Security-Policy that lets the wasm run and
//! nothing more, the usual hardening headers, and a cross-site check on every state-changing
//! request (on top of the SameSite=Strict session cookie).

use crate::{AppState, Error};
use axum::{
    extract::{Request, State},
    http::{header, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};

/// The policy: our own files, the wasm, and (on pages) the inline scripts that carry this
/// response's nonce — the boot script and Leptos's hydration data. Nothing else runs.
pub fn content_security_policy(nonce: Option<&str>) -> String {
    let inline = nonce.map(|n| format!(" 'nonce-{n}'")).unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{inline}; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; worker-src 'self'; \
         manifest-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; \
         form-action 'self'"
    )
}

/// Called while a page renders: the page's policy names the nonce Leptos made for it.
pub fn page_policy() {
    use leptos::prelude::use_context;
    if let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) {
        if let Ok(value) = HeaderValue::from_str(&content_security_policy(Some(&nonce.to_string())))
        {
            response.insert_header(header::CONTENT_SECURITY_POLICY, value);
        }
    }
}

pub async fn headers(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if let Err(refusal) = check_same_origin(&request) {
        return refusal.into_response();
    }
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    // A page has set its own policy, with its nonce.
    let has_policy = headers.contains_key(header::CONTENT_SECURITY_POLICY);
    let mut set = |name: header::HeaderName, value: &str| {
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.insert(name, value);
        }
    };
    if !has_policy {
        set(
            header::CONTENT_SECURITY_POLICY,
            &content_security_policy(None),
        );
    }
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::X_FRAME_OPTIONS, "DENY");
    set(header::REFERRER_POLICY, "no-referrer");
    set(
        header::HeaderName::from_static("permissions-policy"),
        "camera=(), microphone=(), geolocation=(), payment=()",
    );
    set(
        header::HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    if state.secure_cookies {
        set(header::STRICT_TRANSPORT_SECURITY, "max-age=31536000");
    }
    response
}

/// A browser says where a request comes from (`Sec-Fetch-Site`, `Origin`): a state-changing
/// request from another site is refused. Clients that say nothing (scripts, tests) carry no
/// ambient cookies from a browser, so they pass.
fn check_same_origin(request: &Request) -> Result<(), Error> {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return Ok(());
    }
    let headers = request.headers();
    let refused = || {
        Error::refused(
            StatusCode::FORBIDDEN,
            "Verzoeken vanaf een andere website worden niet aangenomen.",
        )
    };
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        if !matches!(site, "same-origin" | "none") {
            return Err(refused());
        }
    }
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
        let origin_host = origin.split_once("://").map(|(_, rest)| rest);
        if origin_host.is_none() || origin_host != host {
            return Err(refused());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;

    fn post(headers: &[(&str, &str)]) -> Request {
        let mut request = Request::builder().method("POST").uri("/api/sync/push");
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        request.body(Body::empty()).unwrap()
    }

    #[test]
    fn cross_site_posts_are_refused() {
        assert!(check_same_origin(&post(&[])).is_ok());
        assert!(check_same_origin(&post(&[("sec-fetch-site", "same-origin")])).is_ok());
        assert!(check_same_origin(&post(&[("sec-fetch-site", "cross-site")])).is_err());
        assert!(check_same_origin(&post(&[
            ("host", "kt.example"),
            ("origin", "https://kt.example")
        ]))
        .is_ok());
        assert!(check_same_origin(&post(&[
            ("host", "kt.example"),
            ("origin", "https://evil.example")
        ]))
        .is_err());
    }
}
