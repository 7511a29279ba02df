//! Signals from outside (`shared::model::outside_signal`): recorded by the front office
//! ([`NewSignalPage`]), acted on in the team's inbox ([`SignalInboxPage`]), and carried by the
//! contact made from one ([`FromSignal`] on the new contact page).

mod inbox;
mod new;

pub use inbox::{SignalInboxPage, PICKED};
pub use new::NewSignalPage;

use leptos::prelude::*;
use shared::model::OutsideSignal;

/// On the new contact page: the signal this contact is made from, in the reporter's words.
#[component]
pub fn FromSignal(
    signal: OutsideSignal,
    on_drop: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    let shown = RwSignal::new(true);
    let on_drop = Callback::new(move |()| on_drop());
    let reporter = if signal.reporter.anonymous {
        format!("{} (anoniem)", signal.reporter.source.label())
    } else {
        format!(
            "{} ({})",
            signal.reporter.name,
            signal.reporter.source.label()
        )
    };
    view! {
        <Show when=move || shown.get()>
            <section class="card" aria-labelledby="signaal-kop" data-testid="from-signal">
                <h2 id="signaal-kop">"Vanuit een signaal"</h2>
                <p>{format!("{reporter}, ontvangen {}:", crate::clock::when(signal.received_at))}</p>
                <p class="signal__concern">{signal.concern.clone()}</p>
                {(!signal.about.is_empty()).then(|| view! { <p class="hint">{format!("Over: {}", signal.about)}</p> })}
                <p class="hint">"Zodra dit contact is gesynchroniseerd, staat het signaal als opgepakt in de signalen van het team."</p>
                <button type="button" class="button button--secondary"
                    on:click=move |_| { on_drop.run(()); shown.set(false); }>"Niet vanuit dit signaal"</button>
            </section>
        </Show>
    }
}
