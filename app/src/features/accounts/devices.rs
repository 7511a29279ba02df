//! "Apparaat kwijt": the devices that synced for the team (coordinator) or the municipality
//! (administrator). A device marked lost pulls nothing more; at its next contact it pushes what
//! it still holds and wipes itself.

use leptos::prelude::*;
use shared::model::DeviceSummary;

#[component]
pub fn DevicesCard() -> impl IntoView {
    let devices = RwSignal::new(None::<Result<Vec<DeviceSummary>, String>>);
    let message: super::Message = RwSignal::new(None);
    let reload = move || {
        #[cfg(feature = "hydrate")]
        wasm_bindgen_futures::spawn_local(async move {
            let result =
                crate::sync::browser::send::<Vec<DeviceSummary>>("GET", "/api/devices", None).await;
            devices.set(Some(result.map_err(|e| e.words())));
        });
    };
    Effect::new(move |_| reload());
    Effect::new(move |_| {
        if message.with(Option::is_some) {
            reload();
        }
    });
    let mark_lost = move |device: DeviceSummary| {
        let text = format!(
            "Het apparaat van {} is als kwijt gemeld. Het haalt niets meer op; bij het volgende contact verstuurt het wat nog wacht en wist het zich.",
            device.worker
        );
        #[cfg(feature = "hydrate")]
        super::act(
            "POST",
            format!("/api/devices/{}/lost", device.id),
            None,
            message,
            move |_: serde_json::Value| text,
        );
        #[cfg(not(feature = "hydrate"))]
        let _ = text;
    };
    view! {
        <section class="card" aria-labelledby="apparaten-kop" data-testid="devices">
            <h2 id="apparaten-kop">"Apparaten"</h2>
            <p class="hint">"Is een tablet of laptop kwijt of gestolen? Meld hem hier. De gegevens erop zijn versleuteld met de pincode."</p>
            <Show when=move || message.with(Option::is_some)>
                <p
                    class=move || if message.get().is_some_and(|m| m.0) { "notice notice--info" } else { "notice notice--error" }
                    role="status" data-testid="device-message"
                >{move || message.get().map(|m| m.1).unwrap_or_default()}</p>
            </Show>
            {move || match devices.get() {
                None => view! { <p class="empty-state">"Apparaten worden geladen…"</p> }.into_any(),
                Some(Err(reason)) => view! { <p class="notice notice--error" role="alert">{reason}</p> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p class="empty-state">"Nog geen apparaten."</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <table class="table" data-testid="devices-table">
                        <caption class="visually-hidden">"Apparaten die synchroniseren"</caption>
                        <thead><tr>
                            <th scope="col">"Medewerker"</th><th scope="col">"Team"</th>
                            <th scope="col">"Laatst gezien"</th><th scope="col">"Status"</th>
                        </tr></thead>
                        <tbody>
                            {list.into_iter().map(|d| {
                                let lost = d.lost;
                                let label = format!("Apparaat kwijt ({}, {})", d.worker, d.last_seen_at);
                                let device = d.clone();
                                view! {
                                    <tr data-testid="device-row">
                                        <td>{d.worker.clone()}</td>
                                        <td>{d.team.clone()}</td>
                                        <td>{d.last_seen_at.clone()}</td>
                                        <td>
                                            {if lost {
                                                view! { <span>"Kwijt gemeld"</span> }.into_any()
                                            } else {
                                                view! {
                                                    <button class="button button--danger button--small" type="button"
                                                        aria-label=label on:click=move |_| mark_lost(device.clone())>
                                                        "Apparaat kwijt"
                                                    </button>
                                                }.into_any()
                                            }}
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            }}
        </section>
    }
}
