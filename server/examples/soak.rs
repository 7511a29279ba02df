//! Soak with faults (run through `bench/soak`, which starts its own PostgreSQL and builds this
//! in release mode): 50 simulated devices (the app's own store, in memory) type and sync over
//! HTTP at a steady rate for 60 s; a quarter of the way in every server connection to the
//! database is terminated, halfway PostgreSQL is stopped for a few seconds and started again.
//! Afterwards every device drains its queue, and the run counts what a municipality would ask:
//! words lost, changes applied twice, 5xx answers other than 503, how long sync took to recover
//! once the database was back, and whether `/healthz` said 503 while it was down. It exits
//! non-zero when any of these is off.
//!
//! `KT_SOAK_SECONDS` (60), `KT_SOAK_DEVICES` (50) and `KT_SOAK_EDITS_PER_SECOND` (one per
//! device) change the run; `KT_SOAK_PG_STOP` and `KT_SOAK_PG_START` are the shell commands the bench
//! script gives for stopping and starting its PostgreSQL.

mod support;

use app::store::{kv::MemoryKv, Store};
use axum::body::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;
use leptos::prelude::LeptosOptions;
use shared::model::{Household, Id, Role};
use shared::sync::{PullResponse, PushRequest, PushResponse, MAX_PUSH_BATCH, PROTOCOL_VERSION};
use sqlx::PgPool;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::rc::Rc;
use std::time::{Duration, Instant};

const TEAMS: usize = 5;
/// How long the database stays down.
const OUTAGE: Duration = Duration::from_secs(4);
/// Sync must work again this soon after the database is back.
const RECOVERY_LIMIT: Duration = Duration::from_secs(5);

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    // The server's own account of every 5xx, beside the counts.
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::ERROR)
        .with_writer(std::io::stderr)
        .init();
    let url = std::env::var("DATABASE_URL").expect("DATABASE_URL (bench/soak sets it)");
    let seconds = setting("KT_SOAK_SECONDS", 60);
    let devices = setting("KT_SOAK_DEVICES", 50) as usize;
    let rate = setting("KT_SOAK_EDITS_PER_SECOND", 1).max(1);

    // The server on its own threads, as in production; the devices on this one.
    let server = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let (pool, address) = server.block_on(start_server(&url));
    let clients = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let local = tokio::task::LocalSet::new();
    let report = local.block_on(&clients, run(pool, address, seconds, devices, rate));
    println!("{report}");
    if !report.passed() {
        std::process::exit(1);
    }
}

async fn start_server(url: &str) -> (PgPool, SocketAddr) {
    let pool = server::db::connect(url).await.unwrap();
    server::db::migrate(&pool).await.unwrap();
    server::commands::seed_demo(&pool).await.unwrap();
    let site = std::env::temp_dir().join("keukentafel-soak-site");
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    let options = LeptosOptions::builder()
        .output_name("keukentafel")
        .site_root(site.to_string_lossy().to_string())
        .site_pkg_dir("pkg")
        .build();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let router = server::app(server::AppState::new(options, pool.clone()));
    let service = router.into_make_service_with_connect_info::<SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, service).await.unwrap() });
    (pool, address)
}

/// What happened to every request, by second since the start.
#[derive(Default)]
struct Tally {
    statuses: BTreeMap<u16, u64>,
    /// Requests that got no answer at all (connection refused or reset).
    unanswered: u64,
    /// When each answer came, with its status (for the outage and the recovery).
    answers: Vec<(Duration, u16, &'static str)>,
}

type Shared = Rc<RefCell<Tally>>;

struct Report {
    devices: usize,
    seconds: u64,
    words: usize,
    lost: usize,
    applied_twice: i64,
    unsettled: usize,
    statuses: BTreeMap<u16, u64>,
    unanswered: u64,
    outage: (Duration, Duration),
    recovery: Option<Duration>,
    health_during_outage: BTreeMap<u16, u64>,
    pushes_per_second: f64,
}

impl Report {
    fn bad_5xx(&self) -> u64 {
        self.statuses
            .iter()
            .filter(|(s, _)| **s >= 500 && **s != 503)
            .map(|(_, n)| n)
            .sum()
    }

    fn passed(&self) -> bool {
        self.lost == 0
            && self.applied_twice == 0
            && self.unsettled == 0
            && self.bad_5xx() == 0
            && self.recovery.is_some_and(|r| r <= RECOVERY_LIMIT)
            && self.health_during_outage.get(&503).copied().unwrap_or(0) > 0
            && !self.health_during_outage.contains_key(&200)
    }
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "soak: {} devices for {} s; database connections terminated at {} s; database down from {:.1} s to {:.1} s",
            self.devices,
            self.seconds,
            self.seconds / 4,
            self.outage.0.as_secs_f64(),
            self.outage.1.as_secs_f64()
        )?;
        writeln!(
            f,
            "  answers by status: {:?}; unanswered: {}",
            self.statuses, self.unanswered
        )?;
        writeln!(f, "  pushes answered 200: {:.1}/s", self.pushes_per_second)?;
        writeln!(
            f,
            "  words typed: {}; lost: {}; changes applied twice: {}; devices with changes left: {}",
            self.words, self.lost, self.applied_twice, self.unsettled
        )?;
        writeln!(f, "  5xx other than 503: {}", self.bad_5xx())?;
        match self.recovery {
            Some(r) => writeln!(
                f,
                "  first push applied {:.3} s after the database was back (limit {} s)",
                r.as_secs_f64(),
                RECOVERY_LIMIT.as_secs()
            )?,
            None => writeln!(f, "  no push was applied after the database came back")?,
        }
        writeln!(
            f,
            "  /healthz while the database was down: {:?}",
            self.health_during_outage
        )?;
        write!(f, "  {}", if self.passed() { "PASSED" } else { "FAILED" })
    }
}

async fn run(pool: PgPool, address: SocketAddr, seconds: u64, devices: usize, rate: u64) -> Report {
    let sessions = accounts(&pool, devices).await;
    let tally: Shared = Rc::default();
    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for (d, session) in sessions.into_iter().enumerate() {
        let tally = tally.clone();
        tasks.push(tokio::task::spawn_local(async move {
            device(d, address, session, tally, started, deadline, rate).await
        }));
    }
    let health = tokio::task::spawn_local(watch_health(address, tally.clone(), started, deadline));
    let outage = faults(started, seconds).await;
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await.unwrap());
    }
    health.await.unwrap();

    // The database's pool in this process died with the restart; a new one reads the end state.
    let url = std::env::var("DATABASE_URL").unwrap();
    let pool = server::db::connect(&url).await.unwrap();
    let mut lost = 0;
    let mut words = 0;
    for result in &results {
        let name: String =
            sqlx::query_scalar("SELECT fields->>'name' FROM household WHERE id = $1")
                .bind(result.household)
                .fetch_one(&pool)
                .await
                .unwrap_or_default();
        let on_server: std::collections::HashSet<&str> = name.split(' ').collect();
        words += result.words.len();
        lost += result
            .words
            .iter()
            .filter(|w| !on_server.contains(w.as_str()))
            .count();
    }
    // Every applied change writes one log entry with its device and number: two would mean
    // it was applied twice.
    let applied_twice: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM (SELECT device_id, device_seq FROM change_log
         WHERE kind = 'record' AND device_id IS NOT NULL
         GROUP BY 1, 2 HAVING count(*) > 1) twice",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let tally = tally.borrow();
    let back = outage.1;
    let recovery = tally
        .answers
        .iter()
        .find(|(at, status, kind)| *at >= back && *status == 200 && *kind == "push")
        .map(|(at, _, _)| *at - back);
    let mut health_during_outage = BTreeMap::new();
    for (at, status, kind) in &tally.answers {
        // A second's grace after the stop: a check already under way may still have answered.
        if *kind == "health" && *at > outage.0 + Duration::from_secs(1) && *at < outage.1 {
            *health_during_outage.entry(*status).or_insert(0) += 1;
        }
    }
    let pushes = tally
        .answers
        .iter()
        .filter(|(at, s, k)| *k == "push" && *s == 200 && at.as_secs() < seconds)
        .count();
    Report {
        devices,
        seconds,
        words,
        lost,
        applied_twice,
        unsettled: results.iter().filter(|r| !r.drained).count(),
        statuses: tally.statuses.clone(),
        unanswered: tally.unanswered,
        outage,
        recovery,
        health_during_outage,
        pushes_per_second: pushes as f64 / seconds as f64,
    }
}

/// Coordinators in a few teams, one session each, shared by their devices (a worker with a
/// tablet and a laptop).
async fn accounts(pool: &PgPool, devices: usize) -> Vec<String> {
    let mut sessions = Vec::new();
    for t in 0..TEAMS {
        let team = format!("soak-{t}");
        sqlx::query(
            "INSERT INTO team (id, name, municipality_id) VALUES ($1, $1, 'lindeveen')
             ON CONFLICT DO NOTHING",
        )
        .bind(&team)
        .execute(pool)
        .await
        .unwrap();
        sqlx::query("INSERT INTO scope_counter (team_id) VALUES ($1) ON CONFLICT DO NOTHING")
            .bind(&team)
            .execute(pool)
            .await
            .unwrap();
    }
    for d in 0..devices {
        let team = format!("soak-{}", d % TEAMS);
        let name = format!("Soak {d}");
        sessions.push(support::worker_session(pool, &team, Role::FrontOffice, &name).await);
    }
    sessions
}

/// Terminates every server connection at a quarter, stops the database at half time and
/// starts it again [`OUTAGE`] later; returns when it was down.
async fn faults(started: Instant, seconds: u64) -> (Duration, Duration) {
    tokio::time::sleep_until((started + Duration::from_secs(seconds / 4)).into()).await;
    let url = std::env::var("DATABASE_URL").unwrap();
    let mut admin = <sqlx::PgConnection as sqlx::Connection>::connect(&url)
        .await
        .unwrap();
    let killed: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE datname = current_database() AND pid <> pg_backend_pid()) k",
    )
    .fetch_one(&mut admin)
    .await
    .unwrap();
    eprintln!(
        "{:>5.1} s: terminated {killed} database connections",
        started.elapsed().as_secs_f64()
    );
    drop(admin);
    tokio::time::sleep_until((started + Duration::from_secs(seconds / 2)).into()).await;
    shell("KT_SOAK_PG_STOP").await;
    let down = started.elapsed();
    eprintln!("{:>5.1} s: database stopped", down.as_secs_f64());
    tokio::time::sleep(OUTAGE).await;
    shell("KT_SOAK_PG_START").await;
    let up = started.elapsed();
    eprintln!("{:>5.1} s: database started", up.as_secs_f64());
    (down, up)
}

async fn shell(variable: &str) {
    let command =
        std::env::var(variable).unwrap_or_else(|_| panic!("{variable} (bench/soak sets it)"));
    // On the blocking pool: the devices keep typing while pg_ctl works.
    let run = command.clone();
    let status = tokio::task::spawn_blocking(move || {
        std::process::Command::new("bash")
            .arg("-c")
            .arg(run)
            .status()
    })
    .await
    .unwrap()
    .unwrap();
    assert!(status.success(), "{variable} failed: {command}");
}

async fn watch_health(address: SocketAddr, tally: Shared, started: Instant, deadline: Instant) {
    while Instant::now() < deadline {
        match call(address, "", "GET", "/healthz", None).await {
            Some((status, _)) => record(&tally, started, status, "health"),
            None => tally.borrow_mut().unanswered += 1,
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

fn record(tally: &Shared, started: Instant, status: u16, kind: &'static str) {
    let mut tally = tally.borrow_mut();
    *tally.statuses.entry(status).or_insert(0) += 1;
    tally.answers.push((started.elapsed(), status, kind));
}

struct DeviceResult {
    household: Id,
    words: Vec<String>,
    drained: bool,
}

/// One device: a household of its own, a word added to its name at a steady rate, and a sync
/// (one push, one pull page) after each; after the deadline it syncs until its queue is empty.
async fn device(
    d: usize,
    address: SocketAddr,
    session: String,
    tally: Shared,
    started: Instant,
    deadline: Instant,
    rate: u64,
) -> DeviceResult {
    let store = Store::open(MemoryKv::default(), Id::now_v7).unwrap();
    let mut home = Household::for_resident(Id::now_v7(), Id::now_v7(), &format!("Soak {d}"));
    store.put(&home).unwrap();
    let mut words = Vec::new();
    let mut tick = tokio::time::interval(Duration::from_millis(1000 / rate));
    // A sync that waited out the outage does not make the device type in a burst after it.
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    // Devices start spread over the first tick, not all at once.
    tokio::time::sleep(Duration::from_millis((d as u64 * 37) % (1000 / rate))).await;
    while Instant::now() < deadline {
        tick.tick().await;
        let word = format!("d{d}w{}", words.len());
        home.name = format!("{} {word}", home.name);
        store.put(&home).unwrap();
        words.push(word);
        sync(&store, address, &session, &tally, started).await;
    }
    let drain_until = Instant::now() + Duration::from_secs(30);
    while store.outbox_len() > 0 && Instant::now() < drain_until {
        sync(&store, address, &session, &tally, started).await;
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    DeviceResult {
        household: home.id,
        words,
        drained: store.outbox_len() == 0,
    }
}

/// As the app does: a failed push keeps the queue (the numbered changes are sent again).
async fn sync(
    store: &Store<MemoryKv>,
    address: SocketAddr,
    session: &str,
    tally: &Shared,
    started: Instant,
) {
    let device_id = store.device().unwrap().id;
    let changes = store.begin_push(MAX_PUSH_BATCH).unwrap();
    if !changes.is_empty() {
        let request = PushRequest {
            device_id,
            protocol_version: PROTOCOL_VERSION,
            changes,
        };
        let body = serde_json::to_string(&request).unwrap();
        match call(address, session, "POST", "/api/sync/push", Some(body)).await {
            Some((200, bytes)) => {
                record(tally, started, 200, "push");
                let response: PushResponse = serde_json::from_slice(&bytes).unwrap();
                store.settle(&response, &request.changes).unwrap();
            }
            Some((status, bytes)) => {
                record(tally, started, status, "push");
                if status >= 500 && status != 503 {
                    eprintln!("push {status}: {}", String::from_utf8_lossy(&bytes));
                }
                return;
            }
            None => {
                tally.borrow_mut().unanswered += 1;
                return;
            }
        }
    }
    let meta = store.sync_meta();
    let settled = store.device().unwrap().settled_through;
    let uri = format!(
        "/api/sync/pull?device_id={device_id}&cursor={}&settled={settled}",
        meta.cursor
    );
    match call(address, session, "GET", &uri, None).await {
        Some((200, bytes)) => {
            record(tally, started, 200, "pull");
            let page: PullResponse = serde_json::from_slice(&bytes).unwrap();
            store.apply_pull(&page).unwrap();
        }
        Some((status, bytes)) => {
            record(tally, started, status, "pull");
            if status >= 500 && status != 503 {
                eprintln!("pull {status}: {}", String::from_utf8_lossy(&bytes));
            }
        }
        None => tally.borrow_mut().unanswered += 1,
    }
}

/// One request on a new connection; None when no answer came.
async fn call(
    address: SocketAddr,
    session: &str,
    method: &str,
    uri: &str,
    body: Option<String>,
) -> Option<(u16, Bytes)> {
    let stream = tokio::net::TcpStream::connect(address).await.ok()?;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .ok()?;
    tokio::task::spawn_local(connection);
    let (cookie, unlock) = session.split_once(':').unwrap_or((session, ""));
    let request = hyper::Request::builder()
        .method(method)
        .uri(uri)
        .header("host", "soak")
        .header("content-type", "application/json")
        .header("cookie", format!("kt_session={cookie}"))
        .header(shared::sync::UNLOCK_HEADER, unlock)
        .body(Full::new(Bytes::from(body.unwrap_or_default())))
        .unwrap();
    let response = tokio::time::timeout(Duration::from_secs(30), sender.send_request(request))
        .await
        .ok()?
        .ok()?;
    let status = response.status().as_u16();
    let bytes = response.into_body().collect().await.ok()?.to_bytes();
    Some((status, bytes))
}
