//! The HTTP surface, driven through `app()` without a socket; each test gets a fresh database.

use axum::{
    body::Body,
    http::{header, Request, StatusCode},
    Router,
};
use http_body_util::BodyExt;
use leptos::prelude::LeptosOptions;
use server::{app, AppState};
use sqlx::{postgres::PgPoolOptions, PgPool};
use tower::ServiceExt;

fn options(site_root: &std::path::Path) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("keukentafel")
        .site_root(site_root.to_string_lossy().to_string())
        .site_pkg_dir("pkg")
        .build()
}

/// A site root with stand-in assets, so the asset version is known to the test.
fn site_root() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("pkg")).unwrap();
    std::fs::write(dir.path().join("pkg/keukentafel.css"), "body{}").unwrap();
    std::fs::write(dir.path().join("pkg/keukentafel.js"), "export default 1").unwrap();
    dir
}

async fn get(router: Router, uri: &str) -> (StatusCode, axum::http::HeaderMap, String) {
    let response = router
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        headers,
        String::from_utf8_lossy(&bytes).into_owned(),
    )
}

#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn healthz_is_ok_when_the_database_answers(pool: PgPool) {
    let root = site_root();
    let (status, _, body) = get(app(AppState::new(options(root.path()), pool)), "/healthz").await;
    assert_eq!(status, StatusCode::OK);
    let report: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(report["status"], "up");
    assert_eq!(report["database"], "up");
}

#[tokio::test]
async fn healthz_is_503_when_the_database_does_not_answer() {
    // Nothing listens on port 1: the pool cannot connect.
    let pool = PgPoolOptions::new()
        .acquire_timeout(std::time::Duration::from_millis(500))
        .connect_lazy("postgres://postgres@127.0.0.1:1/none")
        .unwrap();
    let root = site_root();
    let (status, _, body) = get(app(AppState::new(options(root.path()), pool)), "/healthz").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    let report: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(report["status"], "down");
    assert_eq!(report["database"], "down");
}

#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn migrations_ran(pool: PgPool) {
    let created_by: String = sqlx::query_scalar("SELECT created_by FROM installation")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(created_by, "keukentafel");
}

#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn service_worker_carries_the_asset_version_and_is_never_cached(pool: PgPool) {
    let root = site_root();
    let state = AppState::new(options(root.path()), pool);
    let version = state.assets.current().0;
    let (status, headers, script) = get(app(state.clone()), "/sw.js").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CACHE_CONTROL], "no-cache");
    assert!(headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/javascript"));
    assert!(
        script.contains(&format!("const VERSION = '{version}'")),
        "{script}"
    );
    assert!(script.contains(&format!("\"/pkg/{version}/keukentafel.wasm\"")));
    assert!(!script.contains("__PRECACHE__"));

    // A deploy changes an asset: the script's bytes change, so browsers see an update.
    std::fs::write(root.path().join("pkg/keukentafel.css"), "body{color:black}").unwrap();
    let (_, _, updated) = get(app(state), "/sw.js").await;
    assert_ne!(script, updated);
}

#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn client_shell_mounts_on_the_client_and_names_its_assets(pool: PgPool) {
    let root = site_root();
    let state = AppState::new(options(root.path()), pool);
    let version = state.assets.current().0;
    let (status, _, html) = get(app(state), "/shell").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(r#"<html lang="nl""#), "{html}");
    assert!(html.contains(r#"data-mount="client""#), "{html}");
    assert!(
        html.contains(&format!("/pkg/{version}/keukentafel.js")),
        "{html}"
    );
    assert!(html.contains(r#"rel="manifest""#), "{html}");
    // No route content: the app mounts whatever route the browser is on.
    assert!(!html.contains("Contacten van vandaag"), "{html}");
}

#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn pages_render_on_the_server_in_dutch(pool: PgPool) {
    let root = site_root();
    let (status, _, html) = get(app(AppState::new(options(root.path()), pool)), "/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(r#"<html lang="nl""#), "{html}");
    assert!(html.contains("Contacten van vandaag"), "{html}");
}

#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn an_unknown_page_is_a_404_in_words(pool: PgPool) {
    let root = site_root();
    let (status, _, html) = get(
        app(AppState::new(options(root.path()), pool)),
        "/bestaat-niet",
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("Deze pagina bestaat niet"), "{html}");
}
