//! Helpers shared by the HTTP tests: an app without a socket, and JSON requests with a worker.
#![allow(dead_code)]

use axum::{
    body::Body,
    http::{Request, StatusCode},
    Router,
};
use http_body_util::BodyExt;
use leptos::prelude::LeptosOptions;
use serde_json::Value;
use server::{app, AppState};
use sqlx::PgPool;
use std::sync::OnceLock;
use tower::ServiceExt;

/// A site root with stand-in assets; kept for the whole test binary.
pub fn site_root() -> &'static std::path::Path {
    static ROOT: OnceLock<tempfile::TempDir> = OnceLock::new();
    ROOT.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("pkg")).unwrap();
        std::fs::write(dir.path().join("pkg/keukentafel.css"), "body{}").unwrap();
        std::fs::write(dir.path().join("pkg/keukentafel.js"), "export default 1").unwrap();
        dir
    })
    .path()
}

pub fn router(pool: PgPool) -> Router {
    app(state(pool))
}

/// The state [`router`] serves, for a test that changes part of it first.
pub fn state(pool: PgPool) -> AppState {
    let options = LeptosOptions::builder()
        .output_name("keukentafel")
        .site_root(site_root().to_string_lossy().to_string())
        .site_pkg_dir("pkg")
        .build();
    AppState::new(options, pool)
}

/// Sends a request in the session `session` ("cookie:unlock" as [`account`] gives it, a bare
/// cookie token, or "" for none); returns the status and the JSON body (or the text as a JSON
/// string when the body is not JSON).
pub async fn send(
    router: &Router,
    method: &str,
    uri: &str,
    session: &str,
    body: Option<String>,
) -> (StatusCode, Value) {
    let (cookie, unlock) = session.split_once(':').unwrap_or((session, ""));
    let mut request = Request::builder()
        .method(method)
        .uri(uri)
        .header("content-type", "application/json")
        .header("cookie", format!("kt_session={cookie}"));
    if !unlock.is_empty() {
        request = request.header(shared::sync::UNLOCK_HEADER, unlock);
    }
    let request = request
        .body(body.map(Body::from).unwrap_or_else(Body::empty))
        .unwrap();
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let json = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
    (status, json)
}

pub async fn add_team(pool: &PgPool, team: &str) {
    add_team_in(pool, team, "lindeveen").await
}

pub async fn add_team_in(pool: &PgPool, team: &str, municipality: &str) {
    sqlx::query("INSERT INTO municipality (id, name) VALUES ($1, $1) ON CONFLICT DO NOTHING")
        .bind(municipality)
        .execute(pool)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO team (id, name, municipality_id) VALUES ($1, $1, $2) ON CONFLICT DO NOTHING",
    )
    .bind(team)
    .bind(municipality)
    .execute(pool)
    .await
    .unwrap();
    sqlx::query("INSERT INTO scope_counter (team_id) VALUES ($1) ON CONFLICT DO NOTHING")
        .bind(team)
        .execute(pool)
        .await
        .unwrap();
}

pub const PASSWORD: &str = "een lang genoeg wachtwoord";
/// Every test account's second factor (enrolled at creation).
pub const SECOND_FACTOR: &[u8] = b"12345678901234567890";

/// A second-factor code the server has not accepted yet for this account: the current time
/// step's, or the next one's when the current one was used.
pub async fn second_factor_code(pool: &PgPool, account: shared::model::Id) -> String {
    let last: i64 = sqlx::query_scalar("SELECT totp_last_step FROM account WHERE id = $1")
        .bind(account)
        .fetch_one(pool)
        .await
        .unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let step = (now / 30).max(last as u64 + 1);
    assert!(
        step <= now / 30 + 1,
        "no unused code left in this half minute"
    );
    server::accounts::second_factor::code_at(SECOND_FACTOR, step * 30)
}

/// An account with this role (in `team`, of that team's municipality) and a session for it:
/// ("cookie:unlock", account id).
pub async fn account(
    pool: &PgPool,
    role: shared::model::Role,
    team: Option<&str>,
) -> (String, shared::model::Id) {
    let municipality: String = match team {
        Some(team) => sqlx::query_scalar("SELECT municipality_id FROM team WHERE id = $1")
            .bind(team)
            .fetch_one(pool)
            .await
            .unwrap(),
        None => "lindeveen".into(),
    };
    account_in(pool, role, team, &municipality).await
}

pub async fn account_in(
    pool: &PgPool,
    role: shared::model::Role,
    team: Option<&str>,
    municipality: &str,
) -> (String, shared::model::Id) {
    let id = server::accounts::create_account(
        pool,
        server::accounts::NewAccount {
            email: format!("{}@test.example", shared::model::Id::now_v7()),
            name: format!("{} test", role.label()),
            role,
            team: team.map(str::to_owned),
            municipality: municipality.to_owned(),
            password: PASSWORD.into(),
            must_change_password: false,
        },
    )
    .await
    .unwrap();
    sqlx::query("UPDATE account SET totp_secret = $2 WHERE id = $1")
        .bind(id)
        .bind(SECOND_FACTOR)
        .execute(pool)
        .await
        .unwrap();
    let session = server::accounts::session::create(pool, id).await.unwrap();
    (format!("{}:{}", session.cookie, session.unlock), id)
}

/// Pushes `changes` as `device` in `session`; the push must be taken (200). Returns the answer.
pub async fn push_ok(
    app: &Router,
    session: &str,
    device: shared::model::Id,
    changes: Vec<shared::sync::Change>,
) -> Value {
    let body = serde_json::to_string(&shared::sync::PushRequest {
        device_id: device,
        protocol_version: shared::sync::PROTOCOL_VERSION,
        changes,
    })
    .unwrap();
    let (status, answer) = send(app, "POST", "/api/sync/push", session, Some(body)).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    answer
}

/// A change of one record, as a device of the current version writes it.
pub fn change(
    device: shared::model::Id,
    seq: u64,
    record_type: shared::sync::RecordType,
    id: shared::model::Id,
    op: shared::sync::Operation,
    base: u64,
    fields: Value,
) -> shared::sync::Change {
    shared::sync::Change {
        device_id: device,
        seq,
        record_type,
        record_id: id,
        op,
        fields: fields.as_object().cloned().unwrap_or_default(),
        base_version: base,
        protocol_version: shared::sync::PROTOCOL_VERSION,
        schema_version: shared::sync::SCHEMA_VERSION,
        resolves: None,
        resent: false,
    }
}

/// A device registering a new, empty household named `name` (change number `seq`).
pub fn new_household(
    device: shared::model::Id,
    seq: u64,
    id: shared::model::Id,
    name: &str,
) -> shared::sync::Change {
    change(
        device,
        seq,
        shared::sync::RecordType::Household,
        id,
        shared::sync::Operation::Create,
        0,
        serde_json::json!({"id": id, "name": name, "members": [], "case_manager": null}),
    )
}

/// A record of `table` written straight into the database (as a synced device left it), for
/// tests that count what is stored.
pub async fn insert_record(
    pool: &PgPool,
    table: &str,
    id: shared::model::Id,
    household: shared::model::Id,
    fields: Value,
    deleted: bool,
) {
    let sql = format!(
        "INSERT INTO {table} (id, household_id, version, deleted, fields, field_versions)
         VALUES ($1, $2, 1, $3, $4, '{{}}')"
    );
    sqlx::query(&sql)
        .bind(id)
        .bind(household)
        .bind(deleted)
        .bind(fields)
        .execute(pool)
        .await
        .unwrap();
}
