use crate::pwa::{use_pwa_state, Persistence};
use crate::settings::{use_settings, TextSize};
use leptos::prelude::*;
use leptos_meta::Title;

/// About this app and device settings: version, connection, storage and text size.
#[component]
pub fn AboutPage() -> impl IntoView {
    let pwa = use_pwa_state();
    let settings = use_settings();
    let text_size = move || settings.0.get().text_size;
    let set_text_size = move |size: TextSize| settings.0.update(|s| s.text_size = size);
    let lock = crate::lock::use_lock();
    // Known in the browser only: starts false so the server's page and hydration agree.
    let pin_set = RwSignal::new(false);
    Effect::new(move |_| pin_set.set(crate::store::has_pin()));

    view! {
        <Title text="Over deze app"/>
        <h1>"Over deze app"</h1>
        <super::account::AccountCard/>
        <section class="card" aria-labelledby="apparaat">
            <h2 id="apparaat">"Dit apparaat"</h2>
            <dl class="facts">
                <div>
                    <dt>"Versie"</dt>
                    <dd data-testid="app-version">{shared::APP_VERSION}</dd>
                </div>
                <div>
                    <dt>"Verbinding"</dt>
                    <dd>{move || if pwa.online.get() { "Online" } else { "Offline" }}</dd>
                </div>
                <div>
                    <dt>"Opslag"</dt>
                    <dd data-testid="persistence">{move || pwa.persistence.get().label()}</dd>
                </div>
                <div>
                    <dt>"Gebruikte ruimte"</dt>
                    <dd>
                        {move || match pwa.estimate.get() {
                            Some(e) => format!("{} van {}", human_size(e.usage), human_size(e.quota)),
                            None => "Nog niet bekend".to_owned(),
                        }}
                    </dd>
                </div>
            </dl>
            <Show when=move || pwa.persistence.get() == Persistence::BestEffort>
                <p class="hint">
                    "Zet de app op het beginscherm en open hem regelmatig, dan bewaart de browser je gegevens langer."
                </p>
                <button class="button button--secondary" on:click=move |_| pwa.request_persistence()>
                    "Opnieuw vragen om blijvende opslag"
                </button>
            </Show>
        </section>
        <Show when=move || pin_set.get()>
            <section class="card" aria-labelledby="vergrendeling">
                <h2 id="vergrendeling">"Vergrendeling"</h2>
                <div class="choice-group" role="group" aria-labelledby="vergrendel-na">
                    <p id="vergrendel-na" class="choice-group__label">"Vergrendelen na"</p>
                    {[2u32, 5, 15].into_iter().map(|minutes| view! {
                        <button
                            class="button button--choice"
                            aria-pressed=move || (settings.0.get().lock_after_minutes == minutes).to_string()
                            on:click=move |_| settings.0.update(|s| s.lock_after_minutes = minutes)
                        >
                            {format!("{minutes} minuten")}
                        </button>
                    }).collect_view()}
                </div>
                <div class="actions">
                    <button class="button button--secondary" data-testid="lock-now"
                        on:click=move |_| lock.lock()>"Nu vergrendelen"</button>
                </div>
            </section>
        </Show>
        <section class="card" aria-labelledby="weergave">
            <h2 id="weergave">"Weergave"</h2>
            <div class="choice-group" role="group" aria-labelledby="tekstgrootte">
                <p id="tekstgrootte" class="choice-group__label">"Tekstgrootte"</p>
                <button
                    class="button button--choice"
                    aria-pressed=move || (text_size() == TextSize::Normal).to_string()
                    on:click=move |_| set_text_size(TextSize::Normal)
                >
                    "Normaal"
                </button>
                <button
                    class="button button--choice"
                    aria-pressed=move || (text_size() == TextSize::Large).to_string()
                    on:click=move |_| set_text_size(TextSize::Large)
                >
                    "Groot"
                </button>
            </div>
        </section>
    }
}

/// A size in words a worker reads at a glance, with a Dutch decimal comma.
fn human_size(bytes: f64) -> String {
    let (value, unit) = if bytes >= 1e9 {
        (bytes / 1e9, "GB")
    } else {
        (bytes / 1e6, "MB")
    };
    format!("{value:.1} {unit}").replace('.', ",")
}

#[cfg(test)]
mod tests {
    #[test]
    fn sizes_use_a_dutch_decimal_comma_and_a_fitting_unit() {
        assert_eq!(super::human_size(1_260_000.0), "1,3 MB");
        assert_eq!(super::human_size(10_737_418_240.0), "10,7 GB");
    }
}
