//! Issue 19 item 4: only what is current travels. Once a later entry supersedes an entry for
//! longer than the bound, it leaves the log with the words corrected since; a deleted record's
//! last entry keeps no fields; a device joining late receives each record's latest state once.

mod common;

use axum::http::StatusCode;
use common::{account, change, push_ok, router, send};
use serde_json::{json, Value};
use shared::model::{Id, Role};
use shared::sync::{Operation, RecordType};
use sqlx::PgPool;

/// Every entry a new device of `session` pulls, page by page.
async fn pull_all(app: &axum::Router, session: &str) -> Vec<Value> {
    let device = Id::now_v7();
    let (mut cursor, mut entries) = (0, Vec::new());
    loop {
        let uri = format!("/api/sync/pull?device_id={device}&cursor={cursor}&limit=2");
        let (status, page) = send(app, "GET", &uri, session, None).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        entries.extend(page["entries"].as_array().cloned().unwrap_or_default());
        cursor = page["cursor"].as_u64().unwrap();
        if page["more"] != json!(true) {
            return entries;
        }
    }
}

/// The record entries for `id` in `entries`.
fn states(entries: &[Value], id: Id) -> Vec<&Value> {
    entries
        .iter()
        .filter(|e| e["kind"] == "record" && e["record_id"] == json!(id))
        .collect()
}

async fn log_holds(pool: &PgPool, words: &str) -> bool {
    sqlx::query_scalar("SELECT count(*) > 0 FROM change_log WHERE strpos(body::text, $1) > 0")
        .bind(words)
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn a_late_device_receives_each_records_latest_state_once(pool: PgPool) {
    let app = router(pool.clone());
    let (coordinator, _) = account(&pool, Role::Coordinator, Some("wijkteam")).await;
    let (consultant, consultant_id) = account(&pool, Role::Consultant, Some("wijkteam")).await;
    let (device, home, resident) = (Id::now_v7(), Id::now_v7(), Id::now_v7());
    let household = |seq, op, base, name: &str| {
        let fields = match op {
            Operation::Create => json!({"id": home, "name": name, "members": []}),
            _ => json!({"name": name}),
        };
        change(device, seq, RecordType::Household, home, op, base, fields)
    };
    let person = json!({
        "id": resident, "household_id": home, "given_name": "Verkeerd getypte naam",
        "family_name": "Bos", "birth_date": null, "bsn": null, "address": null,
        "phone": "", "email": ""
    });
    push_ok(
        &app,
        &coordinator,
        device,
        vec![
            household(1, Operation::Create, 0, "Huishouden Eerst"),
            household(2, Operation::Patch, 1, "Huishouden Daarna"),
            household(3, Operation::Patch, 2, "Huishouden Bos"),
            change(
                device,
                4,
                RecordType::Resident,
                resident,
                Operation::Create,
                0,
                person,
            ),
            change(
                device,
                5,
                RecordType::Resident,
                resident,
                Operation::Delete,
                1,
                json!({}),
            ),
        ],
    )
    .await;
    // The consultant added: the household's states again, for that account only.
    let uri = format!("/api/households/{home}/workers/{consultant_id}");
    let (status, body) = send(&app, "PUT", &uri, &coordinator, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");

    // Within the bound nothing goes.
    let kept = server::sync::compact_log(&pool, Some("wijkteam"), 7, false)
        .await
        .unwrap();
    assert_eq!(kept.entries() + kept.tombstones_emptied, 0, "{kept:?}");
    assert!(log_holds(&pool, "Huishouden Eerst").await);
    assert_eq!(states(&pull_all(&app, &coordinator).await, home).len(), 3);

    let compacted = server::sync::compact_log(&pool, Some("wijkteam"), 0, false)
        .await
        .unwrap();
    // The two corrected names and the resident's first state; the deleted resident's fields,
    // in the team's entry and in the consultant's.
    assert_eq!(compacted.per_team, vec![("wijkteam".to_owned(), 3)]);
    assert_eq!(compacted.tombstones_emptied, 2);
    for words in [
        "Huishouden Eerst",
        "Huishouden Daarna",
        "Verkeerd getypte naam",
    ] {
        assert!(!log_holds(&pool, words).await, "{words} left the log");
    }
    let entries = pull_all(&app, &coordinator).await;
    let latest = states(&entries, home);
    assert_eq!(latest.len(), 1, "{entries:?}");
    assert_eq!(latest[0]["fields"]["name"], "Huishouden Bos");
    let gone = states(&entries, resident);
    assert_eq!(gone.len(), 1);
    assert_eq!(
        (gone[0]["deleted"].clone(), gone[0]["fields"].clone()),
        (json!(true), json!({}))
    );
    // The entry for the consultant alone does not supersede the team's: both stay, and the
    // consultant's new device receives the same latest state twice.
    let own = pull_all(&app, &consultant).await;
    let names: Vec<&Value> = states(&own, home)
        .iter()
        .map(|e| &e["fields"]["name"])
        .collect();
    assert_eq!(names, vec!["Huishouden Bos", "Huishouden Bos"], "{own:?}");

    // A later edit for everyone supersedes the consultant's entry too.
    push_ok(
        &app,
        &coordinator,
        device,
        vec![household(6, Operation::Patch, 3, "Huishouden Bos-Jansen")],
    )
    .await;
    let again = server::sync::compact_log(&pool, None, 0, false)
        .await
        .unwrap();
    assert_eq!(again.entries(), 2, "{again:?}");
    for session in [&coordinator, &consultant] {
        let entries = pull_all(&app, session).await;
        let latest = states(&entries, home);
        assert_eq!(latest.len(), 1, "{entries:?}");
        assert_eq!(latest[0]["fields"]["name"], "Huishouden Bos-Jansen");
    }
    let audited: i64 =
        sqlx::query_scalar("SELECT count(*) FROM audit_event WHERE detail LIKE 'log compaction:%'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(audited, 2);
}
