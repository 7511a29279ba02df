//! The team's caseload, assigning the one coordinator, and warm handovers (consent, context,
//! picked up or not).

mod common;

use axum::http::StatusCode;
use common::{account, add_team, router, send};
use serde_json::{json, Value};
use shared::model::{Id, Role};
use sqlx::PgPool;
use time::macros::date;

async fn household(pool: &PgPool, team: &str, n: u128, name: &str) -> Id {
    let id = Id::from_u128(0x1000 + n);
    sqlx::query("INSERT INTO household (id, team_id, version, fields, field_versions) VALUES ($1, $2, 1, $3, '{}')")
        .bind(id)
        .bind(team)
        .bind(json!({"id": id, "name": name, "members": []}))
        .execute(pool)
        .await
        .unwrap();
    id
}

async fn record(pool: &PgPool, table: &str, household: Id, fields: Value) {
    let sql = format!(
        "INSERT INTO {table} (id, household_id, version, fields, field_versions) VALUES ($1, $2, 1, $3, '{{}}')"
    );
    sqlx::query(&sql)
        .bind(Id::now_v7())
        .bind(household)
        .bind(fields)
        .execute(pool)
        .await
        .unwrap();
}

fn date_json(d: time::Date) -> Value {
    serde_json::to_value(d).unwrap()
}

#[sqlx::test(migrations = "./migrations", fixtures("../demo/lindeveen.sql"))]
async fn the_caseload_shows_the_team_with_questions_dates_and_the_legal_clock(pool: PgPool) {
    add_team(&pool, "noord").await;
    let (coordinator, _) = account(&pool, Role::Coordinator, Some("wijkteam")).await;
    let (consultant, _) = account(&pool, Role::Consultant, Some("wijkteam")).await;
    let jansen = household(&pool, "wijkteam", 1, "Huishouden Jansen").await;
    let bakker = household(&pool, "wijkteam", 2, "Huishouden Bakker").await;
    household(&pool, "noord", 3, "Huishouden Noord").await;
    for (words, status, next) in [
        ("Ik red het niet", "open", date!(2026 - 12 - 01)),
        ("Al geregeld", "closed", date!(2026 - 11 - 01)),
        ("Ook dit", "open", date!(2026 - 11 - 25)),
    ] {
        record(&pool, "question", jansen, json!({"own_words": words, "status": status, "next_date": date_json(next), "life_domains": []})).await;
    }
    // A melding of a year ago: its investigation deadline passed long ago.
    let melding = time::OffsetDateTime::now_utc().date() - time::Duration::days(365);
    record(
        &pool,
        "notification",
        bakker,
        json!({"clock": {"notification_date": date_json(melding)}}),
    )
    .await;

    let app = router(pool.clone());
    let (status, rows) = send(&app, "GET", "/api/caseload", &coordinator, None).await;
    assert_eq!(status, StatusCode::OK, "{rows}");
    let rows = rows.as_array().unwrap();
    assert_eq!(
        rows.len(),
        2,
        "the other team's household is not on this caseload"
    );
    // The running clock first.
    assert_eq!(rows[0]["name"], "Huishouden Bakker");
    assert_eq!(
        rows[0]["deadline"]["label"],
        "Persoonlijk plan van de inwoner"
    );
    assert!(rows[0]["deadline"]["days_left"].as_i64().unwrap() < 0);
    assert_eq!(rows[1]["open_questions"], 2);
    assert_eq!(rows[1]["next_date"], "2026-11-25");
    assert_eq!(rows[1]["coordinator_id"], Value::Null);

    let (_, found) = send(&app, "GET", "/api/caseload?q=jans", &coordinator, None).await;
    assert_eq!(found.as_array().unwrap().len(), 1);
    assert_eq!(
        send(&app, "GET", "/api/caseload", &consultant, None)
            .await
            .0,
        StatusCode::FORBIDDEN
    );
}

#[sqlx::test(migrations = "./migrations", fixtures("../demo/lindeveen.sql"))]
async fn the_coordinator_assigns_one_coordinator_of_the_team(pool: PgPool) {
    add_team(&pool, "noord").await;
    let (coordinator, _) = account(&pool, Role::Coordinator, Some("wijkteam")).await;
    let (_, consultant) = account(&pool, Role::Consultant, Some("wijkteam")).await;
    let (_, front_office) = account(&pool, Role::FrontOffice, Some("wijkteam")).await;
    let (_, elsewhere) = account(&pool, Role::Consultant, Some("noord")).await;
    let jansen = household(&pool, "wijkteam", 1, "Huishouden Jansen").await;
    let app = router(pool.clone());
    let assign = |account: Id| Some(json!({ "account_id": account }).to_string());
    let uri = format!("/api/households/{jansen}/coordinator");

    for refused in [front_office, elsewhere] {
        let (status, body) = send(&app, "PUT", &uri, &coordinator, assign(refused)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body["error"].as_str().unwrap().contains("Regisseur"));
    }
    let (status, _) = send(
        &app,
        "PUT",
        &format!("/api/households/{}/coordinator", Id::from_u128(9)),
        &coordinator,
        assign(consultant),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = send(
        &app,
        "PUT",
        &uri,
        &coordinator,
        Some("{\"account_id\": 12}".into()),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    assert_eq!(
        send(&app, "PUT", &uri, &coordinator, assign(consultant))
            .await
            .0,
        StatusCode::NO_CONTENT
    );
    let (_, rows) = send(&app, "GET", "/api/caseload", &coordinator, None).await;
    assert_eq!(rows[0]["coordinator_id"], json!(consultant));
    // The consultant now receives the household on their devices.
    let added: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM household_worker WHERE household_id = $1 AND account_id = $2)")
        .bind(jansen)
        .bind(consultant)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(added);
    let logged: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_event WHERE action = 'coordinator_assigned' AND household_id = $1")
        .bind(jansen)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(logged, 1);
}

#[sqlx::test(migrations = "./migrations", fixtures("../demo/lindeveen.sql"))]
async fn a_warm_handover_needs_consent_carries_the_context_and_shows_when_picked_up(pool: PgPool) {
    let (coordinator, _) = account(&pool, Role::Coordinator, Some("wijkteam")).await;
    let (colleague_session, colleague) = account(&pool, Role::Consultant, Some("wijkteam")).await;
    let (other_session, _) = account(&pool, Role::Consultant, Some("wijkteam")).await;
    let jansen = household(&pool, "wijkteam", 1, "Huishouden Jansen").await;
    let resident = Id::now_v7();
    record(
        &pool,
        "question",
        jansen,
        json!({"own_words": "Ik kom niet rond", "status": "open", "life_domains": ["finances"]}),
    )
    .await;
    let app = router(pool.clone());
    let uri = format!("/api/households/{jansen}/handovers");
    let to_partner = |legal_ground: &str| {
        Some(json!({"to_partner": "schuldhulp-lindeveen", "note": "Achterstand huur, wil hulp", "legal_ground": legal_ground}).to_string())
    };

    // No consent: refused in words, nothing stored.
    let (status, body) = send(&app, "POST", &uri, &coordinator, to_partner("")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["error"].as_str().unwrap().contains("toestemming"));
    let (status, _) = send(
        &app,
        "POST",
        &uri,
        &coordinator,
        Some(json!({"to_partner": "bestaat-niet", "note": "x"}).to_string()),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = send(
        &app,
        "POST",
        &uri,
        &coordinator,
        Some(json!({"note": "aan niemand"}).to_string()),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM handover")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(stored, 0);

    // With the resident's consent for this partner and purpose: handed over with the context.
    record(&pool, "consent", jansen, json!({"id": Id::now_v7(), "household_id": jansen, "resident_id": resident, "partner_id": "schuldhulp-lindeveen", "purpose": "warme overdracht", "form": "spoken", "given_on": date_json(date!(2026 - 01 - 01)), "withdrawn_on": null})).await;
    let (status, handover) = send(&app, "POST", &uri, &coordinator, to_partner("")).await;
    assert_eq!(status, StatusCode::CREATED, "{handover}");
    assert_eq!(handover["to"], "Schuldhulpverlening Lindeveen");
    assert_eq!(
        handover["context"]["open_questions"],
        json!(["Ik kom niet rond"])
    );
    assert_eq!(handover["picked_up_at"], Value::Null);

    // The partner confirmed: the coordinator records the pick-up; the caseload shows it.
    let pick_up = format!(
        "/api/handovers/{}/pick-up",
        handover["id"].as_str().unwrap()
    );
    assert_eq!(
        send(&app, "POST", &pick_up, &other_session, None).await.0,
        StatusCode::NOT_FOUND
    );
    let (status, picked) = send(&app, "POST", &pick_up, &coordinator, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(picked["picked_up_at"].is_string());
    let (_, rows) = send(&app, "GET", "/api/caseload", &coordinator, None).await;
    assert!(rows[0]["last_handover"]["picked_up_at"].is_string());

    // To a colleague: they are added to the household and see it waiting until they pick it up.
    let (status, to_colleague) = send(
        &app,
        "POST",
        &uri,
        &coordinator,
        Some(json!({"to_account": colleague, "note": "Neem jij het gesprek?"}).to_string()),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, waiting) = send(
        &app,
        "GET",
        "/api/handovers/waiting",
        &colleague_session,
        None,
    )
    .await;
    assert_eq!(waiting.as_array().unwrap().len(), 1);
    assert_eq!(waiting[0]["note"], "Neem jij het gesprek?");
    let pick_up = format!(
        "/api/handovers/{}/pick-up",
        to_colleague["id"].as_str().unwrap()
    );
    assert_eq!(
        send(&app, "POST", &pick_up, &coordinator, None).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        send(&app, "POST", &pick_up, &colleague_session, None)
            .await
            .0,
        StatusCode::OK
    );
    let (_, waiting) = send(
        &app,
        "GET",
        "/api/handovers/waiting",
        &colleague_session,
        None,
    )
    .await;
    assert!(waiting.as_array().unwrap().is_empty());
    let (_, history) = send(&app, "GET", &uri, &colleague_session, None).await;
    assert_eq!(history.as_array().unwrap().len(), 2);

    // A legal ground instead of consent (consent withdrawn does not matter then).
    let (status, _) = send(&app, "POST", &uri, &coordinator, Some(json!({"to_partner": "jeugd-en-gezin", "note": "Zorgen om de kinderen", "legal_ground": "Meldcode huiselijk geweld"}).to_string())).await;
    assert_eq!(status, StatusCode::CREATED);
}

/// Issue 16 item 1: every worker of the team gets its roster (to hand work to a colleague
/// offline); a role without a team, or another team's, does not see it.
#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn the_roster_names_the_teams_active_workers_for_every_worker_of_it(pool: PgPool) {
    let app = router(pool.clone());
    let (front, front_id) = account(&pool, Role::FrontOffice, Some("wijkteam")).await;
    let (_, consultant_id) = account(&pool, Role::Consultant, Some("wijkteam")).await;
    let (admin, _) = account(&pool, Role::Administrator, None).await;
    add_team(&pool, "elders").await;
    let (_, elsewhere) = account(&pool, Role::Consultant, Some("elders")).await;
    let (status, roster) = send(&app, "GET", "/api/team/roster", &front, None).await;
    assert_eq!(status, StatusCode::OK, "{roster}");
    assert_eq!(roster["team_name"], "Wijkteam");
    let ids: Vec<&str> = roster["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["account_id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&front_id.to_string().as_str()));
    assert!(ids.contains(&consultant_id.to_string().as_str()));
    assert!(!ids.contains(&elsewhere.to_string().as_str()));
    let (status, _) = send(&app, "GET", "/api/team/roster", &admin, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
