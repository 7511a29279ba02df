//! The sync endpoints over HTTP: the protocol's promises and its refusals of bad input.

mod common;

use axum::http::StatusCode;
use common::{account, add_team, change, router, send};
use serde_json::{json, Value};
use shared::model::{Id, Role};
use shared::sync::{Change, Operation, PushRequest, RecordType, PROTOCOL_VERSION, SCHEMA_VERSION};
use sqlx::PgPool;

const TEAM: &str = "wijkteam";

/// A coordinator's session in `team` (sees the team's households).
async fn session_in(pool: &PgPool, team: &str) -> String {
    account(pool, Role::Coordinator, Some(team)).await.0
}

fn household(id: Id, name: &str) -> Value {
    json!({"id": id, "name": name, "members": []})
}

fn push_body(device: Id, changes: Vec<Change>) -> Option<String> {
    Some(
        serde_json::to_string(&PushRequest {
            device_id: device,
            protocol_version: PROTOCOL_VERSION,
            changes,
        })
        .unwrap(),
    )
}

async fn log_rows(pool: &PgPool) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM change_log")
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn a_replayed_push_applies_nothing_twice_and_a_gap_is_refused(pool: PgPool) {
    let session = session_in(&pool, TEAM).await;
    let app = router(pool.clone());
    let device = Id::now_v7();
    let home = Id::now_v7();
    let create = change(
        device,
        1,
        RecordType::Household,
        home,
        Operation::Create,
        0,
        household(home, "Huishouden Jansen"),
    );
    let rename = change(
        device,
        2,
        RecordType::Household,
        home,
        Operation::Patch,
        1,
        json!({"name": "Huishouden Jansen-de Vries"}),
    );
    let (status, body) = send(
        &app,
        "POST",
        "/api/sync/push",
        &session,
        push_body(device, vec![create.clone(), rename.clone()]),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["applied_through"], 2);
    let rows = log_rows(&pool).await;

    // The answer was lost: the device sends the same batch again.
    let (status, body) = send(
        &app,
        "POST",
        "/api/sync/push",
        &session,
        push_body(device, vec![create, rename]),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["results"][0]["outcome"], "duplicate");
    assert_eq!(body["results"][1]["outcome"], "duplicate");
    assert_eq!(log_rows(&pool).await, rows, "a replay writes nothing");

    // Change 4 without change 3: refused, nothing applied.
    let skip = change(
        device,
        4,
        RecordType::Household,
        home,
        Operation::Patch,
        2,
        json!({"name": "X"}),
    );
    let (status, body) = send(
        &app,
        "POST",
        "/api/sync/push",
        &session,
        push_body(device, vec![skip]),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["code"], "gap");
    assert_eq!(log_rows(&pool).await, rows);

    let (status, body) = send(
        &app,
        "GET",
        &format!("/api/sync/pull?device_id={device}&cursor=0"),
        &session,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["applied_through"], 2);
    let last = body["entries"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["kind"], "record");
    assert_eq!(last["fields"]["name"], "Huishouden Jansen-de Vries");
    assert_eq!(last["version"], 2);
}

#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn an_invalid_change_is_rejected_with_its_reason_and_the_queue_moves_on(pool: PgPool) {
    let session = session_in(&pool, TEAM).await;
    let app = router(pool.clone());
    let device = Id::now_v7();
    let home = Id::now_v7();
    let bad = change(
        device,
        1,
        RecordType::Household,
        home,
        Operation::Create,
        0,
        json!({"id": home, "name": 12}),
    );
    let good = change(
        device,
        2,
        RecordType::Household,
        home,
        Operation::Create,
        0,
        household(home, "Huishouden Bakker"),
    );
    let (status, body) = send(
        &app,
        "POST",
        "/api/sync/push",
        &session,
        push_body(device, vec![bad, good]),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["applied_through"], 2);
    assert_eq!(body["results"][0]["outcome"], "rejected");
    assert!(
        body["results"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("Ongeldige gegevens"),
        "{body}"
    );
    assert_eq!(body["results"][1]["outcome"], "applied");
    let kept: Value = sqlx::query_scalar("SELECT rejected_fields FROM receipt WHERE seq = 1")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(kept["name"], 12, "a rejected change keeps what was sent");
}

#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn another_teams_household_is_neither_written_nor_read(pool: PgPool) {
    let session = session_in(&pool, TEAM).await;
    add_team(&pool, "buurtteam-noord").await;
    let noord = session_in(&pool, "buurtteam-noord").await;
    let app = router(pool.clone());
    let ours = Id::now_v7();
    let home = Id::now_v7();
    let create = change(
        ours,
        1,
        RecordType::Household,
        home,
        Operation::Create,
        0,
        household(home, "Huishouden Yilmaz"),
    );
    send(
        &app,
        "POST",
        "/api/sync/push",
        &session,
        push_body(ours, vec![create]),
    )
    .await;

    let theirs = Id::now_v7();
    let patch = change(
        theirs,
        1,
        RecordType::Household,
        home,
        Operation::Patch,
        1,
        json!({"name": "Overgenomen"}),
    );
    let (status, body) = send(
        &app,
        "POST",
        "/api/sync/push",
        &noord,
        push_body(theirs, vec![patch]),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["results"][0]["outcome"], "rejected");
    assert_eq!(
        body["results"][0]["reason"],
        "Dit huishouden hoort niet bij je team."
    );
    let name: String = sqlx::query_scalar("SELECT name FROM household")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(name, "Huishouden Yilmaz");

    let (_, body) = send(
        &app,
        "GET",
        &format!("/api/sync/pull?device_id={theirs}"),
        &noord,
        None,
    )
    .await;
    assert_eq!(
        body["entries"],
        json!([]),
        "nothing of another team is pulled"
    );

    // Our device in another worker's session: refused.
    let (status, body) = send(
        &app,
        "GET",
        &format!("/api/sync/pull?device_id={ours}"),
        &noord,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, _) = send(
        &app,
        "GET",
        &format!("/api/sync/pull?device_id={ours}"),
        "",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "no session, no data");
}

#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn bad_input_is_a_4xx_in_words_and_changes_nothing(pool: PgPool) {
    let session = session_in(&pool, TEAM).await;
    let app = router(pool.clone());
    let device = Id::now_v7();
    let home = Id::now_v7();
    let valid = change(
        device,
        1,
        RecordType::Household,
        home,
        Operation::Create,
        0,
        household(home, "H"),
    );

    let cases: Vec<(&str, Option<String>, StatusCode)> = vec![
        ("malformed JSON", Some("{\"device_id\": ".into()), StatusCode::BAD_REQUEST),
        ("wrong types", Some(json!({"device_id": 5, "protocol_version": "1", "changes": {}}).to_string()), StatusCode::UNPROCESSABLE_ENTITY),
        ("unknown record type", Some(json!({"device_id": device, "protocol_version": 1, "changes": [{"device_id": device, "seq": 1, "record_type": "bank_account", "record_id": home, "op": "create", "fields": {}, "base_version": 0, "protocol_version": 1, "schema_version": 1}]}).to_string()), StatusCode::UNPROCESSABLE_ENTITY),
        ("huge body", Some(format!("{{\"device_id\":\"{device}\",\"protocol_version\":1,\"changes\":[],\"x\":\"{}\"}}", "a".repeat(5 * 1024 * 1024))), StatusCode::PAYLOAD_TOO_LARGE),
        ("an older protocol", push_body(device, vec![]).map(|b| b.replace("\"protocol_version\":1", "\"protocol_version\":0")), StatusCode::UPGRADE_REQUIRED),
        // Found by Schemathesis: a newer app (a server rolled back) was told to update itself.
        ("a newer protocol", push_body(device, vec![]).map(|b| b.replace("\"protocol_version\":1", "\"protocol_version\":2")), StatusCode::UNPROCESSABLE_ENTITY),
        ("a newer schema", push_body(device, vec![Change { schema_version: SCHEMA_VERSION + 1, ..valid.clone() }]), StatusCode::UNPROCESSABLE_ENTITY),
        ("someone else's change", push_body(device, vec![Change { device_id: Id::now_v7(), ..valid.clone() }]), StatusCode::UNPROCESSABLE_ENTITY),
        ("a negative seq", Some(push_body(device, vec![valid.clone()]).unwrap().replace("\"seq\":1", "\"seq\":-1")), StatusCode::UNPROCESSABLE_ENTITY),
        ("too many changes", push_body(device, (1..=201).map(|seq| Change { seq, ..valid.clone() }).collect()), StatusCode::PAYLOAD_TOO_LARGE),
    ];
    for (what, body, expected) in cases {
        let (status, answer) = send(&app, "POST", "/api/sync/push", &session, body).await;
        assert_eq!(status, expected, "{what}: {answer}");
        let message = answer["error"].as_str().unwrap_or_default();
        assert!(!message.is_empty(), "{what}: no message in {answer}");
        // In words a worker reads first; axum's English detail may follow in brackets.
        assert!(
            !message.starts_with("Failed") && !message.starts_with("Expected"),
            "{what}: {message}"
        );
        if what == "a newer protocol" {
            assert!(message.contains("server"), "{message}");
            assert!(!message.contains("te oud"), "{message}");
            assert!(answer["code"].is_null(), "not update_required: {answer}");
        }
    }
    let (status, answer) = send(
        &app,
        "GET",
        "/api/sync/pull?device_id=not-a-uuid",
        &session,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
    assert!(
        answer["error"]
            .as_str()
            .unwrap()
            .starts_with("Het adres bevat een ontbrekende of ongeldige waarde"),
        "{answer}"
    );
    let (status, _) = send(
        &app,
        "GET",
        &format!("/api/sync/pull?device_id={device}&cursor=-4"),
        &session,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    for table in ["household", "change_log", "receipt", "device"] {
        let rows: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM {table}"))
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(rows, 0, "{table} changed");
    }
}

#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn two_devices_editing_the_same_field_make_one_conflict(pool: PgPool) {
    let session = session_in(&pool, TEAM).await;
    let app = router(pool.clone());
    let (a, b) = (Id::now_v7(), Id::now_v7());
    let home = Id::now_v7();
    send(
        &app,
        "POST",
        "/api/sync/push",
        &session,
        push_body(
            a,
            vec![change(
                a,
                1,
                RecordType::Household,
                home,
                Operation::Create,
                0,
                household(home, "Huishouden Smit"),
            )],
        ),
    )
    .await;
    send(
        &app,
        "POST",
        "/api/sync/push",
        &session,
        push_body(
            a,
            vec![change(
                a,
                2,
                RecordType::Household,
                home,
                Operation::Patch,
                1,
                json!({"name": "Familie Smit"}),
            )],
        ),
    )
    .await;
    let (_, body) = send(
        &app,
        "POST",
        "/api/sync/push",
        &session,
        push_body(
            b,
            vec![change(
                b,
                1,
                RecordType::Household,
                home,
                Operation::Patch,
                1,
                json!({"name": "Smit en kinderen"}),
            )],
        ),
    )
    .await;
    assert_eq!(body["results"][0]["outcome"], "conflict", "{body}");
    let (_, pulled) = send(
        &app,
        "GET",
        &format!("/api/sync/pull?device_id={b}"),
        &session,
        None,
    )
    .await;
    let conflict = pulled["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "conflict")
        .unwrap()
        .clone();
    assert_eq!(conflict["server_value"], "Familie Smit");
    assert_eq!(conflict["device_value"], "Smit en kinderen");

    // B settles it with a merged name.
    let mut settle = change(
        b,
        2,
        RecordType::Household,
        home,
        Operation::Patch,
        2,
        json!({"name": "Familie Smit (en kinderen)"}),
    );
    settle.resolves = Some(serde_json::from_value(conflict["id"].clone()).unwrap());
    let (_, body) = send(
        &app,
        "POST",
        "/api/sync/push",
        &session,
        push_body(b, vec![settle]),
    )
    .await;
    assert_eq!(body["results"][0]["outcome"], "applied", "{body}");
    let open: i64 = sqlx::query_scalar("SELECT count(*) FROM conflict WHERE resolved_at IS NULL")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(open, 0);
    let (_, pulled) = send(
        &app,
        "GET",
        &format!("/api/sync/pull?device_id={a}&cursor={}", pulled["cursor"]),
        &session,
        None,
    )
    .await;
    let kinds: Vec<&str> = pulled["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["record", "resolved"]);
}

#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn a_household_moved_to_another_team_leaves_the_old_teams_devices(pool: PgPool) {
    let session = session_in(&pool, TEAM).await;
    add_team(&pool, "buurtteam-noord").await;
    let noord = session_in(&pool, "buurtteam-noord").await;
    let app = router(pool.clone());
    let ours = Id::now_v7();
    let home = Id::now_v7();
    send(
        &app,
        "POST",
        "/api/sync/push",
        &session,
        push_body(
            ours,
            vec![change(
                ours,
                1,
                RecordType::Household,
                home,
                Operation::Create,
                0,
                household(home, "Huishouden Kok"),
            )],
        ),
    )
    .await;
    let (_, before) = send(
        &app,
        "GET",
        &format!("/api/sync/pull?device_id={ours}"),
        &session,
        None,
    )
    .await;

    server::sync::transfer_household(&pool, home, "buurtteam-noord")
        .await
        .unwrap();

    let (_, after) = send(
        &app,
        "GET",
        &format!(
            "/api/sync/pull?device_id={ours}&cursor={}",
            before["cursor"]
        ),
        &session,
        None,
    )
    .await;
    assert_eq!(after["entries"][0]["kind"], "left_scope", "{after}");
    assert_eq!(after["entries"][0]["household_id"], json!(home));
    let theirs = Id::now_v7();
    let (_, arrived) = send(
        &app,
        "GET",
        &format!("/api/sync/pull?device_id={theirs}"),
        &noord,
        None,
    )
    .await;
    assert_eq!(arrived["entries"][0]["kind"], "record");
    assert_eq!(arrived["entries"][0]["fields"]["name"], "Huishouden Kok");
    // A change the old team still had queued is refused, its words kept in the receipt.
    let late = change(
        ours,
        2,
        RecordType::Household,
        home,
        Operation::Patch,
        1,
        json!({"name": "Huishouden Kok-Bakker"}),
    );
    let (_, body) = send(
        &app,
        "POST",
        "/api/sync/push",
        &session,
        push_body(ours, vec![late]),
    )
    .await;
    assert_eq!(body["results"][0]["outcome"], "rejected");
}

/// The households sent to a device are on record once per device and day: a team syncing every
/// minute would otherwise write a row per household per minute, each saying what the first
/// said. Another device's pull is its own row.
#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn what_a_device_received_is_on_record_once_a_day(pool: PgPool) {
    let app = router(pool.clone());
    let (session, _) = account(&pool, Role::Coordinator, Some("wijkteam")).await;
    let (device, home) = (Id::now_v7(), Id::now_v7());
    common::push_ok(
        &app,
        &session,
        device,
        vec![common::new_household(device, 1, home, "Bos")],
    )
    .await;
    let other = Id::now_v7();
    for pulling in [device, device, other, other] {
        let uri = format!("/api/sync/pull?device_id={pulling}&cursor=0");
        let (status, page) = send(&app, "GET", &uri, &session, None).await;
        assert_eq!(status, StatusCode::OK, "{page}");
    }
    let reads: Vec<(Id, i64)> = sqlx::query_as(
        "SELECT device_id, count(*) FROM audit_event
         WHERE household_id = $1 AND action = 'read' AND detail = 'sync'
         GROUP BY device_id ORDER BY device_id",
    )
    .bind(home)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(reads, vec![(device, 1), (other, 1)]);
}

/// Pulls `who`'s view from `cursor` to the end; the entries as they arrived.
async fn pull_rest(app: &axum::Router, who: &str, device: Id, mut cursor: u64) -> Vec<Value> {
    let mut entries = Vec::new();
    loop {
        let uri = format!("/api/sync/pull?device_id={device}&cursor={cursor}");
        let (status, page) = send(app, "GET", &uri, who, None).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        entries.extend(page["entries"].as_array().unwrap().iter().cloned());
        cursor = page["cursor"].as_u64().unwrap();
        if page["more"] == json!(false) {
            return entries;
        }
    }
}

/// The entries' bodies as compact JSON, without the position the page puts in front.
fn compact_bytes(entries: &[Value]) -> u64 {
    entries
        .iter()
        .map(|e| {
            let mut body = e.as_object().unwrap().clone();
            body.remove("position");
            serde_json::to_string(&body).unwrap().len() as u64
        })
        .sum()
}

#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn a_sync_learns_on_its_first_page_what_waits_after_it(pool: PgPool) {
    let app = router(pool.clone());
    let (coordinator, _) = account(&pool, Role::Coordinator, Some(TEAM)).await;
    let (consultant, consultant_id) = account(&pool, Role::Consultant, Some(TEAM)).await;
    let device = Id::now_v7();
    let homes: Vec<Id> = (0..6).map(|_| Id::now_v7()).collect();
    let changes = homes
        .iter()
        .enumerate()
        .map(|(i, home)| common::new_household(device, 1 + i as u64, *home, "Bos"))
        .collect();
    common::push_ok(&app, &coordinator, device, changes).await;
    // The consultant works with two of them: their view is smaller than the team's.
    for home in &homes[..2] {
        let uri = format!("/api/households/{home}/workers/{consultant_id}");
        let (status, body) = send(&app, "PUT", &uri, &coordinator, None).await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    }
    let mut seen = Vec::new();
    for who in [&coordinator, &consultant] {
        let reader = Id::now_v7();
        let uri = format!("/api/sync/pull?device_id={reader}&cursor=0&limit=1&waiting=true");
        let (status, first) = send(&app, "GET", &uri, who, None).await;
        assert_eq!(status, StatusCode::OK, "{first}");
        let rest = pull_rest(&app, who, reader, first["cursor"].as_u64().unwrap()).await;
        assert!(!rest.is_empty(), "more than one page waits");
        seen.push(rest.len());
        assert_eq!(first["waiting"]["entries"], json!(rest.len()), "{first}");
        // PostgreSQL's text of a body has a space after every `:` and `,`: a little more
        // than compact JSON, never less.
        let (bytes, compact) = (
            first["waiting"]["bytes"].as_u64().unwrap(),
            compact_bytes(&rest),
        );
        assert!(
            compact <= bytes && bytes < compact * 3 / 2,
            "{bytes} bytes for {compact} of compact JSON"
        );
    }
    assert!(
        seen[1] < seen[0],
        "the consultant's view is smaller: {seen:?}"
    );
    // Not asked, or nothing after the page: no figure.
    let reader = Id::now_v7();
    let uri = format!("/api/sync/pull?device_id={reader}&cursor=0&limit=1");
    let (_, page) = send(&app, "GET", &uri, &coordinator, None).await;
    assert!(page.get("waiting").is_none(), "{page}");
    let uri = format!("/api/sync/pull?device_id={reader}&cursor=0&waiting=true");
    let (_, page) = send(&app, "GET", &uri, &coordinator, None).await;
    assert_eq!(page["more"], json!(false));
    assert!(page.get("waiting").is_none(), "{page}");
}
