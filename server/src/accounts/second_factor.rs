//! Two-factor sign-in (the BIO asks for it when access comes from outside the municipality's
//! network): a TOTP code (RFC 6238: SHA-1, 6 digits, 30 s) from an authenticator app, or one of
//! ten recovery codes. Every role enrols at its first sign-in, with a QR code shown in the app;
//! until then the session takes nothing but the enrolment. A code is accepted once (the last
//! used time step is kept); an administrator can reset a worker's second factor (audited).
//! Unlocking the app offline stays PIN only.

use crate::audit::{self, Action};
use crate::http::{ApiJson, OwnSession};
use crate::{AppState, Error, Result};
use axum::{extract::State, http::StatusCode, Json};
use rand::Rng;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use shared::model::Id;
use sqlx::PgConnection;
use totp_rs::{Algorithm, Secret, TOTP};
use utoipa_axum::{router::OpenApiRouter, routes};

const ISSUER: &str = "Keukentafel";
const STEP_SECONDS: u64 = 30;
const RECOVERY_CODES: usize = 10;
/// A code or recovery code longer than this is refused before anything is looked up.
pub const MAX_CODE_LENGTH: usize = 32;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(start))
        .routes(routes!(confirm))
}

fn totp(secret: Vec<u8>, account: &str) -> TOTP {
    TOTP::new_unchecked(
        Algorithm::SHA1,
        6,
        1,
        STEP_SECONDS,
        secret,
        Some(ISSUER.into()),
        account.into(),
    )
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// A new random secret (160 bits, as RFC 4226 recommends).
pub fn new_secret() -> Vec<u8> {
    rand::rng().random::<[u8; 20]>().to_vec()
}

/// The secret as an authenticator app takes it when typed in.
pub fn base32(secret: &[u8]) -> String {
    Secret::Raw(secret.to_vec()).to_encoded().to_string()
}

/// Reads a base32 secret (the `create-account --second-factor` option, tests).
pub fn from_base32(text: &str) -> Option<Vec<u8>> {
    Secret::Encoded(text.trim().to_uppercase()).to_bytes().ok()
}

/// The code for the time step that holds `unix` seconds.
pub fn code_at(secret: &[u8], unix: u64) -> String {
    totp(secret.to_vec(), "").generate(unix)
}

/// The time step (now − 1, now, now + 1: a clock off by half a minute still works) whose code
/// is `code`, if any.
pub fn matching_step(secret: &[u8], code: &str, unix: u64) -> Option<i64> {
    let current = unix / STEP_SECONDS;
    [current.saturating_sub(1), current, current + 1]
        .into_iter()
        .find(|step| code_at(secret, step * STEP_SECONDS) == code)
        .map(|step| step as i64)
}

fn normalise(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_lowercase()
}

fn recovery_hash(code: &str) -> Vec<u8> {
    Sha256::digest(normalise(code).as_bytes()).to_vec()
}

/// Ten recovery codes like `k7mq-2xpt`, each usable once instead of a TOTP code.
pub fn recovery_codes() -> Vec<String> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rng();
    (0..RECOVERY_CODES)
        .map(|_| {
            let mut code: String = (0..8)
                .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
                .collect();
            code.insert(4, '-');
            code
        })
        .collect()
}

/// Checks and uses up a second factor: a TOTP code of a step later than the last one used, or
/// an unused recovery code. Inside the caller's transaction.
pub async fn verify(tx: &mut PgConnection, account: Id, secret: &[u8], code: &str) -> Result<bool> {
    let code = normalise(code);
    if code.len() == 6 && code.chars().all(|c| c.is_ascii_digit()) {
        let Some(step) = matching_step(secret, &code, now()) else {
            return Ok(false);
        };
        let used = sqlx::query!(
            "UPDATE account SET totp_last_step = $2 WHERE id = $1 AND totp_last_step < $2",
            account,
            step
        )
        .execute(&mut *tx)
        .await?;
        return Ok(used.rows_affected() == 1);
    }
    let used = sqlx::query!(
        "UPDATE recovery_code SET used_at = now()
         WHERE account_id = $1 AND code_hash = $2 AND used_at IS NULL",
        account,
        recovery_hash(&code)
    )
    .execute(&mut *tx)
    .await?;
    Ok(used.rows_affected() == 1)
}

/// What the app shows to enrol: the QR code, and the secret to type in by hand.
#[derive(Debug, Serialize, utoipa::ToSchema)]
struct Enrolment {
    secret: String,
    otpauth_url: String,
    qr_svg: String,
}

/// Starts (or starts again) the enrolment of the signed-in worker: a new pending secret.
#[utoipa::path(
    post,
    path = "/api/session/second-factor",
    tag = "session",
    responses(
        (status = 200, description = "A new secret and its QR code", body = Enrolment),
        crate::openapi::Refusals,
    ),
    security(("session" = [])),
)]
async fn start(
    State(state): State<AppState>,
    OwnSession(principal): OwnSession,
) -> Result<Json<Enrolment>> {
    let secret = new_secret();
    let updated = sqlx::query!(
        "UPDATE account SET totp_pending = $2 WHERE id = $1 AND totp_secret IS NULL",
        principal.account_id,
        secret
    )
    .execute(&state.pool)
    .await?;
    if updated.rows_affected() == 0 {
        return Err(Error::refused(
            StatusCode::CONFLICT,
            "Tweestapsverificatie is al ingesteld. Een beheerder kan hem opnieuw laten instellen.",
        ));
    }
    let otpauth_url = totp(secret.clone(), &principal.email).get_url();
    let qr_svg = qrcode::QrCode::new(otpauth_url.as_bytes())
        .map_err(|e| Error::Internal(format!("qr code: {e}")))?
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(220, 220)
        .build();
    Ok(Json(Enrolment {
        secret: base32(&secret),
        otpauth_url,
        qr_svg,
    }))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
struct Confirm {
    code: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
struct Enrolled {
    recovery_codes: Vec<String>,
}

/// The first code from the app confirms the pending secret; the recovery codes are shown once.
#[utoipa::path(
    post,
    path = "/api/session/second-factor/confirm",
    tag = "session",
    request_body = Confirm,
    responses(
        (status = 200, description = "Enrolled, with the recovery codes (shown once)", body = Enrolled),
        crate::openapi::Refusals,
    ),
    security(("session" = [])),
)]
async fn confirm(
    State(state): State<AppState>,
    OwnSession(principal): OwnSession,
    ApiJson(body): ApiJson<Confirm>,
) -> Result<Json<Enrolled>> {
    if body.code.len() > MAX_CODE_LENGTH {
        return Err(Error::BadRequest("Deze code is te lang.".into()));
    }
    let mut tx = state.pool.begin().await?;
    let pending = sqlx::query_scalar!(
        "SELECT totp_pending FROM account WHERE id = $1 AND totp_secret IS NULL FOR UPDATE",
        principal.account_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .flatten()
    .ok_or_else(|| Error::refused(StatusCode::CONFLICT, "Begin eerst opnieuw met instellen."))?;
    let step = matching_step(&pending, &normalise(&body.code), now()).ok_or_else(|| {
        Error::BadRequest(
            "Deze code klopt niet. Controleer de tijd op je telefoon en vul de nieuwste code in."
                .into(),
        )
    })?;
    sqlx::query!(
        "UPDATE account SET totp_secret = totp_pending, totp_pending = NULL, totp_last_step = $2
         WHERE id = $1",
        principal.account_id,
        step
    )
    .execute(&mut *tx)
    .await?;
    let codes = recovery_codes();
    let hashes: Vec<Vec<u8>> = codes.iter().map(|c| recovery_hash(c)).collect();
    sqlx::query!(
        "DELETE FROM recovery_code WHERE account_id = $1",
        principal.account_id
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "INSERT INTO recovery_code (account_id, code_hash) SELECT $1, h FROM UNNEST($2::bytea[]) AS h",
        principal.account_id,
        &hashes
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut *tx,
        audit::Event::by(&principal, Action::SecondFactorEnrolled),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(Enrolled {
        recovery_codes: codes,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_follow_rfc_6238() {
        // RFC 6238 appendix B, SHA-1, with the last six of its eight digits.
        let secret = b"12345678901234567890";
        assert_eq!(code_at(secret, 59), "287082");
        assert_eq!(code_at(secret, 1_111_111_109), "081804");
        assert_eq!(code_at(secret, 2_000_000_000), "279037");
    }

    #[test]
    fn a_neighbouring_step_matches_and_others_do_not() {
        let secret = new_secret();
        let now = 1_800_000_000;
        let earlier = code_at(&secret, now - 30);
        assert_eq!(
            matching_step(&secret, &earlier, now),
            Some((now / 30 - 1) as i64)
        );
        let much_earlier = code_at(&secret, now - 300);
        assert_eq!(matching_step(&secret, &much_earlier, now), None);
    }

    #[test]
    fn secrets_and_recovery_codes_read_back() {
        let secret = new_secret();
        assert_eq!(from_base32(&base32(&secret)), Some(secret));
        let codes = recovery_codes();
        assert_eq!(codes.len(), 10);
        assert!(codes
            .iter()
            .all(|c| c.len() == 9 && c.as_bytes()[4] == b'-'));
        assert_eq!(recovery_hash("K7MQ-2XPT"), recovery_hash("k7mq 2xpt"));
    }
}
