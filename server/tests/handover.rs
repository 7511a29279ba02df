//! Issue 16 item 4: work moves between people of the whole front door. The front office hands a
//! household over (not only the coordinator from the caseload), to a colleague of any team of
//! the municipality: one of another team receives it as a guest at their next sync and sees it
//! waiting in their work; someone of another municipality does not exist. Written before the
//! change: the front office was refused (403) and another team's consultant too (422).

mod common;

use axum::http::StatusCode;
use common::{account, add_team, add_team_in, push_ok, router, send};
use serde_json::{json, Value};
use shared::model::{Id, Role};
use shared::sync::{Operation, RecordType};
use sqlx::PgPool;

async fn household(app: &axum::Router, session: &str, name: &str) -> Id {
    let (device, home) = (Id::now_v7(), Id::now_v7());
    let fields = json!({"id": home, "name": name, "members": []});
    let create = common::change(
        device,
        1,
        RecordType::Household,
        home,
        Operation::Create,
        0,
        fields,
    );
    push_ok(app, session, device, vec![create]).await;
    home
}

async fn hand_over(app: &axum::Router, session: &str, home: Id, to: Id) -> (StatusCode, Value) {
    let body = json!({"to_account": to, "note": "Schulden en een val: graag oppakken", "legal_ground": ""});
    let uri = format!("/api/households/{home}/handovers");
    send(app, "POST", &uri, session, Some(body.to_string())).await
}

#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn the_front_office_hands_over_to_a_consultant_of_another_team(pool: PgPool) {
    add_team(&pool, "gebied").await;
    add_team_in(&pool, "elders", "andere-gemeente").await;
    let app = router(pool.clone());
    let (front_office, _) = account(&pool, Role::FrontOffice, Some("wijkteam")).await;
    let (gert, gert_id) = account(&pool, Role::Consultant, Some("gebied")).await;
    let (_, stranger) = account(&pool, Role::Consultant, Some("elders")).await;
    let home = household(&app, &front_office, "Huishouden Bakker").await;

    // Whom the front office can choose: colleagues of every team of the municipality, and
    // nobody of another municipality.
    let (status, colleagues) = send(&app, "GET", "/api/colleagues", &front_office, None).await;
    assert_eq!(status, StatusCode::OK, "{colleagues}");
    let listed = colleagues.as_array().unwrap();
    let gert_listed = listed
        .iter()
        .find(|c| c["account_id"] == json!(gert_id))
        .expect("gert listed");
    assert_eq!(gert_listed["team_id"], "gebied");
    assert!(listed.iter().all(|c| c["account_id"] != json!(stranger)));

    let (status, answer) = hand_over(&app, &front_office, home, gert_id).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");

    // Gert's device receives the household; the handover waits in his work.
    let uri = format!("/api/sync/pull?device_id={}&cursor=0", Id::now_v7());
    let (status, page) = send(&app, "GET", &uri, &gert, None).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page["entries"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["record_id"] == json!(home)));
    let (_, waiting) = send(&app, "GET", "/api/handovers/waiting", &gert, None).await;
    assert_eq!(
        waiting[0]["context"]["household_name"], "Huishouden Bakker",
        "{waiting}"
    );
    let audited: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_event WHERE action = 'handover' AND household_id = $1 AND detail = $2",
    )
    .bind(home)
    .bind(gert_id.to_string())
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(audited, 1);

    // Another municipality's consultant: refused in words, nothing stored, nobody added.
    let (status, answer) = hand_over(&app, &front_office, home, stranger).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert!(
        answer["error"].as_str().unwrap().contains("gemeente"),
        "{answer}"
    );
    let (handovers, guests): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM handover), (SELECT count(*) FROM household_guest WHERE account_id = $1)",
    )
    .bind(stranger)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((handovers, guests), (1, 0));
}
