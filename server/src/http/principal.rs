//! The signed-in worker: a session cookie and, for everything with residents' data, the unlock
//! proof in the `x-keukentafel-unlock` header (see `accounts::session`, which opens and ends
//! sessions). [`Principal`] needs both; the other extractors here relax one rule each, for the
//! few routes that need it.

use super::{Error, Result};
use crate::AppState;
use axum::{extract::FromRequestParts, http::request::Parts, http::StatusCode};
use sha2::{Digest, Sha256};
use shared::model::{Id, Role, SessionInfo};
use shared::sync::{codes, UNLOCK_HEADER};
use sqlx::PgPool;

pub const COOKIE: &str = "kt_session";
/// `last_seen_at` is written at most once a minute per session, not on every request.
const SEEN_EVERY_SECONDS: f64 = 60.0;

/// The signed-in worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub account_id: Id,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub team: Option<String>,
    pub municipality: String,
    /// False for a disabled account (a leaver); only [`Pushing`] lets it through.
    pub active: bool,
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
                format!("Je rol ({}) mag dit niet.", self.role.label()),
            )
            .with_code(codes::FORBIDDEN))
        }
    }

    /// The team of a worker who works with residents (front office, consultant, coordinator);
    /// any other role is refused (403) in words, a worker without a team finds nothing (404).
    pub fn team_worker(&self) -> Result<&str> {
        if !self.role.works_with_residents() {
            return Err(Error::refused(
                StatusCode::FORBIDDEN,
                format!(
                    "Je rol ({}) werkt niet met inwoners in een team.",
                    self.role.label()
                ),
            )
            .with_code(codes::FORBIDDEN));
        }
        self.team.as_deref().ok_or(Error::NotFound)
    }
}

pub(crate) fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
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

/// The account behind a session cookie, checking only that the session lives (for tests and
/// sign-in; requests go through [`authenticate`]).
pub async fn principal(pool: &PgPool, token: &str) -> Result<Option<Principal>> {
    Ok(lookup(pool, token).await?.map(|found| found.principal))
}

struct Found {
    principal: Principal,
    unlock_hash: Vec<u8>,
    locked: bool,
    must_change_password: bool,
    no_second_factor: bool,
    idle_seconds: f64,
}

async fn lookup(pool: &PgPool, token: &str) -> Result<Option<Found>> {
    let row = sqlx::query!(
        r#"SELECT a.id, a.name, a.email, a.role, a.team_id, a.municipality_id, a.active,
                  a.must_change_password, a.totp_secret IS NULL AS "no_second_factor!", s.unlock_hash, s.locked_at IS NOT NULL AS "locked!",
                  extract(epoch FROM now() - s.last_seen_at)::float8 AS "idle_seconds!"
           FROM session s JOIN account a ON a.id = s.account_id
           WHERE s.token_hash = $1 AND s.expires_at > now()"#,
        token_hash(token)
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.and_then(|r| {
        Some(Found {
            principal: Principal {
                account_id: r.id,
                name: r.name,
                email: r.email,
                role: Role::from_key(&r.role)?,
                team: r.team_id,
                municipality: r.municipality_id,
                active: r.active,
            },
            unlock_hash: r.unlock_hash,
            locked: r.locked,
            must_change_password: r.must_change_password,
            no_second_factor: r.no_second_factor,
            idle_seconds: r.idle_seconds,
        })
    }))
}

/// Which rules a route relaxes. Every route checks that the session lives and is not idle.
#[derive(Debug, Clone, Copy)]
struct Gate {
    /// The unlock proof must come along (everything with resident data).
    unlock: bool,
    /// Lock, resume, change of password: allowed while the session is locked.
    while_locked: bool,
    /// Allowed before a one-time password is changed and the second factor is set up.
    before_password_change: bool,
    /// A disabled account's device may still push what it holds.
    disabled: bool,
}

const FULL: Gate = Gate {
    unlock: true,
    while_locked: false,
    before_password_change: false,
    disabled: false,
};

fn signed_out() -> Error {
    Error::refused(StatusCode::UNAUTHORIZED, "Log eerst in.").with_code(codes::SIGNED_OUT)
}

async fn authenticate(parts: &Parts, state: &AppState, gate: Gate) -> Result<Principal> {
    let token = token(&parts.headers).ok_or_else(signed_out)?;
    let found = lookup(&state.pool, &token).await?.ok_or_else(signed_out)?;
    if gate.unlock {
        let proof = parts
            .headers
            .get(UNLOCK_HEADER)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(signed_out)?;
        if token_hash(proof) != found.unlock_hash {
            return Err(signed_out());
        }
    }
    let role = found.principal.role;
    if !role.works_with_residents()
        && found.idle_seconds > f64::from(state.access.settings().office_idle_minutes) * 60.0
    {
        sqlx::query!(
            "DELETE FROM session WHERE token_hash = $1",
            token_hash(&token)
        )
        .execute(&state.pool)
        .await?;
        return Err(signed_out());
    }
    if !found.principal.active && !gate.disabled {
        return Err(Error::refused(
            StatusCode::FORBIDDEN,
            "Dit account is uitgeschakeld. Wat nog op dit apparaat wacht, wordt verstuurd; daarna worden de gegevens hier gewist.",
        )
        .with_code(codes::ACCOUNT_DISABLED));
    }
    if found.locked && !gate.while_locked {
        return Err(Error::refused(
            StatusCode::UNAUTHORIZED,
            "De app is vergrendeld: ontgrendel hem met je pincode.",
        )
        .with_code(codes::SESSION_LOCKED));
    }
    if found.must_change_password && !gate.before_password_change {
        return Err(
            Error::refused(StatusCode::FORBIDDEN, "Kies eerst een nieuw wachtwoord.")
                .with_code(codes::PASSWORD_CHANGE_REQUIRED),
        );
    }
    if found.no_second_factor && !gate.before_password_change {
        return Err(
            Error::refused(StatusCode::FORBIDDEN, "Stel eerst tweestapsverificatie in.")
                .with_code(codes::SECOND_FACTOR_SETUP_REQUIRED),
        );
    }
    if found.idle_seconds > SEEN_EVERY_SECONDS {
        sqlx::query!(
            "UPDATE session SET last_seen_at = now() WHERE token_hash = $1",
            token_hash(&token)
        )
        .execute(&state.pool)
        .await?;
    }
    Ok(found.principal)
}

impl FromRequestParts<AppState> for Principal {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        authenticate(parts, state, FULL).await
    }
}

/// A push: a disabled account's device may still send what it holds (then it wipes).
pub struct Pushing(pub Principal);

impl FromRequestParts<AppState> for Pushing {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        let gate = Gate {
            disabled: true,
            ..FULL
        };
        authenticate(parts, state, gate).await.map(Pushing)
    }
}

/// The session itself: who am I, lock, resume, change my password, set up the second factor.
/// Needs the unlock proof, works while locked and before a one-time password is changed.
pub struct OwnSession(pub Principal);

impl FromRequestParts<AppState> for OwnSession {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        let gate = Gate {
            while_locked: true,
            before_password_change: true,
            ..FULL
        };
        authenticate(parts, state, gate).await.map(OwnSession)
    }
}

/// A file the browser downloads through a plain link (CSV of figures, the social map, the
/// audit log): a link carries the cookie but no header, so these hold no resident data.
pub struct Download(pub Principal);

impl FromRequestParts<AppState> for Download {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        let gate = Gate {
            unlock: false,
            ..FULL
        };
        authenticate(parts, state, gate).await.map(Download)
    }
}
