//! Sync figures on this machine (run through `bench/sync`, which starts its own PostgreSQL):
//! pushing 10,000 queued changes end to end, pulling a page from a log of 10k and of 1M rows
//! (with the query plan), requests per second under load on loopback, and how long a device
//! takes to apply 10,000 pulled changes.

mod support;

use app::store::{kv::MemoryKv, Store};
use axum::body::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use hyper_util::rt::TokioIo;
use leptos::prelude::LeptosOptions;
use shared::model::{Household, Id, Role};
use shared::sync::{PullResponse, PushRequest, PushResponse, MAX_PUSH_BATCH, PROTOCOL_VERSION};
use sqlx::PgPool;
use std::time::{Duration, Instant};

#[tokio::main]
async fn main() {
    let url = std::env::var("DATABASE_URL").expect("DATABASE_URL (bench/sync sets it)");
    let pool = server::db::connect(&url).await.unwrap();
    server::db::migrate(&pool).await.unwrap();
    server::commands::seed_demo(&pool).await.unwrap();
    let site = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(site.path().join("pkg")).unwrap();
    let options = LeptosOptions::builder()
        .output_name("keukentafel")
        .site_root(site.path().to_string_lossy().to_string())
        .site_pkg_dir("pkg")
        .build();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let router = server::app(server::AppState::new(options, pool.clone()));
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });

    let token = support::worker_session(&pool, "wijkteam", Role::Coordinator, "Bench").await;
    SESSION.set(token).unwrap();
    let device = push_10k(address).await;
    apply_10k(address).await;
    drop(device);
    pull_pages(&pool, address).await;
    load(address).await;
}

static SESSION: std::sync::OnceLock<String> = std::sync::OnceLock::new();

fn session() -> &'static str {
    SESSION.get().map(String::as_str).unwrap_or_default()
}

/// A request in the session "cookie:unlock": the cookie and the unlock proof header.
fn in_session(
    builder: hyper::http::request::Builder,
    session: &str,
) -> hyper::http::request::Builder {
    let (cookie, unlock) = session.split_once(':').unwrap_or((session, ""));
    builder
        .header("cookie", format!("kt_session={cookie}"))
        .header(shared::sync::UNLOCK_HEADER, unlock)
}

/// One keep-alive HTTP/1.1 connection to the server.
async fn connect(address: std::net::SocketAddr) -> SendRequest<Full<Bytes>> {
    let stream = tokio::net::TcpStream::connect(address).await.unwrap();
    stream.set_nodelay(true).unwrap();
    let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .unwrap();
    tokio::spawn(connection);
    sender
}

async fn call(
    sender: &mut SendRequest<Full<Bytes>>,
    method: &str,
    uri: &str,
    body: Option<String>,
) -> (u16, Bytes) {
    sender.ready().await.unwrap();
    let request = in_session(hyper::Request::builder(), session())
        .method(method)
        .uri(uri)
        .header("host", "bench")
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(body.unwrap_or_default())))
        .unwrap();
    let response = sender.send_request(request).await.unwrap();
    let status = response.status().as_u16();
    (
        status,
        response.into_body().collect().await.unwrap().to_bytes(),
    )
}

/// 10,000 changes queued offline (500 new households, then 9,500 edits), pushed in batches.
async fn push_10k(address: std::net::SocketAddr) -> Store<MemoryKv> {
    let store = Store::open(MemoryKv::default(), Id::now_v7).unwrap();
    let mut homes: Vec<Household> = (0..500)
        .map(|i| Household::for_resident(Id::now_v7(), Id::now_v7(), &format!("Bench {i}")))
        .collect();
    for home in &homes {
        store.put(home).unwrap();
    }
    for i in 0..9_500 {
        let home = &mut homes[i % 500];
        home.name = format!("Huishouden bench {i}");
        store.put(home).unwrap();
    }
    assert_eq!(store.outbox_len(), 10_000);
    let device_id = store.device().unwrap().id;
    let mut sender = connect(address).await;
    let started = Instant::now();
    let mut pushes = 0;
    // Time on the wire and in the server, apart from the device's own work.
    let mut server = Duration::ZERO;
    loop {
        let changes = store.begin_push(MAX_PUSH_BATCH).unwrap();
        if changes.is_empty() {
            break;
        }
        let request = PushRequest {
            device_id,
            protocol_version: PROTOCOL_VERSION,
            changes,
        };
        let body = serde_json::to_string(&request).unwrap();
        let asked = Instant::now();
        let (status, bytes) = call(&mut sender, "POST", "/api/sync/push", Some(body)).await;
        server += asked.elapsed();
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&bytes));
        let response: PushResponse = serde_json::from_slice(&bytes).unwrap();
        store.settle(&response, &request.changes).unwrap();
        pushes += 1;
    }
    let took = started.elapsed();
    println!(
        "push: 10,000 queued changes in {pushes} pushes of {MAX_PUSH_BATCH}: {:.2} s, {:.0} changes/s (requests {:.2} s, the device's own work {:.2} s)",
        took.as_secs_f64(),
        10_000.0 / took.as_secs_f64(),
        server.as_secs_f64(),
        (took - server).as_secs_f64()
    );
    store
}

/// A fresh device pulls the team's log and applies it.
async fn apply_10k(address: std::net::SocketAddr) {
    let store = Store::open(MemoryKv::default(), Id::now_v7).unwrap();
    let device_id = store.device().unwrap().id;
    let mut sender = connect(address).await;
    let mut pages = Vec::new();
    let started = Instant::now();
    let mut cursor = 0;
    loop {
        let uri = format!("/api/sync/pull?device_id={device_id}&cursor={cursor}");
        let (status, bytes) = call(&mut sender, "GET", &uri, None).await;
        assert_eq!(status, 200);
        let page: PullResponse = serde_json::from_slice(&bytes).unwrap();
        cursor = page.cursor;
        let more = page.more;
        pages.push(page);
        if !more {
            break;
        }
    }
    let fetched = started.elapsed();
    let entries: usize = pages.iter().map(|p| p.entries.len()).sum();
    let started = Instant::now();
    for page in &pages {
        store.apply_pull(page).unwrap();
    }
    let applied = started.elapsed();
    println!(
        "pull: {entries} log entries in {} pages fetched in {:.2} s; applied to the device store in {:.2} s ({:.0} entries/s, in-memory store)",
        pages.len(),
        fetched.as_secs_f64(),
        applied.as_secs_f64(),
        entries as f64 / applied.as_secs_f64()
    );
}

/// Two teams' logs of 10k and 1M rows; a page of 100 from the middle of each.
async fn pull_pages(pool: &PgPool, address: std::net::SocketAddr) {
    for (team, rows) in [("bench-10k", 10_000i64), ("bench-1m", 1_000_000)] {
        let started = Instant::now();
        sqlx::query(
            "INSERT INTO team (id, name, municipality_id) VALUES ($1, $1, 'lindeveen')
             ON CONFLICT DO NOTHING",
        )
        .bind(team)
        .execute(pool)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO scope_counter (team_id, last_position) VALUES ($1, $2)
             ON CONFLICT (team_id) DO UPDATE SET last_position = $2",
        )
        .bind(team)
        .bind(rows)
        .execute(pool)
        .await
        .unwrap();
        let household = Id::now_v7();
        sqlx::query(
            "INSERT INTO change_log (team_id, position, kind, household_id, record_id, device_id, device_seq, body)
             SELECT $1, p, 'record', $2, $2, $2, p,
                    jsonb_build_object('kind', 'record', 'record_type', 'household', 'record_id', $2::text,
                        'household_id', $2::text, 'version', p, 'deleted', false,
                        'fields', jsonb_build_object('id', $2::text, 'name', 'Huishouden ' || p, 'members', '[]'::jsonb))
             FROM generate_series(1, $3::bigint) AS p ON CONFLICT DO NOTHING",
        )
        .bind(team)
        .bind(household)
        .bind(rows)
        .execute(pool)
        .await
        .unwrap();
        sqlx::query("ANALYZE change_log")
            .execute(pool)
            .await
            .unwrap();
        let filled = started.elapsed();
        let plan: Vec<String> = sqlx::query_scalar(
            "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF)
             SELECT position, body FROM change_log WHERE team_id = $1 AND position > $2 ORDER BY position LIMIT 101",
        )
        .bind(team)
        .bind(rows / 2)
        .fetch_all(pool)
        .await
        .unwrap();
        let device = Id::now_v7();
        let token = support::worker_session(pool, team, Role::Coordinator, "Bench").await;
        let mut sender = connect(address).await;
        let mut times = Vec::new();
        for i in 0..200 {
            let cursor = (rows / 200) * i;
            let uri = format!("/api/sync/pull?device_id={device}&cursor={cursor}&limit=100");
            let started = Instant::now();
            let (status, _) = call_as(&mut sender, &uri, &token).await;
            times.push(started.elapsed());
            assert_eq!(status, 200);
        }
        times.sort();
        println!(
            "pull 100 from a log of {rows} rows (filled in {:.1} s): p50 {:.2} ms, p99 {:.2} ms over 200 pulls; plan: {}",
            filled.as_secs_f64(),
            ms(times[100]),
            ms(times[197]),
            plan.join(" / ")
        );
    }
}

async fn call_as(sender: &mut SendRequest<Full<Bytes>>, uri: &str, token: &str) -> (u16, Bytes) {
    sender.ready().await.unwrap();
    let request = in_session(hyper::Request::builder(), token)
        .uri(uri)
        .header("host", "bench")
        .body(Full::new(Bytes::new()))
        .unwrap();
    let response = sender.send_request(request).await.unwrap();
    let status = response.status().as_u16();
    (
        status,
        response.into_body().collect().await.unwrap().to_bytes(),
    )
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// 16 connections for 10 s: half push one small change per request (each its own device), half
/// pull a page of 100.
async fn load(address: std::net::SocketAddr) {
    const CONNECTIONS: usize = 16;
    let until = Instant::now() + Duration::from_secs(10);
    let mut tasks = Vec::new();
    for n in 0..CONNECTIONS {
        tasks.push(tokio::spawn(async move {
            let mut sender = connect(address).await;
            let store = Store::open(MemoryKv::default(), Id::now_v7).unwrap();
            let device_id = store.device().unwrap().id;
            let mut home = Household::for_resident(Id::now_v7(), Id::now_v7(), "Load");
            let mut times = Vec::new();
            let pushing = n % 2 == 0;
            let mut i = 0;
            while Instant::now() < until {
                i += 1;
                let started = Instant::now();
                if pushing {
                    home.name = format!("Huishouden load {i}");
                    store.put(&home).unwrap();
                    let changes = store.begin_push(MAX_PUSH_BATCH).unwrap();
                    let request = PushRequest {
                        device_id,
                        protocol_version: PROTOCOL_VERSION,
                        changes,
                    };
                    let body = serde_json::to_string(&request).unwrap();
                    let (status, bytes) =
                        call(&mut sender, "POST", "/api/sync/push", Some(body)).await;
                    assert_eq!(status, 200);
                    let response: PushResponse = serde_json::from_slice(&bytes).unwrap();
                    store.settle(&response, &request.changes).unwrap();
                } else {
                    let uri = format!(
                        "/api/sync/pull?device_id={device_id}&cursor={}&limit=100",
                        (i * 37) % 9_000
                    );
                    let (status, _) = call(&mut sender, "GET", &uri, None).await;
                    assert_eq!(status, 200);
                }
                times.push(started.elapsed());
            }
            (pushing, times)
        }));
    }
    let mut push = Vec::new();
    let mut pull = Vec::new();
    for task in tasks {
        let (pushing, times) = task.await.unwrap();
        if pushing {
            push.extend(times)
        } else {
            pull.extend(times)
        }
    }
    for (what, mut times) in [("push (1 change)", push), ("pull (100 entries)", pull)] {
        times.sort();
        let n = times.len();
        println!(
            "load, {CONNECTIONS} connections on loopback for 10 s, {what}: {:.0} requests/s, p50 {:.2} ms, p99 {:.2} ms",
            n as f64 / 10.0,
            ms(times[n / 2]),
            ms(times[n * 99 / 100])
        );
    }
}
