//! Closing and reopening a household from its page (the team's coordinator, online): closed, it
//! takes no new records until reopened; the basis sets its retention period. Both are written
//! by the server into the household record, so this device knows at the sync that follows.

use crate::store::use_store;
use leptos::prelude::*;
use shared::model::{Household, Id, Role};

/// The bases of the support a coordinator closes with (`server/src/households/closure.rs`).
const BASES: [(&str, &str); 3] = [
    ("wmo_support", "Ondersteuning op grond van de Wmo"),
    ("youth_act", "Jeugdhulp (Jeugdwet)"),
    ("no_support", "Geen ondersteuning nodig of gewenst"),
];

#[component]
pub fn ClosureCard(household_id: Id) -> impl IntoView {
    let store = use_store();
    let coordinator = move || {
        store
            .read(|s| s.account())
            .flatten()
            .is_some_and(|a| a.role == Role::Coordinator)
    };
    let closed = Memo::new(move |_| {
        store
            .read(|s| s.get::<Household>(household_id))
            .flatten()
            .and_then(|h| h.closed)
            .is_some()
    });
    let basis = RwSignal::new(String::new());
    let notice = RwSignal::new(None::<Result<String, String>>);
    let send = move |close: bool| {
        let basis_now = basis.get_untracked();
        if close && basis_now.is_empty() {
            notice.set(Some(Err("Kies de grondslag van de ondersteuning.".into())));
            return;
        }
        let (url, body) = if close {
            (
                format!("/api/households/{household_id}/close"),
                Some(serde_json::json!({ "basis": basis_now }).to_string()),
            )
        } else {
            (format!("/api/households/{household_id}/reopen"), None)
        };
        #[cfg(not(feature = "hydrate"))]
        let _ = (url, body);
        #[cfg(feature = "hydrate")]
        wasm_bindgen_futures::spawn_local(async move {
            use crate::sync::browser::{send, SyncError};
            match send::<serde_json::Value>("POST", &url, body).await {
                Ok(_) => {
                    notice.set(Some(Ok(if close {
                        "Afgesloten. Nieuwe gegevens worden pas verwerkt als het huishouden heropend is.".into()
                    } else {
                        "Heropend.".into()
                    })));
                    // The closure travels in the household record: fetch it now.
                    crate::sync::use_sync().sync_now();
                }
                Err(SyncError::Server(status, message)) if status < 500 => {
                    notice.set(Some(Err(message)))
                }
                Err(e) => notice.set(Some(Err(e.words()))),
            }
        });
    };
    view! {
        <Show when=coordinator>
            <section class="card" aria-labelledby="afsluiten-kop" data-testid="closure">
                <h2 id="afsluiten-kop">{move || if closed.get() { "Heropenen" } else { "Afsluiten" }}</h2>
                {move || notice.get().map(|n| match n {
                    Ok(text) => view! { <p class="notice notice--success" role="status">{text}</p> }.into_any(),
                    Err(text) => view! { <p class="notice notice--error" role="alert">{text}</p> }.into_any(),
                })}
                <Show when=move || !closed.get()
                    fallback=move || view! {
                        <p class="hint">"Heropen het huishouden als er weer iets vastgelegd moet worden. De bewaartermijn stopt dan."</p>
                        <button type="button" class="button button--secondary" on:click=move |_| send(false)>"Huishouden heropenen"</button>
                    }>
                    <p class="hint">"Als de ondersteuning klaar is. Daarna neemt het huishouden geen nieuwe gegevens aan; de bewaartermijn begint. Alleen online."</p>
                    <div class="field">
                        <label class="field__label" for="afsluiten-grondslag">"Grondslag van de ondersteuning"</label>
                        <select id="afsluiten-grondslag" class="field__input" on:change=move |ev| basis.set(event_target_value(&ev))>
                            <option value="">"Kies de grondslag"</option>
                            {BASES.iter().map(|(key, label)| view! { <option value=*key>{*label}</option> }).collect_view()}
                        </select>
                    </div>
                    <button type="button" class="button button--secondary" on:click=move |_| send(true)>"Huishouden afsluiten"</button>
                </Show>
            </section>
        </Show>
    }
}
