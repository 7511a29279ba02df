//! Issue 14 (the queue never jams), the part built so far: a value PostgreSQL cannot store is
//! a rejection of that one change with its reason, never a 500 for the whole batch. Written
//! against the old code first, where the batch answered 500 forever.

mod common;

use axum::http::StatusCode;
use common::{account, router, send};
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
    };
    (id, change)
}

#[sqlx::test]
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
    // A replay is settled, not applied again.
    let (status, again) = send(&app, "POST", "/api/sync/push", &session, Some(body)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(again["results"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["outcome"] == "duplicate"));
}
