//! The household's members: who they are, and correcting their details (a new phone number, a
//! move, a corrected birth date) and their place in the household (another relation, moved
//! out, died) offline, with the checks of registration. A correction is a change like any
//! other: synced field by field (a member is an entry of the household's `members`), so two
//! workers correcting different details or members both land, and the server audits it.

use crate::clock;
use crate::features::contact::ResidentFields;
use crate::store::use_store;
use crate::ui::form::{field_error, TextField};
use leptos::prelude::*;
use shared::model::resident::refuse_same_bsn;
use shared::model::{Contact, Household, HouseholdMember, Id, Relation, Resident, ResidentDraft};
use shared::rules::validation::{display_date, format_date, parse_date, FieldErrors};
use shared::sync::RecordType;

#[component]
pub fn MembersCard(household_id: Id) -> impl IntoView {
    let store = use_store();
    let members = move |current: bool| {
        store
            .read(|s| s.get::<Household>(household_id))
            .flatten()
            .map(|h| {
                h.members
                    .iter()
                    .filter(|m| m.is_current() == current)
                    .map(|m| m.resident_id)
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    view! {
        <section class="card" aria-labelledby="leden-kop">
            <h2 id="leden-kop">"Leden"</h2>
            <ul class="list">
                <For each=move || members(true) key=|id| *id let:resident_id>
                    <MemberItem household_id resident_id/>
                </For>
            </ul>
            <Show when=move || !members(false).is_empty()>
                <h3>"Vroegere leden"</h3>
                <ul class="list" data-testid="former-members">
                    <For each=move || members(false) key=|id| *id let:resident_id>
                        <MemberItem household_id resident_id/>
                    </For>
                </ul>
            </Show>
        </section>
    }
}

/// What the edit form holds: text as typed, kept when a check refuses it.
#[derive(Debug, Clone, Default, PartialEq)]
struct MemberDraft {
    resident: ResidentDraft,
    relation: String,
    left_on: String,
    deceased: bool,
}

/// One member; the facts follow the stored records, so a pulled correction shows at once.
#[component]
fn MemberItem(household_id: Id, resident_id: Id) -> impl IntoView {
    let store = use_store();
    let household = move || store.read(|s| s.get::<Household>(household_id)).flatten();
    // Each read opens (decrypts) records: once per store change, not once per line shown.
    let member = Memo::new(move |_| {
        household().and_then(|h| h.members.into_iter().find(|m| m.resident_id == resident_id))
    });
    let resident = Memo::new(move |_| store.read(|s| s.get::<Resident>(resident_id)).flatten());
    let told = Memo::new(move |_| {
        let contacts = store.read(|s| s.list::<Contact>()).unwrap_or_default();
        Contact::told_on(&contacts, resident_id).map(|(on, _)| on)
    });
    let member = move || member.get();
    let resident = move || resident.get();
    let name = move || resident().map(|r| r.full_name()).unwrap_or_default();
    let editing = RwSignal::new(false);
    let draft = RwSignal::new(MemberDraft::default());
    let errors = RwSignal::new(FieldErrors::default());
    let saved = RwSignal::new(None::<String>);
    let may_edit = move || {
        store.may_handle(RecordType::Resident)
            && store.may_handle(RecordType::Household)
            && resident().is_some()
    };
    let open = move |_| {
        if let (Some(current), Some(place)) = (resident(), member()) {
            draft.set(MemberDraft {
                resident: ResidentDraft::from_resident(&current),
                relation: place.relation.key().to_owned(),
                left_on: place.left_on.map(format_date).unwrap_or_default(),
                deceased: place.deceased,
            });
            errors.set(FieldErrors::default());
            saved.set(None);
            editing.set(true);
        }
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(current), Some(mut home)) = (resident(), household()) else {
            return;
        };
        match checked(&draft.get_untracked(), &current, &mut home, store) {
            // What was typed stays in the form, each problem beside its field.
            Err(problems) => errors.set(problems),
            Ok(corrected) => {
                let before = household();
                let written = store.write(|s| {
                    if corrected != current {
                        s.put(&corrected)?;
                    }
                    if before.as_ref() != Some(&home) {
                        s.put(&home)?;
                    }
                    Ok(())
                });
                if written {
                    editing.set(false);
                    saved.set(Some(clock::clock_time(clock::now())));
                }
            }
        }
    };
    let relation_label = move || member().map(|m| m.relation.label()).unwrap_or_default();
    let departure = move || member().and_then(|m| m.departure());
    view! {
        <li class="list__item list__item--stacked" data-testid="member">
            <span>
                <strong>{name}</strong>" "<span class="hint">{relation_label}</span>
                {move || departure().map(|d| view! { " "<span class="hint" data-testid="departure">{d}</span> })}
            </span>
            {move || {
                let facts = resident().map(|r| r.facts()).unwrap_or_default();
                (!facts.is_empty()).then(|| view! {
                    <dl class="facts facts--compact">
                        {facts.into_iter().map(|(label, value)| view! {
                            <div><dt>{label}</dt><dd>{value}</dd></div>
                        }).collect_view()}
                    </dl>
                })
            }}
            <p class="hint" data-testid="told">
                {move || {
                    match told.get() {
                        Some(on) => format!("Verteld wat we vastleggen en met wie we het delen: {}.", display_date(on)),
                        None => "Nog niet verteld wat we vastleggen en met wie we het delen.".to_owned(),
                    }
                }}
            </p>
            <p class="hint" role="status" data-testid="member-saved">
                {move || saved.get().map(|at| format!("Gegevens bewaard op dit apparaat om {at}."))}
            </p>
            <Show when=move || may_edit() && !editing.get()>
                <button type="button" class="button button--secondary" on:click=open
                    aria-label=move || format!("Gegevens wijzigen van {}", name())>"Gegevens wijzigen"</button>
            </Show>
            <Show when=move || editing.get()>
                <form class="member-edit" novalidate=true on:submit=save
                    aria-label=move || format!("Gegevens van {}", name())>
                    <ResidentFields prefix=format!("lid-{resident_id}-") initial=draft.get_untracked().resident errors
                        set=move |f: fn(&mut ResidentDraft, String), v: String| draft.update(|d| f(&mut d.resident, v))/>
                    <PlaceFields resident_id draft errors/>
                    <div class="actions">
                        <button type="submit" class="button button--primary">"Opslaan"</button>
                        <button type="button" class="button button--secondary" on:click=move |_| editing.set(false)>"Annuleren"</button>
                    </div>
                </form>
            </Show>
        </li>
    }
}

/// The member's place in the household: the relation (the main contact stays main contact)
/// and leaving it on a date.
#[component]
fn PlaceFields(
    resident_id: Id,
    draft: RwSignal<MemberDraft>,
    errors: RwSignal<FieldErrors>,
) -> impl IntoView {
    let initial = draft.get_untracked();
    let main = initial.relation == Relation::MainContact.key();
    let relation_id = format!("lid-{resident_id}-relation");
    let deceased_id = format!("lid-{resident_id}-deceased");
    let deceased_for = deceased_id.clone();
    view! {
        <div class="field-grid">
            {(!main).then(|| view! {
                <div class="field">
                    <label class="field__label" for=relation_id.clone()>"Relatie tot de aanvrager"</label>
                    <select id=relation_id class="field__input"
                        on:change=move |ev| draft.update(|d| d.relation = event_target_value(&ev))>
                        {Relation::ALL.iter().filter(|r| **r != Relation::MainContact).map(|r| {
                            let selected = initial.relation == r.key();
                            view! { <option value=r.key() selected=selected>{r.label()}</option> }
                        }).collect_view()}
                    </select>
                </div>
            })}
            <TextField id=format!("lid-{resident_id}-left_on") label="Niet meer in het huishouden sinds".into()
                input_type="date" initial=initial.left_on.clone()
                hint="Alleen invullen als deze persoon is verhuisd of overleden."
                on_input=move |v| draft.update(|d| d.left_on = v) error=field_error(errors, "left_on")/>
        </div>
        <label class="choice choice--inline" for=deceased_for>
            <input type="checkbox" id=deceased_id prop:checked=initial.deceased
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    draft.update(|d| d.deceased = on);
                }/>
            <span>"Overleden"</span>
        </label>
    }
}

/// The corrected resident, with `home` changed for the member's place; every problem at once.
fn checked(
    draft: &MemberDraft,
    current: &Resident,
    home: &mut Household,
    store: crate::store::StoreState,
) -> Result<Resident, FieldErrors> {
    let today = clock::today();
    let mut problems = FieldErrors::default();
    let known = store.read(|s| s.list::<Resident>()).unwrap_or_default();
    let corrected = draft
        .resident
        .validate(current.id, current.household_id, today)
        .and_then(|corrected| {
            refuse_same_bsn(&known, &corrected, "Controleer het nummer.").map(|()| corrected)
        });
    let left_on = match draft.left_on.trim() {
        "" => None,
        text => {
            let date = parse_date(text);
            if date.is_none() {
                problems.add("left_on", "Vul een geldige datum in.");
            }
            date
        }
    };
    let place = home
        .members
        .iter()
        .find(|m| m.resident_id == current.id)
        .cloned();
    let relation = Relation::from_key(&draft.relation)
        .or(place.as_ref().map(|m: &HouseholdMember| m.relation))
        .unwrap_or(Relation::Other);
    if problems.is_empty() {
        if let Err(e) = home.change_member(current.id, relation, left_on, draft.deceased, today) {
            problems.0.extend(e.0);
        }
    }
    match corrected {
        Err(e) => {
            problems.0.extend(e.0);
            Err(problems)
        }
        Ok(corrected) if problems.is_empty() => Ok(corrected),
        Ok(_) => Err(problems),
    }
}
