//! Issue 14 item 6: the seams made one. Every route on a household asks the one `may_touch`
//! check, runs in one transaction with its audit row, and refuses in Dutch words; downloads go
//! through one CSV helper. Each test here was run against the code before it and failed there.

mod common;

use axum::http::StatusCode;
use common::{account, push_ok, router, send};
use serde_json::json;
use shared::model::{Id, Role};
use shared::sync::{Operation, RecordType};
use sqlx::PgPool;

async fn household(app: &axum::Router, session: &str) -> Id {
    let (device, home) = (Id::now_v7(), Id::now_v7());
    let fields = json!({"id": home, "name": "Huishouden Bos", "members": []});
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

/// Old code: axum's plain-text "Invalid URL: UUID parsing failed…".
#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn a_malformed_address_is_refused_in_words(pool: PgPool) {
    let app = router(pool.clone());
    let (coordinator, _) = account(&pool, Role::Coordinator, Some("wijkteam")).await;
    let body = Some(json!({"basis": "no_support"}).to_string());
    let (status, answer) = send(
        &app,
        "POST",
        "/api/households/geen-nummer/close",
        &coordinator,
        body,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let words = answer["error"].as_str().expect("a JSON error body");
    assert!(words.starts_with("Het adres klopt niet"), "{words}");
}

/// Old code: a closed household could still be handed over (the handover route had its own
/// check, which did not know about closing).
#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn a_closed_household_is_not_handed_over(pool: PgPool) {
    let app = router(pool.clone());
    let (coordinator, _) = account(&pool, Role::Coordinator, Some("wijkteam")).await;
    let (_, colleague) = account(&pool, Role::Consultant, Some("wijkteam")).await;
    let home = household(&app, &coordinator).await;
    let close = Some(json!({"basis": "no_support"}).to_string());
    let uri = format!("/api/households/{home}/close");
    let (status, _) = send(&app, "POST", &uri, &coordinator, close).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let handover = json!({"to_account": colleague, "note": "Graag oppakken", "legal_ground": ""});
    let uri = format!("/api/households/{home}/handovers");
    let (status, answer) = send(&app, "POST", &uri, &coordinator, Some(handover.to_string())).await;
    assert_eq!(status, StatusCode::CONFLICT, "{answer}");
    assert!(answer["error"].as_str().unwrap().contains("afgesloten"));
    let handovers: i64 = sqlx::query_scalar("SELECT count(*) FROM handover")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(handovers, 0);
}

/// Old code: a colleague whose account was disabled (a leaver) could still receive a handover
/// and be made regisseur.
#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn work_does_not_go_to_a_disabled_colleague(pool: PgPool) {
    let app = router(pool.clone());
    let (coordinator, _) = account(&pool, Role::Coordinator, Some("wijkteam")).await;
    let (_, leaver) = account(&pool, Role::Consultant, Some("wijkteam")).await;
    sqlx::query("UPDATE account SET active = false WHERE id = $1")
        .bind(leaver)
        .execute(&pool)
        .await
        .unwrap();
    let home = household(&app, &coordinator).await;
    let handover = json!({"to_account": leaver, "note": "Graag oppakken", "legal_ground": ""});
    let uri = format!("/api/households/{home}/handovers");
    let (status, _) = send(&app, "POST", &uri, &coordinator, Some(handover.to_string())).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let uri = format!("/api/households/{home}/coordinator");
    let body = json!({"account_id": leaver}).to_string();
    let (status, _) = send(&app, "PUT", &uri, &coordinator, Some(body)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let added: i64 =
        sqlx::query_scalar("SELECT count(*) FROM household_worker WHERE account_id = $1")
            .bind(leaver)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(added, 0, "a refused handover adds nobody to the household");
}

/// Old code: the audit export wrote an account's name as typed, so `=1+1` (or a HYPERLINK)
/// ran as a formula in the privacy officer's spreadsheet.
#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn the_audit_export_does_not_run_formulas(pool: PgPool) {
    let app = router(pool.clone());
    let (coordinator, coordinator_id) = account(&pool, Role::Coordinator, Some("wijkteam")).await;
    let (officer, _) = account(&pool, Role::PrivacyOfficer, None).await;
    sqlx::query("UPDATE account SET name = '=1+1' WHERE id = $1")
        .bind(coordinator_id)
        .execute(&pool)
        .await
        .unwrap();
    household(&app, &coordinator).await;
    let (status, csv) = send(&app, "GET", "/api/audit/export", &officer, None).await;
    assert_eq!(status, StatusCode::OK);
    let csv = csv.as_str().unwrap();
    assert!(csv.contains(";'=1+1;"), "{csv}");
    assert!(
        !csv.contains(";=1+1;") && !csv.contains(";\"=1+1\";"),
        "{csv}"
    );
}

/// The kernel's per-field errors: a form with two problems hears both, each with its field.
/// Old code: only the first problem, with no field.
#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn a_form_hears_every_problem_beside_its_field(pool: PgPool) {
    let app = router(pool.clone());
    let (admin, _) = account(&pool, Role::Administrator, None).await;
    let body =
        json!({"email": "geen-adres", "name": " ", "role": "consultant", "team": "wijkteam"});
    let (status, answer) = send(
        &app,
        "POST",
        "/api/accounts",
        &admin,
        Some(body.to_string()),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    let fields: Vec<&str> = answer["fields"]
        .as_array()
        .expect("per-field errors")
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["email", "name"], "{answer}");
}
