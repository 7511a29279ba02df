//! Betrokkenen: who else is involved with the household (professionals and volunteers), how to
//! reach them, and on what ground anything may be shared with them. An entry of the household's
//! `involved` list, synced one by one; checked by `InvolvedParty::validate` here and by the server.

use crate::clock::today;
use crate::store::use_store;
use crate::ui::form::{field_error, TextField};
use leptos::prelude::*;
use shared::model::consent::Consent;
use shared::model::{Household, Id, InvolvedParty, SharingBasis};
use shared::rules::validation::{display_date, format_date, parse_date, FieldErrors};
use shared::sync::RecordType;

/// What the add form holds: text as typed, kept when a check refuses it.
#[derive(Debug, Clone, Default)]
struct Draft {
    name: String,
    organisation: String,
    role: String,
    phone: String,
    email: String,
    from: String,
    basis: String,
    consent: String,
    legal_ground: String,
}

#[component]
pub fn InvolvedCard(household_id: Id) -> impl IntoView {
    let store = use_store();
    let household = Memo::new(move |_| store.read(|s| s.get::<Household>(household_id)).flatten());
    let consents = Memo::new(move |_| {
        store
            .read(|s| s.list::<Consent>())
            .unwrap_or_default()
            .into_iter()
            .filter(|c| c.household_id == household_id)
            .collect::<Vec<_>>()
    });
    let parties = move |current: bool| {
        let today = today();
        household
            .get()
            .map(|h| h.involved)
            .unwrap_or_default()
            .into_iter()
            .filter(|p| p.is_current_on(today) == current)
            .collect::<Vec<_>>()
    };
    let may_edit = move || store.may_handle(RecordType::Household);
    let draft = RwSignal::new(Draft {
        from: format_date(today()),
        basis: SharingBasis::NothingShared.key().to_owned(),
        ..Draft::default()
    });
    let errors = RwSignal::new(FieldErrors::default());
    let form_key = RwSignal::new(0u32);
    let saved = RwSignal::new(false);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(mut home) = household.get_untracked() else {
            return;
        };
        match party(&draft.get_untracked()) {
            Err(problems) => errors.set(problems),
            Ok(party) => {
                home.involved.push(party);
                if store.write(|s| s.put(&home)) {
                    errors.set(FieldErrors::default());
                    draft.set(Draft {
                        from: format_date(today()),
                        basis: SharingBasis::NothingShared.key().to_owned(),
                        ..Draft::default()
                    });
                    form_key.update(|k| *k += 1);
                    saved.set(true);
                }
            }
        }
    };
    let end = move |id: Id| {
        if let Some(mut home) = household.get_untracked() {
            if let Some(p) = home.involved.iter_mut().find(|p| p.id == id) {
                p.until = Some(today());
                store.write(|s| s.put(&home));
            }
        }
    };
    let item = move |p: InvolvedParty, current: bool| {
        let basis = p.basis_text(&consents.get_untracked());
        let period = match (p.from, p.until) {
            (Some(from), Some(until)) => format!(
                "Van {}, beëindigd op {}",
                display_date(from),
                display_date(until)
            ),
            (Some(from), None) => format!("Sinds {}", display_date(from)),
            (None, Some(until)) => format!("Beëindigd op {}", display_date(until)),
            (None, None) => String::new(),
        };
        let who = p.who();
        let id = p.id;
        view! {
            <li class="list__item" data-testid="involved">
                <span class="list__main">
                    <strong>{who.clone()}</strong>
                    <span>{format!("{} · {}", p.role.trim(), p.reach())}</span>
                    <span class="hint">{format!("{basis}. {period}")}</span>
                </span>
                {(current && may_edit()).then(|| view! {
                    <span class="list__meta">
                        <button type="button" class="button button--secondary" on:click=move |_| end(id)
                            aria-label=format!("Betrokkenheid beëindigen van {who}")>"Beëindigen"</button>
                    </span>
                })}
            </li>
        }
    };
    view! {
        <section class="card" aria-labelledby="betrokkenen-kop" data-testid="involved-card">
            <h2 id="betrokkenen-kop">"Betrokkenen"</h2>
            <p class="hint">"Professionals en vrijwilligers die al bij dit huishouden betrokken zijn, en waarom we gegevens met hen mogen delen."</p>
            {move || {
                let list = parties(true);
                if list.is_empty() {
                    return view! { <p class="empty-state">"Nog niemand vastgelegd."</p> }.into_any();
                }
                view! { <ul class="list">{list.into_iter().map(|p| item(p, true)).collect_view()}</ul> }.into_any()
            }}
            {move || {
                let ended = parties(false);
                (!ended.is_empty()).then(|| view! {
                    <h3>"Eerder betrokken"</h3>
                    <ul class="list" data-testid="involved-ended">{ended.into_iter().map(|p| item(p, false)).collect_view()}</ul>
                })
            }}
            <p class="hint" role="status">{move || saved.get().then_some("Betrokkene bewaard op dit apparaat.")}</p>
            <Show when=may_edit>
                <details>
                    <summary class="clock-dates">"Betrokkene toevoegen"</summary>
                    <form novalidate=true on:submit=add aria-label="Betrokkene toevoegen">
                        {move || {
                            form_key.track();
                            view! { <InvolvedFields draft errors consents=consents.get_untracked()/> }
                        }}
                        <button type="submit" class="button button--primary">"Betrokkene toevoegen"</button>
                    </form>
                </details>
            </Show>
        </section>
    }
}

#[component]
fn InvolvedFields(
    draft: RwSignal<Draft>,
    errors: RwSignal<FieldErrors>,
    consents: Vec<Consent>,
) -> impl IntoView {
    let initial = draft.get_untracked();
    let map = crate::reference::catalogue().social_map();
    let basis = move || SharingBasis::from_key(&draft.with(|d| d.basis.clone()));
    let error_of = move |field: &'static str| {
        move || {
            errors.with(|e| {
                e.for_field(field)
                    .map(|m| view! { <p class="field__error">{m.to_owned()}</p> })
            })
        }
    };
    view! {
        <datalist id="betrokkene-organisaties">
            {map.partners.iter().filter(|p| p.active).map(|p| view! { <option value=p.name.clone()></option> }).collect_view()}
        </datalist>
        <div class="field-grid">
            <TextField id="involved-name" label="Naam".into() initial=initial.name.clone()
                hint="De persoon; leeg laten als alleen de organisatie bekend is."
                on_input=move |v| draft.update(|d| d.name = v) error=field_error(errors, "involved-name")/>
            <TextField id="involved-organisation" label="Organisatie".into() initial=initial.organisation.clone()
                list="betrokkene-organisaties" hint="Of een partner van de sociale kaart."
                on_input=move |v| draft.update(|d| d.organisation = v) error=field_error(errors, "involved-organisation")/>
            <TextField id="involved-role" label="Rol".into() initial=initial.role.clone() required=true
                hint="Bijvoorbeeld huisarts, schuldhulpverlener, maatje."
                on_input=move |v| draft.update(|d| d.role = v) error=field_error(errors, "involved-role")/>
            <TextField id="involved-phone" label="Telefoon".into() input_type="tel" initial=initial.phone.clone()
                on_input=move |v| draft.update(|d| d.phone = v) error=field_error(errors, "involved-phone")/>
            <TextField id="involved-email" label="E-mail".into() input_type="email" initial=initial.email.clone()
                on_input=move |v| draft.update(|d| d.email = v) error=field_error(errors, "involved-email")/>
            <TextField id="involved-from" label="Betrokken sinds".into() input_type="date" initial=initial.from.clone()
                on_input=move |v| draft.update(|d| d.from = v) error=field_error(errors, "involved-from")/>
        </div>
        <div class="field">
            <label class="field__label" for="involved-basis">"Mogen we gegevens met hen delen?"</label>
            <select id="involved-basis" class="field__input" on:change=move |ev| draft.update(|d| d.basis = event_target_value(&ev))>
                {SharingBasis::ALL.iter().map(|b| {
                    view! { <option value=b.key() selected=initial.basis == b.key()>{b.label()}</option> }
                }).collect_view()}
            </select>
        </div>
        <Show when=move || basis() == Some(SharingBasis::Consent)>
            <div class="field">
                <label class="field__label" for="involved-consent">"Welke toestemming"</label>
                <select id="involved-consent" class="field__input" on:change=move |ev| draft.update(|d| d.consent = event_target_value(&ev))>
                    <option value="">"Kies een vastgelegde toestemming"</option>
                    {consents.iter().filter(|c| c.withdrawn_on.is_none()).map(|c| {
                        let label = format!("{} ({})", c.purpose, display_date(c.given_on));
                        view! { <option value=c.id.to_string()>{label}</option> }
                    }).collect_view()}
                </select>
                {error_of("involved-consent")}
            </div>
        </Show>
        <Show when=move || basis() == Some(SharingBasis::LegalGround)>
            <TextField id="involved-legal-ground" label="Wettelijke grondslag".into() initial=draft.get_untracked().legal_ground required=true
                hint="Bijvoorbeeld: Wmo 2015 art. 5.2.1, of een melding bij Veilig Thuis."
                on_input=move |v| draft.update(|d| d.legal_ground = v) error=field_error(errors, "involved-legal-ground")/>
        </Show>
    }
}

/// The entry the draft describes, or every problem at once.
fn party(draft: &Draft) -> Result<InvolvedParty, FieldErrors> {
    let map = crate::reference::catalogue().social_map();
    let partner = map
        .partners
        .iter()
        .find(|p| p.active && p.name == draft.organisation.trim());
    let mut problems = FieldErrors::default();
    let from = match draft.from.trim() {
        "" => None,
        text => {
            let date = parse_date(text);
            if date.is_none() {
                problems.add("involved-from", "Vul een geldige datum in.");
            }
            date
        }
    };
    let basis = SharingBasis::from_key(&draft.basis).unwrap_or(SharingBasis::NothingShared);
    let party = InvolvedParty {
        id: Id::now_v7(),
        name: draft.name.trim().to_owned(),
        organisation: draft.organisation.trim().to_owned(),
        partner_id: partner.map(|p| p.id.clone()),
        role: draft.role.trim().to_owned(),
        // A partner of the social map: its phone when none was typed.
        phone: match (draft.phone.trim(), partner) {
            ("", Some(p)) => p.phone.trim().to_owned(),
            (typed, _) => typed.to_owned(),
        },
        email: draft.email.trim().to_owned(),
        from,
        until: None,
        basis,
        consent_id: (basis == SharingBasis::Consent)
            .then(|| Id::parse_str(&draft.consent).ok())
            .flatten(),
        legal_ground: if basis == SharingBasis::LegalGround {
            draft.legal_ground.trim().to_owned()
        } else {
            String::new()
        },
    };
    if let Err(found) = party.validate() {
        problems.0.extend(found.0);
    }
    problems.into_result(party)
}
