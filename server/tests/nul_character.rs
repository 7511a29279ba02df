//! Found by Schemathesis (issue 18 item 3): a NUL character (U+0000) in a text made the database
//! refuse the write and the worker got a 500; in an anonymous contact's life domain that was a
//! 500 at every sync, so the device's one-way queue could never empty. PostgreSQL stores no NUL
//! in text or JSON: a form's request is refused in words (the query string, the path, a JSON
//! body, the social map's CSV); in a device's queued batch only the item holding it is refused,
//! by the shared check, and the rest goes through.

mod common;

use axum::http::StatusCode;
use common::{account, add_team, router, send};
use serde_json::json;
use shared::model::{Id, Role};
use sqlx::PgPool;

#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn a_nul_in_a_request_is_refused_in_words(pool: PgPool) {
    add_team(&pool, "noord").await;
    let app = router(pool.clone());
    let (front_office, _) = account(&pool, Role::FrontOffice, Some("noord")).await;
    let (coordinator, _) = account(&pool, Role::Coordinator, Some("noord")).await;
    let (administrator, _) = account(&pool, Role::Administrator, None).await;

    let lookup = json!({"family_name": "de\u{0}Jong"}).to_string();
    let cases = [
        (
            "a JSON body",
            &front_office,
            "POST",
            "/api/residents/lookup",
            Some(lookup),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "the query string",
            &coordinator,
            "GET",
            "/api/caseload?q=de%00jong",
            None,
            StatusCode::BAD_REQUEST,
        ),
        (
            "the path",
            &administrator,
            "PUT",
            "/api/social-map/partners/buurt%00hulp",
            Some("{}".into()),
            StatusCode::BAD_REQUEST,
        ),
    ];
    for (what, session, method, uri, body, expected) in cases {
        let (status, answer) = send(&app, method, uri, session, body).await;
        assert_eq!(status, expected, "{what}: {answer}");
        assert!(
            answer["error"].as_str().unwrap().contains("nul-teken"),
            "{what}: {answer}"
        );
    }
}

#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn a_nul_in_one_queued_item_refuses_that_item_alone(pool: PgPool) {
    add_team(&pool, "noord").await;
    let app = router(pool.clone());
    let (front_office, _) = account(&pool, Role::FrontOffice, Some("noord")).await;
    let contact = |id: Id, domain: &str| {
        json!({"id": id, "channel": "phone", "at": "2026-12-01T10:00:00Z",
               "subject": "Vraag over huurtoeslag", "life_domains": [domain], "given": "advice"})
    };
    let (bad, good) = (Id::now_v7(), Id::now_v7());
    let batch = json!([contact(bad, "finances\u{0}"), contact(good, "finances")]).to_string();
    let (status, answer) = send(
        &app,
        "POST",
        "/api/anonymous-contacts",
        &front_office,
        Some(batch),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["stored"], json!([good]), "{answer}");
    assert_eq!(answer["refused"][0][0], json!(bad), "{answer}");
    let stored: Vec<Id> = sqlx::query_scalar("SELECT id FROM anonymous_contact")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(stored, vec![good]);
}
