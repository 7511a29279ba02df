//! Issue 15 item 5, the offline half: a resident registered while the municipality already knew
//! them (typed offline, where nobody could ask first) is flagged when the registration is
//! synced; the team's coordinator merges the later household into the earlier one, keeping
//! every record and every word of both, or says it is another resident. Both audited.

mod common;

use axum::http::StatusCode;
use common::{account, add_team, push_ok, router, send};
use serde_json::{json, Value};
use shared::model::{Channel, Contact, Id, Role};
use shared::sync::{Operation, RecordType};
use sqlx::PgPool;
use std::collections::HashMap;
use time::macros::{date, datetime};

fn resident(id: Id, household: Id, given: &str, family: &str, phone: &str) -> Value {
    let born = serde_json::to_value(date!(1962 - 03 - 14)).unwrap();
    json!({"id": id, "household_id": household, "given_name": given, "family_name": family,
           "birth_date": born, "bsn": "111222333", "address": null, "phone": phone, "email": ""})
}

fn member(resident: Id, relation: &str) -> Value {
    json!({"resident_id": resident, "relation": relation, "left_on": null, "deceased": false})
}

/// A device registering a household with its residents (the first one the main contact).
fn registration(
    device: Id,
    household: Id,
    name: &str,
    residents: &[(Id, Value)],
) -> Vec<shared::sync::Change> {
    let members: Vec<Value> = residents
        .iter()
        .enumerate()
        .map(|(i, (id, _))| member(*id, if i == 0 { "main_contact" } else { "child" }))
        .collect();
    let mut changes = vec![common::change(
        device,
        1,
        RecordType::Household,
        household,
        Operation::Create,
        0,
        json!({"id": household, "name": name, "members": members, "case_manager": null}),
    )];
    for (i, (id, fields)) in residents.iter().enumerate() {
        changes.push(common::change(
            device,
            2 + i as u64,
            RecordType::Resident,
            *id,
            Operation::Create,
            0,
            fields.clone(),
        ));
    }
    changes
}

async fn duplicates(app: &axum::Router, session: &str) -> (StatusCode, Value) {
    send(app, "GET", "/api/duplicates", session, None).await
}

/// Each record's last state in the team's log, as a fresh device ends up with it.
async fn device_state(app: &axum::Router, session: &str) -> HashMap<String, Value> {
    let uri = format!("/api/sync/pull?device_id={}&cursor=0", Id::now_v7());
    let (status, page) = send(app, "GET", &uri, session, None).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "record")
        .map(|e| (e["record_id"].as_str().unwrap().to_owned(), e.clone()))
        .collect()
}

async fn scalar(pool: &PgPool, sql: &str, id: Id) -> i64 {
    sqlx::query_scalar(sql)
        .bind(id)
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn a_resident_registered_twice_is_flagged_at_sync_and_merged_keeping_every_word(
    pool: PgPool,
) {
    let app = router(pool.clone());
    let (anne, _) = account(&pool, Role::Coordinator, Some("wijkteam")).await;
    let (bram, _) = account(&pool, Role::Consultant, Some("wijkteam")).await;
    let (frank, _) = account(&pool, Role::FrontOffice, Some("wijkteam")).await;

    // Anne's team knows Ayşe Öztürk.
    let (first_device, earlier, ayse) = (Id::now_v7(), Id::now_v7(), Id::now_v7());
    let ayse_fields = resident(ayse, earlier, "Ayşe", "Öztürk", "");
    push_ok(
        &app,
        &anne,
        first_device,
        registration(
            first_device,
            earlier,
            "Huishouden Öztürk",
            &[(ayse, ayse_fields)],
        ),
    )
    .await;
    let (_, none) = duplicates(&app, &anne).await;
    assert_eq!(none, json!([]), "one registration is no duplicate");

    // At walk-in hours, offline, Frank registers her again (no accents, a phone number) with
    // her son, and a contact.
    let (device, later, again, son, contact) = (
        Id::now_v7(),
        Id::now_v7(),
        Id::now_v7(),
        Id::now_v7(),
        Id::now_v7(),
    );
    let mut changes = registration(
        device,
        later,
        "Ozturk",
        &[
            (
                again,
                resident(again, later, "Ayse", "Ozturk", "06 12345678"),
            ),
            (
                son,
                json!({"id": son, "household_id": later, "given_name": "Emre", "family_name": "Öztürk",
                         "birth_date": null, "bsn": null, "address": null, "phone": "", "email": ""}),
            ),
        ],
    );
    let told = Contact {
        id: contact,
        household_id: later,
        resident_id: again,
        channel: Channel::WalkIn,
        place: "Wijkcentrum De Linde".into(),
        worker: "Frank".into(),
        started_at: datetime!(2026-11-30 10:00 +1),
        ended_at: None,
        quick_scan_id: Id::now_v7(),
        told_notice: None,
        signal: None,
    };
    changes.push(common::change(
        device,
        4,
        RecordType::Contact,
        contact,
        Operation::Create,
        0,
        serde_json::to_value(&told).unwrap(),
    ));
    push_ok(&app, &frank, device, changes).await;

    // Flagged for the coordinator only.
    let (status, _) = duplicates(&app, &bram).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, flags) = duplicates(&app, &anne).await;
    assert_eq!(status, StatusCode::OK, "{flags}");
    let flags = flags.as_array().unwrap();
    assert_eq!(flags.len(), 1, "{flags:?}");
    assert_eq!(flags[0]["household_id"], json!(later));
    assert_eq!(flags[0]["other_household_id"], json!(earlier));
    assert_eq!(flags[0]["resident_name"], "Ayse Ozturk");
    assert_eq!(flags[0]["other_household_name"], "Huishouden Öztürk");
    assert_eq!(flags[0]["mergeable"], true);
    let flag = flags[0]["id"].as_str().unwrap().to_owned();

    let merge = format!("/api/duplicates/{flag}/merge");
    let (status, _) = send(&app, "POST", &merge, &bram, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a consultant does not merge");
    let (status, answer) = send(&app, "POST", &merge, &anne, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{answer}");

    // On the server: everything is in the earlier household, the later one is gone, nothing
    // was deleted.
    let in_earlier = "SELECT count(*) FROM (SELECT household_id, deleted FROM resident UNION ALL
                      SELECT household_id, deleted FROM contact) r WHERE household_id = $1 AND NOT deleted";
    assert_eq!(
        scalar(&pool, in_earlier, earlier).await,
        4,
        "Ayşe twice, Emre, the contact"
    );
    assert_eq!(
        scalar(&pool, "SELECT count(*) FROM household WHERE id = $1", later).await,
        0
    );
    assert_eq!(
        scalar(&pool, "SELECT count(*) FROM audit_event WHERE action = 'duplicate_merged' AND household_id = $1", earlier).await,
        1
    );

    // On a device of the team: the same.
    let state = device_state(&app, &anne).await;
    let household = &state[&earlier.to_string()]["fields"];
    let members: Vec<&str> = household["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["resident_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        members,
        vec![ayse.to_string(), son.to_string()],
        "Ayşe once, and her son"
    );
    assert_eq!(
        state[&later.to_string()]["deleted"],
        true,
        "the later household is removed"
    );
    for record in [contact, son, again] {
        let entry = &state[&record.to_string()];
        assert_eq!(entry["household_id"], json!(earlier), "{entry}");
        assert_eq!(entry["deleted"], false, "{entry}");
    }
    let ayse_now = &state[&ayse.to_string()]["fields"];
    assert_eq!(ayse_now["given_name"], "Ayşe", "the earlier spelling stays");
    assert_eq!(
        ayse_now["phone"], "06 12345678",
        "what only the later one knew is taken"
    );
    assert_eq!(
        state[&again.to_string()]["fields"]["given_name"],
        "Ayse",
        "and its own words stay"
    );

    let (_, after) = duplicates(&app, &anne).await;
    assert_eq!(after, json!([]));
    let (status, _) = send(&app, "POST", &merge, &anne, None).await;
    assert!(status.is_client_error(), "merged once: {status}");
}

#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn a_flag_across_teams_is_not_merged_and_another_resident_is_dismissed(pool: PgPool) {
    let app = router(pool.clone());
    add_team(&pool, "gebiedsteam").await;
    let (anne, _) = account(&pool, Role::Coordinator, Some("wijkteam")).await;
    let (gert, _) = account(&pool, Role::Coordinator, Some("gebiedsteam")).await;
    let (first, elsewhere, ayse) = (Id::now_v7(), Id::now_v7(), Id::now_v7());
    push_ok(
        &app,
        &gert,
        first,
        registration(
            first,
            elsewhere,
            "Huishouden Öztürk",
            &[(ayse, resident(ayse, elsewhere, "Ayşe", "Öztürk", ""))],
        ),
    )
    .await;
    let (device, later, again) = (Id::now_v7(), Id::now_v7(), Id::now_v7());
    push_ok(
        &app,
        &anne,
        device,
        registration(
            device,
            later,
            "Öztürk",
            &[(again, resident(again, later, "Ayşe", "Öztürk", ""))],
        ),
    )
    .await;

    let (_, flags) = duplicates(&app, &anne).await;
    let flags = flags.as_array().unwrap();
    assert_eq!(flags.len(), 1, "{flags:?}");
    assert_eq!(flags[0]["mergeable"], false);
    assert_eq!(
        flags[0]["other_household_name"],
        Value::Null,
        "another team's household is not named"
    );
    assert!(flags[0]["other_team_name"].as_str().is_some());
    let (_, theirs) = duplicates(&app, &gert).await;
    assert_eq!(
        theirs,
        json!([]),
        "the flag is the later registration's team's"
    );
    let id = flags[0]["id"].as_str().unwrap().to_owned();
    let (status, answer) = send(
        &app,
        "POST",
        &format!("/api/duplicates/{id}/merge"),
        &anne,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert!(
        answer["error"]
            .as_str()
            .unwrap_or_default()
            .contains("ander team"),
        "{answer}"
    );

    let (status, _) = send(
        &app,
        "POST",
        &format!("/api/duplicates/{id}/dismiss"),
        &anne,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, after) = duplicates(&app, &anne).await;
    assert_eq!(after, json!([]));
    assert_eq!(
        scalar(&pool, "SELECT count(*) FROM audit_event WHERE action = 'duplicate_dismissed' AND household_id = $1", later).await,
        1
    );
    // Both households stay.
    assert_eq!(
        scalar(&pool, "SELECT count(*) FROM household WHERE id = $1", later).await,
        1
    );
    assert_eq!(
        scalar(
            &pool,
            "SELECT count(*) FROM household WHERE id = $1",
            elsewhere
        )
        .await,
        1
    );
}
