//! Reference data managed in the app: the social map (form and CSV) and template versions,
//! and how devices learn of a change (`/api/reference?since=`).

mod common;

use axum::http::StatusCode;
use common::{account, account_in, add_team_in, router, send};
use serde_json::{json, Value};
use shared::model::Role;
use shared::templates::current_quick_scan;
use sqlx::PgPool;

fn partner(id: &str, domains: &[&str]) -> Value {
    json!({
        "id": id, "name": "Voedselbank Lindeveen", "kind": "Stichting",
        "description": "Voedselpakketten", "life_domains": domains, "area": "hele gemeente",
        "phone": "0341 200 900", "email": "info@voedselbank.example", "address": "Dorpsstraat 1",
        "opening_hours": "di 10.00-12.00", "active": true
    })
}

async fn reference(app: &axum::Router, session: &str, since: Option<i64>) -> (StatusCode, Value) {
    let uri = match since {
        Some(v) => format!("/api/reference?since={v}"),
        None => "/api/reference".into(),
    };
    send(app, "GET", &uri, session, None).await
}

#[sqlx::test(migrations = "./migrations", fixtures("../demo/lindeveen.sql"))]
async fn a_partner_saved_by_the_administrator_reaches_the_devices(pool: PgPool) {
    let (admin, _) = account(&pool, Role::Administrator, None).await;
    let (worker, _) = account(&pool, Role::Consultant, Some("wijkteam")).await;
    let (coordinator, _) = account(&pool, Role::Coordinator, Some("wijkteam")).await;
    add_team_in(&pool, "elders-team", "elders").await;
    let (other_admin, _) = account_in(&pool, Role::Administrator, None, "elders").await;
    let app = router(pool.clone());

    let (status, before) = reference(&app, &worker, None).await;
    assert_eq!(status, StatusCode::OK);
    let version = before["version"].as_i64().unwrap();
    assert_eq!(
        before["partners"].as_array().unwrap().len(),
        8,
        "the seeded sample map"
    );
    assert_eq!(
        reference(&app, &worker, Some(version)).await.0,
        StatusCode::NO_CONTENT
    );

    let uri = "/api/social-map/partners/voedselbank";
    let body = partner("voedselbank", &["finances"]).to_string();
    let (status, _) = send(&app, "PUT", uri, &coordinator, Some(body.clone())).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "only the administrator");
    let bad = partner("voedselbank", &["tuinieren"]).to_string();
    let (status, error) = send(&app, "PUT", uri, &admin, Some(bad)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error["error"], "Onbekend leefgebied: tuinieren.");
    let (status, _) = send(
        &app,
        "PUT",
        "/api/social-map/partners/anders",
        &admin,
        Some(body.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = send(&app, "PUT", uri, &admin, Some("{\"id\": 3".into())).await;
    assert!(status.is_client_error());
    assert_eq!(
        reference(&app, &worker, Some(version)).await.0,
        StatusCode::NO_CONTENT,
        "refusals change nothing"
    );

    let (status, saved) = send(&app, "PUT", uri, &admin, Some(body.clone())).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["saved"], "added");
    assert_eq!(saved["version"], version + 1);
    let (_, again) = send(&app, "PUT", uri, &admin, Some(body)).await;
    assert_eq!(again["saved"], "unchanged");
    assert_eq!(
        again["version"],
        version + 1,
        "an identical save does not make devices fetch"
    );

    let (status, after) = reference(&app, &worker, Some(version)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(after["version"], version + 1);
    let names: Vec<&str> = after["partners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"Voedselbank Lindeveen"));

    let (_, elsewhere) = reference(&app, &other_admin, None).await;
    assert_eq!(
        elsewhere["partners"],
        json!([]),
        "another municipality has its own map"
    );
    let audited: i64 =
        sqlx::query_scalar("SELECT count(*) FROM audit_event WHERE action = 'partner_saved'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(audited, 1);
}

#[sqlx::test(migrations = "./migrations", fixtures("../demo/lindeveen.sql"))]
async fn the_social_map_goes_out_and_back_in_as_csv(pool: PgPool) {
    let (admin, _) = account(&pool, Role::Administrator, None).await;
    let app = router(pool.clone());
    let (status, csv) = send(&app, "GET", "/api/social-map/csv", &admin, None).await;
    assert_eq!(status, StatusCode::OK);
    let csv = csv.as_str().unwrap().to_owned();
    // Dutch Excel's own: `;`-separated, UTF-8 with a byte-order mark.
    assert!(csv.starts_with("\u{feff}code;naam;soort;diensten;leefgebieden;werkgebied;telefoon;e-mail;adres;openingstijden;actief\n"));
    assert_eq!(csv.lines().count(), 9);

    // Unchanged back in: nothing changes.
    let (status, summary) = send(
        &app,
        "POST",
        "/api/social-map/csv",
        &admin,
        Some(csv.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{summary}");
    assert_eq!(
        summary,
        json!({"added": 0, "changed": 0, "unchanged": 8, "version": 1})
    );

    let edited = csv.replace("0341 200 300", "0341 999 999")
        + "voedselbank;Voedselbank;Stichting;Pakketten;\"finances;housing\";Noord;0341;;Dorpsstraat 1;di;ja\n";
    let (status, summary) = send(
        &app,
        "POST",
        "/api/social-map/csv",
        &admin,
        Some(edited.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{summary}");
    assert_eq!(
        summary,
        json!({"added": 1, "changed": 1, "unchanged": 7, "version": 2})
    );
    let (_, exported) = send(&app, "GET", "/api/social-map/csv", &admin, None).await;
    let exported = exported.as_str().unwrap();
    assert!(exported.contains("0341 999 999"));
    assert!(!exported.contains("0341 200 300"));
    assert!(
        exported.contains("voedselbank;Voedselbank;Stichting;Pakketten;\"finances;housing\";Noord")
    );

    // A faulty file: every bad line named, nothing stored.
    let faulty =
        exported.replace("0341 999 999", "0341 111 111") + "Fout;;Soort;;finances;;;;;;ja\n";
    let (status, error) = send(&app, "POST", "/api/social-map/csv", &admin, Some(faulty)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let message = error["error"].as_str().unwrap();
    assert!(message.starts_with("Regel 11: "), "{message}");
    assert!(message.contains("Vul de naam in."), "{message}");
    let (_, unchanged) = send(&app, "GET", "/api/social-map/csv", &admin, None).await;
    assert_eq!(unchanged.as_str().unwrap(), exported);
    let (status, _) = send(
        &app,
        "POST",
        "/api/social-map/csv",
        &admin,
        Some("code,naam\n".into()),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[sqlx::test(migrations = "./migrations", fixtures("../demo/lindeveen.sql"))]
async fn a_template_version_is_published_once_and_never_changed(pool: PgPool) {
    let (admin, _) = account(&pool, Role::Administrator, None).await;
    let (worker, _) = account(&pool, Role::Consultant, Some("wijkteam")).await;
    let app = router(pool.clone());
    let mut template = serde_json::to_value(current_quick_scan()).unwrap();
    let shipped = template["version"].as_str().unwrap().to_owned();

    let (status, error) = send(
        &app,
        "POST",
        "/api/templates/quick_scan",
        &admin,
        Some(template.to_string()),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "the shipped version exists: {error}"
    );
    template["version"] = json!("2027.1");
    template["steps"][0]["questions"][0]["label"] = json!("Wat is er aan de hand, in uw woorden?");
    let (status, _) = send(
        &app,
        "POST",
        "/api/templates/quick_scan",
        &worker,
        Some(template.to_string()),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, error) = send(
        &app,
        "POST",
        "/api/templates/conversation",
        &admin,
        Some(template.to_string()),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a quick scan is no conversation template"
    );
    assert!(error["error"]
        .as_str()
        .unwrap()
        .starts_with("Het sjabloon klopt niet"));
    let (status, _) = send(
        &app,
        "POST",
        "/api/templates/plan",
        &admin,
        Some(template.to_string()),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (status, published) = send(
        &app,
        "POST",
        "/api/templates/quick_scan",
        &admin,
        Some(template.to_string()),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{published}");
    assert_eq!(published["version"], "2027.1");
    let (status, _) = send(
        &app,
        "POST",
        "/api/templates/quick_scan",
        &admin,
        Some(template.to_string()),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);

    let (_, list) = send(&app, "GET", "/api/templates", &admin, None).await;
    let versions: Vec<(&str, &str, bool)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["kind"].as_str().unwrap(),
                t["version"].as_str().unwrap(),
                t["published_at"].is_null(),
            )
        })
        .collect();
    assert!(versions.contains(&("quick_scan", shipped.as_str(), true)));
    assert!(versions.contains(&("quick_scan", "2027.1", false)));

    let (_, data) = reference(&app, &worker, None).await;
    assert_eq!(data["quick_scans"].as_array().unwrap().len(), 1);
    assert_eq!(
        data["quick_scans"][0]["steps"][0]["questions"][0]["label"],
        "Wat is er aan de hand, in uw woorden?"
    );
    let changed = sqlx::query("UPDATE template SET body = '{}'")
        .execute(&pool)
        .await;
    assert!(
        changed.is_err(),
        "the trigger keeps published versions as they are"
    );
}
