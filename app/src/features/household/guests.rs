//! For the household's coordinator: workers of other teams who were granted access (find before
//! you register), and "Toegang intrekken" for each; their devices remove the household at their
//! next sync. Online only: guests are known to the server. Shown only when there are any.

use leptos::prelude::*;
use shared::model::Id;
use shared::rules::lookup::Guest;
use shared::rules::validation::display_date;

#[component]
pub fn GuestsCard(household_id: Id) -> impl IntoView {
    let guests = RwSignal::new(Vec::<Guest>::new());
    let notice = RwSignal::new(None::<Result<String, String>>);
    let load = move || {
        #[cfg(not(feature = "hydrate"))]
        let _ = (guests, household_id);
        #[cfg(feature = "hydrate")]
        wasm_bindgen_futures::spawn_local(async move {
            let url = format!("/api/households/{household_id}/guests");
            // Anyone but the coordinator is refused: then there is nothing to show.
            if let Ok(list) = crate::sync::browser::send::<Vec<Guest>>("GET", &url, None).await {
                guests.set(list);
            }
        });
    };
    Effect::new(move |_| load());
    let revoke = move |account: Id, name: String| {
        #[cfg(not(feature = "hydrate"))]
        let _ = (account, name, notice);
        #[cfg(feature = "hydrate")]
        wasm_bindgen_futures::spawn_local(async move {
            let url = format!("/api/households/{household_id}/guests/{account}");
            match crate::sync::browser::send::<serde_json::Value>("DELETE", &url, None).await {
                Ok(_) => {
                    notice.set(Some(Ok(format!(
                        "De toegang van {name} is ingetrokken. Bij de volgende synchronisatie verdwijnt het huishouden van hun apparaten."
                    ))));
                    load();
                }
                Err(e) => notice.set(Some(Err(crate::ui::online::refusal_words(e)))),
            }
        });
    };
    view! {
        <Show when=move || !guests.with(Vec::is_empty) || notice.with(Option::is_some)>
            <section class="card" aria-labelledby="gasten-kop" data-testid="guests">
                <h2 id="gasten-kop">"Toegang voor andere teams"</h2>
                <p class="hint">"Medewerkers van andere teams die toegang kregen tot dit huishouden. Trek de toegang in zodra zij niet meer voor deze inwoner werken."</p>
                <crate::ui::online::NoticeLine notice/>
                <ul class="list">
                    {move || guests.get().into_iter().map(|g| {
                        let (account, name) = (g.account_id, g.name.clone());
                        let label = format!("Toegang van {} intrekken", g.name);
                        view! {
                            <li class="list__item" data-testid="guest">
                                <span class="list__main">
                                    <strong>{format!("{} ({})", g.name, g.team)}</strong>
                                    <span class="hint">{format!("Toegang sinds {}", display_date(g.granted_on))}</span>
                                </span>
                                <button type="button" class="button button--secondary" aria-label=label
                                    on:click=move |_| revoke(account, name.clone())>"Toegang intrekken"</button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        </Show>
    }
}
