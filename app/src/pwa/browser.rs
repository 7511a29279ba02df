//! Browser side of the offline shell: service worker registration and updates, the online
//! state, and persistent storage.

use super::{Persistence, PwaState, StorageEstimate};
use leptos::prelude::*;
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{ServiceWorkerContainer, ServiceWorkerRegistration, ServiceWorkerState};

/// How often a long-open tab asks the server for a new version.
const UPDATE_CHECK_INTERVAL: std::time::Duration = std::time::Duration::from_secs(30 * 60);

pub(super) fn start(state: PwaState) {
    track_online(state);
    if let Some(container) = service_worker_container() {
        spawn_local(register(container, state));
    }
    request_persistence(state);
}

fn track_online(state: PwaState) {
    state.online.set(window().navigator().on_line());
    // The handles live as long as the page: the shell is never unmounted.
    std::mem::forget(window_event_listener(leptos::ev::online, move |_| {
        state.online.set(true);
        check_for_update();
    }));
    std::mem::forget(window_event_listener(leptos::ev::offline, move |_| {
        state.online.set(false);
    }));
}

/// `navigator.serviceWorker`, which only exists in a secure context (https or localhost).
fn service_worker_container() -> Option<ServiceWorkerContainer> {
    let navigator = window().navigator();
    let has =
        js_sys::Reflect::has(&navigator, &JsValue::from_str("serviceWorker")).unwrap_or(false);
    has.then(|| navigator.service_worker())
}

/// Reloads the page when the reload brings the app back: online, or offline with the service
/// worker serving the page. A first sign-in that went offline before the worker took over would
/// reload into the browser's offline page. False when it did not reload.
pub(crate) fn reload_if_it_comes_back() -> bool {
    let comes_back = window().navigator().on_line()
        || service_worker_container().is_some_and(|c| c.controller().is_some());
    comes_back && window().location().reload().is_ok()
}

async fn register(container: ServiceWorkerContainer, state: PwaState) {
    let registration = match JsFuture::from(container.register("/sw.js")).await {
        Ok(value) => value.unchecked_into::<ServiceWorkerRegistration>(),
        Err(error) => {
            leptos::logging::warn!("service worker not registered: {error:?}");
            return;
        }
    };
    // A first install has no controller yet: that is not an update.
    let is_update = {
        let container = container.clone();
        move || container.controller().is_some()
    };
    if registration.waiting().is_some() && is_update() {
        state.update_ready.set(true);
    }
    if let Some(installing) = registration.installing() {
        watch_installing(installing, state, is_update.clone());
    }
    let on_update_found = {
        let registration = registration.clone();
        Closure::<dyn FnMut()>::new(move || {
            if let Some(installing) = registration.installing() {
                watch_installing(installing, state, is_update.clone());
            }
        })
    };
    registration.set_onupdatefound(Some(on_update_found.as_ref().unchecked_ref()));
    on_update_found.forget();

    let _ = set_interval_with_handle(check_for_update, UPDATE_CHECK_INTERVAL);
}

fn watch_installing(
    worker: web_sys::ServiceWorker,
    state: PwaState,
    is_update: impl Fn() -> bool + 'static,
) {
    let watched = worker.clone();
    let on_state_change = Closure::<dyn FnMut()>::new(move || {
        if watched.state() == ServiceWorkerState::Installed && is_update() {
            state.update_ready.set(true);
        }
    });
    worker.set_onstatechange(Some(on_state_change.as_ref().unchecked_ref()));
    on_state_change.forget();
}

/// Asks the server for a new version of the app (the shell offers it once installed).
pub(crate) fn check_for_update() {
    let Some(container) = service_worker_container() else {
        return;
    };
    spawn_local(async move {
        if let Some(registration) = registration(&container).await {
            if let Ok(promise) = registration.update() {
                let _ = JsFuture::from(promise).await;
            }
        }
    });
}

async fn registration(container: &ServiceWorkerContainer) -> Option<ServiceWorkerRegistration> {
    let value = JsFuture::from(container.get_registration()).await.ok()?;
    value.dyn_into::<ServiceWorkerRegistration>().ok()
}

pub(super) fn apply_update() {
    let Some(container) = service_worker_container() else {
        return;
    };
    spawn_local(async move {
        let Some(waiting) = registration(&container).await.and_then(|r| r.waiting()) else {
            return;
        };
        let reload = Closure::<dyn FnMut()>::new(|| {
            let _ = window().location().reload();
        });
        container.set_oncontrollerchange(Some(reload.as_ref().unchecked_ref()));
        reload.forget();
        // The service worker calls skipWaiting() on this message (see server/src/pwa/sw.js).
        let _ = waiting.post_message(&JsValue::from_str("skip-waiting"));
    });
}

pub(super) fn request_persistence(state: PwaState) {
    let navigator = window().navigator();
    let has = js_sys::Reflect::has(&navigator, &JsValue::from_str("storage")).unwrap_or(false);
    if !has {
        state.persistence.set(Persistence::Unsupported);
        return;
    }
    let storage = navigator.storage();
    spawn_local(async move {
        let persisted = match storage.persist() {
            Ok(promise) => JsFuture::from(promise).await.ok(),
            Err(_) => None,
        };
        state
            .persistence
            .set(match persisted.and_then(|v| v.as_bool()) {
                Some(true) => Persistence::Persistent,
                Some(false) => Persistence::BestEffort,
                None => Persistence::Unsupported,
            });
        if let Ok(promise) = storage.estimate() {
            if let Ok(estimate) = JsFuture::from(promise).await {
                let number = |key: &str| {
                    js_sys::Reflect::get(&estimate, &JsValue::from_str(key))
                        .ok()
                        .and_then(|v| v.as_f64())
                };
                if let (Some(usage), Some(quota)) = (number("usage"), number("quota")) {
                    state.estimate.set(Some(StorageEstimate { usage, quota }));
                }
            }
        }
    });
}
