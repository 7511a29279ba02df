//! Accounts and sign-in: sessions, the administrator's account management, and the
//! coordinator's assignment of consultants to households.

pub mod devices;
pub mod guard;
mod manage;
pub mod password;
pub mod second_factor;
pub mod session;

use crate::audit::{self, Action};
use crate::http::{ApiJson, ApiQuery, OwnSession, Principal};
use crate::{AppState, Error, Result};
use axum::{
    extract::State,
    http::{header::SET_COOKIE, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use serde::Deserialize;
use shared::model::{AccountSummary, Id, Role, SessionInfo, SignedIn};
use sqlx::PgPool;
use utoipa_axum::{router::OpenApiRouter, routes};

/// After this many wrong passwords in a row an account is locked for [`LOCK_MINUTES`].
pub const MAX_FAILED_SIGN_INS: i32 = 5;
pub const LOCK_MINUTES: i32 = 15;
/// Longer input is refused before any hashing or storing (RFC 5321 caps an address at 254).
pub const MAX_EMAIL_LENGTH: usize = 254;
pub const MAX_PASSWORD_LENGTH: usize = 1024;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(sign_in, current, sign_out))
        .routes(routes!(lock))
        .routes(routes!(resume))
        .routes(routes!(change_password))
        .routes(routes!(create, list))
        .merge(manage::routes())
        .merge(second_factor::routes())
        .merge(devices::routes())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
struct SignIn {
    email: String,
    password: String,
    /// The code from the authenticator app, or a recovery code (asked for once the password
    /// was right).
    #[serde(default)]
    code: Option<String>,
}

/// The one answer to every failed sign-in: unknown address, wrong password, locked or disabled
/// account look alike (and each costs one password hash), so a guesser learns nothing.
fn wrong() -> Error {
    Error::refused(
        StatusCode::UNAUTHORIZED,
        format!(
            "Het e-mailadres of het wachtwoord klopt niet. Na {MAX_FAILED_SIGN_INS} mislukte pogingen kan een account {LOCK_MINUTES} minuten niet inloggen."
        ),
    )
}

#[utoipa::path(
    post,
    path = "/api/session",
    tag = "session",
    request_body = SignIn,
    responses(
        (status = 200, description = "Signed in: the cookie is set, the unlock proof is in the body", body = SignedIn),
        crate::openapi::Refusals,
    ),
)]
async fn sign_in(
    State(state): State<AppState>,
    headers: HeaderMap,
    guard::ClientAddress(address): guard::ClientAddress,
    ApiJson(body): ApiJson<SignIn>,
) -> Result<Response> {
    if body.email.len() > MAX_EMAIL_LENGTH
        || body.password.len() > MAX_PASSWORD_LENGTH
        || body
            .code
            .as_ref()
            .is_some_and(|c| c.len() > second_factor::MAX_CODE_LENGTH)
    {
        return Err(Error::BadRequest(
            "Het e-mailadres of het wachtwoord is te lang.".into(),
        ));
    }
    let guard = &state.access;
    guard.check_address(address)?;
    // Nothing reaches the database or the hasher beyond the bounded queue.
    let _slot = guard.slot().await?;
    let email = body.email.trim().to_lowercase();
    let account = sqlx::query!(
        "SELECT id, municipality_id, password_hash, active, totp_secret FROM account WHERE email = $1",
        email
    )
    .fetch_optional(&state.pool)
    .await?;
    let Some(account) = account else {
        password::verify_blocking(body.password, password::decoy().to_owned()).await;
        let detail = format!("unknown e-mail {}", guard.keyed_hash(&email));
        audit::record(
            &state.pool,
            audit::Event::new(Action::SignInFailed).detail(&detail),
        )
        .await?;
        return Err(wrong());
    };
    // Reserve the attempt before checking it: parallel guesses each take one of the five.
    let attempt = sqlx::query_scalar!(
        "UPDATE account SET failed_sign_ins = failed_sign_ins + 1
         WHERE id = $1 AND failed_sign_ins < $2 AND coalesce(locked_until <= now(), true)
         RETURNING failed_sign_ins",
        account.id,
        MAX_FAILED_SIGN_INS
    )
    .fetch_optional(&state.pool)
    .await?;
    let Some(attempt) = attempt else {
        password::verify_blocking(body.password, password::decoy().to_owned()).await;
        let event = audit::Event::new(Action::SignInRefused)
            .account(account.id, &account.municipality_id)
            .detail("locked");
        audit::record(&state.pool, event).await?;
        return Err(wrong());
    };
    let right = password::verify_blocking(body.password, account.password_hash).await;
    if !right {
        let at = (account.id, account.municipality_id.as_str(), attempt);
        return Err(record_failure(&state.pool, at, "").await?);
    }
    if !account.active {
        sqlx::query!(
            "UPDATE account SET failed_sign_ins = greatest(failed_sign_ins - 1, 0) WHERE id = $1",
            account.id
        )
        .execute(&state.pool)
        .await?;
        let event = audit::Event::new(Action::SignInRefused)
            .account(account.id, &account.municipality_id)
            .detail("disabled");
        audit::record(&state.pool, event).await?;
        return Err(wrong());
    }
    let mut tx = state.pool.begin().await?;
    // This browser signs in anew: whatever session its cookie still names ends.
    if let Some(old) = session::token(&headers) {
        session::end(&mut *tx, &old).await?;
    }
    if let Some(secret) = &account.totp_secret {
        let Some(code) = body.code.as_deref().filter(|c| !c.trim().is_empty()) else {
            // The password was right: this attempt does not count; the code is asked for.
            sqlx::query!(
                "UPDATE account SET failed_sign_ins = greatest(failed_sign_ins - 1, 0) WHERE id = $1",
                account.id
            )
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            return Err(Error::refused(
                StatusCode::UNAUTHORIZED,
                "Vul de code uit je authenticator-app in (of een herstelcode).",
            )
            .with_code(shared::sync::codes::SECOND_FACTOR_REQUIRED));
        };
        if !second_factor::verify(&mut tx, account.id, secret, code).await? {
            drop(tx);
            let at = (account.id, account.municipality_id.as_str(), attempt);
            record_failure(&state.pool, at, " (second factor)").await?;
            return Err(Error::refused(
                StatusCode::UNAUTHORIZED,
                "Deze code klopt niet of is al gebruikt. Vul de nieuwste code uit je authenticator-app in.",
            )
            .with_code(shared::sync::codes::SECOND_FACTOR_REQUIRED));
        }
    }
    let must_change_password = sqlx::query_scalar!(
        "UPDATE account SET failed_sign_ins = 0, locked_until = NULL WHERE id = $1
         RETURNING must_change_password",
        account.id
    )
    .fetch_one(&mut *tx)
    .await?;
    let session = session::create(&mut *tx, account.id).await?;
    let event = audit::Event::new(Action::SignIn).account(account.id, &account.municipality_id);
    audit::record(&mut *tx, event).await?;
    tx.commit().await?;
    let principal = session::principal(&state.pool, &session.cookie)
        .await?
        .ok_or_else(|| Error::Internal("new session not found".into()))?;
    Ok((
        [(
            SET_COOKIE,
            session::set_cookie(&session.cookie, state.secure_cookies),
        )],
        Json(SignedIn {
            account: principal.info(),
            unlock: session.unlock,
            must_change_password,
            must_set_up_second_factor: account.totp_secret.is_none(),
        }),
    )
        .into_response())
}

/// A failed attempt (number `attempt` of the five): locks the account at the fifth, audits it,
/// and gives the one answer for every failure.
async fn record_failure(
    pool: &PgPool,
    (account, municipality, attempt): (Id, &str, i32),
    detail: &str,
) -> Result<Error> {
    if attempt >= MAX_FAILED_SIGN_INS {
        sqlx::query!(
            "UPDATE account SET failed_sign_ins = 0,
                 locked_until = now() + make_interval(mins => $2)
             WHERE id = $1",
            account,
            LOCK_MINUTES
        )
        .execute(pool)
        .await?;
    }
    let event = audit::Event::new(Action::SignInFailed)
        .account(account, municipality)
        .detail(&format!("attempt {attempt}{detail}"));
    audit::record(pool, event).await?;
    Ok(wrong())
}

#[utoipa::path(
    get,
    path = "/api/session",
    tag = "session",
    responses(
        (status = 200, description = "Who is signed in", body = SessionInfo),
        crate::openapi::Refusals,
    ),
    security(("session" = [])),
)]
async fn current(OwnSession(principal): OwnSession) -> Json<SessionInfo> {
    Json(principal.info())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct EndSession {
    /// Hex SHA-256 of the unlock proof of the session to end: a device that wiped itself while
    /// offline ends exactly that session at its next contact, and never a newer one.
    unlock_hash: Option<String>,
}

/// Ends the session with the cookie alone (the unlock proof may be gone with the wipe).
#[utoipa::path(
    delete,
    path = "/api/session",
    tag = "session",
    params(EndSession),
    responses(
        (status = 204, description = "Signed out (or there was no session); the cookie is cleared"),
        crate::openapi::Refusals,
    ),
    security((), ("session" = [])),
)]
async fn sign_out(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiQuery(query): ApiQuery<EndSession>,
) -> Result<Response> {
    let only = query;
    if let Some(token) = session::token(&headers) {
        let principal = session::principal(&state.pool, &token).await?;
        let ended = session::end_if(&state.pool, &token, only.unlock_hash.as_deref()).await?;
        if let (true, Some(principal)) = (ended, principal) {
            audit::record(&state.pool, audit::Event::by(&principal, Action::SignOut)).await?;
        }
    }
    Ok((
        StatusCode::NO_CONTENT,
        [(SET_COOKIE, session::clear_cookie(state.secure_cookies))],
    )
        .into_response())
}

/// The app locked itself: the session takes no requests until the app resumes it.
#[utoipa::path(
    post,
    path = "/api/session/lock",
    tag = "session",
    responses(
        (status = 204, description = "The session is locked"),
        crate::openapi::Refusals,
    ),
    security(("session" = [])),
)]
async fn lock(
    State(state): State<AppState>,
    OwnSession(_principal): OwnSession,
    headers: HeaderMap,
) -> Result<StatusCode> {
    let token = session::token(&headers).ok_or(Error::NotFound)?;
    session::set_locked(&state.pool, &token, true).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Unlocked with the PIN (which only the app with the unlock proof can show): resume.
#[utoipa::path(
    post,
    path = "/api/session/resume",
    tag = "session",
    responses(
        (status = 204, description = "The session takes requests again"),
        crate::openapi::Refusals,
    ),
    security(("session" = [])),
)]
async fn resume(
    State(state): State<AppState>,
    OwnSession(_principal): OwnSession,
    headers: HeaderMap,
) -> Result<StatusCode> {
    let token = session::token(&headers).ok_or(Error::NotFound)?;
    session::set_locked(&state.pool, &token, false).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
struct PasswordChange {
    current: String,
    new: String,
}

/// The worker changes their own password (required after a one-time password).
#[utoipa::path(
    put,
    path = "/api/session/password",
    tag = "session",
    request_body = PasswordChange,
    responses(
        (status = 204, description = "Changed"),
        crate::openapi::Refusals,
    ),
    security(("session" = [])),
)]
async fn change_password(
    State(state): State<AppState>,
    OwnSession(principal): OwnSession,
    ApiJson(body): ApiJson<PasswordChange>,
) -> Result<StatusCode> {
    check_password(&body.new)?;
    if body.new.len() > MAX_PASSWORD_LENGTH || body.current.len() > MAX_PASSWORD_LENGTH {
        return Err(Error::BadRequest("Het wachtwoord is te lang.".into()));
    }
    if body.new == body.current {
        return Err(Error::BadRequest(
            "Kies een ander wachtwoord dan het huidige.".into(),
        ));
    }
    let _slot = state.access.slot().await?;
    let hash = sqlx::query_scalar!(
        "SELECT password_hash FROM account WHERE id = $1",
        principal.account_id
    )
    .fetch_one(&state.pool)
    .await?;
    if !password::verify_blocking(body.current, hash).await {
        return Err(Error::refused(
            StatusCode::FORBIDDEN,
            "Het huidige wachtwoord klopt niet.",
        ));
    }
    let hash = password::hash_blocking(body.new).await?;
    let mut tx = state.pool.begin().await?;
    sqlx::query!(
        "UPDATE account SET password_hash = $2, must_change_password = false WHERE id = $1",
        principal.account_id,
        hash
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut *tx,
        audit::Event::by(&principal, Action::PasswordChanged),
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

pub(crate) fn check_password(password: &str) -> Result<()> {
    if password.chars().count() < password::MIN_LENGTH {
        return Err(Error::BadRequest(format!(
            "Een wachtwoord heeft minstens {} tekens.",
            password::MIN_LENGTH
        )));
    }
    Ok(())
}

/// A new account, as the administrator (or the first-administrator command) gives it.
#[derive(Debug, Clone, Deserialize)]
pub struct NewAccount {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub team: Option<String>,
    pub municipality: String,
    pub password: String,
    /// A one-time password (given by an administrator) is changed at the first sign-in.
    #[serde(default)]
    pub must_change_password: bool,
}

/// A role with a team works with residents; the office-only roles have none.
pub(crate) async fn check_role_and_team(
    db: &PgPool,
    role: Role,
    team: Option<&str>,
    municipality: &str,
) -> Result<()> {
    if role.works_with_residents() != team.is_some() {
        return Err(Error::BadRequest(
            "Frontoffice, consulenten en coördinatoren horen bij een team; beheerders en privacyfunctionarissen niet."
                .into(),
        ));
    }
    if let Some(team) = team {
        let found = sqlx::query_scalar!("SELECT municipality_id FROM team WHERE id = $1", team)
            .fetch_optional(db)
            .await?;
        if found.as_deref() != Some(municipality) {
            return Err(Error::BadRequest(format!(
                "Het team '{team}' bestaat niet in deze gemeente."
            )));
        }
    }
    Ok(())
}

/// Checks and stores an account; returns its id.
pub async fn create_account(pool: &PgPool, new: NewAccount) -> Result<Id> {
    let email = new.email.trim().to_lowercase();
    // Both problems at once, each beside its field on the form.
    let mut errors = shared::rules::validation::FieldErrors::default();
    if !email.contains('@') || email.len() > MAX_EMAIL_LENGTH {
        errors.add("email", "Vul een geldig e-mailadres in.");
    }
    if new.name.trim().is_empty() || new.name.len() > 200 {
        errors.add("name", "Vul een naam in (hooguit 200 tekens).");
    }
    errors.into_result(()).map_err(Error::Invalid)?;
    check_password(&new.password)?;
    check_role_and_team(pool, new.role, new.team.as_deref(), &new.municipality).await?;
    let hash = password::hash_blocking(new.password.clone()).await?;
    let id = Id::now_v7();
    let inserted = sqlx::query!(
        "INSERT INTO account
             (id, municipality_id, team_id, email, name, role, password_hash, must_change_password)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (email) DO NOTHING",
        id,
        new.municipality,
        new.team,
        email,
        new.name.trim(),
        new.role.key(),
        hash,
        new.must_change_password
    )
    .execute(pool)
    .await?;
    if inserted.rows_affected() == 0 {
        return Err(Error::refused(
            StatusCode::CONFLICT,
            "Er is al een account met dit e-mailadres.",
        ));
    }
    Ok(id)
}

/// A one-time password, shown once to the administrator (with the new account's id when one was
/// made).
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct OneTimePassword {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<uuid::Uuid>)]
    pub id: Option<Id>,
    pub one_time_password: String,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
struct CreateBody {
    email: String,
    name: String,
    role: Role,
    team: Option<String>,
}

/// The administrator makes an account with a one-time password (shown once, changed at the
/// first sign-in): the administrator never chooses a worker's password. An account that
/// looks like the administrator's own (same name or e-mail) is refused: nobody gives
/// themselves a second role (functiescheiding).
#[utoipa::path(
    post,
    path = "/api/accounts",
    operation_id = "create_account",
    tag = "accounts",
    request_body = CreateBody,
    responses(
        (status = 201, description = "Made, with its one-time password (shown once)", body = OneTimePassword),
        crate::openapi::Refusals,
    ),
    security(("session" = [], "unlock" = [])),
)]
async fn create(
    State(state): State<AppState>,
    principal: Principal,
    ApiJson(body): ApiJson<CreateBody>,
) -> Result<Response> {
    principal.require(&[Role::Administrator])?;
    let same = |a: &str, b: &str| a.trim().eq_ignore_ascii_case(b.trim());
    if same(&body.name, &principal.name) || same(&body.email, &principal.email) {
        return Err(Error::refused(
            StatusCode::FORBIDDEN,
            "Je kunt geen account voor jezelf aanmaken: een andere beheerder doet dat.",
        )
        .with_code(shared::sync::codes::FORBIDDEN));
    }
    let one_time = password::one_time();
    let id = create_account(
        &state.pool,
        NewAccount {
            email: body.email,
            name: body.name,
            role: body.role,
            team: body.team.clone(),
            municipality: principal.municipality.clone(),
            password: one_time.clone(),
            must_change_password: true,
        },
    )
    .await?;
    let detail = format!(
        "account {id}: role: {}; team: {}",
        body.role.key(),
        body.team.as_deref().unwrap_or("-")
    );
    audit::record(
        &state.pool,
        audit::Event::by(&principal, Action::AccountCreated).detail(&detail),
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(OneTimePassword {
            id: Some(id),
            one_time_password: one_time,
        }),
    )
        .into_response())
}

#[utoipa::path(
    get,
    path = "/api/accounts",
    operation_id = "list_accounts",
    tag = "accounts",
    responses(
        (status = 200, description = "The municipality's accounts", body = [AccountSummary]),
        crate::openapi::Refusals,
    ),
    security(("session" = [], "unlock" = [])),
)]
async fn list(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<Vec<AccountSummary>>> {
    principal.require(&[Role::Administrator])?;
    let rows = sqlx::query_as!(
        AccountSummary,
        r#"SELECT id, email, name, role, team_id AS team, active, must_change_password,
                  totp_secret IS NOT NULL AS "second_factor!"
           FROM account WHERE municipality_id = $1 ORDER BY name"#,
        principal.municipality
    )
    .fetch_all(&state.pool)
    .await?;
    Ok(Json(rows))
}
