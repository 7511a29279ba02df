use leptos::prelude::*;
use leptos_meta::Title;

/// The worker's start screen: today's contacts and open questions (filled by the quick-scan
/// feature).
#[component]
pub fn TodayPage() -> impl IntoView {
    view! {
        <Title text="Vandaag"/>
        <h1>"Vandaag"</h1>
        <section class="card" aria-labelledby="contacten-vandaag">
            <h2 id="contacten-vandaag">"Contacten van vandaag"</h2>
            <p class="empty-state">"Je hebt vandaag nog geen contacten vastgelegd."</p>
        </section>
        <section class="card" aria-labelledby="open-vragen">
            <h2 id="open-vragen">"Open vragen"</h2>
            <p class="empty-state">"Er staan geen vragen open met een volgende stap."</p>
        </section>
    }
}
