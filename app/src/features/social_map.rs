//! The social map as a worker uses it in a conversation: search by name or life domain, and
//! pick the partner of a referral. Kept on the device since the last sync, so it works offline.

use crate::features::quick_scan::outcome::OutcomeDraft;
use crate::ui::form::ErrorText;
use leptos::prelude::*;
use shared::templates::Role;

#[component]
pub fn PartnerPicker(
    draft: RwSignal<OutcomeDraft>,
    first_domain: String,
    error: Signal<Option<String>>,
) -> impl IntoView {
    let catalogue = crate::reference::catalogue();
    let map = catalogue.social_map();
    let domains = &catalogue
        .current_quick_scan()
        .question_with_role(Role::LifeDomains)
        .options;
    let initial = draft.get_untracked();
    let query = RwSignal::new(initial.partner_query.clone());
    let domain = RwSignal::new(first_domain);
    let chosen = Memo::new(move |_| draft.with(|d| d.partner_id.clone()));
    let found = move || {
        let d = domain.get();
        map.search(&query.get(), (!d.is_empty()).then_some(d.as_str()))
            .into_iter()
            .cloned()
            .collect::<Vec<_>>()
    };
    view! {
        <fieldset class="choices" class:field--invalid=move || error.get().is_some()>
            <legend class="field__label">"Partner van de sociale kaart"</legend>
            <ErrorText id="partner-fout".into() error=error/>
            <div class="field-grid">
                <div class="field">
                    <label class="field__label" for="partner-search">"Zoek op naam"</label>
                    <input id="partner-search" class="field__input" type="search" prop:value=initial.partner_query
                        on:input=move |ev| {
                            let v = event_target_value(&ev);
                            query.set(v.clone());
                            draft.update(|d| d.partner_query = v);
                        }/>
                </div>
                <div class="field">
                    <label class="field__label" for="partner-domain">"Leefgebied"</label>
                    <select id="partner-domain" class="field__input" on:change=move |ev| domain.set(event_target_value(&ev))>
                        <option value="" selected=move || domain.get_untracked().is_empty()>"Alle leefgebieden"</option>
                        {domains.iter().map(|o| {
                            let id = o.id.clone();
                            let selected = domain.get_untracked() == id;
                            view! { <option value=id selected=selected>{o.label.clone()}</option> }
                        }).collect_view()}
                    </select>
                </div>
            </div>
            <div class="choices__options choices__options--list" aria-live="polite">
                {move || {
                    let partners = found();
                    if partners.is_empty() {
                        return view! { <p class="empty-state">"Geen partner gevonden. Kies een ander leefgebied of zoekwoord."</p> }.into_any();
                    }
                    partners.into_iter().map(|p| {
                        let input_id = format!("partner-{}", p.id);
                        let for_id = input_id.clone();
                        let value = p.id.clone();
                        let checked = chosen.get_untracked() == p.id;
                        view! {
                            <label class="choice choice--partner" for=for_id>
                                <input type="radio" name="partner" id=input_id prop:checked=checked
                                    on:change=move |_| draft.update(|d| d.partner_id = value.clone())/>
                                <span>
                                    <strong>{p.name.clone()}</strong>" · "{p.kind.clone()}
                                    <br/><span class="hint">{p.description.clone()}</span>
                                    <br/><span class="hint">{format!("{} · {} · {}", p.phone, p.address, p.opening_hours)}</span>
                                </span>
                            </label>
                        }
                    }).collect_view().into_any()
                }}
            </div>
        </fieldset>
    }
}
