//! Issue 15 item 3: one regisseur per household, an account chosen by the team's coordinator,
//! carried by the household record to every device that holds it; devices cannot set it.

mod common;

use axum::http::StatusCode;
use common::{account, push_ok, router, send};
use serde_json::{json, Value};
use shared::model::{Id, Role};
use shared::sync::{Operation, RecordType};
use sqlx::PgPool;

/// The household's latest state in the device's pull, from the start of the log.
async fn pulled_household(app: &axum::Router, session: &str, device: Id, home: Id) -> Value {
    let uri = format!("/api/sync/pull?device_id={device}&cursor=0");
    let (status, page) = send(app, "GET", &uri, session, None).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["entries"]
        .as_array()
        .unwrap()
        .iter()
        .rfind(|e| e["kind"] == "record" && e["record_id"] == home.to_string())
        .cloned()
        .unwrap()
}

#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn the_regisseur_reaches_every_device_and_no_device_can_set_one(pool: PgPool) {
    let app = router(pool.clone());
    let (coordinator, _) = account(&pool, Role::Coordinator, Some("wijkteam")).await;
    let (consultant, consultant_id) = account(&pool, Role::Consultant, Some("wijkteam")).await;
    let (device, home) = (Id::now_v7(), Id::now_v7());
    let create = common::new_household(device, 1, home, "Huishouden Bos");
    push_ok(&app, &coordinator, device, vec![create]).await;

    let uri = format!("/api/households/{home}/coordinator");
    let body = json!({ "account_id": consultant_id }).to_string();
    let (status, answer) = send(&app, "PUT", &uri, &coordinator, Some(body)).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{answer}");

    // The coordinator's device and the consultant's new one both get the household with its
    // regisseur, by name and e-mail.
    for (session, device) in [(&coordinator, device), (&consultant, Id::now_v7())] {
        let state = pulled_household(&app, session, device, home).await;
        assert_eq!(state["version"], 2);
        assert_eq!(
            state["fields"]["case_manager"]["account_id"],
            consultant_id.to_string()
        );
        assert!(state["fields"]["case_manager"]["email"]
            .as_str()
            .unwrap()
            .contains('@'));
        assert_eq!(state["fields"]["name"], "Huishouden Bos");
    }

    // A device edit of another field still lands; one that sets the regisseur is refused.
    let rename = common::change(
        device,
        2,
        RecordType::Household,
        home,
        Operation::Patch,
        1,
        json!({"name": "Huishouden Bos-de Vries"}),
    );
    let forged = common::change(
        device,
        3,
        RecordType::Household,
        home,
        Operation::Patch,
        2,
        json!({"case_manager": {"account_id": Id::now_v7(), "name": "Ik", "email": "ik@x.nl"}}),
    );
    let answer = push_ok(&app, &coordinator, device, vec![rename, forged]).await;
    assert_eq!(answer["results"][0]["outcome"], "applied", "{answer}");
    assert_eq!(answer["results"][1]["outcome"], "rejected", "{answer}");
    assert!(answer["results"][1]["reason"]
        .as_str()
        .unwrap()
        .contains("coördinator"));
    let state = pulled_household(&app, &coordinator, device, home).await;
    assert_eq!(state["fields"]["name"], "Huishouden Bos-de Vries");
    assert_eq!(
        state["fields"]["case_manager"]["account_id"],
        consultant_id.to_string()
    );
}

/// Issue 15 item 3: the plan's free-text regisseur becomes the account where it names one of the
/// team, and stays the plan's note where it does not.
#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn a_plans_free_text_regisseur_is_taken_over_where_it_names_an_account(pool: PgPool) {
    let app = router(pool.clone());
    let (coordinator, _) = account(&pool, Role::Coordinator, Some("wijkteam")).await;
    let (_, consultant_id) = account(&pool, Role::Consultant, Some("wijkteam")).await;
    let device = Id::now_v7();
    let mut changes = Vec::new();
    let mut homes = Vec::new();
    for (i, named) in [" consulent TEST ", "Mevrouw Onbekend"]
        .into_iter()
        .enumerate()
    {
        let (home, plan) = (Id::now_v7(), Id::now_v7());
        let seq = 2 * i as u64 + 1;
        changes.push(common::new_household(
            device,
            seq,
            home,
            &format!("Huishouden {i}"),
        ));
        changes.push(common::change(
            device,
            seq + 1,
            RecordType::SupportPlan,
            plan,
            Operation::Create,
            0,
            json!({"id": plan, "household_id": home, "coordinator": named, "goals": []}),
        ));
        homes.push(home);
    }
    push_ok(&app, &coordinator, device, changes).await;

    assert_eq!(
        server::households::adopt_plan_coordinators(&pool)
            .await
            .unwrap(),
        1
    );
    // Once: the second start finds nothing left to take over.
    assert_eq!(
        server::households::adopt_plan_coordinators(&pool)
            .await
            .unwrap(),
        0
    );
    let taken = pulled_household(&app, &coordinator, Id::now_v7(), homes[0]).await;
    assert_eq!(
        taken["fields"]["case_manager"]["account_id"],
        consultant_id.to_string()
    );
    let kept = pulled_household(&app, &coordinator, Id::now_v7(), homes[1]).await;
    assert_eq!(kept["fields"]["case_manager"], Value::Null);
    let audited: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_event WHERE action = 'coordinator_assigned' AND household_id = $1",
    )
    .bind(homes[0])
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(audited, 1);
}
