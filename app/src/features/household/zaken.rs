//! The household's zaken in the municipality's zaaksysteem (ZGW export, docs/zgw.md): each
//! melding's zaak, when it was last brought up to date, and whether something still waits to
//! go. Online only: the server delivers them. Shown only when there are any.

use crate::clock::when;
use leptos::prelude::*;
use shared::model::Id;
use shared::zgw::ZaakLine;

#[component]
pub fn ZakenCard(household_id: Id) -> impl IntoView {
    let zaken = RwSignal::new(Vec::<ZaakLine>::new());
    Effect::new(move |_| {
        #[cfg(not(feature = "hydrate"))]
        let _ = (zaken, household_id);
        #[cfg(feature = "hydrate")]
        wasm_bindgen_futures::spawn_local(async move {
            let url = format!("/api/households/{household_id}/zaken");
            // Offline, or a role that may not read the household: nothing to show.
            if let Ok(list) = crate::sync::browser::send::<Vec<ZaakLine>>("GET", &url, None).await {
                zaken.set(list);
            }
        });
    });
    view! {
        <Show when=move || !zaken.with(Vec::is_empty)>
            <section class="card" aria-labelledby="zaken-kop" data-testid="zaken">
                <h2 id="zaken-kop">"Zaaksysteem"</h2>
                <ul class="list">
                    {move || zaken.get().into_iter().map(|zaak| view! {
                        <li class="list__item" data-testid="zaak">
                            <span class="list__main">
                                <strong>{line(&zaak)}</strong>
                                {zaak.failure.clone().map(|words| view! {
                                    <span class="hint">{format!("Versturen lukt nog niet, het wordt opnieuw geprobeerd: {words}")}</span>
                                })}
                            </span>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        </Show>
    }
}

/// "Zaak Z-2026-000001, bijgewerkt om 14:05", and whether something still waits to go.
fn line(zaak: &ZaakLine) -> String {
    let updated = match zaak.updated_at {
        Some(at) => format!("Zaak {}, bijgewerkt {}", zaak.identificatie, when(at)),
        None => format!("Zaak {}, nog niet verstuurd", zaak.identificatie),
    };
    if zaak.waiting && zaak.updated_at.is_some() {
        format!("{updated}; een wijziging wacht op verzending")
    } else {
        updated
    }
}
