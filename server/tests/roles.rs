//! Who may do what (functiescheiding): every role against every endpoint and sync scope,
//! including another team's and another municipality's records (403 or 404, never data).

mod common;

use axum::http::StatusCode;
use common::{account, account_in, add_team_in, router, send, PASSWORD};
use serde_json::{json, Value};
use shared::model::{Id, Role};
use shared::sync::{Change, Operation, PushRequest, RecordType, PROTOCOL_VERSION, SCHEMA_VERSION};
use sqlx::PgPool;

fn create(device: Id, seq: u64, record_type: RecordType, id: Id, fields: Value) -> Change {
    Change {
        device_id: device,
        seq,
        record_type,
        record_id: id,
        op: Operation::Create,
        fields: fields.as_object().cloned().unwrap(),
        base_version: 0,
        protocol_version: PROTOCOL_VERSION,
        schema_version: SCHEMA_VERSION,
        resolves: None,
        resent: false,
    }
}

fn household(id: Id) -> Value {
    json!({"id": id, "name": "Huishouden Matrix", "members": []})
}

fn conversation(id: Id, household: Id) -> Value {
    serde_json::to_value(shared::model::Conversation {
        id,
        household_id: household,
        question_id: None,
        template_version: "2026.1".into(),
        worker: "Test".into(),
        held_on: time::macros::date!(2026 - 11 - 20),
        participants: vec![],
        flagged_domains: vec![],
        domains: vec![],
        status: shared::model::ConversationStatus::InProgress,
        kind: Default::default(),
        agreement: Default::default(),
    })
    .unwrap()
}

async fn push(
    app: &axum::Router,
    session: &str,
    device: Id,
    changes: Vec<Change>,
) -> (StatusCode, Value) {
    let body = serde_json::to_string(&PushRequest {
        device_id: device,
        protocol_version: PROTOCOL_VERSION,
        changes,
    })
    .unwrap();
    send(app, "POST", "/api/sync/push", session, Some(body)).await
}

async fn pulled(app: &axum::Router, session: &str) -> (StatusCode, Vec<Value>) {
    let (status, body) = send(
        app,
        "GET",
        &format!("/api/sync/pull?device_id={}", Id::now_v7()),
        session,
        None,
    )
    .await;
    (
        status,
        body["entries"].as_array().cloned().unwrap_or_default(),
    )
}

fn records_of(entries: &[Value], record_type: &str) -> usize {
    entries
        .iter()
        .filter(|e| e["kind"] == "record" && e["record_type"] == record_type)
        .count()
}

#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn every_role_against_every_endpoint_and_scope(pool: PgPool) {
    add_team_in(&pool, "oost-1", "oostdam").await;
    let app = router(pool.clone());
    let (front, _) = account(&pool, Role::FrontOffice, Some("wijkteam")).await;
    let (consultant, consultant_id) = account(&pool, Role::Consultant, Some("wijkteam")).await;
    let (other_consultant, _) = account(&pool, Role::Consultant, Some("wijkteam")).await;
    let (coordinator, _) = account(&pool, Role::Coordinator, Some("wijkteam")).await;
    let (admin, _) = account(&pool, Role::Administrator, None).await;
    let (privacy, _) = account(&pool, Role::PrivacyOfficer, None).await;
    let (oost, _) = account(&pool, Role::Coordinator, Some("oost-1")).await;
    let (oost_privacy, _) = account_in(&pool, Role::PrivacyOfficer, None, "oostdam").await;

    // The coordinator registers a household with a conversation; Oostdam has its own.
    let home = Id::now_v7();
    let talk = Id::now_v7();
    let device = Id::now_v7();
    let own = |mut c: Change| {
        c.device_id = device;
        c
    };
    let (_, body) = push(
        &app,
        &coordinator,
        device,
        vec![
            own(create(
                device,
                1,
                RecordType::Household,
                home,
                household(home),
            )),
            own(create(
                device,
                2,
                RecordType::Conversation,
                talk,
                conversation(talk, home),
            )),
        ],
    )
    .await;
    assert_eq!(body["results"][1]["outcome"], "applied", "{body}");
    let oost_home = Id::now_v7();
    let oost_device = Id::now_v7();
    push(
        &app,
        &oost,
        oost_device,
        vec![create(
            oost_device,
            1,
            RecordType::Household,
            oost_home,
            household(oost_home),
        )],
    )
    .await;

    // Push: who may write what.
    let try_write = |session: String, record_type: RecordType, fields: Value, id: Id| {
        let app = app.clone();
        async move {
            let d = Id::now_v7();
            let (status, body) = push(
                &app,
                &session,
                d,
                vec![create(d, 1, record_type, id, fields)],
            )
            .await;
            (
                status,
                body["results"][0]["outcome"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            )
        }
    };
    let new_talk = Id::now_v7();
    for (who, session, expected) in [
        ("front office", &front, "rejected"),
        ("unassigned consultant", &consultant, "rejected"),
        ("coordinator", &coordinator, "applied"),
        ("other municipality", &oost, "rejected"),
    ] {
        let (status, outcome) = try_write(
            session.clone(),
            RecordType::Conversation,
            conversation(new_talk, home),
            new_talk,
        )
        .await;
        assert_eq!(
            (status, outcome.as_str()),
            (StatusCode::OK, expected),
            "{who} writes a conversation"
        );
    }
    for (who, session) in [("administrator", &admin), ("privacy officer", &privacy)] {
        let id = Id::now_v7();
        let (status, _) =
            try_write(session.clone(), RecordType::Household, household(id), id).await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "{who} holds no resident data"
        );
    }
    let (_, outcome) = try_write(
        front.clone(),
        RecordType::Household,
        household(Id::now_v7()),
        Id::now_v7(),
    )
    .await;
    assert_eq!(
        outcome, "rejected",
        "an id that is not the record's own is refused"
    );
    let fresh = Id::now_v7();
    let (_, outcome) = try_write(
        front.clone(),
        RecordType::Household,
        household(fresh),
        fresh,
    )
    .await;
    assert_eq!(outcome, "applied", "front office registers households");

    // Pull: who sees what.
    let (_, entries) = pulled(&app, &front).await;
    assert!(
        records_of(&entries, "household") >= 1 && records_of(&entries, "conversation") == 0,
        "front office: no conversations"
    );
    let (_, entries) = pulled(&app, &consultant).await;
    assert_eq!(
        records_of(&entries, "household"),
        0,
        "a consultant sees only households they were added to"
    );
    let (_, entries) = pulled(&app, &coordinator).await;
    assert!(records_of(&entries, "conversation") >= 2);
    assert!(
        entries
            .iter()
            .all(|e| e["household_id"] != json!(oost_home)),
        "nothing of another municipality"
    );
    let (_, entries) = pulled(&app, &oost).await;
    assert!(entries.iter().all(|e| e["household_id"] != json!(home)));
    for (who, session) in [
        ("administrator", &admin),
        ("privacy officer", &privacy),
        ("nobody", &String::new()),
    ] {
        let (status, entries) = pulled(&app, session).await;
        assert!(
            status == StatusCode::FORBIDDEN || status == StatusCode::UNAUTHORIZED,
            "{who}: {status}"
        );
        assert!(entries.is_empty());
    }

    // Assignment: only the team's coordinator, only the team's households.
    let uri = format!("/api/households/{home}/workers/{consultant_id}");
    for (who, session, expected) in [
        ("consultant", &consultant, StatusCode::FORBIDDEN),
        ("front office", &front, StatusCode::FORBIDDEN),
        ("administrator", &admin, StatusCode::FORBIDDEN),
        (
            "other municipality's coordinator",
            &oost,
            StatusCode::NOT_FOUND,
        ),
        ("coordinator", &coordinator, StatusCode::NO_CONTENT),
    ] {
        let (status, body) = send(&app, "PUT", &uri, session, None).await;
        assert_eq!(status, expected, "{who} assigns: {body}");
    }
    let (_, entries) = pulled(&app, &consultant).await;
    assert!(
        records_of(&entries, "household") >= 1,
        "added: the household arrives"
    );
    assert!(records_of(&entries, "conversation") >= 2);
    let (_, entries) = pulled(&app, &other_consultant).await;
    assert_eq!(records_of(&entries, "household"), 0);

    // Accounts: only the administrator.
    let new_account = json!({"email": "nieuw@lindeveen.example", "name": "Nieuw", "role": "consultant", "team": "wijkteam", "password": PASSWORD});
    for (who, session, expected) in [
        ("front office", &front, StatusCode::FORBIDDEN),
        ("coordinator", &coordinator, StatusCode::FORBIDDEN),
        ("privacy officer", &privacy, StatusCode::FORBIDDEN),
        ("administrator", &admin, StatusCode::CREATED),
    ] {
        let (status, body) = send(
            &app,
            "POST",
            "/api/accounts",
            session,
            Some(new_account.to_string()),
        )
        .await;
        assert_eq!(status, expected, "{who} creates an account: {body}");
        let (status, _) = send(&app, "GET", "/api/accounts", session, None).await;
        assert_eq!(
            status == StatusCode::OK,
            expected == StatusCode::CREATED,
            "{who} lists accounts"
        );
    }
    let (_, list) = send(&app, "GET", "/api/accounts", &admin, None).await;
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .all(|a| a["team"] != "oost-1"),
        "another municipality's accounts stay hidden"
    );

    // The audit log: only privacy officers, only their municipality.
    let uri = format!("/api/audit?household_id={home}");
    for (who, session) in [
        ("front office", &front),
        ("coordinator", &coordinator),
        ("administrator", &admin),
    ] {
        let (status, _) = send(&app, "GET", &uri, session, None).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{who} reads the audit log");
    }
    let (status, events) = send(&app, "GET", &uri, &privacy, None).await;
    assert_eq!(status, StatusCode::OK);
    let actions: Vec<&str> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(
        actions.contains(&"create") && actions.contains(&"read") && actions.contains(&"assigned"),
        "{actions:?}"
    );
    let (_, events) = send(&app, "GET", &uri, &oost_privacy, None).await;
    assert_eq!(
        events,
        json!([]),
        "another municipality's privacy officer sees nothing of ours"
    );
    let (status, csv) = send(&app, "GET", "/api/audit/export", &privacy, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(csv
        .as_str()
        .unwrap()
        .starts_with("\u{feff}id;at;account_id"));

    // Everyone may ask who they are; nobody without a session.
    for session in [&front, &consultant, &coordinator, &admin, &privacy] {
        assert_eq!(
            send(&app, "GET", "/api/session", session, None).await.0,
            StatusCode::OK
        );
    }
    assert_eq!(
        send(&app, "GET", "/api/session", "not-a-session", None)
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
}

#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn sign_in_is_locked_after_five_and_sign_out_ends_the_session(pool: PgPool) {
    let app = router(pool.clone());
    let (_, id) = account(&pool, Role::Consultant, Some("wijkteam")).await;
    let email: String = sqlx::query_scalar("SELECT email FROM account WHERE id = $1")
        .bind(id)
        .fetch_one(&pool)
        .await
        .unwrap();
    let attempt =
        |password: &str| json!({"email": email.to_uppercase(), "password": password}).to_string();

    let code = common::second_factor_code(&pool, id).await;
    let with_code = json!({"email": email, "password": PASSWORD, "code": code}).to_string();
    let response = tower::ServiceExt::oneshot(
        app.clone(),
        axum::http::Request::post("/api/session")
            .header("content-type", "application/json")
            .body(axum::body::Body::from(with_code))
            .unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let body = http_body_util::BodyExt::collect(response.into_body())
        .await
        .unwrap()
        .to_bytes();
    let signed: Value = serde_json::from_slice(&body).unwrap();
    // The cookie alone is not enough: the app sends the unlock proof from the answer along.
    let cookie_only = cookie
        .split(';')
        .next()
        .unwrap()
        .trim_start_matches("kt_session=")
        .to_owned();
    assert_eq!(
        send(&app, "GET", "/api/session", &cookie_only, None)
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    let token = format!("{cookie_only}:{}", signed["unlock"].as_str().unwrap());
    assert_eq!(
        send(&app, "GET", "/api/session", &token, None).await.0,
        StatusCode::OK
    );

    let (status, body) = send(
        &app,
        "POST",
        "/api/session",
        "",
        Some(json!({"email": "niemand@example.nl", "password": "x"}).to_string()),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .starts_with("Het e-mailadres of het wachtwoord klopt niet."),
        "{body}"
    );
    for _ in 0..5 {
        let (status, _) = send(
            &app,
            "POST",
            "/api/session",
            "",
            Some(attempt("fout wachtwoord")),
        )
        .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    // Locked: even the right password is refused, with the same answer as a wrong one.
    let (status, locked) = send(&app, "POST", "/api/session", "", Some(attempt(PASSWORD))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "locked: {locked}");
    assert_eq!(locked["error"], body["error"]);

    // A session ends by itself after its lifetime.
    let (expiring, _) = account(&pool, Role::FrontOffice, Some("wijkteam")).await;
    assert_eq!(
        send(&app, "GET", "/api/session", &expiring, None).await.0,
        StatusCode::OK
    );
    sqlx::query("UPDATE session SET expires_at = now() - interval '1 second'")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        send(&app, "GET", "/api/session", &expiring, None).await.0,
        StatusCode::UNAUTHORIZED
    );
    sqlx::query("UPDATE session SET expires_at = now() + interval '1 hour'")
        .execute(&pool)
        .await
        .unwrap();

    let (status, _) = send(&app, "DELETE", "/api/session", &token, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(
        send(&app, "GET", "/api/session", &token, None).await.0,
        StatusCode::UNAUTHORIZED
    );
    let audit: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_event WHERE action IN ('sign_in', 'sign_in_failed', 'sign_out')")
        .fetch_one(&pool).await.unwrap();
    assert!(audit >= 7, "sign-ins are on record");
    let tampered = sqlx::query("DELETE FROM audit_event").execute(&pool).await;
    assert!(tampered.is_err(), "the audit log is append-only");
}

#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn reads_made_on_a_device_are_recorded_once_and_only_for_the_team(pool: PgPool) {
    add_team_in(&pool, "oost-1", "oostdam").await;
    let app = router(pool.clone());
    let (ours, _) = account(&pool, Role::Consultant, Some("wijkteam")).await;
    let (theirs, _) = account(&pool, Role::Coordinator, Some("oost-1")).await;
    let device = Id::now_v7();
    let home = Id::now_v7();
    push(
        &app,
        &ours,
        device,
        vec![create(
            device,
            1,
            RecordType::Household,
            home,
            household(home),
        )],
    )
    .await;
    let foreign_device = Id::now_v7();
    let foreign = Id::now_v7();
    push(
        &app,
        &theirs,
        foreign_device,
        vec![create(
            foreign_device,
            1,
            RecordType::Household,
            foreign,
            household(foreign),
        )],
    )
    .await;

    let report = json!({"device_id": device, "events": [
        {"seq": 1, "at": "2026-11-20T09:15:00+01:00", "action": "read", "household_id": home},
        {"seq": 2, "at": "2026-11-20T09:20:00+01:00", "action": "print", "household_id": home},
        {"seq": 3, "at": "2026-11-20T09:25:00+01:00", "action": "read", "household_id": foreign},
    ]});
    for _ in 0..2 {
        let (status, body) = send(
            &app,
            "POST",
            "/api/audit/access",
            &ours,
            Some(report.to_string()),
        )
        .await;
        assert_eq!(
            (status, body["recorded_through"].as_u64()),
            (StatusCode::OK, Some(3)),
            "{body}"
        );
    }
    let recorded: Vec<(String, Id)> = sqlx::query_as(
        "SELECT action, household_id FROM audit_event WHERE device_seq IS NOT NULL ORDER BY device_seq",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        recorded,
        vec![("read".into(), home), ("print".into(), home)],
        "once each, our team only"
    );
    let at: String = sqlx::query_scalar(
        "SELECT to_char(at AT TIME ZONE 'UTC', 'HH24:MI') FROM audit_event WHERE device_seq = 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(at, "08:15", "the time it happened on the device");

    let bad = json!({"device_id": device, "events": [{"seq": 4, "at": "gisteren", "action": "read", "household_id": home}]});
    let (status, _) = send(
        &app,
        "POST",
        "/api/audit/access",
        &ours,
        Some(bad.to_string()),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = send(
        &app,
        "POST",
        "/api/audit/access",
        "",
        Some(report.to_string()),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn a_closed_household_is_removed_after_its_retention_period_and_devices_are_told(
    pool: PgPool,
) {
    use server::retention::{run, Periods};
    let app = router(pool.clone());
    let (coordinator, _) = account(&pool, Role::Coordinator, Some("wijkteam")).await;
    let (front, _) = account(&pool, Role::FrontOffice, Some("wijkteam")).await;
    let device = Id::now_v7();
    let (old, recent, wmo) = (Id::now_v7(), Id::now_v7(), Id::now_v7());
    let talk = Id::now_v7();
    push(
        &app,
        &coordinator,
        device,
        vec![
            create(device, 1, RecordType::Household, old, household(old)),
            create(
                device,
                2,
                RecordType::Conversation,
                talk,
                conversation(talk, old),
            ),
            create(device, 3, RecordType::Household, recent, household(recent)),
            create(device, 4, RecordType::Household, wmo, household(wmo)),
        ],
    )
    .await;
    for (home, basis) in [
        (old, "no_support"),
        (recent, "no_support"),
        (wmo, "wmo_support"),
    ] {
        let close = json!({"basis": basis}).to_string();
        let (status, _) = send(
            &app,
            "POST",
            &format!("/api/households/{home}/close"),
            &front,
            Some(close.clone()),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "only the coordinator closes");
        let (status, _) = send(
            &app,
            "POST",
            &format!("/api/households/{home}/close"),
            &coordinator,
            Some(close),
        )
        .await;
        assert_eq!(status, StatusCode::NO_CONTENT);
    }
    // Six years ago: past the 5 years without support, within the 15 of the Wmo.
    sqlx::query("UPDATE household_closure SET closed_at = now() - interval '6 years' WHERE household_id IN ($1, $2)")
        .bind(old)
        .bind(wmo)
        .execute(&pool)
        .await
        .unwrap();

    let dry = run(&pool, Periods::default(), true).await.unwrap();
    assert_eq!(dry.households, vec![old]);
    assert_eq!(
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM household")
            .fetch_one(&pool)
            .await
            .unwrap(),
        3,
        "a dry run removes nothing"
    );

    let removed = run(&pool, Periods::default(), false).await.unwrap();
    assert_eq!((removed.households, removed.records), (vec![old], 2));
    let left: Vec<Id> = sqlx::query_scalar("SELECT id FROM household ORDER BY id")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert!(!left.contains(&old) && left.contains(&recent) && left.contains(&wmo));
    assert_eq!(
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM conversation")
            .fetch_one(&pool)
            .await
            .unwrap(),
        0
    );
    let texts: Vec<String> =
        sqlx::query_scalar("SELECT body::text FROM change_log WHERE household_id = $1")
            .bind(old)
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(texts.len(), 1, "only the notice to the devices is left");
    assert!(texts[0].contains("left_scope"));
    let (_, entries) = pulled(&app, &coordinator).await;
    assert!(entries
        .iter()
        .any(|e| e["kind"] == "left_scope" && e["household_id"] == json!(old)));
    let logged: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_event WHERE household_id = $1 AND detail LIKE 'retention:%'",
    )
    .bind(old)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(logged, 1, "the removal is on record");
}
