//! The sync loop in the browser: fetch, a lease so one tab syncs at a time, backoff, and the
//! `storage` event so every tab shows what the others wrote.

use super::{SyncPhase, SyncState};
use crate::store::{kv::KeyValue, with_device_store, StoreState, SyncMeta};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use shared::sync::{
    codes, AccessReceipt, AccessReport, ErrorResponse, PullResponse, PushRequest, PushResponse,
    MAX_PUSH_BATCH, PROTOCOL_VERSION,
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
    /// Set while signing out: this tab syncs no more.
    static STOPPED: Cell<bool> = const { Cell::new(false) };
    /// Another tab wrote and this tab's screen will read the store again shortly.
    static TOUCH_PENDING: Cell<bool> = const { Cell::new(false) };
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
            // Another tab fetched new reference data: read it again here.
            if event.key().is_none_or(|key| key.starts_with("kt/ref/")) {
                crate::reference::forget();
            }
            touch_soon(store);
        }
    }));
    std::mem::forget(window_event_listener(leptos::ev::pagehide, move |_| {
        release_lease()
    }));
    let _ = set_interval_with_handle(move || schedule(state, Duration::ZERO), PERIODIC);
    schedule(state, Duration::from_millis(300));
}

/// How long after another tab's write this tab's screen reads the store again.
const OTHER_TAB_AFTER: Duration = Duration::from_millis(100);

/// The screen reads the store again once per burst of another tab's writes, not once per
/// write: a pull there writes thousands of values, each an event here, and re-reading after
/// every one held this tab for as long as that pull ran.
fn touch_soon(store: StoreState) {
    if !TOUCH_PENDING.replace(true) {
        let _ = set_timeout_with_handle(
            move || {
                TOUCH_PENDING.set(false);
                store.touch();
            },
            OTHER_TAB_AFTER,
        );
    }
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
    if RUNNING.get()
        || STOPPED.get()
        || crate::store::is_locked()
        || !window().navigator().on_line()
    {
        return;
    }
    // Never without a signed-in worker, a PIN and the unlock proof: nothing is pulled into a
    // store that is not sealed, or under a session the device no longer holds.
    let Some(role) = with_device_store(|s| s.account())
        .ok()
        .flatten()
        .map(|a| a.role)
    else {
        state.phase.set(SyncPhase::SignedOut);
        end_leftover_session().await;
        return;
    };
    if !role.works_with_residents() {
        state.phase.set(SyncPhase::NotNeeded);
        return;
    }
    if !crate::store::has_pin() || crate::store::unlock_proof().is_none() {
        state.phase.set(SyncPhase::SignedOut);
        return;
    }
    RUNNING.set(true);
    let Some(lock) = SyncLock::acquire().await else {
        // Another tab is syncing this store; look again shortly.
        RUNNING.set(false);
        schedule(state, Duration::from_secs(5));
        return;
    };
    state.phase.set(SyncPhase::Syncing);
    let result = sync_in_chunk(store).await;
    drop(lock);
    RUNNING.set(false);
    store.touch();
    match result {
        Ok(()) => {
            FAILURES.set(0);
            state.phase.set(SyncPhase::Idle);
        }
        Err(SyncError::SignedOut) => state.phase.set(SyncPhase::SignedOut),
        Err(SyncError::MustWipe(_)) => wipe_after_push().await,
        Err(SyncError::UpdateRequired) => {
            // The outbox waits; the new version is fetched so the shell can offer it.
            state.phase.set(SyncPhase::UpdateRequired);
            crate::pwa::check_for_update();
        }
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
pub(crate) enum SyncError {
    Offline,
    UpdateRequired,
    /// No session (never signed in here, or it expired): sync waits for a sign-in.
    SignedOut,
    /// The device was marked lost or the account disabled: push what waits, then wipe.
    MustWipe(String),
    /// Signing in: the password was right, the code from the authenticator app is needed (or
    /// the code given was wrong); the words say which.
    SecondFactorRequired(String),
    Server(u16, String),
    Device(String),
}

impl SyncError {
    pub(crate) fn words(&self) -> String {
        match self {
            SyncError::Offline => "Geen verbinding met de server.".into(),
            SyncError::SignedOut => "Log in om te synchroniseren.".into(),
            SyncError::MustWipe(message) | SyncError::SecondFactorRequired(message) => {
                message.clone()
            }
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

/// How a sign-out ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SignedOut {
    /// The server ended the session.
    Everywhere,
    /// The server could not be reached: the device is wiped and signed out; the session on the
    /// server ends at this browser's next contact (or at its lifetime).
    DeviceOnly,
}

/// Signs out: under the one-tab lock (so no sync runs meanwhile, here or in another tab),
/// pushes what waits, ends the session and wipes the device. Unless `force`, stops when
/// something could not be pushed and returns how many changes would be lost.
pub(crate) async fn sign_out(store: StoreState, force: bool) -> Result<SignedOut, usize> {
    STOPPED.set(true);
    let mut lock = None;
    for _ in 0..50 {
        lock = SyncLock::acquire().await;
        if lock.is_some() {
            break;
        }
        sleep(Duration::from_millis(200)).await;
    }
    if !force {
        let _ = sync_in_chunk(store).await;
        let left = with_device_store(|s| s.outbox_len()).unwrap_or(0);
        if left > 0 || lock.is_none() {
            STOPPED.set(false);
            return Err(left.max(1));
        }
    }
    let proof = crate::store::unlock_proof();
    let ended = end_session_and_wipe().await;
    drop(lock);
    Ok(match ended {
        Ok(_) => SignedOut::Everywhere,
        Err(_) => {
            if let Some(proof) = proof {
                crate::store::remember_session_left(&crate::store::proof_hash(&proof));
            }
            SignedOut::DeviceOnly
        }
    })
}

/// A sign-out here could not reach the server: end exactly that session at this first contact
/// (a session signed in since has another proof and stays).
async fn end_leftover_session() {
    let Some(hash) = crate::store::session_left() else {
        return;
    };
    if !window().navigator().on_line() {
        return;
    }
    let url = format!("/api/session?unlock_hash={hash}");
    if send::<serde_json::Value>("DELETE", &url, None)
        .await
        .is_ok()
    {
        crate::store::forget_session_left();
    }
}

/// The device was marked lost or its account disabled: once nothing waits in the outbox, every
/// value of Keukentafel is removed and the sign-in page says why.
async fn wipe_after_push() {
    let waiting = with_device_store(|s| s.outbox_len()).unwrap_or(0);
    if waiting > 0 {
        // Not everything went out yet: keep it, and try again on the next round.
        return;
    }
    STOPPED.set(true);
    let _ = end_session_and_wipe().await;
    let _ = window().location().assign("/inloggen?afgemeld=gewist");
}

/// Ends the session on the server (when it answers) and removes everything Keukentafel keeps on
/// the device: store, key, device secret, reference data.
async fn end_session_and_wipe() -> Result<serde_json::Value, SyncError> {
    let ended = send::<serde_json::Value>("DELETE", "/api/session", None).await;
    let _ = with_device_store(|s| s.wipe());
    crate::store::device_secret::forget().await;
    crate::reference::forget();
    ended
}

/// Tells the server this app locked itself (best effort: the page reloads at once, so the
/// request is sent with `keepalive`). Without the unlock proof in memory the server takes
/// nothing from this tab anyway.
pub(crate) fn announce_lock() {
    let Some(proof) = crate::store::unlock_proof() else {
        return;
    };
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    // `keepalive` lets the request outlive the reload that follows (no web-sys setter).
    let _ = js_sys::Reflect::set(&init, &"keepalive".into(), &JsValue::TRUE);
    if let Ok(headers) = web_sys::Headers::new() {
        let _ = headers.set(shared::sync::UNLOCK_HEADER, &proof);
        init.set_headers(&headers);
    }
    let _ = window().fetch_with_str_and_init("/api/session/lock", &init);
}

/// Unlocked with the PIN: the session takes requests again (best effort; a request that finds
/// the session still locked resumes it too).
pub(crate) fn announce_unlock() {
    if !window().navigator().on_line() {
        // Offline: the next request resumes the session.
        return;
    }
    spawn_local(async {
        let _ = send::<serde_json::Value>("POST", "/api/session/resume", None).await;
    });
}

async fn sleep(duration: Duration) {
    let (promise, resolve) = deferred();
    let _ = set_timeout_with_handle(
        move || {
            let _ = resolve.call0(&JsValue::NULL);
        },
        duration,
    );
    let _ = JsFuture::from(promise).await;
}

/// One sync, its code loaded on first use: pushing, pulling and merging are a wasm chunk of
/// their own, not part of the first screen (issue 17). The service worker precaches that chunk
/// with the rest, so it loads offline too; a chunk that cannot be fetched (an online first
/// visit that lost its connection) fails this sync like the network would, and the next
/// attempt fetches it again.
async fn sync_in_chunk(store: StoreState) -> Result<(), SyncError> {
    match sync_engine(store).await {
        Ok(sync) => sync.await,
        Err(_) => Err(SyncError::Offline),
    }
}

type SyncFuture = std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), SyncError>>>>;

/// The split point (see [`sync_in_chunk`]): everything only a sync reaches moves with it.
#[leptos::wasm_split::wasm_split(sync_engine, wasm_split_path = ::leptos::wasm_split, fallible)]
fn sync_engine(store: StoreState) -> Result<SyncFuture, leptos::wasm_split::SplitLoaderError> {
    Ok(Box::pin(sync_once(store)))
}

async fn sync_once(store: StoreState) -> Result<(), SyncError> {
    let device_id = device(|s| s.device().map(|d| d.id))?;
    let mut gaps = 0;
    let mut told_to_wipe = false;
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
            Ok(response) => {
                told_to_wipe |= response.wipe;
                device(|s| s.settle(&response, &request.changes))?
            }
            // The server holds later numbers than sent (a lost answer): send from the oldest again.
            Err(SyncError::Server(409, _)) if gaps < 2 => gaps += 1,
            Err(error) => return Err(error),
        }
        store.touch();
        renew_lease();
    }
    if told_to_wipe {
        wipe_after_push().await;
        return Err(SyncError::MustWipe("Dit apparaat wordt gewist.".into()));
    }
    // Reads and prints made on this device (also offline) go to the audit log.
    loop {
        let events = device(|s| Ok(s.access_events(500)))?;
        if events.is_empty() {
            break;
        }
        let report = AccessReport { device_id, events };
        let body = serde_json::to_string(&report).map_err(|e| SyncError::Device(e.to_string()))?;
        let receipt = send::<AccessReceipt>("POST", "/api/audit/access", Some(body)).await?;
        device(|s| {
            s.drop_access(receipt.recorded_through);
            Ok(())
        })?;
    }
    send_one_way::<shared::model::AnonymousContact>().await?;
    send_one_way::<shared::model::OutsideSignal>().await?;
    let mut pulling = device(|s| Ok(s.begin_pull()))?;
    let mut first = true;
    loop {
        let (cursor, settled) =
            device(|s| Ok((s.sync_meta().cursor, s.device()?.settled_through)))?;
        // `settled`: refusals after it come along (their push answer may have been lost);
        // `waiting`: the first page says what waits after it.
        let url = format!(
            "/api/sync/pull?device_id={device_id}&cursor={cursor}&settled={settled}&waiting={first}"
        );
        timing_start("kt-pull-fetch");
        let page = send::<PullResponse>("GET", &url, None).await?;
        timing_step("kt-pull-fetch");
        device(|s| s.take_page(&page))?;
        let mut slice = page_clock();
        let mut applied = Ok(());
        for part in page.entries.chunks(APPLY_PART) {
            timing_start("kt-pull-apply");
            applied = device(|s| s.apply_part(&mut pulling, part));
            timing_step("kt-pull-apply");
            if applied.is_err() {
                break;
            }
            // The browser paints and takes taps once a slice of work is done. (Not after every
            // part: a timer takes at least 4 ms, which a fast device would spend waiting.)
            if page_clock() - slice >= APPLY_SLICE_MS {
                sleep(Duration::ZERO).await;
                slice = page_clock();
            }
        }
        if std::mem::take(&mut first) {
            // A device that will not hold what waits says so now, before it fills (also when
            // this page already stopped at the reserve).
            if device(|s| s.foresee(&pulling, page.waiting))?.is_some() {
                store.touch();
            }
        }
        applied?;
        // The screen is told once the sync ends, not after every page: each telling reads its
        // records again, 660 ms with a thousand households on a slow tablet (bench/browser-figures).
        renew_lease();
        if !page.more {
            break;
        }
    }
    device(|s| {
        s.end_pull();
        Ok(())
    })?;
    fetch_reference().await?;
    fetch_roster().await?;
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

/// Pulled entries applied at once: a page of 500 at once would hold a slow tablet for longer
/// than a frame may take (applying costs about 90 µs an entry in Chromium, four times that on
/// a slow tablet: `bench/browser-figures`).
const APPLY_PART: usize = 100;

/// How long the device applies pulled entries before it lets the browser paint, in ms.
const APPLY_SLICE_MS: f64 = 40.0;

/// The page's clock in ms (`performance.now()`), 0 without one.
fn page_clock() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// How many measures of one step are kept: the oldest go (a day of syncs stays far below).
const KEPT_MEASURES: u32 = 2_000;

/// Marks the step `name` of a pull page as begun; [`timing_step`] ends it.
fn timing_start(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}

/// Records the time since [`timing_start`]`(name)` as the User Timing measure `name`: what a
/// pull costs the device (fetching, applying; `bench/browser-figures` adds them up). The
/// marks are cleared; the measures are kept up to [`KEPT_MEASURES`].
fn timing_step(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        if performance.get_entries_by_name(name).length() >= KEPT_MEASURES {
            performance.clear_measures_with_measure_name(name);
        }
        let _ = performance.measure_with_start_mark(name, name);
        performance.clear_marks_with_mark_name(name);
    }
}

/// What was recorded here once and for all (anonymous contacts for the figures, signals from
/// outside for the team's inbox), offline too; each leaves the device once the server holds it.
async fn send_one_way<T: shared::model::OneWay>() -> Result<(), SyncError> {
    use shared::model::{one_way::MAX_ONE_WAY_BATCH, OneWayReceipt};
    loop {
        let waiting = device(|s| Ok(s.one_way_waiting::<T>(MAX_ONE_WAY_BATCH)))?;
        if waiting.is_empty() {
            return Ok(());
        }
        let body = serde_json::to_string(&waiting).map_err(|e| SyncError::Device(e.to_string()))?;
        let receipt = send::<OneWayReceipt>("POST", T::ROUTE, Some(body)).await?;
        device(|s| s.settle_one_way::<T>(&receipt))?;
        if receipt.stored.len() + receipt.refused.len() < waiting.len() {
            // An answer about fewer than were sent: the rest goes at the next sync.
            return Ok(());
        }
    }
}

/// The social map and published templates, when they changed since the version held here
/// (the server answers 204 otherwise).
async fn fetch_reference() -> Result<(), SyncError> {
    let held = device(|s| Ok(s.reference_data().map(|d| d.version)))?;
    let url = match held {
        Some(version) => format!("/api/reference?since={version}"),
        None => "/api/reference".to_owned(),
    };
    if let Some(data) = send::<Option<shared::reference::ReferenceData>>("GET", &url, None).await? {
        device(|s| s.set_reference_data(&data))?;
        crate::reference::replace(&data);
    }
    Ok(())
}

/// The team's roster; a role without a team has none (and is told so: nothing to keep).
async fn fetch_roster() -> Result<(), SyncError> {
    match send::<shared::model::caseload::Roster>("GET", "/api/team/roster", None).await {
        Ok(roster) => device(|s| s.set_roster(&roster)),
        Err(SyncError::Server(403 | 404, _)) => Ok(()),
        Err(e) => Err(e),
    }
}

fn device<R>(
    f: impl FnOnce(
        &crate::store::Store<crate::store::DeviceKv>,
    ) -> Result<R, crate::store::kv::StoreError>,
) -> Result<R, SyncError> {
    with_device_store(f)
        .and_then(|r| r)
        .map_err(|e| SyncError::Device(e.message()))
}

/// Sends a request with the unlock proof; a session the app locked earlier is resumed once.
pub(crate) async fn send<T: serde::de::DeserializeOwned>(
    method: &str,
    url: &str,
    body: Option<String>,
) -> Result<T, SyncError> {
    match send_once(method, url, body.clone()).await {
        Err(SyncError::Server(401, code)) if code == codes::SESSION_LOCKED => {
            send_once::<serde_json::Value>("POST", "/api/session/resume", None).await?;
            send_once(method, url, body).await
        }
        Err(SyncError::Server(401, _)) => Err(SyncError::SignedOut),
        other => other,
    }
}

async fn send_once<T: serde::de::DeserializeOwned>(
    method: &str,
    url: &str,
    body: Option<String>,
) -> Result<T, SyncError> {
    let response = fetch_with_proof(method, url, body).await?;
    let text = text_of(&response).await?;
    let status = response.status();
    if (200..300).contains(&status) {
        let text = if text.is_empty() {
            "null"
        } else {
            text.as_str()
        };
        return serde_json::from_str(text).map_err(|e| SyncError::Server(status, e.to_string()));
    }
    Err(refusal(status, text))
}

/// The request with the unlock proof, as the network answered it (any status).
async fn fetch_with_proof(
    method: &str,
    url: &str,
    body: Option<String>,
) -> Result<web_sys::Response, SyncError> {
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    init.set_cache(web_sys::RequestCache::NoStore);
    let headers = web_sys::Headers::new().map_err(|_| SyncError::Offline)?;
    let _ = headers.set("content-type", "application/json");
    if let Some(proof) = crate::store::unlock_proof() {
        let _ = headers.set(shared::sync::UNLOCK_HEADER, &proof);
    }
    init.set_headers(&headers);
    if let Some(body) = body {
        init.set_body(&JsValue::from_str(&body));
    }
    Ok(JsFuture::from(window().fetch_with_str_and_init(url, &init))
        .await
        .map_err(|_| SyncError::Offline)?
        .unchecked_into())
}

async fn text_of(response: &web_sys::Response) -> Result<String, SyncError> {
    match response.text() {
        Ok(promise) => Ok(JsFuture::from(promise)
            .await
            .map_err(|_| SyncError::Offline)?
            .as_string()
            .unwrap_or_default()),
        Err(_) => Err(SyncError::Offline),
    }
}

/// What a response other than 2xx means for the app.
fn refusal(status: u16, text: String) -> SyncError {
    let error: Option<ErrorResponse> = serde_json::from_str(&text).ok();
    let code = error.as_ref().and_then(|e| e.code.as_deref());
    if status == 401 && code == Some(codes::SECOND_FACTOR_REQUIRED) {
        return SyncError::SecondFactorRequired(error.map(|e| e.error).unwrap_or_default());
    }
    if status == 401 {
        // The code travels along so that `send` can resume a locked session.
        return SyncError::Server(401, code.unwrap_or_default().to_owned());
    }
    if code == Some(codes::UPDATE_REQUIRED) {
        return SyncError::UpdateRequired;
    }
    if code == Some(codes::DEVICE_LOST) || code == Some(codes::ACCOUNT_DISABLED) {
        return SyncError::MustWipe(error.map(|e| e.error).unwrap_or_default());
    }
    SyncError::Server(status, error.map(|e| e.error).unwrap_or(text))
}

/// Fetches a file that holds residents' data (so it needs the unlock proof, which a plain link
/// cannot carry) and hands it to the browser as a download named `filename`.
pub(crate) async fn download(url: &str, filename: &str) -> Result<(), SyncError> {
    let mut response = fetch_with_proof("GET", url, None).await?;
    if response.status() == 401 {
        let code = refusal(401, text_of(&response).await?);
        if !matches!(&code, SyncError::Server(401, c) if c == codes::SESSION_LOCKED) {
            return Err(SyncError::SignedOut);
        }
        send_once::<serde_json::Value>("POST", "/api/session/resume", None).await?;
        response = fetch_with_proof("GET", url, None).await?;
    }
    if !response.ok() {
        let status = response.status();
        return Err(refusal(status, text_of(&response).await?));
    }
    let blob: web_sys::Blob = JsFuture::from(response.blob().map_err(|_| SyncError::Offline)?)
        .await
        .map_err(|_| SyncError::Offline)?
        .unchecked_into();
    let href = web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| SyncError::Offline)?;
    let link: web_sys::HtmlAnchorElement = document()
        .create_element("a")
        .map_err(|_| SyncError::Offline)?
        .unchecked_into();
    link.set_href(&href);
    link.set_download(filename);
    link.click();
    // The browser reads the file after the click returns: let go of it a little later.
    let _ = set_timeout_with_handle(
        move || {
            let _ = web_sys::Url::revoke_object_url(&href);
        },
        Duration::from_secs(30),
    );
    Ok(())
}

/// The right to sync this store, held by one tab at a time: the Web Locks API where the
/// browser has it (atomic across tabs, released when a tab dies), else a lease in the store.
enum SyncLock {
    WebLock(js_sys::Function),
    Lease,
}

impl SyncLock {
    async fn acquire() -> Option<SyncLock> {
        let navigator = window().navigator();
        let locks = js_sys::Reflect::get(&navigator, &JsValue::from_str("locks"))
            .ok()
            .filter(|l| !l.is_undefined());
        let Some(locks) = locks else {
            return take_lease().then_some(SyncLock::Lease);
        };
        let (acquired, acquired_resolve) = deferred();
        let release: std::rc::Rc<RefCell<Option<js_sys::Function>>> = Default::default();
        let held = release.clone();
        let callback = wasm_bindgen::closure::Closure::once_into_js(move |lock: JsValue| {
            let granted = !lock.is_null();
            let _ = acquired_resolve.call1(&JsValue::NULL, &JsValue::from_bool(granted));
            if !granted {
                return js_sys::Promise::resolve(&JsValue::UNDEFINED);
            }
            // The lock is held until this promise settles, that is until the guard is dropped.
            let (hold, resolve) = deferred();
            *held.borrow_mut() = Some(resolve);
            hold
        });
        let options = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&options, &"ifAvailable".into(), &JsValue::TRUE);
        let request: js_sys::Function = js_sys::Reflect::get(&locks, &"request".into())
            .ok()?
            .dyn_into()
            .ok()?;
        request
            .call3(&locks, &"keukentafel-sync".into(), &options, &callback)
            .ok()?;
        let granted = JsFuture::from(acquired).await.ok()?.as_bool() == Some(true);
        let resolve = release.borrow_mut().take();
        granted.then_some(SyncLock::WebLock(resolve?))
    }
}

impl Drop for SyncLock {
    fn drop(&mut self) {
        match self {
            SyncLock::WebLock(release) => {
                let _ = release.call0(&JsValue::NULL);
            }
            SyncLock::Lease => release_lease(),
        }
    }
}

/// A promise and the function that resolves it.
fn deferred() -> (js_sys::Promise, js_sys::Function) {
    let mut resolve = None;
    let promise = js_sys::Promise::new(&mut |res, _| resolve = Some(res));
    (promise, resolve.expect("the executor runs at once"))
}

#[derive(Serialize, Deserialize)]
struct Lease {
    tab: String,
    until: f64,
}

fn held_lease() -> Option<Lease> {
    crate::store::kv::LocalStorageKv
        .get(LEASE_KEY)
        .and_then(|t| serde_json::from_str(&t).ok())
}

fn this_tab_holds_lease() -> bool {
    held_lease().is_some_and(|l| l.tab == TAB.with(Clone::clone))
}

/// Takes the lease in the store; false while another tab holds it.
fn take_lease() -> bool {
    let now = js_sys::Date::now();
    if held_lease().is_some_and(|l| l.until > now) && !this_tab_holds_lease() {
        return false;
    }
    let lease = Lease {
        tab: TAB.with(Clone::clone),
        until: now + LEASE_MS,
    };
    let _ = crate::store::kv::LocalStorageKv.set(
        LEASE_KEY,
        &serde_json::to_string(&lease).unwrap_or_default(),
    );
    // Two tabs may have written at once: the one whose write stuck goes ahead.
    this_tab_holds_lease()
}

/// Extends a lease this tab holds (no-op under a Web Lock).
fn renew_lease() {
    if this_tab_holds_lease() {
        take_lease();
    }
}

fn release_lease() {
    if this_tab_holds_lease() {
        crate::store::kv::LocalStorageKv.remove(LEASE_KEY);
    }
}
