//! Issue 15 item 5: find before you register. The lookup searches the whole municipality but
//! names a household only in the worker's own scope; a worker elsewhere may ask for access,
//! which the household's coordinator grants (the guest's devices receive it, their teammates'
//! do not) or refuses; each step leaves an audit row.

mod common;

use axum::http::StatusCode;
use common::{account, add_team, push_ok, router, send};
use serde_json::{json, Value};
use shared::model::{Id, Role};
use shared::sync::{Operation, RecordType};
use sqlx::PgPool;
use time::macros::date;

/// The households (by id) a fresh device of `session` receives.
async fn pulled_households(app: &axum::Router, session: &str) -> Vec<String> {
    let uri = format!("/api/sync/pull?device_id={}&cursor=0", Id::now_v7());
    let (status, page) = send(app, "GET", &uri, session, None).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let mut found: Vec<String> = page["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "record")
        .map(|e| e["household_id"].as_str().unwrap().to_owned())
        .collect();
    found.dedup();
    found
}

async fn lookup(app: &axum::Router, session: &str, query: Value) -> (StatusCode, Value) {
    send(
        app,
        "POST",
        "/api/residents/lookup",
        session,
        Some(query.to_string()),
    )
    .await
}

async fn audited(pool: &PgPool, action: &str) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM audit_event WHERE action = $1")
        .bind(action)
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn a_resident_known_elsewhere_is_found_and_access_is_asked_granted_and_refused(pool: PgPool) {
    let app = router(pool.clone());
    add_team(&pool, "gebiedsteam").await;
    let (anne, _) = account(&pool, Role::Coordinator, Some("wijkteam")).await;
    let (carla, carla_id) = account(&pool, Role::Consultant, Some("gebiedsteam")).await;
    let (frank, _) = account(&pool, Role::FrontOffice, Some("gebiedsteam")).await;
    let (gert, _) = account(&pool, Role::Coordinator, Some("gebiedsteam")).await;
    let (pia, _) = account(&pool, Role::PrivacyOfficer, None).await;

    // Anne's team registered Ayşe Öztürk.
    let (device, home, ayse) = (Id::now_v7(), Id::now_v7(), Id::now_v7());
    let born = serde_json::to_value(date!(1962 - 03 - 14)).unwrap();
    let changes = vec![
        common::new_household(device, 1, home, "Huishouden Öztürk"),
        common::change(
            device,
            2,
            RecordType::Resident,
            ayse,
            Operation::Create,
            0,
            json!({"id": ayse, "household_id": home, "given_name": "Ayşe", "family_name": "Öztürk",
                   "birth_date": born, "bsn": "111222333", "address": null, "phone": "", "email": ""}),
        ),
    ];
    push_ok(&app, &anne, device, changes).await;

    // Carla, in another team: found by BSN (two digits swapped) and by name without accents
    // with a transposed birth year; she learns only the team, not the household.
    for query in [
        json!({"bsn": "111 222 333"}),
        json!({"bsn": "112122333"}),
        json!({"family_name": "ozturk", "birth_date": serde_json::to_value(date!(1926 - 03 - 14)).unwrap()}),
    ] {
        let (status, found) = lookup(&app, &carla, query.clone()).await;
        assert_eq!(status, StatusCode::OK, "{found}");
        assert_eq!(found.as_array().unwrap().len(), 1, "{query}: {found}");
        assert_eq!(found[0]["in_scope"], false);
        assert_eq!(found[0]["resident_name"], Value::Null);
        assert_eq!(found[0]["household_name"], Value::Null);
        assert_eq!(found[0]["team_name"], "Wijkteam");
    }
    // Anne sees her own: named.
    let (_, own) = lookup(&app, &anne, json!({"bsn": "111222333"})).await;
    assert_eq!(own[0]["in_scope"], true);
    assert_eq!(own[0]["resident_name"], "Ayşe Öztürk");
    // Nothing to look up with, and a role without residents: refused in words.
    let (status, answer) = lookup(&app, &carla, json!({"family_name": "Öztürk"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    let (status, _) = lookup(&app, &pia, json!({"bsn": "111222333"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(audited(&pool, "resident_lookup").await, 4);

    // Carla asks for access, once.
    let uri = format!("/api/households/{home}/access-requests");
    let reason = json!({"reason": "Zij staat bij ons aan de balie."}).to_string();
    let (status, _) = send(
        &app,
        "POST",
        &uri,
        &carla,
        Some(json!({"reason": " "}).to_string()),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, answer) = send(&app, "POST", &uri, &carla, Some(reason.clone())).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    let (status, _) = send(&app, "POST", &uri, &carla, Some(reason.clone())).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (_, found) = lookup(&app, &carla, json!({"bsn": "111222333"})).await;
    assert_eq!(found[0]["requested"], true);
    // Anne's own team needs no access.
    let (status, _) = send(&app, "POST", &uri, &anne, Some(reason.clone())).await;
    assert_eq!(status, StatusCode::CONFLICT);

    // Only the household's coordinator sees and answers it.
    let (status, waiting) = send(&app, "GET", "/api/access-requests", &gert, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(waiting.as_array().unwrap().len(), 0);
    let (_, waiting) = send(&app, "GET", "/api/access-requests", &anne, None).await;
    assert_eq!(waiting.as_array().unwrap().len(), 1, "{waiting}");
    assert_eq!(waiting[0]["reason"], "Zij staat bij ons aan de balie.");
    assert_eq!(waiting[0]["requester_team"], "gebiedsteam");
    let request = waiting[0]["id"].as_str().unwrap().to_owned();
    let grant = format!("/api/access-requests/{request}/grant");
    for other in [&gert, &carla] {
        let (status, _) = send(&app, "POST", &grant, other, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    assert!(pulled_households(&app, &carla).await.is_empty());
    let (status, answer) = send(&app, "POST", &grant, &anne, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{answer}");
    let (status, _) = send(&app, "POST", &grant, &anne, None).await;
    assert_eq!(status, StatusCode::CONFLICT);

    // Carla's devices receive the household; her teammate's do not.
    assert_eq!(
        pulled_households(&app, &carla).await,
        vec![home.to_string()]
    );
    assert!(pulled_households(&app, &frank).await.is_empty());
    // Carla writes into it: it lands in Anne's team, and comes back to Carla's next device.
    let carla_device = Id::now_v7();
    let rename = common::change(
        carla_device,
        1,
        RecordType::Household,
        home,
        Operation::Patch,
        1,
        json!({"name": "Huishouden Öztürk-Yılmaz"}),
    );
    let answer = push_ok(&app, &carla, carla_device, vec![rename]).await;
    assert_eq!(answer["results"][0]["outcome"], "applied", "{answer}");
    for session in [&anne, &carla] {
        let uri = format!("/api/sync/pull?device_id={}&cursor=0", Id::now_v7());
        let (_, page) = send(&app, "GET", &uri, session, None).await;
        let names: Vec<&str> = page["entries"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|e| e["fields"]["name"].as_str())
            .collect();
        assert!(names.contains(&"Huishouden Öztürk-Yılmaz"), "{page}");
    }
    assert!(pulled_households(&app, &frank).await.is_empty());

    // Frank asks too; Anne refuses: nothing reaches him, and his change is refused.
    let (status, _) = send(&app, "POST", &uri, &frank, Some(reason)).await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, waiting) = send(&app, "GET", "/api/access-requests", &anne, None).await;
    let request = waiting[0]["id"].as_str().unwrap().to_owned();
    let (status, _) = send(
        &app,
        "POST",
        &format!("/api/access-requests/{request}/refuse"),
        &anne,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(pulled_households(&app, &frank).await.is_empty());
    let frank_device = Id::now_v7();
    let forced = common::change(
        frank_device,
        1,
        RecordType::Household,
        home,
        Operation::Patch,
        2,
        json!({"name": "Niet van Frank"}),
    );
    let answer = push_ok(&app, &frank, frank_device, vec![forced]).await;
    assert_eq!(answer["results"][0]["outcome"], "rejected", "{answer}");

    assert_eq!(audited(&pool, "access_requested").await, 2);
    assert_eq!(audited(&pool, "access_granted").await, 1);
    assert_eq!(audited(&pool, "access_refused").await, 1);

    // Anne takes Carla's access back: Carla's devices are told to remove the household, and
    // her later changes to it are refused.
    let guests_uri = format!("/api/households/{home}/guests");
    let (status, guests) = send(&app, "GET", &guests_uri, &anne, None).await;
    assert_eq!(status, StatusCode::OK, "{guests}");
    assert_eq!(guests.as_array().unwrap().len(), 1, "{guests}");
    assert_eq!(guests[0]["account_id"], json!(carla_id));
    assert_eq!(guests[0]["team"], "gebiedsteam");
    let revoke = format!("/api/households/{home}/guests/{carla_id}");
    // Only the household's coordinator: another team's does not know it; the guest may not.
    let (status, _) = send(&app, "DELETE", &revoke, &gert, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = send(&app, "DELETE", &revoke, &carla, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, answer) = send(&app, "DELETE", &revoke, &anne, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{answer}");
    let (status, _) = send(&app, "DELETE", &revoke, &anne, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "no longer a guest");
    let uri = format!("/api/sync/pull?device_id={carla_device}&cursor=0");
    let (_, page) = send(&app, "GET", &uri, &carla, None).await;
    let last = page["entries"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["kind"], "left_scope", "{page}");
    assert_eq!(last["household_id"], json!(home));
    let again = common::change(
        carla_device,
        2,
        RecordType::Household,
        home,
        Operation::Patch,
        3,
        json!({"name": "Niet meer van Carla"}),
    );
    let answer = push_ok(&app, &carla, carla_device, vec![again]).await;
    assert_eq!(answer["results"][0]["outcome"], "rejected", "{answer}");
    let (_, guests) = send(&app, "GET", &guests_uri, &anne, None).await;
    assert_eq!(guests, json!([]));
    assert_eq!(audited(&pool, "access_revoked").await, 1);
}
