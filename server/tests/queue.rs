//! Issue 14 (the queue never jams): a value PostgreSQL cannot store is a rejection of that one
//! change with its reason, never a 500 for the whole batch; a replayed rejection is answered
//! from its receipt. Each written against the old code first (500 forever; `duplicate`).

mod common;

use axum::http::StatusCode;
use common::{account, push_ok, router, send};
use serde_json::{json, Value};
use shared::model::{Id, Role};
use shared::sync::{Change, Operation, PushRequest, RecordType, PROTOCOL_VERSION, SCHEMA_VERSION};
use sqlx::PgPool;

fn household(device: Id, seq: u64, name: &str) -> (Id, Change) {
    let id = Id::now_v7();
    let change = Change {
        device_id: device,
        seq,
        record_type: RecordType::Household,
        record_id: id,
        op: Operation::Create,
        fields: json!({"id": id, "name": name, "members": []})
            .as_object()
            .cloned()
            .unwrap(),
        base_version: 0,
        protocol_version: PROTOCOL_VERSION,
        schema_version: SCHEMA_VERSION,
        resolves: None,
        resent: false,
    };
    (id, change)
}

#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn a_value_the_database_cannot_store_rejects_that_change_only(pool: PgPool) {
    let app = router(pool.clone());
    let (session, _) = account(&pool, Role::Coordinator, Some("wijkteam")).await;
    let device = Id::now_v7();
    let (first, one) = household(device, 1, "Huishouden Een");
    let (broken, two) = household(device, 2, "Huishouden \u{0}Twee");
    let (third, three) = household(device, 3, "Huishouden Drie");
    let body = serde_json::to_string(&PushRequest {
        device_id: device,
        protocol_version: PROTOCOL_VERSION,
        changes: vec![one, two, three],
    })
    .unwrap();
    let (status, answer) = send(&app, "POST", "/api/sync/push", &session, Some(body.clone())).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let outcomes: Vec<&str> = answer["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, ["applied", "rejected", "applied"]);
    assert!(answer["results"][1]["reason"]
        .as_str()
        .unwrap()
        .contains("niet kan opslaan"));
    assert_eq!(answer["applied_through"], 3);
    for (id, present) in [(first, 1), (broken, 0), (third, 1)] {
        let found: i64 = sqlx::query_scalar("SELECT count(*) FROM household WHERE id = $1")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(found, present, "{id}");
    }
    // The words are kept with the receipt, escaped.
    let kept: Value =
        sqlx::query_scalar("SELECT rejected_fields FROM receipt WHERE device_id = $1 AND seq = 2")
            .bind(device)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(kept.as_str().unwrap().contains("Twee"), "{kept}");
    // A replay (the answer was lost) applies nothing again, and the rejection is answered
    // again from its receipt with its reason: the device never drops it as a duplicate.
    let (status, again) = send(&app, "POST", "/api/sync/push", &session, Some(body)).await;
    assert_eq!(status, StatusCode::OK);
    let outcomes: Vec<&str> = again["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, ["duplicate", "rejected", "duplicate"]);
    assert!(again["results"][1]["reason"]
        .as_str()
        .unwrap()
        .contains("niet kan opslaan"));
}

fn patch(device: Id, seq: u64, id: Id, base_version: u64, fields: Value) -> Change {
    let mut change = household(device, seq, "").1;
    change.record_id = id;
    change.op = if fields.is_null() {
        Operation::Delete
    } else {
        Operation::Patch
    };
    change.fields = fields.as_object().cloned().unwrap_or_default();
    change.base_version = base_version;
    change
}

#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn the_server_checks_what_the_device_checks(pool: PgPool) {
    let app = router(pool.clone());
    let (session, _) = account(&pool, Role::Coordinator, Some("wijkteam")).await;
    let (a, b) = (Id::now_v7(), Id::now_v7());
    let (home, create) = household(a, 1, "Huishouden Kok");
    let mut smuggled = household(a, 2, "Huishouden Smit").1;
    smuggled
        .fields
        .insert("notes".into(), json!("x".repeat(1_000)));
    let answer = push_ok(&app, &session, a, vec![create, smuggled]).await;
    assert_eq!(answer["results"][0]["outcome"], "applied");
    assert_eq!(answer["results"][1]["outcome"], "rejected", "{answer}");
    assert!(answer["results"][1]["reason"]
        .as_str()
        .unwrap()
        .contains("'notes' is onbekend"));

    // Device b renames (version 2); device a claims to have seen version 9 and renames too:
    // without the check its inflated base overwrote b's name with no conflict.
    let answer = push_ok(
        &app,
        &session,
        b,
        vec![patch(b, 1, home, 1, json!({"name": "Huishouden Kok-B"}))],
    )
    .await;
    assert_eq!(answer["results"][0]["version"], 2);
    let answer = push_ok(
        &app,
        &session,
        a,
        vec![patch(a, 3, home, 9, json!({"name": "Huishouden Kok-A"}))],
    )
    .await;
    assert_eq!(answer["results"][0]["outcome"], "rejected", "{answer}");

    // Device a deletes from version 1, not having seen b's name: a conflict, nothing deleted.
    let answer = push_ok(&app, &session, a, vec![patch(a, 4, home, 1, Value::Null)]).await;
    assert_eq!(answer["results"][0]["outcome"], "conflict", "{answer}");
    let (deleted, name): (bool, String) =
        sqlx::query_as("SELECT deleted, fields->>'name' FROM household WHERE id = $1")
            .bind(home)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(!deleted);
    assert_eq!(name, "Huishouden Kok-B");
    let on_device: bool = sqlx::query_scalar(
        "SELECT deleted_on_device FROM conflict WHERE record_id = $1 AND field = '*'",
    )
    .bind(home)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(on_device);
}

#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn a_refused_change_is_thrown_away_only_on_purpose_and_audited(pool: PgPool) {
    let app = router(pool.clone());
    let (session, worker) = account(&pool, Role::Coordinator, Some("wijkteam")).await;
    let (colleague, _) = account(&pool, Role::Coordinator, Some("wijkteam")).await;
    let device = Id::now_v7();
    let (_, broken) = household(device, 1, "Huishouden \u{0}Kapot");
    let answer = push_ok(&app, &session, device, vec![broken]).await;
    assert_eq!(answer["results"][0]["outcome"], "rejected");
    let discard = |seq: u64| Some(json!({"device_id": device, "seq": seq}).to_string());
    let url = "/api/sync/rejected/discard";
    // Another worker cannot throw away this device's refused change.
    let (status, answer) = send(&app, "POST", url, &colleague, discard(1)).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{answer}");
    let (status, _) = send(&app, "POST", url, &session, discard(1)).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (actor, record_type): (Id, String) = sqlx::query_as(
        "SELECT account_id, record_type FROM audit_event WHERE action = 'rejected_discarded'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((actor, record_type.as_str()), (worker, "household"));
    // Only once, and only a refused one.
    let (status, answer) = send(&app, "POST", url, &session, discard(1)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(answer["error"].as_str().unwrap().contains("niet bekend"));
}
