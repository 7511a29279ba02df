//! For the administrator: the ZGW export's queue (docs/zgw.md). Each melding whose zaak still
//! has something to go to the zaaksysteem, how often it failed, why (in words, never with the
//! resident's data), and when it is tried next; "Nu opnieuw proberen" once the cause is fixed.
//! Online only: the queue lives on the server.

use crate::clock::when;
use leptos::prelude::*;
use leptos_meta::Title;
use shared::model::Id;
use shared::zgw::Queue;

#[component]
pub fn ZgwQueuePage() -> impl IntoView {
    let queue = RwSignal::new(None::<Result<Queue, String>>);
    let notice = RwSignal::new(None::<Result<String, String>>);
    let load = move || {
        #[cfg(not(feature = "hydrate"))]
        let _ = queue;
        #[cfg(feature = "hydrate")]
        wasm_bindgen_futures::spawn_local(async move {
            let answer = crate::sync::browser::send::<Queue>("GET", "/api/zgw/queue", None).await;
            queue.set(Some(answer.map_err(|e| match e {
                crate::sync::browser::SyncError::Server(403, _) => {
                    "Alleen functioneel beheer ziet de wachtrij naar het zaaksysteem.".to_owned()
                }
                other => other.words(),
            })));
        });
    };
    Effect::new(move |_| load());
    let retry = move |id: Id, identificatie: String| {
        #[cfg(not(feature = "hydrate"))]
        let _ = (id, identificatie, notice);
        #[cfg(feature = "hydrate")]
        wasm_bindgen_futures::spawn_local(async move {
            let url = format!("/api/zgw/queue/{id}/retry");
            match crate::sync::browser::send::<serde_json::Value>("POST", &url, None).await {
                Ok(_) => {
                    notice.set(Some(Ok(format!(
                        "Zaak {identificatie} wordt nu opnieuw verstuurd."
                    ))));
                    load();
                }
                Err(e) => notice.set(Some(Err(crate::ui::online::refusal_words(e)))),
            }
        });
    };
    view! {
        <Title text="Zaaksysteem"/>
        <h1>"Zaaksysteem"</h1>
        <section class="card" aria-labelledby="wachtrij-kop" data-testid="zgw-queue">
            <h2 id="wachtrij-kop">"Wachtrij naar het zaaksysteem"</h2>
            <p class="hint">"Elke melding wordt een zaak in het zaaksysteem van de gemeente, met de statussen van de wettelijke termijnen en het verslag waarmee de inwoner akkoord ging. Wat hier staat, is nog niet aangekomen; mislukte pogingen worden vanzelf opnieuw geprobeerd, steeds later."</p>
            <crate::ui::online::NoticeLine notice/>
            {move || match queue.get() {
                None => view! { <p class="hint">"Laden…"</p> }.into_any(),
                Some(Err(words)) => view! { <p class="notice notice--error" role="alert">{words}</p> }.into_any(),
                Some(Ok(queue)) => {
                    let unconfigured = (!queue.configured).then(|| view! {
                        <p class="notice" role="status">"Er is geen zaaksysteem ingesteld (KEUKENTAFEL_ZGW_ZAKEN_URL): meldingen wachten hier tot dat gebeurt."</p>
                    });
                    let list = if queue.items.is_empty() {
                        view! { <p class="empty-state">"Niets in de wachtrij: alle zaken zijn bijgewerkt."</p> }.into_any()
                    } else {
                        view! {
                            <ul class="list">
                                {queue.items.into_iter().map(|item| {
                                    let (id, identificatie) = (item.notification_id, item.identificatie.clone());
                                    let label = format!("Zaak {} nu opnieuw proberen", item.identificatie);
                                    let state = if item.attempts == 0 {
                                        "Wacht op verzending".to_owned()
                                    } else {
                                        format!(
                                            "{} mislukt; volgende poging {}",
                                            crate::ui::counted(item.attempts.into(), "poging", "pogingen"),
                                            when(item.next_attempt_at)
                                        )
                                    };
                                    view! {
                                        <li class="list__item list__item--stacked" data-testid="zgw-item">
                                            <span class="list__main">
                                                <strong>{format!("Zaak {}", item.identificatie)}</strong>
                                                <span class="hint">{state}</span>
                                                {item.failure.map(|words| view! { <span class="zgw-failure">{words}</span> })}
                                            </span>
                                            <button type="button" class="button button--secondary" aria-label=label
                                                on:click=move |_| retry(id, identificatie.clone())>"Nu opnieuw proberen"</button>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    };
                    view! { {unconfigured} {list} }.into_any()
                }
            }}
        </section>
    }
}
