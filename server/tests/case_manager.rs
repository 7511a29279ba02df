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
    let create = common::change(
        device,
        1,
        RecordType::Household,
        home,
        Operation::Create,
        0,
        json!({"id": home, "name": "Huishouden Bos", "members": [], "case_manager": null}),
    );
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
