use super::ResidentFields;
use crate::clock;
use crate::store::use_store;
use crate::ui::form::{field_error, ChoiceGroup, TextField};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;
use serde::{Deserialize, Serialize};
use shared::model::{
    Channel, Contact, Household, Id, OutsideSignal, QuickScan, Relation, Resident, ResidentDraft,
};
use shared::rules::validation::{display_date, FieldErrors};

const DRAFT: &str = "new-contact";
use crate::features::signals::PICKED;

/// What the form holds, kept across a reload until the quick scan starts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct NewContactDraft {
    channel: Option<String>,
    place: String,
    worker: String,
    query: String,
    resident_id: Option<Id>,
    register_new: bool,
    resident: ResidentDraft,
    household: String,
    relation: String,
    /// The resident was told what is recorded and with whom it may be shared.
    #[serde(default)]
    told: bool,
    /// The signal from outside this contact is made from ("Vraag van maken" in the inbox).
    #[serde(default)]
    signal: Option<OutsideSignal>,
}

#[component]
pub fn NewContactPage() -> impl IntoView {
    let store = use_store();
    let query = leptos_router::hooks::use_query_map();
    view! {
        <Title text="Nieuw contact"/>
        <h1>"Nieuw contact"</h1>
        <p class="hint">"Een korte vraag zonder de inwoner te registreren? "
            <a href="/contact/anoniem">"Leg een snelle vraag zonder inwoner vast"</a>"." " Zorgen van iemand anders, zoals een huisarts of buurtbewoner? "
            <a href="/signaal/nieuw">"Leg een signaal vast"</a>"."</p>
        {move || {
            if !store.is_ready() {
                return view! { <p class="empty-state">"Gegevens op dit apparaat worden geladen…"</p> }.into_any();
            }
            let mut draft = untrack(|| store.read(|s| s.draft::<NewContactDraft>(DRAFT)).flatten())
                .unwrap_or_else(|| NewContactDraft {
                    worker: untrack(|| store.read(|s| s.draft::<String>("worker-name")).flatten())
                        .unwrap_or_default(),
                    ..Default::default()
                });
            // Opened from the signal inbox: the contact carries the signal it was made from.
            let asked = untrack(|| query.with(|q| q.get("signaal")))
                .and_then(|id| Id::parse_str(&id).ok());
            if let Some(picked) = asked
                .filter(|id| draft.signal.as_ref().map(|s| s.id) != Some(*id))
                .and_then(|id| {
                    untrack(|| store.read(|s| s.draft::<OutsideSignal>(PICKED)).flatten())
                        .filter(|s| s.id == id)
                })
            {
                draft.channel.get_or_insert_with(|| picked.channel.key().to_owned());
                draft.signal = Some(picked);
            }
            view! { <NewContactForm draft/> }.into_any()
        }}
    }
}

#[component]
fn NewContactForm(draft: NewContactDraft) -> impl IntoView {
    let store = use_store();
    let navigate = use_navigate();
    let initial = draft.clone();
    let draft = RwSignal::new(draft);
    let errors = RwSignal::new(FieldErrors::default());
    // Every keystroke is kept on the device, so a reload loses nothing.
    crate::store::autosave_draft(draft, DRAFT.to_owned());

    let set = move |f: fn(&mut NewContactDraft, String)| {
        move |value: String| draft.update(|d| f(d, value))
    };
    let residents = move || store.read(|s| s.list::<Resident>()).unwrap_or_default();
    let households = move || store.read(|s| s.list::<Household>()).unwrap_or_default();
    let register_new = Memo::new(move |_| draft.with(|d| d.register_new));
    let chosen = Memo::new(move |_| draft.with(|d| d.resident_id));

    let start = move |_| {
        let d = draft.get_untracked();
        let today = clock::today();
        let mut problems = FieldErrors::default();
        let channel = d.channel.as_deref().and_then(Channel::from_key);
        if channel.is_none() {
            problems.add("channel", "Kies het kanaal van dit contact.");
        }
        problems.require_text("worker", &d.worker, "je naam", 100);
        let household_id = Id::parse_str(&d.household).ok();
        let (resident, new_household) = if d.register_new {
            let household_id = household_id.unwrap_or_else(Id::now_v7);
            let validated = d
                .resident
                .validate(Id::now_v7(), household_id, today)
                .and_then(|resident| {
                    shared::model::resident::refuse_same_bsn(
                        &residents(),
                        &resident,
                        "Zoek en kies deze inwoner in plaats van een nieuwe te registreren.",
                    )
                    .map(|()| resident)
                });
            match validated {
                Ok(resident) => {
                    let household = match households().into_iter().find(|h| h.id == household_id) {
                        Some(mut existing) => {
                            let relation =
                                Relation::from_key(&d.relation).unwrap_or(Relation::Other);
                            existing.add_member(resident.id, relation);
                            existing
                        }
                        None => Household::for_resident(
                            household_id,
                            resident.id,
                            &resident.family_name,
                        ),
                    };
                    (Some(resident), Some(household))
                }
                Err(resident_errors) => {
                    problems.0.extend(resident_errors.0);
                    (None, None)
                }
            }
        } else {
            let found = d
                .resident_id
                .and_then(|id| residents().into_iter().find(|r| r.id == id));
            if found.is_none() {
                problems.add(
                    "resident",
                    "Zoek en kies een inwoner, of registreer een nieuwe.",
                );
            }
            (found, None)
        };
        let (Some(channel), Some(resident), true) = (channel, resident, problems.is_empty()) else {
            errors.set(problems);
            return;
        };
        errors.set(FieldErrors::default());
        let contact_id = Id::now_v7();
        let scan_id = Id::now_v7();
        let contact = Contact {
            id: contact_id,
            household_id: resident.household_id,
            resident_id: resident.id,
            channel,
            place: d.place.trim().to_owned(),
            worker: d.worker.trim().to_owned(),
            started_at: clock::now(),
            ended_at: None,
            quick_scan_id: scan_id,
            told_notice: d
                .told
                .then(|| shared::templates::notice::current_notice().version.clone()),
            signal: d.signal.as_ref().map(|s| s.id),
        };
        let scan = QuickScan {
            id: scan_id,
            contact_id,
            household_id: resident.household_id,
            resident_id: resident.id,
            template_version: crate::reference::catalogue()
                .current_quick_scan()
                .version
                .clone(),
            answers: Default::default(),
            step: 0,
            outcome: None,
            completed_at: None,
        };
        let saved = store.write(|s| {
            // The household first: the server files every record under a household it knows.
            if let Some(household) = &new_household {
                s.put(household)?;
            }
            if d.register_new {
                s.put(&resident)?;
            }
            s.put(&contact)?;
            s.put(&scan)?;
            s.save_draft("worker-name", &contact.worker)?;
            s.clear_draft(DRAFT);
            s.clear_draft(PICKED);
            Ok(())
        });
        if saved {
            navigate(&format!("/vraagverkenning/{scan_id}"), Default::default());
        }
    };

    let channel_options: Vec<(String, String)> = Channel::ALL
        .iter()
        .map(|c| (c.key().to_owned(), c.label().to_owned()))
        .collect();

    let told = initial.told;
    view! {
        <form class="card" on:submit=|ev| ev.prevent_default() novalidate>
            <h2>"Het contact"</h2>
            <ChoiceGroup
                name="channel".into()
                legend="Kanaal".into()
                options=channel_options
                initial=initial.channel.clone()
                on_choose=move |value| draft.update(|d| d.channel = Some(value))
                error=field_error(errors, "channel")
            />
            <TextField id="place" label="Plaats".into() initial=initial.place.clone()
                hint="Bijvoorbeeld: buurthuis De Linde, of het adres van het huisbezoek."
                on_input=set(|d, v| d.place = v)/>
            <TextField id="worker" label="Jouw naam".into() initial=initial.worker.clone() required=true
                autocomplete="name" on_input=set(|d, v| d.worker = v) error=field_error(errors, "worker")/>
        </form>

        {initial.signal.clone().map(|signal| view! {
            <crate::features::signals::FromSignal signal on_drop=move || {
                draft.update(|d| d.signal = None);
                // Also the signal picked in the inbox, or the address would attach it again.
                store.write_unshown(|s| {
                    s.clear_draft(PICKED);
                    Ok(())
                });
            }/>
        })}

        <section class="card" aria-labelledby="inwoner-kop">
            <h2 id="inwoner-kop">"De inwoner"</h2>
            <Show
                when=move || register_new.get()
                fallback=move || view! {
                    <ResidentSearch draft errors residents=Signal::derive(residents)/>
                }
            >
                <ResidentForm initial=initial.clone() draft errors
                    households=Signal::derive(households)/>
            </Show>
            <Show when=move || chosen.get().is_none() || register_new.get()>
                <button type="button" class="button button--secondary"
                    on:click=move |_| draft.update(|d| { d.register_new = !d.register_new; d.resident_id = None; })>
                    {move || if register_new.get() { "Toch een bestaande inwoner zoeken" } else { "Nieuwe inwoner registreren" }}
                </button>
            </Show>
        </section>

        <NoticeCard draft told=told/>

        <div class="actions">
            <button type="button" class="button button--primary" on:click=start>"Vraagverkenning starten"</button>
        </div>
        <Show when=move || !errors.with(FieldErrors::is_empty)>
            <p class="notice notice--error" role="alert">"Niet alles is goed ingevuld. Bekijk de meldingen bij de velden."</p>
        </Show>
    }
}

#[component]
fn ResidentSearch(
    draft: RwSignal<NewContactDraft>,
    errors: RwSignal<FieldErrors>,
    residents: Signal<Vec<Resident>>,
) -> impl IntoView {
    let query = Memo::new(move |_| draft.with(|d| d.query.clone()));
    let chosen = Memo::new(move |_| draft.with(|d| d.resident_id));
    let initial_query = draft.get_untracked().query;
    // Memos: every store write (this form's own draft, after each key) reads the residents
    // again; the list is drawn again only when what it shows changed.
    let residents = Memo::new(move |_| residents.get());
    let results = Memo::new(move |_| {
        let q = query.get();
        if q.trim().len() < 2 {
            return Vec::new();
        }
        let mut found: Vec<Resident> =
            residents.with(|all| all.iter().filter(|r| r.matches(&q)).cloned().collect());
        found.sort_by_key(|r| r.full_name());
        found.truncate(20);
        found
    });
    view! {
        {move || match chosen.get().and_then(|id| residents.with(|all| all.iter().find(|r| r.id == id).cloned())) {
            Some(resident) => view! {
                <div class="selected" data-testid="chosen-resident">
                    <p><strong>{resident.full_name()}</strong>" · "{describe(&resident)}</p>
                    <button type="button" class="button button--secondary"
                        on:click=move |_| draft.update(|d| d.resident_id = None)>"Andere inwoner kiezen"</button>
                </div>
            }.into_any(),
            None => view! {
                <TextField id="resident-search" label="Zoek op naam, geboortedatum, adres of BSN".into()
                    initial=initial_query.clone() input_type="search"
                    on_input=move |v| draft.update(|d| d.query = v)
                    error=field_error(errors, "resident")/>
                <ul class="results" aria-live="polite">
                    {move || results.get().into_iter().map(|r| {
                        let id = r.id;
                        view! {
                            <li>
                                <button type="button" class="result" on:click=move |_| draft.update(|d| d.resident_id = Some(id))>
                                    <strong>{r.full_name()}</strong>
                                    <span>{describe(&r)}</span>
                                </button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <Show when=move || { query.get().trim().len() >= 2 && results.with(Vec::is_empty) }>
                    <p class="empty-state">"Geen inwoner gevonden op dit apparaat."</p>
                </Show>
            }.into_any(),
        }}
    }
}

fn describe(resident: &Resident) -> String {
    let mut parts = Vec::new();
    if let Some(date) = resident.birth_date {
        parts.push(format!("geboren {}", display_date(date)));
    }
    if let Some(a) = &resident.address {
        parts.push(format!("{} {}, {}", a.street, a.house_number, a.city));
    }
    if parts.is_empty() {
        "geen adres bekend".to_owned()
    } else {
        parts.join(" · ")
    }
}

#[component]
fn ResidentForm(
    initial: NewContactDraft,
    draft: RwSignal<NewContactDraft>,
    errors: RwSignal<FieldErrors>,
    households: Signal<Vec<Household>>,
) -> impl IntoView {
    let initial_relation = initial.relation.clone();
    let set = move |f: fn(&mut ResidentDraft, String), value: String| {
        draft.update(|d| f(&mut d.resident, value))
    };
    let chosen_household = Memo::new(move |_| draft.with(|d| d.household.clone()));
    let query = Memo::new(move |_| {
        draft.with(|d| shared::rules::lookup::LookupQuery {
            bsn: d.resident.bsn.clone(),
            family_name: d.resident.family_name.clone(),
            birth_date: shared::rules::validation::parse_date(&d.resident.birth_date),
        })
    });
    view! {
        <ResidentFields prefix="" initial=initial.resident.clone() errors set/>
        <super::known::KnownInMunicipality query/>
        <div class="field">
            <label class="field__label" for="household">"Huishouden"</label>
            <select id="household" class="field__input" on:change=move |ev| draft.update(|d| d.household = event_target_value(&ev))>
                <option value="" selected=initial.household.is_empty()>"Nieuw huishouden"</option>
                {move || households.get().into_iter().map(|h| {
                    let id = h.id.to_string();
                    let selected = initial.household == id;
                    view! { <option value=id selected=selected>{h.name}</option> }
                }).collect_view()}
            </select>
        </div>
        <Show when=move || !chosen_household.get().is_empty()>
            <div class="field">
                <label class="field__label" for="relation">"Relatie tot de aanvrager"</label>
                <select id="relation" class="field__input" on:change=move |ev| draft.update(|d| d.relation = event_target_value(&ev))>
                    <option value="" selected=initial_relation.is_empty()>"Kies de relatie"</option>
                    {Relation::ALL
                        .iter()
                        .filter(|r| **r != Relation::MainContact)
                        .map(|r| view! { <option value=r.key() selected=initial_relation == r.key()>{r.label()}</option> })
                        .collect_view()}
                </select>
            </div>
        </Show>
    }
}

/// What the resident is told at the first contact, and the tick that records it was told.
#[component]
fn NoticeCard(draft: RwSignal<NewContactDraft>, told: bool) -> impl IntoView {
    let notice = shared::templates::notice::current_notice();
    view! {
        <section class="card" aria-labelledby="uitleg-kop">
            <h2 id="uitleg-kop">{notice.title.clone()}</h2>
            <details>
                <summary>"Wat vertel je de inwoner?"</summary>
                {notice.text.iter().map(|p| view! { <p>{p.clone()}</p> }).collect_view()}
            </details>
            <label class="choice choice--inline" for="told-notice">
                <input type="checkbox" id="told-notice" prop:checked=told
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        draft.update(|d| d.told = on);
                    }/>
                <span>"Ik heb verteld wat we vastleggen en met wie we het mogen delen"</span>
            </label>
        </section>
    }
}
