//! The social map as a worker looks something up during a conversation or while making a plan:
//! search by text, life domain and working area, with how to reach each partner. Read from the
//! device's copy (refreshed at every sync), so it works offline.

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn SocialMapSearchPage() -> impl IntoView {
    let catalogue = crate::reference::catalogue();
    let map = catalogue.social_map();
    let domains: Vec<(String, String)> = catalogue
        .current_quick_scan()
        .life_domains()
        .into_iter()
        .map(|(id, label)| (id.to_owned(), label.to_owned()))
        .collect();
    let areas: Vec<String> = map.areas().into_iter().map(str::to_owned).collect();
    let query = RwSignal::new(String::new());
    let domain = RwSignal::new(String::new());
    let area = RwSignal::new(String::new());
    let label_of = {
        let domains = domains.clone();
        move |id: &str| {
            domains
                .iter()
                .find(|(d, _)| d == id)
                .map_or_else(|| id.to_owned(), |(_, label)| label.clone())
        }
    };
    let found = Memo::new(move |_| {
        let (d, a) = (domain.get(), area.get());
        map.search_in(
            &query.get(),
            (!d.is_empty()).then_some(d.as_str()),
            (!a.is_empty()).then_some(a.as_str()),
        )
        .into_iter()
        .cloned()
        .collect::<Vec<_>>()
    });
    let found = move || found.get();
    view! {
        <Title text="Sociale kaart"/>
        <h1>"Sociale kaart"</h1>
        <p class="lead">"Organisaties, voorzieningen en vrijwilligers in de gemeente. Ook zonder verbinding."</p>
        <form class="card" role="search" aria-label="Zoeken op de sociale kaart" on:submit=|ev| ev.prevent_default()>
            <div class="field-grid">
                <div class="field">
                    <label class="field__label" for="kaart-zoek">"Zoek op naam of dienst"</label>
                    <input id="kaart-zoek" class="field__input" type="search" autocomplete="off"
                        on:input=move |ev| query.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label class="field__label" for="kaart-leefgebied">"Leefgebied"</label>
                    <select id="kaart-leefgebied" class="field__input" on:change=move |ev| domain.set(event_target_value(&ev))>
                        <option value="">"Alle leefgebieden"</option>
                        {domains.iter().map(|(id, label)| view! { <option value=id.clone()>{label.clone()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label class="field__label" for="kaart-gebied">"Werkgebied"</label>
                    <select id="kaart-gebied" class="field__input" on:change=move |ev| area.set(event_target_value(&ev))>
                        <option value="">"Hele gemeente"</option>
                        {areas.iter().map(|a| view! { <option value=a.clone()>{a.clone()}</option> }).collect_view()}
                    </select>
                </div>
            </div>
        </form>
        <p class="hint" role="status" data-testid="partners-found">
            {move || crate::ui::counted(found().len() as i64, "partner gevonden", "partners gevonden")}
        </p>
        <section class="card" aria-label="Gevonden partners">
        <ul class="list" data-testid="partners">
            {move || found().into_iter().map(|p| {
                let domains = p.life_domains.iter().map(|d| label_of(d)).collect::<Vec<_>>().join(", ");
                let phone = format!("tel:{}", p.phone.replace(' ', ""));
                let mail = format!("mailto:{}", p.email);
                view! {
                    <li class="list__item list__item--stacked" data-testid="partner">
                        <span><strong>{p.name.clone()}</strong>" "<span class="hint">{p.kind.clone()}</span></span>
                        <span>{p.description.clone()}</span>
                        <dl class="facts facts--compact">
                            <div><dt>"Leefgebieden"</dt><dd>{domains}</dd></div>
                            {(!p.area.trim().is_empty()).then(|| view! { <div><dt>"Werkgebied"</dt><dd>{p.area.clone()}</dd></div> })}
                            {(!p.phone.trim().is_empty()).then(|| view! { <div><dt>"Telefoon"</dt><dd><a href=phone>{p.phone.clone()}</a></dd></div> })}
                            {(!p.email.trim().is_empty()).then(|| view! { <div><dt>"E-mail"</dt><dd><a href=mail>{p.email.clone()}</a></dd></div> })}
                            {(!p.address.trim().is_empty()).then(|| view! { <div><dt>"Adres"</dt><dd>{p.address.clone()}</dd></div> })}
                            {(!p.opening_hours.trim().is_empty()).then(|| view! { <div><dt>"Open"</dt><dd>{p.opening_hours.clone()}</dd></div> })}
                        </dl>
                    </li>
                }
            }).collect_view()}
        </ul>
        </section>
    }
}
