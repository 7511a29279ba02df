//! Sessions: a random token in an HttpOnly, SameSite=Strict cookie; the server keeps only its
//! SHA-256. [`Principal`] is the signed-in worker, extracted from the cookie on every request.

use crate::{AppState, Error, Result};
use axum::{extract::FromRequestParts, http::request::Parts, http::StatusCode};
use rand::Rng;
use sha2::{Digest, Sha256};
use shared::model::{Id, Role, SessionInfo};
use sqlx::PgPool;

pub const COOKIE: &str = "kt_session";
/// A session ends twelve hours after sign-in: one working day, never overnight.
pub const LIFETIME_HOURS: i64 = 12;

/// The signed-in worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub account_id: Id,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub team: Option<String>,
    pub municipality: String,
}

impl Principal {
    pub fn info(&self) -> SessionInfo {
        SessionInfo {
            account_id: self.account_id,
            name: self.name.clone(),
            email: self.email.clone(),
            role: self.role,
            team: self.team.clone(),
            municipality: self.municipality.clone(),
        }
    }

    /// Refuses (403) unless the worker has one of `roles`.
    pub fn require(&self, roles: &[Role]) -> Result<()> {
        if roles.contains(&self.role) {
            Ok(())
        } else {
            Err(Error::refused(
                StatusCode::FORBIDDEN,
                format!("the role {} may not do this", self.role.key()),
            )
            .with_code(shared::sync::codes::FORBIDDEN))
        }
    }
}

fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// Opens a session and returns its token (for the cookie).
pub async fn create(pool: &PgPool, account_id: Id) -> Result<String> {
    let bytes: [u8; 32] = rand::rng().random();
    let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    sqlx::query!(
        "INSERT INTO session (token_hash, account_id, expires_at)
         VALUES ($1, $2, now() + make_interval(hours => $3))",
        token_hash(&token),
        account_id,
        LIFETIME_HOURS as i32
    )
    .execute(pool)
    .await?;
    Ok(token)
}

pub async fn end(pool: &PgPool, token: &str) -> Result<()> {
    sqlx::query!(
        "DELETE FROM session WHERE token_hash = $1",
        token_hash(token)
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// The session token in the request's cookies.
pub fn token(headers: &axum::http::HeaderMap) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.to_owned())
}

pub fn set_cookie(token: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!(
        "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{secure}",
        LIFETIME_HOURS * 3600
    )
}

pub fn clear_cookie(secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{secure}")
}

pub async fn principal(pool: &PgPool, token: &str) -> Result<Option<Principal>> {
    let row = sqlx::query!(
        "SELECT a.id, a.name, a.email, a.role, a.team_id, a.municipality_id
         FROM session s JOIN account a ON a.id = s.account_id
         WHERE s.token_hash = $1 AND s.expires_at > now()",
        token_hash(token)
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.and_then(|r| {
        Some(Principal {
            account_id: r.id,
            name: r.name,
            email: r.email,
            role: Role::from_key(&r.role)?,
            team: r.team_id,
            municipality: r.municipality_id,
        })
    }))
}

impl FromRequestParts<AppState> for Principal {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        let signed_out = || {
            Error::refused(StatusCode::UNAUTHORIZED, "sign in first")
                .with_code(shared::sync::codes::SIGNED_OUT)
        };
        let token = token(&parts.headers).ok_or_else(signed_out)?;
        principal(&state.pool, &token).await?.ok_or_else(signed_out)
    }
}
