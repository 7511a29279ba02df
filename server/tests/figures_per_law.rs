//! Issue 16 item 7: the whole front door counted. Questions per law or scheme, questions about
//! one life domain against several, and how many became a formal application, each against a
//! hand count: only questions whose contact falls in the period, deleted ones left out, one made
//! before the law was asked counted as "not recorded".

mod common;

use axum::http::StatusCode;
use common::{account, insert_record as insert, router, send};
use serde_json::{json, Value};
use shared::model::{Id, Role};
use sqlx::PgPool;
use time::macros::date;

#[sqlx::test(migrations = "./migrations", fixtures("../demo/lindeveen.sql"))]
async fn questions_are_counted_per_law_by_domains_and_by_application(pool: PgPool) {
    let (coordinator, _) = account(&pool, Role::Coordinator, Some("wijkteam")).await;
    let home = Id::now_v7();
    sqlx::query(
        "INSERT INTO household (id, team_id, version, fields, field_versions) VALUES ($1, 'wijkteam', 1, $2, '{}')",
    )
    .bind(home)
    .bind(json!({"id": home, "name": "Huishouden Wet", "members": []}))
    .execute(&pool)
    .await
    .unwrap();
    let (inside, outside) = (Id::now_v7(), Id::now_v7());
    for (contact, at) in [
        (inside, "2026-12-01T10:00:00+01:00"),
        (outside, "2026-11-01T10:00:00+01:00"),
    ] {
        insert(
            &pool,
            "contact",
            contact,
            home,
            json!({"id": contact, "channel": "phone", "started_at": at}),
            false,
        )
        .await;
    }
    let question = |contact: Id, domains: &[&str], scheme: Option<&str>| {
        let id = Id::now_v7();
        let mut fields =
            json!({"id": id, "contact_id": contact, "life_domains": domains, "status": "open"});
        if let Some(scheme) = scheme {
            fields["scheme"] = json!(scheme);
        }
        (id, fields)
    };
    let q_debt = question(inside, &["finances"], Some("debt_assistance"));
    let q_wmo = question(inside, &["practical", "physical_health"], Some("wmo"));
    let q_youth = question(inside, &["family"], Some("jeugdwet"));
    let q_older = question(inside, &["practical"], None);
    let q_outside = question(outside, &["finances"], Some("debt_assistance"));
    let q_deleted = question(inside, &["housing", "finances"], Some("wmo"));
    for (q, deleted) in [
        (&q_debt, false),
        (&q_wmo, false),
        (&q_youth, false),
        (&q_older, false),
        (&q_outside, false),
        (&q_deleted, true),
    ] {
        insert(&pool, "question", q.0, home, q.1.clone(), deleted).await;
    }
    // The Wmo question became an application; the youth question's melding did not (yet).
    let clock = |application: Value| {
        json!({"notification_date": date!(2026 - 12 - 01), "investigation_done_on": null,
               "application_date": application, "decision_on": null})
    };
    for (question, application) in [
        (
            q_wmo.0,
            serde_json::to_value(date!(2026 - 12 - 10)).unwrap(),
        ),
        (q_youth.0, Value::Null),
    ] {
        let id = Id::now_v7();
        insert(
            &pool,
            "notification",
            id,
            home,
            json!({"id": id, "question_id": question, "clock": clock(application)}),
            false,
        )
        .await;
    }

    let (status, figures) = send(
        &router(pool.clone()),
        "GET",
        "/api/figures?from=2026-12-01&to=2026-12-31",
        &coordinator,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{figures}");
    let per_law: Vec<(String, i64)> = figures["questions_per_scheme"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["label"].as_str().unwrap().to_owned(),
                c["count"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        per_law,
        [
            ("Jeugdwet".to_owned(), 1),
            ("Niet vastgelegd".to_owned(), 1),
            ("Schuldhulpverlening (Wgs)".to_owned(), 1),
            ("Wmo 2015".to_owned(), 1),
        ]
    );
    assert_eq!(
        figures["question_mix"],
        json!({"single_domain": 3, "multi_domain": 1, "applications": 1})
    );
}
