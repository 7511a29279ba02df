//! Issue 16 item 3: a conversation booked with a named colleague. The front office books it in
//! the quick scan's outcome; the colleague's devices receive the household at their next sync
//! (audited), another consultant's do not; anyone of the team sees the colleague's busy slots
//! (when, never who or where) and nobody outside the team does.

mod common;

use axum::http::StatusCode;
use common::{account, add_team, push_ok, router, send};
use serde_json::{json, Value};
use shared::model::quick_scan::{ConfirmedOutcome, ConversationKind, OutcomeKind};
use shared::model::{Id, Outcome, QuickScan, Role};
use shared::sync::{Operation, RecordType};
use sqlx::PgPool;
use time::macros::date;

/// A finished quick scan that books a kitchen-table conversation with `worker`.
fn booking(household: Id, worker: Option<(Id, &str)>, day: time::Date, at: &str) -> QuickScan {
    QuickScan {
        id: Id::now_v7(),
        contact_id: Id::now_v7(),
        household_id: household,
        resident_id: Id::now_v7(),
        template_version: shared::templates::current_quick_scan().version.clone(),
        answers: Default::default(),
        step: 0,
        outcome: Some(ConfirmedOutcome {
            outcome: Outcome::Appointment {
                conversation: ConversationKind::KitchenTable,
                date: day,
                time: at.into(),
                place: "Dorpsstraat 4, Lindeveen".into(),
                home_visit: true,
                worker: worker.map(|w| w.1.to_owned()).unwrap_or_default(),
                worker_account: worker.map(|w| w.0),
            },
            suggested: OutcomeKind::Handled,
            override_reason: Some("Inwoner wil een gesprek thuis".into()),
        }),
        completed_at: None,
    }
}

fn create(device: Id, seq: u64, scan: &QuickScan) -> shared::sync::Change {
    common::change(
        device,
        seq,
        RecordType::QuickScan,
        scan.id,
        Operation::Create,
        0,
        serde_json::to_value(scan).unwrap(),
    )
}

/// The households a fresh device of this worker receives.
async fn households_received(app: &axum::Router, session: &str) -> Vec<String> {
    let uri = format!("/api/sync/pull?device_id={}&cursor=0", Id::now_v7());
    let (status, page) = send(app, "GET", &uri, session, None).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let mut found: Vec<String> = page["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "record" && e["record_type"] == "household")
        .map(|e| e["record_id"].as_str().unwrap().to_owned())
        .collect();
    found.sort();
    found.dedup();
    found
}

async fn busy(
    app: &axum::Router,
    session: &str,
    account: Id,
    from: &str,
    to: &str,
) -> (StatusCode, Value) {
    let uri = format!("/api/agenda/busy?account={account}&from={from}&to={to}");
    send(app, "GET", &uri, session, None).await
}

#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn a_booked_colleague_gets_the_household_and_others_see_only_busy_slots(pool: PgPool) {
    add_team(&pool, "noord").await;
    add_team(&pool, "zuid").await;
    let app = router(pool.clone());
    let (front_office, _) = account(&pool, Role::FrontOffice, Some("noord")).await;
    let (carla, carla_id) = account(&pool, Role::Consultant, Some("noord")).await;
    let (daan, daan_id) = account(&pool, Role::Consultant, Some("noord")).await;
    let (outsider, _) = account(&pool, Role::Consultant, Some("zuid")).await;
    let (_, outsider_id) = account(&pool, Role::Consultant, Some("zuid")).await;

    let device = Id::now_v7();
    let household = Id::now_v7();
    let with_carla = booking(
        household,
        Some((carla_id, "Carla")),
        date!(2026 - 12 - 03),
        "10:30",
    );
    let later = booking(
        household,
        Some((carla_id, "Carla")),
        date!(2026 - 12 - 10),
        "09:00",
    );
    // Booked with someone of another team: the name stays, nothing is shared.
    let elsewhere = booking(
        household,
        Some((outsider_id, "Olga")),
        date!(2026 - 12 - 03),
        "11:00",
    );
    let answer = push_ok(
        &app,
        &front_office,
        device,
        vec![
            common::new_household(device, 1, household, "Huishouden Smit"),
            create(device, 2, &with_carla),
            create(device, 3, &later),
            create(device, 4, &elsewhere),
        ],
    )
    .await;
    assert!(
        answer["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["outcome"] == "applied"),
        "{answer}"
    );

    // Carla's device receives the household; Daan's does not.
    assert_eq!(
        households_received(&app, &carla).await,
        [household.to_string()]
    );
    assert!(households_received(&app, &daan).await.is_empty());
    let audited: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_event WHERE action = 'appointment_booked' AND household_id = $1 AND detail = $2",
    )
    .bind(household)
    .bind(carla_id.to_string())
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(audited, 1, "once, though two appointments name her");
    let outsider_share: i64 =
        sqlx::query_scalar("SELECT count(*) FROM household_worker WHERE account_id = $1")
            .bind(outsider_id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(outsider_share, 0);

    // Daan, booking a slot with Carla, sees when she is busy that week: not who or where.
    let (status, slots) = busy(&app, &daan, carla_id, "2026-11-30", "2026-12-06").await;
    assert_eq!(status, StatusCode::OK, "{slots}");
    assert_eq!(
        slots,
        json!([{"date": serde_json::to_value(date!(2026 - 12 - 03)).unwrap(), "time": "10:30", "home_visit": true}])
    );
    assert!(!slots.to_string().contains("Dorpsstraat"));
    let (_, free) = busy(&app, &daan, daan_id, "2026-11-30", "2026-12-06").await;
    assert_eq!(free, json!([]));

    // Outside the team the colleague does not exist; bad periods are told in words.
    let (status, _) = busy(&app, &outsider, carla_id, "2026-11-30", "2026-12-06").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = busy(&app, &daan, carla_id, "30-11-2026", "2026-12-06").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body["error"].as_str().unwrap().contains("jjjj-mm-dd"),
        "{body}"
    );
    let (status, _) = busy(&app, &daan, carla_id, "2026-12-06", "2026-11-30").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let uri = "/api/agenda/busy?account=niet-een-id&from=2026-11-30&to=2026-12-06";
    let (status, body) = send(&app, "GET", uri, &daan, None).await;
    assert!(status.is_client_error(), "{status} {body}");
}

#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn an_appointment_without_a_colleague_is_refused_by_the_server_too(pool: PgPool) {
    add_team(&pool, "noord").await;
    let app = router(pool.clone());
    let (front_office, _) = account(&pool, Role::FrontOffice, Some("noord")).await;
    let device = Id::now_v7();
    let household = Id::now_v7();
    let nobody = booking(household, None, date!(2026 - 12 - 03), "10:30");
    let answer = push_ok(
        &app,
        &front_office,
        device,
        vec![
            common::new_household(device, 1, household, "Huishouden Smit"),
            create(device, 2, &nobody),
        ],
    )
    .await;
    assert_eq!(answer["results"][1]["outcome"], "rejected", "{answer}");
    assert!(
        answer["results"][1]["reason"]
            .as_str()
            .unwrap()
            .contains("Met wie is de afspraak"),
        "{answer}"
    );
}
