//! Sessions: a random token in an HttpOnly, SameSite=Strict cookie, and a second random token,
//! the unlock proof, that the app keeps only in its sealed store and sends in the
//! `x-keukentafel-unlock` header. The server keeps only their SHA-256. A cookie alone (a locked
//! tablet's address bar, another program) opens no resident data.
//!
//! This module opens, locks and ends sessions; `http::principal` reads them on every request.

use crate::http::principal::token_hash;
pub use crate::http::principal::{principal, token, Principal, COOKIE};
use crate::{Error, Result};
use rand::Rng;
use shared::model::Id;
use sqlx::PgPool;

/// A session ends twelve hours after sign-in: one working day, never overnight.
pub const LIFETIME_HOURS: i64 = 12;

fn random_token() -> String {
    let bytes: [u8; 32] = rand::rng().random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A new session's two secrets: the cookie's token and the unlock proof for the app.
pub struct NewSession {
    pub cookie: String,
    pub unlock: String,
}

/// Opens a session (inside the caller's transaction when given one).
pub async fn create<'e>(db: impl sqlx::PgExecutor<'e>, account_id: Id) -> Result<NewSession> {
    let session = NewSession {
        cookie: random_token(),
        unlock: random_token(),
    };
    sqlx::query!(
        "INSERT INTO session (token_hash, unlock_hash, account_id, expires_at)
         VALUES ($1, $2, $3, now() + make_interval(hours => $4))",
        token_hash(&session.cookie),
        token_hash(&session.unlock),
        account_id,
        LIFETIME_HOURS as i32
    )
    .execute(db)
    .await?;
    Ok(session)
}

/// Ends the session (inside the caller's transaction when given one).
pub async fn end<'e>(db: impl sqlx::PgExecutor<'e>, token: &str) -> Result<()> {
    sqlx::query!(
        "DELETE FROM session WHERE token_hash = $1",
        token_hash(token)
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Ends every session of an account (its role, password or second factor changed).
pub async fn end_all<'e>(db: impl sqlx::PgExecutor<'e>, account: Id) -> Result<()> {
    sqlx::query!("DELETE FROM session WHERE account_id = $1", account)
        .execute(db)
        .await?;
    Ok(())
}

/// Ends the session, but when `unlock_hash` (hex) is given only if it names this session.
/// Returns whether a session ended.
pub async fn end_if(pool: &PgPool, token: &str, unlock_hash: Option<&str>) -> Result<bool> {
    let expected = match unlock_hash {
        None => None,
        Some(hex) => Some(
            decode_hex(hex)
                .ok_or_else(|| Error::BadRequest("unlock_hash is geen SHA-256 in hex.".into()))?,
        ),
    };
    let ended = sqlx::query!(
        "DELETE FROM session WHERE token_hash = $1 AND ($2::bytea IS NULL OR unlock_hash = $2)",
        token_hash(token),
        expected
    )
    .execute(pool)
    .await?;
    Ok(ended.rows_affected() > 0)
}

fn decode_hex(hex: &str) -> Option<Vec<u8>> {
    if hex.len() != 64 {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect()
}

/// Marks the session locked (the app locked itself) or resumes it (unlocked with the PIN).
pub async fn set_locked(pool: &PgPool, token: &str, locked: bool) -> Result<()> {
    sqlx::query!(
        "UPDATE session SET locked_at = CASE WHEN $2 THEN now() END WHERE token_hash = $1",
        token_hash(token),
        locked
    )
    .execute(pool)
    .await?;
    Ok(())
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
