//! Issue 19 item 1: a push is applied as a set (records read per table, written per table), so
//! within one batch each change must still see the changes before it, exactly as when they
//! were applied one by one.

mod common;

use common::{account, push_ok, router};
use serde_json::json;
use shared::model::{Id, Role};
use shared::sync::{Operation, RecordType};
use sqlx::PgPool;

#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn each_change_of_a_batch_sees_the_ones_before_it(pool: PgPool) {
    let app = router(pool.clone());
    let (carla, carla_id) = account(&pool, Role::Consultant, Some("wijkteam")).await;
    let (dirk, _) = account(&pool, Role::Consultant, Some("wijkteam")).await;
    let (device, home, resident) = (Id::now_v7(), Id::now_v7(), Id::now_v7());
    let rename = |seq, base, name: &str| {
        let fields = json!({"name": name});
        common::change(
            device,
            seq,
            RecordType::Household,
            home,
            Operation::Patch,
            base,
            fields,
        )
    };
    // Registered, renamed twice and given a resident in one push: the consultant may write
    // into the household she registers before it is stored.
    let changes = vec![
        common::new_household(device, 1, home, "Huishouden Een"),
        rename(2, 1, "Huishouden Twee"),
        common::change(
            device,
            3,
            RecordType::Resident,
            resident,
            Operation::Create,
            0,
            json!({"id": resident, "household_id": home, "given_name": "Ria", "family_name": "Bos",
                   "birth_date": null, "bsn": null, "address": null, "phone": "", "email": ""}),
        ),
        rename(4, 2, "Huishouden Drie"),
    ];
    let answer = push_ok(&app, &carla, device, changes.clone()).await;
    let results: Vec<(String, Option<u64>)> = answer["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["outcome"].as_str().unwrap().to_owned(),
                r["version"].as_u64(),
            )
        })
        .collect();
    let applied = |v| ("applied".to_owned(), Some(v));
    assert_eq!(
        results,
        [applied(1), applied(2), applied(1), applied(3)],
        "{answer}"
    );
    let (name, version): (String, i64) =
        sqlx::query_as("SELECT fields->>'name', version FROM household WHERE id = $1")
            .bind(home)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!((name.as_str(), version), ("Huishouden Drie", 3));
    let coordinates: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM household_worker WHERE household_id = $1 AND account_id = $2)",
    )
    .bind(home)
    .bind(carla_id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(
        coordinates,
        "the consultant who registers it is added to it"
    );
    let (logged, audited, receipts): (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM change_log WHERE device_id = $1),
                (SELECT count(*) FROM audit_event WHERE device_id = $1),
                (SELECT count(*) FROM receipt WHERE device_id = $1)",
    )
    .bind(device)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((logged, audited, receipts), (4, 4, 4));

    // The whole batch again (its answer was lost): nothing applies twice.
    let again = push_ok(&app, &carla, device, changes).await;
    assert!(again["results"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["outcome"] == "duplicate"));

    // A colleague who was not added is refused per change, the household read in bulk.
    let other = Id::now_v7();
    let answer = push_ok(
        &app,
        &dirk,
        other,
        vec![common::change(
            other,
            1,
            RecordType::Household,
            home,
            Operation::Patch,
            3,
            json!({"name": "Huishouden Vier"}),
        )],
    )
    .await;
    assert_eq!(answer["results"][0]["outcome"], "rejected");
    assert!(answer["results"][0]["reason"]
        .as_str()
        .unwrap()
        .contains("niet aan dit huishouden toegevoegd"));
}
