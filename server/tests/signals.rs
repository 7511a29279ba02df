//! Issue 16 item 6: signals from outside. The front office's device sends a signal (stored
//! once however often it is sent; one the shared check refuses is named); the team's inbox
//! shows it to the team only; a contact made from it, once synced, turns it into a question of
//! that household; another is closed with a reason; the reporter can be told once, an anonymous
//! one never; the figures count signals per source and what became of them; retention removes
//! a closed signal after its period.

mod common;

use axum::http::StatusCode;
use common::{account, add_team, push_ok, router, send};
use serde_json::{json, Value};
use shared::model::outside_signal::{Ground, Source};
use shared::model::{Channel, Contact, Id, OutsideSignal, Reporter, Role};
use shared::sync::{Operation, RecordType};
use sqlx::PgPool;
use time::macros::datetime;

fn signal(source: Source, name: &str, reach: &str, concern: &str) -> OutsideSignal {
    OutsideSignal {
        id: Id::now_v7(),
        channel: Channel::Phone,
        received_at: datetime!(2026-12-01 09:30 +1),
        reporter: Reporter {
            source,
            anonymous: name.is_empty(),
            name: name.into(),
            reach: reach.into(),
        },
        concern: concern.into(),
        about: "Mevrouw Jansen, Dorpsstraat 3".into(),
        ground: Ground::Concern,
    }
}

async fn post(app: &axum::Router, session: &str, signals: &[OutsideSignal]) -> (StatusCode, Value) {
    let body = serde_json::to_string(signals).unwrap();
    send(app, "POST", "/api/signals", session, Some(body)).await
}

async fn inbox(app: &axum::Router, session: &str) -> Vec<Value> {
    let (status, list) = send(app, "GET", "/api/signals", session, None).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    list.as_array().unwrap().clone()
}

async fn count(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn a_signal_lands_in_the_team_inbox_and_becomes_a_question_or_is_closed(pool: PgPool) {
    add_team(&pool, "noord").await;
    add_team(&pool, "zuid").await;
    let app = router(pool.clone());
    let (front_office, _) = account(&pool, Role::FrontOffice, Some("noord")).await;
    let (consultant, _) = account(&pool, Role::Consultant, Some("noord")).await;
    let (coordinator, _) = account(&pool, Role::Coordinator, Some("noord")).await;
    let (other_team, _) = account(&pool, Role::Consultant, Some("zuid")).await;
    let (privacy, _) = account(&pool, Role::PrivacyOfficer, None).await;

    let gp = signal(
        Source::Gp,
        "Huisartsenpraktijk De Linde",
        "0570 123 456",
        "Mevrouw valt vaak en eet slecht.\nDochter woont ver weg.",
    );
    let neighbour = signal(
        Source::Neighbour,
        "",
        "",
        "Ziet de buurman niet meer buiten.",
    );
    let mut police = signal(Source::Police, "Wijkagent", "", "Vaak ruzie gehoord.");
    police.received_at = datetime!(2026-11-29 10:00 +1);
    let mut refused = signal(Source::School, "", "06 1234", "Zorgen");
    refused.reporter.anonymous = true;

    let all = [
        gp.clone(),
        neighbour.clone(),
        police.clone(),
        refused.clone(),
    ];
    let (status, receipt) = post(&app, &front_office, &all).await;
    assert_eq!(status, StatusCode::OK, "{receipt}");
    assert_eq!(receipt["stored"].as_array().unwrap().len(), 3);
    assert_eq!(receipt["refused"][0][0], json!(refused.id));
    assert!(
        receipt["refused"][0][1]
            .as_str()
            .unwrap()
            .contains("anonieme melder"),
        "{receipt}"
    );
    // The answer was lost: sent again, still stored once and audited once.
    let (status, _) = post(&app, &front_office, &all[..3]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(count(&pool, "SELECT count(*) FROM outside_signal").await, 3);
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM audit_event WHERE action = 'signal_recorded'"
        )
        .await,
        3
    );
    // A role without residents records none.
    let (status, _) = post(&app, &privacy, &[signal(Source::Gp, "X", "", "Y")]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // The team sees them, open ones oldest first, the reporter's words with their line break;
    // another team sees nothing.
    let open = inbox(&app, &consultant).await;
    assert_eq!(open.len(), 3);
    assert_eq!(open[0]["signal"]["id"], json!(police.id));
    assert_eq!(open[1]["signal"]["concern"], json!(gp.concern));
    assert_eq!(open[1]["settlement"]["kind"], "open");
    assert!(inbox(&app, &other_team).await.is_empty());
    assert!(
        count(
            &pool,
            "SELECT count(*) FROM audit_event WHERE action = 'signals_read'"
        )
        .await
            >= 2
    );

    // The consultant makes a question of the GP's signal: a contact carrying it is synced.
    let device = Id::now_v7();
    let household = Id::now_v7();
    let resident = Id::now_v7();
    let contact = Contact {
        id: Id::now_v7(),
        household_id: household,
        resident_id: resident,
        channel: Channel::HomeVisit,
        place: "Dorpsstraat 3".into(),
        worker: "Carla".into(),
        started_at: datetime!(2026-12-01 14:00 +1),
        ended_at: None,
        quick_scan_id: Id::now_v7(),
        told_notice: None,
        signal: Some(gp.id),
    };
    // Another team's signal named by a contact is left alone.
    let (status, _) = post(
        &app,
        &other_team,
        &[signal(
            Source::School,
            "Basisschool",
            "",
            "Kind komt vaak te laat.",
        )],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let theirs: Id = sqlx::query_scalar("SELECT id FROM outside_signal WHERE team_id = 'zuid'")
        .fetch_one(&pool)
        .await
        .unwrap();
    let mut stray = contact.clone();
    stray.id = Id::now_v7();
    stray.signal = Some(theirs);
    push_ok(
        &app,
        &consultant,
        device,
        vec![
            common::new_household(device, 1, household, "Huishouden Jansen"),
            common::change(
                device,
                2,
                RecordType::Contact,
                contact.id,
                Operation::Create,
                0,
                serde_json::to_value(&contact).unwrap(),
            ),
            common::change(
                device,
                3,
                RecordType::Contact,
                stray.id,
                Operation::Create,
                0,
                serde_json::to_value(&stray).unwrap(),
            ),
        ],
    )
    .await;
    let list = inbox(&app, &coordinator).await;
    let gp_now = list
        .iter()
        .find(|s| s["signal"]["id"] == json!(gp.id))
        .unwrap();
    assert_eq!(
        gp_now["settlement"],
        json!({"kind": "became_question", "household_id": household, "household_name": "Huishouden Jansen"})
    );
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM outside_signal WHERE team_id = 'zuid' AND status = 'open'"
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM audit_event WHERE action = 'signal_became_question'"
        )
        .await,
        1
    );

    // The neighbour's is closed with a reason; "other" needs words; closing twice is refused.
    let close = |id: Id, body: Value| {
        let app = app.clone();
        let session = coordinator.clone();
        async move {
            send(
                &app,
                "POST",
                &format!("/api/signals/{id}/close"),
                &session,
                Some(body.to_string()),
            )
            .await
        }
    };
    let (status, body) = close(neighbour.id, json!({"reason": "other", "note": " "})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, _) = close(neighbour.id, json!({"reason": "no_concern"})).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = close(neighbour.id, json!({"reason": "no_concern"})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(
        body["error"].as_str().unwrap().contains("al afgehandeld"),
        "{body}"
    );
    let (status, _) = close(theirs, json!({"reason": "no_concern"})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The GP is told once; the anonymous neighbour cannot be; the police gave no way back.
    let tell = |id: Id| {
        let app = app.clone();
        let session = front_office.clone();
        async move {
            send(
                &app,
                "POST",
                &format!("/api/signals/{id}/reporter-told"),
                &session,
                None,
            )
            .await
        }
    };
    assert_eq!(tell(gp.id).await.0, StatusCode::NO_CONTENT);
    assert_eq!(tell(gp.id).await.0, StatusCode::NO_CONTENT);
    assert_eq!(tell(neighbour.id).await.0, StatusCode::CONFLICT);
    assert_eq!(tell(police.id).await.0, StatusCode::CONFLICT);
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM audit_event WHERE action = 'signal_reporter_told'"
        )
        .await,
        1
    );
    let list = inbox(&app, &consultant).await;
    for s in &list {
        let told = !s["reporter_told_on"].is_null();
        assert_eq!(told, s["signal"]["id"] == json!(gp.id), "{s}");
    }

    // Figures: the week of 30 November holds the GP's (a question), the neighbour's (closed);
    // the police's came on 29 November, outside it.
    let (status, figures) = send(
        &app,
        "GET",
        "/api/figures?from=2026-11-30&to=2026-12-06",
        &coordinator,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{figures}");
    assert_eq!(
        figures["signals_per_source"],
        json!([
            {"source": "gp", "open": 0, "became_question": 1, "closed": 0},
            {"source": "neighbour", "open": 0, "became_question": 0, "closed": 1}
        ])
    );
    let (status, body) = send(
        &app,
        "GET",
        "/api/figures/csv/signalen-per-bron?from=2026-11-01&to=2026-12-06",
        &coordinator,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let text = body.as_str().unwrap_or_default().to_owned();
    assert!(
        text.contains("Huisarts") && text.contains("Politie"),
        "{text}"
    );

    // Retention: a closed signal goes after its period (a dry run counts, removes nothing);
    // the one that became a question stays with its household.
    sqlx::query(
        "UPDATE outside_signal SET settled_at = now() - interval '6 years' WHERE status <> 'open'",
    )
    .execute(&pool)
    .await
    .unwrap();
    let dry = server::retention::run(&pool, Default::default(), true)
        .await
        .unwrap();
    assert_eq!(dry.signals, 1);
    assert_eq!(count(&pool, "SELECT count(*) FROM outside_signal").await, 4);
    let removed = server::retention::run(&pool, Default::default(), false)
        .await
        .unwrap();
    assert_eq!(removed.signals, 1);
    assert_eq!(
        count(
            &pool,
            &format!(
                "SELECT count(*) FROM outside_signal WHERE id = '{}'",
                neighbour.id
            )
        )
        .await,
        0
    );
    assert_eq!(count(&pool, "SELECT count(*) FROM outside_signal").await, 3);
}
