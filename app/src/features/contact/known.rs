//! Find before you register: while a new resident's BSN, or family name and birth date, are
//! typed, the server is asked (when online) whether the whole municipality knows them. A match
//! in the worker's scope opens that household; one elsewhere says only that the resident is
//! known, by which team, and who the regisseur is, with "Toegang vragen" to that team's
//! coordinator. Offline, the device's own check (same BSN) is all there is.

use crate::pwa::use_pwa_state;
use crate::ui::form::TextArea;
use leptos::prelude::*;
use shared::model::Id;
use shared::rules::lookup::{LookupMatch, LookupQuery, NewAccessRequest};

// The server build renders the first state only; the answers come in the browser.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
#[derive(Debug, Clone, PartialEq)]
enum Lookup {
    /// Not enough typed yet to look up.
    Idle,
    Offline,
    Asking,
    Found(Vec<LookupMatch>),
    Failed(String),
}

#[component]
pub fn KnownInMunicipality(query: Memo<LookupQuery>) -> impl IntoView {
    let pwa = use_pwa_state();
    let state = RwSignal::new(Lookup::Idle);
    Effect::new(move |_| {
        let asked = query.get();
        if asked.check().is_err() {
            state.set(Lookup::Idle);
            return;
        }
        if !pwa.online.get() {
            state.set(Lookup::Offline);
            return;
        }
        state.set(Lookup::Asking);
        #[cfg(feature = "hydrate")]
        wasm_bindgen_futures::spawn_local(async move {
            let body = serde_json::to_string(&asked).unwrap_or_default();
            let answer = crate::sync::browser::send::<Vec<LookupMatch>>(
                "POST",
                "/api/residents/lookup",
                Some(body),
            )
            .await;
            // An answer to what was typed before is no answer any more.
            if query.get_untracked() != asked {
                return;
            }
            state.set(match answer {
                Ok(found) => Lookup::Found(found),
                Err(crate::sync::browser::SyncError::Server(status, message)) if status < 500 => {
                    Lookup::Failed(message)
                }
                Err(e) => Lookup::Failed(e.words()),
            });
        });
    });
    view! {
        <div data-testid="known-in-municipality" aria-live="polite">
            {move || match state.get() {
                Lookup::Idle => ().into_any(),
                Lookup::Offline => view! {
                    <p class="hint">"Offline: alleen op dit apparaat gezocht, niet in de hele gemeente."</p>
                }.into_any(),
                Lookup::Asking => view! { <p class="hint">"Zoeken of deze inwoner al bekend is in de gemeente…"</p> }.into_any(),
                Lookup::Failed(message) => view! {
                    <p class="hint">{format!("Niet kunnen zoeken in de gemeente: {message}")}</p>
                }.into_any(),
                Lookup::Found(found) if found.is_empty() => view! {
                    <p class="hint" data-testid="not-known">"Niet bekend in de gemeente: registreer de inwoner hieronder."</p>
                }.into_any(),
                Lookup::Found(found) => view! {
                    <div class="notice" role="status">
                        <p><strong>"Deze inwoner is al bekend in de gemeente."</strong>" Registreer niet opnieuw."</p>
                        <ul class="list">
                            {found.into_iter().map(|m| view! { <KnownMatch found=m/> }).collect_view()}
                        </ul>
                    </div>
                }.into_any(),
            }}
        </div>
    }
}

#[component]
fn KnownMatch(found: LookupMatch) -> impl IntoView {
    let household = found.household_id;
    let case_manager = found
        .case_manager
        .clone()
        .map(|name| format!("Regisseur: {name}."))
        .unwrap_or_else(|| "Nog geen regisseur.".to_owned());
    if found.in_scope {
        let who = format!(
            "{} ({})",
            found.resident_name.clone().unwrap_or_default(),
            found.household_name.clone().unwrap_or_default()
        );
        return view! {
            <li class="list__item" data-testid="known-match">
                <span class="list__main"><strong>{who}</strong><span class="hint">{case_manager}</span></span>
                <a class="button button--primary" href=format!("/huishouden/{household}")>"Open het huishouden"</a>
            </li>
        }
        .into_any();
    }
    let team = found.team_name.clone();
    let requested = RwSignal::new(found.requested);
    let reason = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let ask = move |_| {
        let request = NewAccessRequest {
            reason: reason.get_untracked(),
        };
        if let Err(message) = request.check() {
            problem.set(Some(message.to_owned()));
            return;
        }
        problem.set(None);
        ask_access(household, request, requested, problem);
    };
    view! {
        <li class="list__item list__item--stacked" data-testid="known-match">
            <span class="list__main">
                <strong>{format!("Bekend bij {team}")}</strong>
                <span class="hint">{case_manager}</span>
            </span>
            <Show when=move || !requested.get()
                fallback=move || view! {
                    <p class="hint" data-testid="access-requested">
                        {format!("Toegang gevraagd: de coördinator van {} beslist. Na een ja komt het huishouden bij de volgende synchronisatie op dit apparaat.", found.team_name)}
                    </p>
                }>
                <TextArea id=format!("access-reason-{household}") label="Waarom heb je toegang nodig?".into() initial=reason.get_untracked() required=true
                    on_input=move |v| { reason.set(v); problem.set(None); } error=Signal::derive(move || problem.get())/>
                <button type="button" class="button button--secondary" on:click=ask>"Toegang vragen"</button>
            </Show>
        </li>
    }
    .into_any()
}

fn ask_access(
    household: Id,
    request: NewAccessRequest,
    requested: RwSignal<bool>,
    problem: RwSignal<Option<String>>,
) {
    let body = serde_json::to_string(&request).unwrap_or_default();
    #[cfg(not(feature = "hydrate"))]
    let _ = (household, body, requested, problem);
    #[cfg(feature = "hydrate")]
    wasm_bindgen_futures::spawn_local(async move {
        let url = format!("/api/households/{household}/access-requests");
        match crate::sync::browser::send::<serde_json::Value>("POST", &url, Some(body)).await {
            Ok(_) => requested.set(true),
            Err(crate::sync::browser::SyncError::Server(status, message)) if status < 500 => {
                problem.set(Some(message))
            }
            Err(e) => problem.set(Some(e.words())),
        }
    });
}
