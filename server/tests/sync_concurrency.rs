//! Log positions and concurrent transactions: a pull running while a slow push is still open
//! must never skip the slow push's rows (a plain sequence would: it hands out numbers at once
//! but rows become visible at commit).

use serde_json::json;
mod common;

use server::accounts::session::Principal;
use server::sync::{pull_page, push_batch, PageRequest};
use shared::model::Id;
use shared::sync::{Change, Operation, PushRequest, RecordType, PROTOCOL_VERSION, SCHEMA_VERSION};
use sqlx::PgPool;
use std::time::Duration;

const DEFAULT_TEAM: &str = "wijkteam";

/// A coordinator of the team, signed in.
async fn worker(pool: &PgPool) -> Principal {
    let (token, _) =
        common::account(pool, shared::model::Role::Coordinator, Some(DEFAULT_TEAM)).await;
    let cookie = token.split(':').next().unwrap();
    server::accounts::session::principal(pool, cookie)
        .await
        .unwrap()
        .unwrap()
}

fn create_household(device: Id, seq: u64) -> PushRequest {
    let id = Id::now_v7();
    PushRequest {
        device_id: device,
        protocol_version: PROTOCOL_VERSION,
        changes: vec![Change {
            device_id: device,
            seq,
            record_type: RecordType::Household,
            record_id: id,
            op: Operation::Create,
            fields: json!({"id": id, "name": format!("Huishouden {seq}"), "members": []})
                .as_object()
                .unwrap()
                .clone(),
            base_version: 0,
            protocol_version: PROTOCOL_VERSION,
            schema_version: SCHEMA_VERSION,
            resolves: None,
            resent: false,
        }],
    }
}

/// Pulls everything after `cursor`, checking that positions follow each other without a gap.
async fn pull_all(pool: &PgPool, reader: &Principal, device: Id, mut cursor: u64) -> u64 {
    loop {
        let page = pull_page(
            pool,
            reader,
            device,
            PageRequest {
                cursor,
                limit: Some(50),
                ..PageRequest::default()
            },
        )
        .await
        .unwrap()
        .parse()
        .unwrap();
        for entry in &page.entries {
            assert_eq!(entry.position, cursor + 1, "a pull skipped a position");
            cursor = entry.position;
        }
        if !page.more {
            return cursor;
        }
    }
}

#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn a_slow_push_and_a_pull_at_the_same_time_never_lose_a_row(pool: PgPool) {
    let reader = Id::now_v7();
    let reading = worker(&pool).await;
    let fast_device = Id::now_v7();
    let fast_worker = worker(&pool).await;
    push_batch(&pool, &fast_worker, create_household(fast_device, 1))
        .await
        .unwrap();

    // A slow push: it has taken its position the way every push does, then stalls.
    let slow_device = Id::now_v7();
    let mut slow = pool.begin().await.unwrap();
    let position: i64 = sqlx::query_scalar(
        "UPDATE scope_counter SET last_position = last_position + 1 WHERE team_id = $1 RETURNING last_position",
    )
    .bind(DEFAULT_TEAM)
    .fetch_one(&mut *slow)
    .await
    .unwrap();
    let home = Id::now_v7();
    let body = json!({"kind": "resolved", "conflict_id": Id::now_v7()});
    sqlx::query(
        "INSERT INTO change_log (team_id, position, kind, household_id, record_id, device_id, device_seq, body)
         VALUES ($1, $2, 'resolved', $3, $3, $4, 1, $5)",
    )
    .bind(DEFAULT_TEAM)
    .bind(position)
    .bind(home)
    .bind(slow_device)
    .bind(&body)
    .execute(&mut *slow)
    .await
    .unwrap();

    // A fast push meanwhile waits for the slow one instead of committing a later position.
    let fast = {
        let pool = pool.clone();
        tokio::spawn(async move {
            push_batch(&pool, &fast_worker, create_household(fast_device, 2)).await
        })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    let seen = pull_all(&pool, &reading, reader, 0).await;
    assert_eq!(
        seen,
        position as u64 - 1,
        "only what committed, and nothing after a hole"
    );
    assert!(
        !fast.is_finished(),
        "the fast push must wait for the counter"
    );

    slow.commit().await.unwrap();
    fast.await.unwrap().unwrap();
    let seen = pull_all(&pool, &reading, reader, seen).await;
    assert_eq!(
        seen,
        position as u64 + 1,
        "the slow row and the fast row, in order"
    );
}

#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn many_concurrent_pushes_and_a_puller_see_every_row_once(pool: PgPool) {
    const PUSHERS: usize = 6;
    const PUSHES: u64 = 15;
    let mut tasks = Vec::new();
    for _ in 0..PUSHERS {
        let pool = pool.clone();
        let pusher = worker(&pool).await;
        tasks.push(tokio::spawn(async move {
            let device = Id::now_v7();
            for seq in 1..=PUSHES {
                push_batch(&pool, &pusher, create_household(device, seq))
                    .await
                    .unwrap();
            }
        }));
    }
    let reader = Id::now_v7();
    let reading = worker(&pool).await;
    let mut cursor = 0;
    while tasks.iter().any(|t| !t.is_finished()) {
        cursor = pull_all(&pool, &reading, reader, cursor).await;
    }
    for task in tasks {
        task.await.unwrap();
    }
    cursor = pull_all(&pool, &reading, reader, cursor).await;
    assert_eq!(cursor, PUSHERS as u64 * PUSHES, "every row, each once");
}
