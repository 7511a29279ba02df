use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <Title text="Pagina niet gevonden"/>
        <h1>"Deze pagina bestaat niet"</h1>
        <p>"Controleer het adres, of ga terug naar het overzicht van vandaag."</p>
        <p><A href="/" attr:class="button button--secondary">"Naar Vandaag"</A></p>
    }
}
