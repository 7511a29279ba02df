use crate::store::{use_store, DeviceKv, Store};
use leptos::prelude::*;

/// Renders a page once the device store is ready and `load` finds what the page is about: a
/// loading text before (and on the server), a "not found" heading when it is missing. It loads
/// once, untracked, so the page's own signals own the state while the worker types.
pub fn when_loaded<T, V>(
    load: impl Fn(&Store<DeviceKv>) -> Option<T> + Send + Sync + 'static,
    render: impl Fn(T) -> V + Send + Sync + 'static,
    not_found: &'static str,
) -> impl IntoView
where
    T: 'static,
    V: IntoView + 'static,
{
    let store = use_store();
    move || {
        if !store.is_ready() {
            return view! { <p class="empty-state">"Gegevens op dit apparaat worden geladen…"</p> }
                .into_any();
        }
        match untrack(|| store.read(&load)).flatten() {
            Some(value) => render(value).into_any(),
            None => view! {
                <h1>{not_found}</h1>
                <p>"Dit staat niet op dit apparaat."</p>
            }
            .into_any(),
        }
    }
}

/// The `:id` of the current route, read once (pages load their record once).
pub fn route_id() -> Option<shared::model::Id> {
    leptos_router::hooks::use_params_map()
        .with_untracked(|p| p.get("id"))
        .and_then(|id| shared::model::Id::parse_str(&id).ok())
}
