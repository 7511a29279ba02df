//! The sync loop in the browser: fetch, a lease so one tab syncs at a time, backoff, and the
//! `storage` event so every tab shows what the others wrote.

use super::{SyncPhase, SyncState};
use crate::store::{kv::KeyValue, with_device_store, StoreState, SyncMeta};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use shared::sync::{
    codes, ErrorResponse, PullResponse, PushRequest, PushResponse, MAX_PUSH_BATCH, PROTOCOL_VERSION,
};
use std::cell::{Cell, RefCell};
use std::time::Duration;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{spawn_local, JsFuture};

/// How long after the last edit a push starts.
pub(super) const AFTER_EDIT: Duration = Duration::from_secs(2);
const PERIODIC: Duration = Duration::from_secs(60);
const MAX_BACKOFF: Duration = Duration::from_secs(5 * 60);
const LEASE_KEY: &str = "kt/meta/sync-lease";
const LEASE_MS: f64 = 30_000.0;

thread_local! {
    static TIMER: RefCell<Option<TimeoutHandle>> = const { RefCell::new(None) };
    static RUNNING: Cell<bool> = const { Cell::new(false) };
    static FAILURES: Cell<u32> = const { Cell::new(0) };
    static TAB: String = format!("{:.0}", js_sys::Math::random() * 1e15);
}

pub(super) fn start(state: SyncState) {
    let store = state.store;
    // Changes queued by an older version of the app are brought to this version's schema.
    let _ = with_device_store(|s| s.upgrade_outbox());
    std::mem::forget(window_event_listener(leptos::ev::online, move |_| {
        schedule(state, Duration::ZERO)
    }));
    std::mem::forget(window_event_listener(leptos::ev::storage, move |event| {
        if event.key().is_none_or(|key| key.starts_with("kt/")) {
            store.touch();
        }
    }));
    std::mem::forget(window_event_listener(leptos::ev::pagehide, move |_| {
        release_lease()
    }));
    let _ = set_interval_with_handle(move || schedule(state, Duration::ZERO), PERIODIC);
    schedule(state, Duration::from_millis(300));
}

/// Runs a sync after `delay`, replacing one scheduled earlier.
pub(super) fn schedule(state: SyncState, delay: Duration) {
    TIMER.with(|timer| {
        if let Some(handle) = timer.borrow_mut().take() {
            handle.clear();
        }
        let handle = set_timeout_with_handle(move || spawn_local(run(state)), delay).ok();
        *timer.borrow_mut() = handle;
    });
}

async fn run(state: SyncState) {
    let store = state.store;
    if RUNNING.get() || !window().navigator().on_line() {
        return;
    }
    if !take_lease() {
        // Another tab is syncing this store; look again shortly.
        schedule(state, Duration::from_secs(5));
        return;
    }
    RUNNING.set(true);
    state.phase.set(SyncPhase::Syncing);
    let result = sync_once(store).await;
    release_lease();
    RUNNING.set(false);
    store.touch();
    match result {
        Ok(()) => {
            FAILURES.set(0);
            state.phase.set(SyncPhase::Idle);
        }
        Err(SyncError::UpdateRequired) => state.phase.set(SyncPhase::UpdateRequired),
        Err(error) => {
            let failures = FAILURES.get() + 1;
            FAILURES.set(failures);
            state.phase.set(SyncPhase::Failed(error.words()));
            let backoff = Duration::from_secs(5 * 2u64.pow(failures.min(6))).min(MAX_BACKOFF);
            schedule(state, backoff);
        }
    }
}

#[derive(Debug)]
enum SyncError {
    Offline,
    UpdateRequired,
    Server(u16, String),
    Device(String),
}

impl SyncError {
    fn words(&self) -> String {
        match self {
            SyncError::Offline => "Geen verbinding met de server.".into(),
            SyncError::UpdateRequired => "Werk de app bij.".into(),
            SyncError::Server(403, _) => {
                "Dit apparaat hoort bij een ander team; vraag de beheerder om hulp.".into()
            }
            SyncError::Server(status, _) if *status >= 500 => {
                "De server is even niet bereikbaar; we proberen het zo opnieuw.".into()
            }
            SyncError::Server(_, message) => {
                format!("De server weigerde de wijzigingen: {message}.")
            }
            SyncError::Device(message) => format!("Opslag op dit apparaat: {message}"),
        }
    }
}

async fn sync_once(store: StoreState) -> Result<(), SyncError> {
    let device_id = device(|s| s.device().map(|d| d.id))?;
    let mut gaps = 0;
    loop {
        let batch = device(|s| s.begin_push(MAX_PUSH_BATCH))?;
        if batch.is_empty() {
            break;
        }
        let request = PushRequest {
            device_id,
            protocol_version: PROTOCOL_VERSION,
            changes: batch,
        };
        let body = serde_json::to_string(&request).map_err(|e| SyncError::Device(e.to_string()))?;
        match send::<PushResponse>("POST", "/api/sync/push", Some(body)).await {
            Ok(response) => device(|s| s.settle(&response, &request.changes))?,
            // The server holds later numbers than sent (a lost answer): send from the oldest again.
            Err(SyncError::Server(409, _)) if gaps < 2 => gaps += 1,
            Err(error) => return Err(error),
        }
        store.touch();
        take_lease();
    }
    loop {
        let cursor = device(|s| Ok(s.sync_meta().cursor))?;
        let url = format!("/api/sync/pull?device_id={device_id}&cursor={cursor}");
        let page = send::<PullResponse>("GET", &url, None).await?;
        device(|s| s.apply_pull(&page))?;
        store.touch();
        take_lease();
        if !page.more {
            break;
        }
    }
    let now = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .ok();
    device(|s| {
        s.set_sync_meta(&SyncMeta {
            last_synced_at: now,
            ..s.sync_meta()
        })
    })
}

fn device<R>(
    f: impl FnOnce(
        &crate::store::Store<crate::store::DeviceKv>,
    ) -> Result<R, crate::store::kv::StoreError>,
) -> Result<R, SyncError> {
    with_device_store(f)
        .and_then(|r| r)
        .map_err(|e| SyncError::Device(e.message().to_owned()))
}

async fn send<T: serde::de::DeserializeOwned>(
    method: &str,
    url: &str,
    body: Option<String>,
) -> Result<T, SyncError> {
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    init.set_cache(web_sys::RequestCache::NoStore);
    let headers = web_sys::Headers::new().map_err(|_| SyncError::Offline)?;
    let _ = headers.set("content-type", "application/json");
    let worker: Option<String> = with_device_store(|s| s.draft("worker-name")).ok().flatten();
    if let Some(worker) = worker {
        let encoded: String = js_sys::encode_uri_component(&worker).into();
        let _ = headers.set("x-keukentafel-worker", &encoded);
    }
    init.set_headers(&headers);
    if let Some(body) = body {
        init.set_body(&JsValue::from_str(&body));
    }
    let response: web_sys::Response = JsFuture::from(window().fetch_with_str_and_init(url, &init))
        .await
        .map_err(|_| SyncError::Offline)?
        .unchecked_into();
    let text = match response.text() {
        Ok(promise) => JsFuture::from(promise)
            .await
            .map_err(|_| SyncError::Offline)?
            .as_string()
            .unwrap_or_default(),
        Err(_) => return Err(SyncError::Offline),
    };
    let status = response.status();
    if status == 200 {
        return serde_json::from_str(&text).map_err(|e| SyncError::Server(status, e.to_string()));
    }
    let error: Option<ErrorResponse> = serde_json::from_str(&text).ok();
    if error.as_ref().and_then(|e| e.code.as_deref()) == Some(codes::UPDATE_REQUIRED) {
        return Err(SyncError::UpdateRequired);
    }
    Err(SyncError::Server(
        status,
        error.map(|e| e.error).unwrap_or(text),
    ))
}

#[derive(Serialize, Deserialize)]
struct Lease {
    tab: String,
    until: f64,
}

/// Takes (or renews) the right to sync for this tab; false while another tab holds it.
fn take_lease() -> bool {
    let now = js_sys::Date::now();
    let me = TAB.with(Clone::clone);
    let kv = crate::store::kv::LocalStorageKv;
    let held: Option<Lease> = kv
        .get(LEASE_KEY)
        .and_then(|t| serde_json::from_str(&t).ok());
    if held.is_some_and(|l| l.tab != me && l.until > now) {
        return false;
    }
    let lease = Lease {
        tab: me.clone(),
        until: now + LEASE_MS,
    };
    let _ = kv.set(
        LEASE_KEY,
        &serde_json::to_string(&lease).unwrap_or_default(),
    );
    // Two tabs may have written at once: the one whose write stuck goes ahead.
    let stuck: Option<Lease> = kv
        .get(LEASE_KEY)
        .and_then(|t| serde_json::from_str(&t).ok());
    stuck.is_some_and(|l| l.tab == me)
}

fn release_lease() {
    let me = TAB.with(Clone::clone);
    let kv = crate::store::kv::LocalStorageKv;
    let held: Option<Lease> = kv
        .get(LEASE_KEY)
        .and_then(|t| serde_json::from_str(&t).ok());
    if held.is_some_and(|l| l.tab == me) {
        kv.remove(LEASE_KEY);
    }
}
