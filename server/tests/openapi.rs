//! The OpenAPI description (issue 18 item 3) matches the routes both ways: every operation it
//! describes is served (an unknown route would fall through to the page fallback, an unknown
//! method gives 405), and no `/api` route is added outside it.

mod common;

use common::{router, send};
use serde_json::Value;
use sqlx::PgPool;

fn description() -> Value {
    let (_, description) = server::openapi::router();
    serde_json::to_value(description).unwrap()
}

#[test]
fn it_is_openapi_3_1_describing_only_api_routes_each_with_its_refusals() {
    let d = description();
    assert!(
        d["openapi"].as_str().unwrap().starts_with("3.1"),
        "{}",
        d["openapi"]
    );
    assert_eq!(d["info"]["title"], "Keukentafel");
    let paths = d["paths"].as_object().unwrap();
    assert!(paths.len() >= 50, "only {} paths", paths.len());
    let mut ids = std::collections::HashSet::new();
    for (path, item) in paths {
        assert!(path.starts_with("/api/"), "{path}");
        for (method, operation) in item.as_object().unwrap() {
            let id = operation["operationId"].as_str().unwrap();
            assert!(
                ids.insert(id.to_owned()),
                "operationId {id} twice ({method} {path})"
            );
            let responses = operation["responses"].as_object().unwrap();
            for code in ["401", "422", "503"] {
                assert!(responses.contains_key(code), "{method} {path} lacks {code}");
            }
            assert!(
                responses.keys().any(|c| c.starts_with('2')),
                "{method} {path} has no success response"
            );
        }
    }
    // Two types of one name would share one schema, the later overwriting the earlier (the
    // questionnaire's `Role` did the account's: found by Schemathesis on the reference data).
    let schemas = d["components"]["schemas"].as_object().unwrap();
    let has = |schema: &str, value: &str| schemas[schema].to_string().contains(value);
    assert!(has("Role", "\"coordinator\"") && !has("Role", "\"own_words\""));
    assert!(has("QuestionRole", "\"own_words\""));
    // The schemas the operations name are all there (a dangling $ref would not validate).
    let text = d.to_string();
    for piece in text.split("\"#/components/schemas/").skip(1) {
        let name = &piece[..piece.find('"').unwrap()];
        assert!(schemas.contains_key(name), "missing schema {name}");
    }
}

/// Every described operation reaches its handler: asked without a session it is refused in
/// the API's JSON error shape (401, or 4xx for the sign-in), never the page fallback (an HTML
/// 404) or a 405.
#[sqlx::test(migrations = "./migrations")]
async fn every_described_operation_is_served(pool: PgPool) {
    let app = router(pool);
    let d = description();
    let mut checked = 0;
    for (path, item) in d["paths"].as_object().unwrap() {
        let uri = path
            .split('/')
            .map(|part| {
                if part.starts_with('{') {
                    "00000000-0000-0000-0000-000000000000"
                } else {
                    part
                }
            })
            .collect::<Vec<_>>()
            .join("/");
        for method in item.as_object().unwrap().keys() {
            let (status, body) = send(&app, &method.to_uppercase(), &uri, "", None).await;
            assert!(status.as_u16() != 405, "{method} {uri}: {status}");
            // Signing out needs no session; everything else is refused, in JSON.
            if !status.is_success() {
                assert!(body["error"].is_string(), "{method} {uri}: {status} {body}");
            }
            checked += 1;
        }
    }
    assert!(checked >= 60, "only {checked} operations");
}

/// The served description is the generated one.
#[sqlx::test(migrations = "./migrations")]
async fn it_is_served_at_api_openapi_json(pool: PgPool) {
    let (status, body) = send(&router(pool), "GET", "/api/openapi.json", "", None).await;
    assert_eq!(status, 200);
    assert_eq!(body, description());
}

/// The other way: a route under `/api` can only be added through `utoipa_axum::routes!`, which
/// describes it. (axum cannot list its routes, so the source is read.)
#[test]
fn no_api_route_is_added_undescribed() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut stack = vec![src];
    let mut found = Vec::new();
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                let flat: String = text.split_whitespace().collect();
                if flat.contains(".route(\"/api") {
                    found.push(path.display().to_string());
                }
            }
        }
    }
    assert!(found.is_empty(), "plain .route(\"/api…\") in {found:?}");
}
