//! Accounts and sign-in: sessions, the administrator's account management, and the
//! coordinator's assignment of consultants to households.

pub mod password;
pub mod session;

use crate::audit::{self, Action};
use crate::sync::ApiJson;
use crate::{AppState, Error, Result};
use axum::{
    extract::{Path, State},
    http::{header::SET_COOKIE, StatusCode},
    response::{IntoResponse, Response},
    routing::{post, put},
    Json, Router,
};
use serde::{Deserialize, Serialize};
use session::Principal;
use shared::model::{Id, Role, SessionInfo};
use sqlx::PgPool;
use std::time::Duration;

/// After this many wrong passwords in a row an account is locked for [`LOCK_MINUTES`].
pub const MAX_FAILED_SIGN_INS: i32 = 5;
pub const LOCK_MINUTES: i32 = 15;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/session", post(sign_in).get(current).delete(sign_out))
        .route("/api/accounts", post(create).get(list))
        .route(
            "/api/households/{household}/workers/{account}",
            put(assign).delete(unassign),
        )
}

#[derive(Debug, Deserialize)]
struct SignIn {
    email: String,
    password: String,
}

async fn sign_in(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<SignIn>,
) -> Result<Response> {
    let email = body.email.trim().to_lowercase();
    let account = sqlx::query!(
        r#"SELECT id, municipality_id, password_hash, failed_sign_ins,
                  coalesce(locked_until > now(), false) AS "locked!"
           FROM account WHERE email = $1"#,
        email
    )
    .fetch_optional(&state.pool)
    .await?;
    let wrong = || {
        Error::refused(
            StatusCode::UNAUTHORIZED,
            "Het e-mailadres of het wachtwoord klopt niet.",
        )
    };
    let Some(account) = account else {
        password::verify_blocking(body.password, password::decoy().to_owned()).await;
        audit::record(
            &state.pool,
            audit::Event::new(Action::SignInFailed).detail(&email),
        )
        .await?;
        return Err(wrong());
    };
    if account.locked {
        return Err(Error::refused(
            StatusCode::TOO_MANY_REQUESTS,
            format!("Te veel mislukte pogingen. Probeer het over {LOCK_MINUTES} minuten opnieuw."),
        ));
    }
    if !password::verify_blocking(body.password, account.password_hash).await {
        let failures = account.failed_sign_ins + 1;
        sqlx::query!(
            "UPDATE account SET
                 failed_sign_ins = CASE WHEN $2::int >= $3::int THEN 0 ELSE $2::int END,
                 locked_until = CASE WHEN $2::int >= $3::int
                                     THEN now() + make_interval(mins => $4::int) END
             WHERE id = $1",
            account.id,
            failures,
            MAX_FAILED_SIGN_INS,
            LOCK_MINUTES
        )
        .execute(&state.pool)
        .await?;
        audit::record(
            &state.pool,
            audit::Event::new(Action::SignInFailed)
                .account(account.id, &account.municipality_id)
                .detail(&format!("attempt {failures}")),
        )
        .await?;
        // Each wrong attempt answers a little later than the one before.
        tokio::time::sleep(Duration::from_millis(200 * failures as u64)).await;
        return Err(wrong());
    }
    sqlx::query!(
        "UPDATE account SET failed_sign_ins = 0, locked_until = NULL WHERE id = $1",
        account.id
    )
    .execute(&state.pool)
    .await?;
    let token = session::create(&state.pool, account.id).await?;
    let principal = session::principal(&state.pool, &token)
        .await?
        .ok_or_else(|| Error::Internal("new session not found".into()))?;
    audit::record(&state.pool, audit::Event::by(&principal, Action::SignIn)).await?;
    Ok((
        [(
            SET_COOKIE,
            session::set_cookie(&token, state.secure_cookies),
        )],
        Json(principal.info()),
    )
        .into_response())
}

async fn current(principal: Principal) -> Json<SessionInfo> {
    Json(principal.info())
}

async fn sign_out(
    State(state): State<AppState>,
    principal: Principal,
    headers: axum::http::HeaderMap,
) -> Result<Response> {
    if let Some(token) = session::token(&headers) {
        session::end(&state.pool, &token).await?;
    }
    audit::record(&state.pool, audit::Event::by(&principal, Action::SignOut)).await?;
    Ok((
        StatusCode::NO_CONTENT,
        [(SET_COOKIE, session::clear_cookie(state.secure_cookies))],
    )
        .into_response())
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
}

/// Checks and stores an account; returns its id.
pub async fn create_account(pool: &PgPool, new: NewAccount) -> Result<Id> {
    let email = new.email.trim().to_lowercase();
    if !email.contains('@') || email.len() > 200 {
        return Err(Error::BadRequest("Vul een geldig e-mailadres in.".into()));
    }
    if new.name.trim().is_empty() {
        return Err(Error::BadRequest("Vul een naam in.".into()));
    }
    if new.password.chars().count() < password::MIN_LENGTH {
        return Err(Error::BadRequest(format!(
            "Een wachtwoord heeft minstens {} tekens.",
            password::MIN_LENGTH
        )));
    }
    if new.role.works_with_residents() != new.team.is_some() {
        return Err(Error::BadRequest(
            "Frontoffice, consulenten en coördinatoren horen bij een team; beheerders en privacyfunctionarissen niet."
                .into(),
        ));
    }
    if let Some(team) = &new.team {
        let found = sqlx::query_scalar!("SELECT municipality_id FROM team WHERE id = $1", team)
            .fetch_optional(pool)
            .await?;
        if found.as_deref() != Some(new.municipality.as_str()) {
            return Err(Error::BadRequest(format!(
                "Het team '{team}' bestaat niet in deze gemeente."
            )));
        }
    }
    let hash = {
        let password = new.password.clone();
        tokio::task::spawn_blocking(move || password::hash(&password))
            .await
            .map_err(|e| Error::Internal(e.to_string()))??
    };
    let id = Id::now_v7();
    let inserted = sqlx::query!(
        "INSERT INTO account (id, municipality_id, team_id, email, name, role, password_hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (email) DO NOTHING",
        id,
        new.municipality,
        new.team,
        email,
        new.name.trim(),
        new.role.key(),
        hash
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

#[derive(Debug, Deserialize)]
struct CreateBody {
    email: String,
    name: String,
    role: Role,
    team: Option<String>,
    password: String,
}

async fn create(
    State(state): State<AppState>,
    principal: Principal,
    ApiJson(body): ApiJson<CreateBody>,
) -> Result<Response> {
    principal.require(&[Role::Administrator])?;
    let id = create_account(
        &state.pool,
        NewAccount {
            email: body.email,
            name: body.name,
            role: body.role,
            team: body.team,
            municipality: principal.municipality.clone(),
            password: body.password,
        },
    )
    .await?;
    audit::record(
        &state.pool,
        audit::Event::by(&principal, Action::AccountCreated).detail(&id.to_string()),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(serde_json::json!({ "id": id }))).into_response())
}

#[derive(Debug, Serialize)]
struct AccountRow {
    id: Id,
    email: String,
    name: String,
    role: String,
    team: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<Vec<AccountRow>>> {
    principal.require(&[Role::Administrator])?;
    let rows = sqlx::query_as!(
        AccountRow,
        r#"SELECT id, email, name, role, team_id AS team FROM account
           WHERE municipality_id = $1 ORDER BY name"#,
        principal.municipality
    )
    .fetch_all(&state.pool)
    .await?;
    Ok(Json(rows))
}

/// The coordinator adds a consultant of the team to a household of the team.
async fn assign(
    State(state): State<AppState>,
    principal: Principal,
    Path((household, account)): Path<(Id, Id)>,
) -> Result<StatusCode> {
    change_assignment(&state, &principal, household, account, true).await
}

async fn unassign(
    State(state): State<AppState>,
    principal: Principal,
    Path((household, account)): Path<(Id, Id)>,
) -> Result<StatusCode> {
    change_assignment(&state, &principal, household, account, false).await
}

async fn change_assignment(
    state: &AppState,
    principal: &Principal,
    household: Id,
    account: Id,
    add: bool,
) -> Result<StatusCode> {
    principal.require(&[Role::Coordinator])?;
    check_same_team(&state.pool, principal, household, account).await?;
    let action = if add {
        crate::sync::add_worker(&state.pool, household, account).await?;
        Action::Assigned
    } else {
        crate::sync::remove_worker(&state.pool, household, account).await?;
        Action::Unassigned
    };
    let event = audit::Event::by(principal, action)
        .household(household)
        .detail(&account.to_string());
    audit::record(&state.pool, event).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The household and the account both belong to the coordinator's team (else 404: another
/// team's households do not exist for this coordinator).
async fn check_same_team(
    pool: &PgPool,
    principal: &Principal,
    household: Id,
    account: Id,
) -> Result<()> {
    let row = sqlx::query!(
        "SELECT h.team_id AS household_team, a.team_id AS account_team, a.role
         FROM household h, account a WHERE h.id = $1 AND a.id = $2",
        household,
        account
    )
    .fetch_optional(pool)
    .await?;
    match row {
        Some(r)
            if Some(&r.household_team) == principal.team.as_ref()
                && r.account_team.as_ref() == principal.team.as_ref() =>
        {
            if r.role != Role::Consultant.key() {
                return Err(Error::BadRequest(
                    "Alleen consulenten worden aan een huishouden toegevoegd.".into(),
                ));
            }
            Ok(())
        }
        _ => Err(Error::NotFound),
    }
}
