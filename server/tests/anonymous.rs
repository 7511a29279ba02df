//! Issue 16 item 7, in part: an anonymous contact (a quick question where no resident is
//! registered) is stored once however often its device sends it, for the worker's team; one the
//! shared check refuses is named, not stored; the figures count them per channel and what was
//! given, within the period in local days and the team asked for.

mod common;

use axum::http::StatusCode;
use common::{account, add_team, router, send};
use serde_json::{json, Value};
use shared::model::{AnonymousContact, Channel, Given, Id, Role};
use sqlx::PgPool;
use time::macros::datetime;

fn contact(
    channel: Channel,
    given: Given,
    at: time::OffsetDateTime,
    subject: &str,
) -> AnonymousContact {
    AnonymousContact {
        id: Id::now_v7(),
        channel,
        at,
        subject: subject.into(),
        life_domains: vec!["finances".into()],
        given,
    }
}

async fn post(
    app: &axum::Router,
    session: &str,
    contacts: &[AnonymousContact],
) -> (StatusCode, Value) {
    let body = serde_json::to_string(contacts).unwrap();
    send(app, "POST", "/api/anonymous-contacts", session, Some(body)).await
}

#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn anonymous_contacts_are_stored_once_and_counted_in_the_figures(pool: PgPool) {
    add_team(&pool, "noord").await;
    add_team(&pool, "zuid").await;
    let app = router(pool.clone());
    let (front_office, _) = account(&pool, Role::FrontOffice, Some("noord")).await;
    let (other_team, _) = account(&pool, Role::FrontOffice, Some("zuid")).await;
    let (coordinator, _) = account(&pool, Role::Coordinator, Some("noord")).await;
    let (privacy, _) = account(&pool, Role::PrivacyOfficer, None).await;

    // 1 December 2026, 00:30 in Amsterdam is 30 November 23:30 UTC: a day of the period.
    let first = contact(
        Channel::Phone,
        Given::PracticalSupport,
        datetime!(2026-11-30 23:30 UTC),
        "Hulp bij formulier huurtoeslag",
    );
    let second = contact(
        Channel::Phone,
        Given::PracticalSupport,
        datetime!(2026-12-01 10:00 +1),
        "Formulier bijzondere bijstand",
    );
    let third = contact(
        Channel::Post,
        Given::Information,
        datetime!(2026-12-02 10:00 +1),
        "Brief over de afvalpas",
    );
    let outside = contact(
        Channel::Phone,
        Given::Advice,
        datetime!(2026-11-30 22:30 UTC),
        "Vraag van gisteren",
    );
    let mut refused = contact(
        Channel::Desk,
        Given::Advice,
        datetime!(2026-12-01 11:00 +1),
        " ",
    );
    refused.life_domains.clear();

    let all = [
        first.clone(),
        second.clone(),
        third.clone(),
        outside.clone(),
        refused.clone(),
    ];
    let (status, receipt) = post(&app, &front_office, &all).await;
    assert_eq!(status, StatusCode::OK, "{receipt}");
    assert_eq!(receipt["stored"].as_array().unwrap().len(), 4);
    assert_eq!(receipt["refused"][0][0], json!(refused.id));
    assert!(
        receipt["refused"][0][1]
            .as_str()
            .unwrap()
            .contains("paar woorden"),
        "{receipt}"
    );
    // The answer was lost: the device sends them again; still stored once.
    let (status, again) = post(&app, &front_office, &all[..4]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again["stored"].as_array().unwrap().len(), 4);
    let stored: i64 =
        sqlx::query_scalar("SELECT count(*) FROM anonymous_contact WHERE team_id = 'noord'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(stored, 4);
    let audited: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_event WHERE action = 'anonymous_contacts_recorded'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(audited, 1, "the replay stored nothing new");
    // Another team's contact does not count for this team.
    let (status, _) = post(
        &app,
        &other_team,
        &[contact(
            Channel::Phone,
            Given::Advice,
            datetime!(2026-12-01 12:00 +1),
            "Elders",
        )],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    // A role that records no contacts is refused.
    let (status, _) = post(
        &app,
        &privacy,
        &[contact(
            Channel::Phone,
            Given::Advice,
            datetime!(2026-12-01 12:00 +1),
            "x",
        )],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let (status, figures) = send(
        &app,
        "GET",
        "/api/figures?from=2026-12-01&to=2026-12-07",
        &coordinator,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{figures}");
    assert_eq!(
        figures["contacts_without_resident"],
        json!([
            {"channel": "phone", "given": "practical_support", "count": 2},
            {"channel": "post", "given": "information", "count": 1}
        ])
    );
    let (status, body) = send(
        &app,
        "GET",
        "/api/figures/csv/contacten-zonder-inwoner?from=2026-12-01&to=2026-12-07",
        &coordinator,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let text = body.as_str().unwrap_or_default().to_owned();
    assert!(
        text.contains("Telefoon") && text.contains("Praktische ondersteuning"),
        "{body}"
    );

    // Retention: an anonymous contact goes once the no-support period has passed.
    sqlx::query("UPDATE anonymous_contact SET at = now() - interval '6 years' WHERE id = $1")
        .bind(third.id)
        .execute(&pool)
        .await
        .unwrap();
    let removed = server::retention::run(&pool, Default::default(), false)
        .await
        .unwrap();
    assert_eq!(removed.anonymous_contacts, 1);
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM anonymous_contact WHERE id = $1")
        .bind(third.id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(left, 0);
}
