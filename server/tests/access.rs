//! Issue 13: a session cookie alone opens nothing, a locked app suspends its session, a leaver
//! is refused at once, an administrator cannot elevate themselves, a lost device is refused, and
//! sign-in holds under guessing and load. Each test was written against the old code first and
//! failed there.

mod common;

use axum::{
    body::Body,
    http::{Request, StatusCode},
    Router,
};
use common::{account, add_team, router, PASSWORD};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use shared::model::{Id, Role};
use sqlx::PgPool;
use std::time::{Duration, Instant};
use tower::ServiceExt;

/// A signed-in browser: the cookie the server set and the unlock proof it handed over.
struct Signed {
    cookie: String,
    unlock: Option<String>,
}

async fn request(
    app: &Router,
    method: &str,
    uri: &str,
    cookie: Option<&str>,
    unlock: Option<&str>,
    body: Option<Value>,
) -> (StatusCode, Value, Option<String>) {
    let mut builder = Request::builder()
        .method(method)
        .uri(uri)
        .header("content-type", "application/json");
    if let Some(cookie) = cookie {
        builder = builder.header("cookie", format!("kt_session={cookie}"));
    }
    if let Some(unlock) = unlock {
        builder = builder.header("x-keukentafel-unlock", unlock);
    }
    let request = builder
        .body(
            body.map(|b| Body::from(b.to_string()))
                .unwrap_or_else(Body::empty),
        )
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let set_cookie = response
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("kt_session="))
        .and_then(|v| v.split(';').next())
        .map(str::to_owned);
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let json = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
    (status, json, set_cookie)
}

/// Signs in over HTTP, answering the second-factor question with a fresh code when asked.
async fn sign_in(
    app: &Router,
    pool: &PgPool,
    email: &str,
    password: &str,
) -> (StatusCode, Value, Option<Signed>) {
    let first = sign_in_with(app, email, password, None).await;
    if first.1["code"] != "second_factor_required" {
        return first;
    }
    let id: Id = sqlx::query_scalar("SELECT id FROM account WHERE email = $1")
        .bind(email)
        .fetch_one(pool)
        .await
        .unwrap();
    let code = common::second_factor_code(pool, id).await;
    sign_in_with(app, email, password, Some(&code)).await
}

async fn sign_in_with(
    app: &Router,
    email: &str,
    password: &str,
    code: Option<&str>,
) -> (StatusCode, Value, Option<Signed>) {
    let (status, body, cookie) = request(
        app,
        "POST",
        "/api/session",
        None,
        None,
        Some(json!({"email": email, "password": password, "code": code})),
    )
    .await;
    let signed = cookie.map(|cookie| Signed {
        cookie,
        unlock: body["unlock"].as_str().map(str::to_owned),
    });
    (status, body, signed)
}

async fn email_of(pool: &PgPool, id: Id) -> String {
    sqlx::query_scalar("SELECT email FROM account WHERE id = $1")
        .bind(id)
        .fetch_one(pool)
        .await
        .unwrap()
}

async fn signed_in(app: &Router, pool: &PgPool, role: Role, team: Option<&str>) -> (Signed, Id) {
    let (_, id) = account(pool, role, team).await;
    let (status, body, signed) = sign_in(app, pool, &email_of(pool, id).await, PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    (signed.expect("a session cookie"), id)
}

fn pull_url() -> String {
    format!("/api/sync/pull?device_id={}", Id::now_v7())
}

#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn a_session_cookie_alone_opens_no_resident_data(pool: PgPool) {
    add_team(&pool, "noord").await;
    let app = router(pool.clone());
    let (signed, _) = signed_in(&app, &pool, Role::Coordinator, Some("noord")).await;
    // The address bar of a locked tablet: the cookie travels, the unlock proof does not.
    let (status, body, _) =
        request(&app, "GET", &pull_url(), Some(&signed.cookie), None, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert!(body.get("entries").is_none());
    let (status, _, _) = request(
        &app,
        "GET",
        "/api/caseload",
        Some(&signed.cookie),
        None,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // A wrong proof opens nothing either.
    let (status, _, _) = request(
        &app,
        "GET",
        &pull_url(),
        Some(&signed.cookie),
        Some("00ff"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // The unlocked app, with its proof, syncs.
    let unlock = signed
        .unlock
        .as_deref()
        .expect("sign-in hands over the unlock proof");
    let (status, body, _) = request(
        &app,
        "GET",
        &pull_url(),
        Some(&signed.cookie),
        Some(unlock),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn locking_suspends_the_session_until_the_app_resumes_it(pool: PgPool) {
    add_team(&pool, "noord").await;
    let app = router(pool.clone());
    let (signed, _) = signed_in(&app, &pool, Role::FrontOffice, Some("noord")).await;
    let unlock = signed.unlock.clone().unwrap();
    let (status, _, _) = request(
        &app,
        "POST",
        "/api/session/lock",
        Some(&signed.cookie),
        Some(&unlock),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body, _) = request(
        &app,
        "GET",
        &pull_url(),
        Some(&signed.cookie),
        Some(&unlock),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["code"], "session_locked", "{body}");
    let (status, _, _) = request(
        &app,
        "POST",
        "/api/session/resume",
        Some(&signed.cookie),
        Some(&unlock),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _, _) = request(
        &app,
        "GET",
        &pull_url(),
        Some(&signed.cookie),
        Some(&unlock),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
}

#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn an_idle_office_session_ends(pool: PgPool) {
    let app = router(pool.clone());
    let (signed, _) = signed_in(&app, &pool, Role::PrivacyOfficer, None).await;
    let unlock = signed.unlock.clone().unwrap();
    let (status, _, _) = request(
        &app,
        "GET",
        "/api/audit",
        Some(&signed.cookie),
        Some(&unlock),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    sqlx::query("UPDATE session SET last_seen_at = now() - interval '2 hours'")
        .execute(&pool)
        .await
        .unwrap();
    let (status, _, _) = request(
        &app,
        "GET",
        "/api/audit",
        Some(&signed.cookie),
        Some(&unlock),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn a_session_ended_with_the_cookie_alone_is_gone(pool: PgPool) {
    // The device wiped itself offline; at its next contact it ends the session with the cookie
    // and the hash of the proof it held: that session, and never one signed in since.
    add_team(&pool, "noord").await;
    let app = router(pool.clone());
    let (signed, _) = signed_in(&app, &pool, Role::Consultant, Some("noord")).await;
    let unlock = signed.unlock.clone().unwrap();
    let other = hex_sha256("een ander bewijs");
    let (status, _, _) = request(
        &app,
        "DELETE",
        &format!("/api/session?unlock_hash={other}"),
        Some(&signed.cookie),
        None,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _, _) = request(
        &app,
        "GET",
        &pull_url(),
        Some(&signed.cookie),
        Some(&unlock),
        None,
    )
    .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "another session's hash ends nothing"
    );
    let (status, _, _) = request(
        &app,
        "DELETE",
        &format!("/api/session?unlock_hash={}", hex_sha256(&unlock)),
        Some(&signed.cookie),
        None,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _, _) = request(
        &app,
        "GET",
        &pull_url(),
        Some(&signed.cookie),
        Some(&unlock),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, body, _) = request(
        &app,
        "DELETE",
        "/api/session?unlock_hash=zz",
        Some(&signed.cookie),
        None,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
}

fn hex_sha256(text: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn a_disabled_account_is_refused_at_its_next_request_and_can_be_enabled(pool: PgPool) {
    add_team(&pool, "noord").await;
    let app = router(pool.clone());
    let (admin, admin_id) = signed_in(&app, &pool, Role::Administrator, None).await;
    let (worker, worker_id) = signed_in(&app, &pool, Role::Consultant, Some("noord")).await;
    let admin_unlock = admin.unlock.clone().unwrap();
    let worker_unlock = worker.unlock.clone().unwrap();
    let (status, body, _) = request(
        &app,
        "POST",
        &format!("/api/accounts/{worker_id}/disable"),
        Some(&admin.cookie),
        Some(&admin_unlock),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    // Refused with a reason the device acts on: push what it holds, then wipe.
    let (status, body, _) = request(
        &app,
        "GET",
        &pull_url(),
        Some(&worker.cookie),
        Some(&worker_unlock),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["code"], "account_disabled", "{body}");
    let (status, _, _) = sign_in(&app, &pool, &email_of(&pool, worker_id).await, PASSWORD).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // An administrator cannot disable themselves (nobody would be left to enable them).
    let (status, _, _) = request(
        &app,
        "POST",
        &format!("/api/accounts/{admin_id}/disable"),
        Some(&admin.cookie),
        Some(&admin_unlock),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = request(
        &app,
        "POST",
        &format!("/api/accounts/{worker_id}/enable"),
        Some(&admin.cookie),
        Some(&admin_unlock),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _, _) = sign_in(&app, &pool, &email_of(&pool, worker_id).await, PASSWORD).await;
    assert_eq!(status, StatusCode::OK);
    let details: Vec<String> = sqlx::query_scalar(
        "SELECT detail FROM audit_event WHERE action IN ('account_disabled', 'account_enabled')
         ORDER BY id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(details.len(), 2, "{details:?}");
    assert!(
        details[0].contains(&worker_id.to_string()) && details[0].contains("active: true -> false")
    );
}

#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn an_administrator_cannot_give_themselves_a_role_with_resident_data(pool: PgPool) {
    add_team(&pool, "noord").await;
    let app = router(pool.clone());
    let (admin, admin_id) = signed_in(&app, &pool, Role::Administrator, None).await;
    let unlock = admin.unlock.clone().unwrap();
    for (role, team) in [
        ("coordinator", json!("noord")),
        ("privacy_officer", Value::Null),
    ] {
        let (status, body, _) = request(
            &app,
            "PUT",
            &format!("/api/accounts/{admin_id}/role"),
            Some(&admin.cookie),
            Some(&unlock),
            Some(json!({"role": role, "team": team})),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{role}: {body}");
    }
    let own_name: String = sqlx::query_scalar("SELECT name FROM account WHERE id = $1")
        .bind(admin_id)
        .fetch_one(&pool)
        .await
        .unwrap();
    let (status, body, _) = request(
        &app,
        "POST",
        "/api/accounts",
        Some(&admin.cookie),
        Some(&unlock),
        Some(json!({"email": "tweede-ik@test.example", "name": own_name, "role": "coordinator", "team": "noord"})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let role: String = sqlx::query_scalar("SELECT role FROM account WHERE id = $1")
        .bind(admin_id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(role, "administrator");
    // Another worker's role does change, and the audit says what it was and became.
    let (_, worker_id) = account(&pool, Role::FrontOffice, Some("noord")).await;
    let (status, body, _) = request(
        &app,
        "PUT",
        &format!("/api/accounts/{worker_id}/role"),
        Some(&admin.cookie),
        Some(&unlock),
        Some(json!({"role": "consultant", "team": "noord"})),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let detail: String =
        sqlx::query_scalar("SELECT detail FROM audit_event WHERE action = 'account_changed'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(
        detail.contains("role: front_office -> consultant"),
        "{detail}"
    );
}

#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn a_reset_password_works_once_and_must_be_changed(pool: PgPool) {
    add_team(&pool, "noord").await;
    let app = router(pool.clone());
    let (admin, _) = signed_in(&app, &pool, Role::Administrator, None).await;
    let (_, worker_id) = account(&pool, Role::Consultant, Some("noord")).await;
    let (status, body, _) = request(
        &app,
        "POST",
        &format!("/api/accounts/{worker_id}/password-reset"),
        Some(&admin.cookie),
        admin.unlock.as_deref(),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let one_time = body["one_time_password"].as_str().unwrap().to_owned();
    let email = email_of(&pool, worker_id).await;
    assert_eq!(
        sign_in(&app, &pool, &email, PASSWORD).await.0,
        StatusCode::UNAUTHORIZED
    );
    let (status, body, signed) = sign_in(&app, &pool, &email, &one_time).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["must_change_password"], true);
    let signed = signed.unwrap();
    let unlock = signed.unlock.clone().unwrap();
    // Nothing but the change of password until it is changed.
    let (status, body, _) = request(
        &app,
        "GET",
        &pull_url(),
        Some(&signed.cookie),
        Some(&unlock),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["code"], "password_change_required");
    let new_password = "een ander lang wachtwoord";
    let (status, body, _) = request(
        &app,
        "PUT",
        "/api/session/password",
        Some(&signed.cookie),
        Some(&unlock),
        Some(json!({"current": one_time, "new": new_password})),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let (status, _, _) = request(
        &app,
        "GET",
        &pull_url(),
        Some(&signed.cookie),
        Some(&unlock),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        sign_in(&app, &pool, &email, &one_time).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        sign_in(&app, &pool, &email, new_password).await.0,
        StatusCode::OK
    );
}

#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn a_lost_device_may_push_but_pulls_nothing_and_is_told_to_wipe(pool: PgPool) {
    add_team(&pool, "noord").await;
    let app = router(pool.clone());
    let (worker, _) = signed_in(&app, &pool, Role::FrontOffice, Some("noord")).await;
    let (coordinator, _) = signed_in(&app, &pool, Role::Coordinator, Some("noord")).await;
    let device = Id::now_v7();
    let unlock = worker.unlock.clone().unwrap();
    let pull = format!("/api/sync/pull?device_id={device}");
    let (status, _, _) = request(
        &app,
        "GET",
        &pull,
        Some(&worker.cookie),
        Some(&unlock),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, body, _) = request(
        &app,
        "POST",
        &format!("/api/devices/{device}/lost"),
        Some(&coordinator.cookie),
        coordinator.unlock.as_deref(),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let (status, body, _) = request(
        &app,
        "GET",
        &pull,
        Some(&worker.cookie),
        Some(&unlock),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["code"], "device_lost");
    // What it still holds is taken (nothing typed is lost).
    let household = Id::now_v7();
    let push = json!({
        "device_id": device,
        "protocol_version": shared::sync::PROTOCOL_VERSION,
        "changes": [{
            "device_id": device, "seq": 1, "record_type": "household", "record_id": household,
            "op": "create", "fields": {"id": household, "name": "Huishouden Kwijt", "members": []},
            "base_version": 0, "protocol_version": shared::sync::PROTOCOL_VERSION,
            "schema_version": shared::sync::SCHEMA_VERSION,
        }],
    });
    let (status, body, _) = request(
        &app,
        "POST",
        "/api/sync/push",
        Some(&worker.cookie),
        Some(&unlock),
        Some(push),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["wipe"], true, "{body}");
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM household WHERE id = $1")
        .bind(household)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(stored, 1);
}

#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn fifty_parallel_wrong_passwords_count_as_fifty_and_lock_after_five(pool: PgPool) {
    add_team(&pool, "noord").await;
    let app = router(pool.clone());
    let (_, id) = account(&pool, Role::Consultant, Some("noord")).await;
    let email = email_of(&pool, id).await;
    let guesses = (0..50).map(|i| {
        let (app, pool) = (app.clone(), pool.clone());
        let email = email.clone();
        tokio::spawn(async move {
            sign_in(&app, &pool, &email, &format!("fout wachtwoord {i}"))
                .await
                .0
        })
    });
    for guess in guesses {
        let status = guess.await.unwrap();
        assert!(status.is_client_error(), "{status}");
    }
    let failed: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_event WHERE action = 'sign_in_failed' AND account_id = $1",
    )
    .bind(id)
    .fetch_one(&pool)
    .await
    .unwrap();
    // Every guess that reached the password check counted; the rest were turned away before it.
    let turned_away: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_event WHERE action = 'sign_in_refused' AND account_id = $1",
    )
    .bind(id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        failed + turned_away,
        50,
        "failed {failed}, refused {turned_away}"
    );
    assert!(failed <= 5, "at most five guesses were checked: {failed}");
    let (status, _, _) = sign_in(&app, &pool, &email, PASSWORD).await;
    assert_ne!(
        status,
        StatusCode::OK,
        "the right password does not open a locked account"
    );
}

#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn unknown_and_known_accounts_get_the_same_answer(pool: PgPool) {
    add_team(&pool, "noord").await;
    let app = router(pool.clone());
    let (_, id) = account(&pool, Role::Consultant, Some("noord")).await;
    let email = email_of(&pool, id).await;
    let mut known = Vec::new();
    for _ in 0..7 {
        let (status, body, _) = sign_in(&app, &pool, &email, "fout wachtwoord").await;
        known.push((status, body));
    }
    let unknown_email = "niemand-die-bestaat@test.example";
    for _ in 0..7 {
        let (status, body, _) = sign_in(&app, &pool, unknown_email, "fout wachtwoord").await;
        assert!(
            known.contains(&(status, body.clone())),
            "{status} {body} is not among {known:?}"
        );
    }
    // Locked or unknown: the answers are the same.
    let (status, body, _) = sign_in(&app, &pool, unknown_email, "fout").await;
    assert_eq!((status, body), known[6].clone());
    let stored: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_event WHERE detail LIKE '%niemand-die-bestaat%'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        stored, 0,
        "the audit keeps a keyed hash of an unknown e-mail, never the string"
    );
}

#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn oversized_sign_in_input_is_refused_before_hashing(pool: PgPool) {
    let app = router(pool.clone());
    let long = format!("{}@test.example", "a".repeat(100_000));
    let (status, body, _) = sign_in(&app, &pool, &long, "x").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, _, _) = sign_in(&app, &pool, "a@test.example", &"x".repeat(100_000)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let longest: Option<i32> = sqlx::query_scalar("SELECT max(length(detail)) FROM audit_event")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(longest.unwrap_or(0) < 200, "{longest:?}");
}

#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn five_hundred_concurrent_sign_ins_leave_the_health_check_answering(pool: PgPool) {
    add_team(&pool, "noord").await;
    let app = router(pool.clone());
    let (_, id) = account(&pool, Role::Consultant, Some("noord")).await;
    let email = email_of(&pool, id).await;
    let storm: Vec<_> = (0..500)
        .map(|i| {
            let app = app.clone();
            let email = if i % 2 == 0 {
                email.clone()
            } else {
                format!("gok{i}@test.example")
            };
            let pool = pool.clone();
            tokio::spawn(async move { sign_in(&app, &pool, &email, "fout wachtwoord").await.0 })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let started = Instant::now();
    let (status, _, _) = request(&app, "GET", "/healthz", None, None, None).await;
    let took = started.elapsed();
    assert_eq!(status, StatusCode::OK);
    assert!(
        took < Duration::from_secs(1),
        "healthz took {took:?} under the storm"
    );
    for answer in storm {
        let status = answer.await.unwrap();
        assert!(
            status.is_client_error() || status == StatusCode::SERVICE_UNAVAILABLE,
            "{status}"
        );
    }
}

#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn a_second_factor_is_asked_used_once_and_a_recovery_code_works_once(pool: PgPool) {
    add_team(&pool, "noord").await;
    let app = router(pool.clone());
    let (_, id) = account(&pool, Role::Consultant, Some("noord")).await;
    let email = email_of(&pool, id).await;
    // The right password alone opens nothing: the code is asked for, and that attempt does
    // not count against the five.
    let (status, body, signed) = sign_in_with(&app, &email, PASSWORD, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["code"], "second_factor_required");
    assert!(signed.is_none());
    // A wrong code counts as a failed attempt.
    let (status, _, _) = sign_in_with(&app, &email, PASSWORD, Some("000000")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let failed: i32 = sqlx::query_scalar("SELECT failed_sign_ins FROM account WHERE id = $1")
        .bind(id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(failed, 1);
    // A right code opens, once.
    let code = common::second_factor_code(&pool, id).await;
    let (status, _, _) = sign_in_with(&app, &email, PASSWORD, Some(&code)).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body, _) = sign_in_with(&app, &email, PASSWORD, Some(&code)).await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "a code is used once: {body}"
    );

    // Setting it up again (after an administrator's reset): QR code, confirm, recovery codes.
    let (admin, _) = signed_in(&app, &pool, Role::Administrator, None).await;
    let (status, _, _) = request(
        &app,
        "POST",
        &format!("/api/accounts/{id}/second-factor-reset"),
        Some(&admin.cookie),
        admin.unlock.as_deref(),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body, signed) = sign_in_with(&app, &email, PASSWORD, None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["must_set_up_second_factor"], true);
    let signed = signed.unwrap();
    let unlock = signed.unlock.clone().unwrap();
    let (status, body, _) = request(
        &app,
        "GET",
        &pull_url(),
        Some(&signed.cookie),
        Some(&unlock),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["code"], "second_factor_setup_required");
    let (status, enrolment, _) = request(
        &app,
        "POST",
        "/api/session/second-factor",
        Some(&signed.cookie),
        Some(&unlock),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{enrolment}");
    assert!(enrolment["qr_svg"].as_str().unwrap().contains("<svg"));
    assert!(enrolment["otpauth_url"]
        .as_str()
        .unwrap()
        .starts_with("otpauth://totp/Keukentafel"));
    let secret =
        server::accounts::second_factor::from_base32(enrolment["secret"].as_str().unwrap())
            .unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let (status, body, _) = request(
        &app,
        "POST",
        "/api/session/second-factor/confirm",
        Some(&signed.cookie),
        Some(&unlock),
        Some(json!({"code": "123456"})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, enrolled, _) = request(
        &app,
        "POST",
        "/api/session/second-factor/confirm",
        Some(&signed.cookie),
        Some(&unlock),
        Some(json!({"code": server::accounts::second_factor::code_at(&secret, now)})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{enrolled}");
    let (status, _, _) = request(
        &app,
        "GET",
        &pull_url(),
        Some(&signed.cookie),
        Some(&unlock),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let recovery = enrolled["recovery_codes"][0]
        .as_str()
        .unwrap()
        .to_uppercase();
    let (status, _, _) = sign_in_with(&app, &email, PASSWORD, Some(&recovery)).await;
    assert_eq!(status, StatusCode::OK, "a recovery code opens");
    let (status, _, _) = sign_in_with(&app, &email, PASSWORD, Some(&recovery)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "once");
    let actions: Vec<String> = sqlx::query_scalar(
        "SELECT action FROM audit_event WHERE action LIKE 'second_factor%' ORDER BY id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(actions, ["second_factor_reset", "second_factor_enrolled"]);
}
