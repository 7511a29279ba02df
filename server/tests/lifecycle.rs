//! Issue 14 item 4: scope and lifecycle changes reach every device. A consultant taken off a
//! household, and retention, reach the devices that held it; a closed household refuses new
//! records until it is reopened; retention removes everything a household left behind
//! (coordinator, consultants, handovers and their copy of the words, conflicts, receipts).
//! Each test was run against the code before it and failed there.

mod common;

use axum::http::StatusCode;
use common::{account, push_ok, router, send};
use serde_json::{json, Value};
use shared::model::{Id, Role};
use shared::sync::{Change, Operation, RecordType};
use sqlx::PgPool;

/// A change of a household (the only record these tests need).
fn change(device: Id, seq: u64, id: Id, op: Operation, base: u64, fields: Value) -> Change {
    common::change(device, seq, RecordType::Household, id, op, base, fields)
}

/// Retention as it runs thirty years after every closing here.
async fn thirty_years_on(pool: &PgPool) -> server::retention::Removed {
    sqlx::query("UPDATE household_closure SET closed_at = now() - interval '30 years'")
        .execute(pool)
        .await
        .unwrap();
    server::retention::run(pool, Default::default(), false)
        .await
        .unwrap()
}

/// What a device pulls after `cursor`: the entries and the new cursor.
async fn pull(app: &axum::Router, session: &str, device: Id, cursor: u64) -> (Vec<Value>, u64) {
    let (status, page) = send(
        app,
        "GET",
        &format!("/api/sync/pull?device_id={device}&cursor={cursor}"),
        session,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    (
        page["entries"].as_array().cloned().unwrap_or_default(),
        page["cursor"].as_u64().unwrap(),
    )
}

fn left(entries: &[Value], household: Id) -> bool {
    entries
        .iter()
        .any(|e| e["kind"] == "left_scope" && e["household_id"] == json!(household))
}

/// A household the coordinator registered, with a consultant added whose device pulled it.
struct Held {
    app: axum::Router,
    coordinator: String,
    consultant: String,
    consultant_id: Id,
    home: Id,
    device: Id,
    consultant_device: Id,
    cursor: u64,
}

async fn held(pool: &PgPool) -> Held {
    let app = router(pool.clone());
    let (coordinator, _) = account(pool, Role::Coordinator, Some("wijkteam")).await;
    let (consultant, consultant_id) = account(pool, Role::Consultant, Some("wijkteam")).await;
    let (device, consultant_device, home) = (Id::now_v7(), Id::now_v7(), Id::now_v7());
    let fields = json!({"id": home, "name": "Huishouden Bos", "members": []});
    push_ok(
        &app,
        &coordinator,
        device,
        vec![change(device, 1, home, Operation::Create, 0, fields)],
    )
    .await;
    let uri = format!("/api/households/{home}/workers/{consultant_id}");
    let (status, body) = send(&app, "PUT", &uri, &coordinator, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let (entries, cursor) = pull(&app, &consultant, consultant_device, 0).await;
    assert!(entries.iter().any(|e| e["record_id"] == json!(home)));
    Held {
        app,
        coordinator,
        consultant,
        consultant_id,
        home,
        device,
        consultant_device,
        cursor,
    }
}

#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn a_consultant_taken_off_a_household_has_it_removed_from_their_device(pool: PgPool) {
    let h = held(&pool).await;
    let uri = format!("/api/households/{}/workers/{}", h.home, h.consultant_id);
    let (status, _) = send(&h.app, "DELETE", &uri, &h.coordinator, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (entries, _) = pull(&h.app, &h.consultant, h.consultant_device, h.cursor).await;
    assert!(
        left(&entries, h.home),
        "left_scope reaches the consultant: {entries:?}"
    );
}

#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn a_closed_household_refuses_records_until_it_is_reopened(pool: PgPool) {
    let h = held(&pool).await;
    let close = format!("/api/households/{}/close", h.home);
    let basis = Some(json!({"basis": "wmo_support"}).to_string());
    let (status, _) = send(&h.app, "POST", &close, &h.coordinator, basis).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let rename = |seq| {
        change(
            h.device,
            seq,
            h.home,
            Operation::Patch,
            1,
            json!({"name": "Huishouden Bos-Later"}),
        )
    };
    let answer = push_ok(&h.app, &h.coordinator, h.device, vec![rename(2)]).await;
    assert_eq!(answer["results"][0]["outcome"], "rejected", "{answer}");
    assert!(answer["results"][0]["reason"]
        .as_str()
        .unwrap()
        .contains("afgesloten"));

    let reopen = format!("/api/households/{}/reopen", h.home);
    let (status, _) = send(&h.app, "POST", &reopen, &h.consultant, None).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "only the coordinator reopens"
    );
    let (status, body) = send(&h.app, "POST", &reopen, &h.coordinator, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let answer = push_ok(&h.app, &h.coordinator, h.device, vec![rename(3)]).await;
    assert_eq!(answer["results"][0]["outcome"], "applied", "{answer}");
    let audited: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_event WHERE household_id = $1 AND action = 'reopened'",
    )
    .bind(h.home)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(audited, 1);
    // Reopened, it is no longer due for removal on the old date.
    let removed = thirty_years_on(&pool).await;
    assert!(removed.households.is_empty());
}

/// Found by the simulation: retention removes the receipt of a change it refused (it held the
/// resident's words), and throwing that change away then answered 404 for good, so it stayed
/// under "Niet verwerkt" on the device. Failed on the code before the fix (404).
#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn a_change_refused_before_retention_can_still_be_thrown_away(pool: PgPool) {
    let h = held(&pool).await;
    let close = format!("/api/households/{}/close", h.home);
    let basis = Some(json!({"basis": "no_support"}).to_string());
    let (status, _) = send(&h.app, "POST", &close, &h.coordinator, basis).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let rename = change(
        h.device,
        2,
        h.home,
        Operation::Patch,
        1,
        json!({"name": "Later"}),
    );
    let answer = push_ok(&h.app, &h.coordinator, h.device, vec![rename]).await;
    assert_eq!(answer["results"][0]["outcome"], "rejected", "{answer}");
    let removed = thirty_years_on(&pool).await;
    assert_eq!(removed.households, vec![h.home]);

    let url = "/api/sync/rejected/discard";
    let discard = |seq: u64| Some(json!({"device_id": h.device, "seq": seq}).to_string());
    let (status, body) = send(&h.app, "POST", url, &h.coordinator, discard(2)).await;
    assert!(status.is_success(), "{status}: {body}");
    let audited: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_event WHERE action = 'rejected_discarded' AND device_id = $1",
    )
    .bind(h.device)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(audited, 1);
    // A number the server never settled, or another worker's device, is still not found.
    let (status, _) = send(&h.app, "POST", url, &h.coordinator, discard(3)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = send(&h.app, "POST", url, &h.consultant, discard(2)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn retention_removes_everything_a_household_left_and_tells_every_device(pool: PgPool) {
    let h = held(&pool).await;
    let (colleague, colleague_id) = account(&pool, Role::Consultant, Some("wijkteam")).await;
    let _ = colleague;
    // A coordinator, a handover carrying the words, a conflict and a refused change.
    let uri = format!("/api/households/{}/coordinator", h.home);
    let (status, body) = send(
        &h.app,
        "PUT",
        &uri,
        &h.coordinator,
        Some(json!({"account_id": colleague_id}).to_string()),
    )
    .await;
    assert!(status.is_success(), "{status} {body}");
    let uri = format!("/api/households/{}/handovers", h.home);
    let (status, body) = send(
        &h.app,
        "POST",
        &uri,
        &h.coordinator,
        Some(
            json!({"to_account": colleague_id, "note": "Mevrouw Bos wil hulp bij de schulden"})
                .to_string(),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let other = Id::now_v7();
    push_ok(
        &h.app,
        &h.consultant,
        other,
        vec![change(
            other,
            1,
            h.home,
            Operation::Patch,
            1,
            json!({"name": "Huishouden Bos-A"}),
        )],
    )
    .await;
    let answer = push_ok(
        &h.app,
        &h.coordinator,
        h.device,
        vec![
            change(
                h.device,
                2,
                h.home,
                Operation::Patch,
                1,
                json!({"name": "Huishouden Bos-B"}),
            ),
            change(
                h.device,
                3,
                h.home,
                Operation::Patch,
                1,
                json!({"name": "Bos\u{0}"}),
            ),
        ],
    )
    .await;
    assert_eq!(answer["results"][0]["outcome"], "conflict", "{answer}");
    assert_eq!(answer["results"][1]["outcome"], "rejected", "{answer}");

    let close = format!("/api/households/{}/close", h.home);
    let basis = Some(json!({"basis": "no_support"}).to_string());
    let (status, _) = send(&h.app, "POST", &close, &h.coordinator, basis).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    sqlx::query("UPDATE household_closure SET closed_at = now() - interval '6 years'")
        .execute(&pool)
        .await
        .unwrap();
    let removed = server::retention::run(&pool, Default::default(), false)
        .await
        .expect("retention succeeds for a household with all of this");
    assert_eq!(removed.households, vec![h.home]);
    for table in [
        "household",
        "household_worker",
        "household_coordinator",
        "handover",
        "conflict",
    ] {
        let left: i64 = sqlx::query_scalar(&format!(
            "SELECT count(*) FROM {table} WHERE household_id = $1"
        ))
        .bind(h.home)
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(left, 0, "{table}");
    }
    let receipts: i64 = sqlx::query_scalar("SELECT count(*) FROM receipt WHERE record_id = $1")
        .bind(h.home)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(receipts, 0, "receipts and their refused words go too");
    let (entries, _) = pull(&h.app, &h.consultant, h.consultant_device, h.cursor).await;
    assert!(
        left(&entries, h.home),
        "the consultant's device is told: {entries:?}"
    );
}

/// Closing and reopening reach every device that holds the household (written first: before,
/// devices learned of a closure only from their next refused change).
#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn closing_and_reopening_reach_the_devices(pool: PgPool) {
    let h = held(&pool).await;
    let close = format!("/api/households/{}/close", h.home);
    let basis = Some(json!({"basis": "no_support"}).to_string());
    let (status, _) = send(&h.app, "POST", &close, &h.coordinator, basis).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let state = |entries: &[Value]| {
        entries
            .iter()
            .rfind(|e| e["kind"] == "record" && e["record_id"] == json!(h.home))
            .cloned()
            .unwrap_or_default()
    };
    let (entries, cursor) = pull(&h.app, &h.consultant, h.consultant_device, h.cursor).await;
    let closed = state(&entries);
    assert!(!closed["fields"]["closed"]["on"].is_null(), "{entries:?}");
    assert_eq!(closed["fields"]["name"], "Huishouden Bos");

    let reopen = format!("/api/households/{}/reopen", h.home);
    let (status, _) = send(&h.app, "POST", &reopen, &h.coordinator, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (entries, _) = pull(&h.app, &h.consultant, h.consultant_device, cursor).await;
    assert!(state(&entries)["fields"]["closed"].is_null(), "{entries:?}");
    // A device cannot close or reopen by writing the field itself.
    let forged = change(
        h.device,
        2,
        h.home,
        Operation::Patch,
        3,
        json!({"closed": {"on": "2026-11-30"}}),
    );
    let answer = push_ok(&h.app, &h.coordinator, h.device, vec![forged]).await;
    assert_eq!(answer["results"][0]["outcome"], "rejected", "{answer}");
}

/// Issue 16 item 4: the coordinator moves a household to another team of the municipality with
/// a reason; the old team's devices are told to remove it, the new team's receive it; audited.
#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn the_coordinator_moves_a_household_to_another_team(pool: PgPool) {
    use common::add_team;
    let app = router(pool.clone());
    add_team(&pool, "gebiedsteam").await;
    let (coordinator, _) = account(&pool, Role::Coordinator, Some("wijkteam")).await;
    let (consultant, _) = account(&pool, Role::Consultant, Some("wijkteam")).await;
    let (receiving, _) = account(&pool, Role::Coordinator, Some("gebiedsteam")).await;
    let (device, home) = (Id::now_v7(), Id::now_v7());
    let create = common::new_household(device, 1, home, "Huishouden Verhuis");
    push_ok(&app, &coordinator, device, vec![create]).await;
    let (_, teams) = send(&app, "GET", "/api/teams", &coordinator, None).await;
    assert_eq!(teams[0]["id"], "gebiedsteam", "{teams}");

    let uri = format!("/api/households/{home}/transfer");
    let body = |team: &str, reason: &str| Some(json!({"team": team, "reason": reason}).to_string());
    let (status, _) = send(&app, "POST", &uri, &coordinator, body("gebiedsteam", " ")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = send(
        &app,
        "POST",
        &uri,
        &coordinator,
        body("bestaat-niet", "Verhuisd"),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = send(
        &app,
        "POST",
        &uri,
        &consultant,
        body("gebiedsteam", "Verhuisd"),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, answer) = send(
        &app,
        "POST",
        &uri,
        &coordinator,
        body("gebiedsteam", "Verhuisd naar Oost"),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{answer}");

    let pull = |session: String, device: Id| {
        let app = app.clone();
        async move {
            let uri = format!("/api/sync/pull?device_id={device}&cursor=0");
            send(&app, "GET", &uri, &session, None).await.1
        }
    };
    let old = pull(coordinator.clone(), device).await;
    let last = old["entries"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["kind"], "left_scope", "{old}");
    let new = pull(receiving.clone(), Id::now_v7()).await;
    assert!(
        new["entries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "record" && e["fields"]["name"] == "Huishouden Verhuis"),
        "{new}"
    );
    let audited: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_event WHERE action = 'transferred' AND household_id = $1 AND detail LIKE 'naar gebiedsteam: Verhuisd%'",
    )
    .bind(home)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(audited, 1);
}
