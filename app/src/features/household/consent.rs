use crate::clock::today;
use crate::store::use_store;
use crate::ui::form::{field_error, ChoiceGroup, TextField};
use leptos::prelude::*;
use shared::model::consent::{Consent, ConsentForm};
use shared::model::{Household, Id};
use shared::rules::validation::{display_date, format_date, parse_date, FieldErrors};

/// Consent per member, partner and purpose: how it was given, when, and its withdrawal.
#[component]
pub fn ConsentCard(household: Household, main_resident: Id) -> impl IntoView {
    let store = use_store();
    let household_id = household.id;
    // Every member can give (or refuse) consent for their own data.
    let members = untrack(|| super::member_names(store, &household));
    let name_of = {
        let members = members.clone();
        move |id: Id| {
            members
                .iter()
                .find(|(m, _)| *m == id)
                .map(|(_, name)| name.clone())
                .unwrap_or_default()
        }
    };
    let whose = RwSignal::new(main_resident);
    let consents = move || {
        let mut list: Vec<Consent> = store
            .read(|s| s.list::<Consent>())
            .unwrap_or_default()
            .into_iter()
            .filter(|c| c.household_id == household_id)
            .collect();
        list.sort_by_key(|c| std::cmp::Reverse(c.given_on));
        list
    };
    let partner = RwSignal::new(String::new());
    let purpose = RwSignal::new("warme overdracht".to_owned());
    let form = RwSignal::new("spoken".to_owned());
    let date = RwSignal::new(format_date(today()));
    let errors = RwSignal::new(FieldErrors::default());
    let form_key = RwSignal::new(0u32);
    let record = move |_| {
        let mut problems = FieldErrors::default();
        if partner.get_untracked().is_empty() {
            problems.add("consent-partner", "Kies de partner.");
        }
        problems.require_text("consent-purpose", &purpose.get_untracked(), "het doel", 200);
        let given_on = parse_date(&date.get_untracked());
        if given_on.is_none() {
            problems.add("consent-date", "Vul de datum in.");
        }
        let Some(given_on) = given_on.filter(|_| problems.is_empty()) else {
            errors.set(problems);
            return;
        };
        errors.set(FieldErrors::default());
        let consent = Consent {
            id: Id::now_v7(),
            household_id,
            resident_id: whose.get_untracked(),
            partner_id: partner.get_untracked(),
            purpose: purpose.get_untracked().trim().to_owned(),
            form: if form.get_untracked() == "signed" {
                ConsentForm::Signed
            } else {
                ConsentForm::Spoken
            },
            given_on,
            withdrawn_on: None,
        };
        if store.write(|s| s.put(&consent)) {
            partner.set(String::new());
            form_key.update(|k| *k += 1);
        }
    };
    let withdraw = move |mut consent: Consent| {
        consent.withdrawn_on = Some(today());
        store.write(|s| s.put(&consent));
    };
    let map = crate::reference::catalogue().social_map();
    view! {
        <section class="card" aria-labelledby="toestemming-kop" data-testid="consent">
            <h2 id="toestemming-kop">"Toestemming om gegevens te delen"</h2>
            <p class="hint">"Per partner en doel. Toestemming komt bovenop de wettelijke grondslag; zonder toestemming of vastgelegde grondslag geen overdracht."</p>
            {move || {
                let list = consents();
                if list.is_empty() {
                    return view! { <p class="empty-state">"Nog geen toestemming vastgelegd."</p> }.into_any();
                }
                view! {
                    <ul class="list">
                        {list.into_iter().map(|c| {
                            let name = map.partner(&c.partner_id).map(|p| p.name.clone()).unwrap_or_else(|| c.partner_id.clone());
                            let valid = c.is_valid_on(today());
                            let status = match c.withdrawn_on {
                                Some(w) => format!("Ingetrokken op {}", display_date(w)),
                                None => "Geldig".to_owned(),
                            };
                            let to_withdraw = c.clone();
                            view! {
                                <li class="list__item">
                                    <span class="list__main">
                                        <strong>{name}</strong>
                                        <span>{format!("{} · {} · {}", c.purpose, c.form.label(), display_date(c.given_on))}</span>
                                        <span class="hint">{format!("Van {}", name_of(c.resident_id))}</span>
                                    </span>
                                    <span class="list__meta">
                                        <span class:overdue=!valid>{status}</span>
                                        {valid.then(|| view! {
                                            <button type="button" class="button button--secondary"
                                                on:click=move |_| withdraw(to_withdraw.clone())>"Intrekken"</button>
                                        })}
                                    </span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <details>
                <summary class="clock-dates">"Toestemming vastleggen"</summary>
                {move || {
                    form_key.track();
                    let members = members.clone();
                    view! {
                        <Show when={
                            let many = members.len() > 1;
                            move || many
                        }>
                            <div class="field">
                                <label class="field__label" for="consent-whose">"Van wie"</label>
                                <select id="consent-whose" class="field__input"
                                    on:change=move |ev| if let Ok(id) = Id::parse_str(&event_target_value(&ev)) { whose.set(id) }>
                                    {members.iter().map(|(id, name)| {
                                        let selected = *id == whose.get_untracked();
                                        view! { <option value=id.to_string() selected=selected>{name.clone()}</option> }
                                    }).collect_view()}
                                </select>
                            </div>
                        </Show>
                        <div class="field">
                            <label class="field__label" for="consent-partner">"Partner"</label>
                            <select id="consent-partner" class="field__input" on:change=move |ev| partner.set(event_target_value(&ev))>
                                <option value="">"Kies een partner"</option>
                                {map.partners.iter().filter(|p| p.active).map(|p| view! { <option value=p.id.clone()>{p.name.clone()}</option> }).collect_view()}
                            </select>
                            {move || errors.with(|e| e.for_field("consent-partner").map(|m| view! { <p class="field__error">{m.to_owned()}</p> }))}
                        </div>
                        <TextField id="consent-purpose" label="Doel".into() initial=purpose.get_untracked() required=true
                            on_input=move |v| purpose.set(v) error=field_error(errors, "consent-purpose")/>
                        <ChoiceGroup name="consent-form".into() legend="Hoe gegeven?".into()
                            options=vec![("spoken".into(), ConsentForm::Spoken.label().into()), ("signed".into(), ConsentForm::Signed.label().into())]
                            initial=Some(form.get_untracked()) on_choose=move |v| form.set(v)/>
                        <TextField id="consent-date" label="Datum".into() input_type="date" initial=date.get_untracked() required=true
                            on_input=move |v| date.set(v) error=field_error(errors, "consent-date")/>
                    }
                }}
                <button type="button" class="button button--primary" on:click=record>"Toestemming vastleggen"</button>
            </details>
        </section>
    }
}
