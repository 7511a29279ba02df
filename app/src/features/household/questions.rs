//! The household's open questions, each with its next step, owner and own words editable in
//! place: written through at once and synced like every change.

use crate::store::use_store;
use crate::ui::form::{TextArea, TextField};
use crate::ui::owner::OwnerSelect;
use leptos::prelude::*;
use shared::model::{Id, Owner, Question, QuestionStatus, Scheme};
use shared::rules::validation::{display_date, format_date, parse_date};

/// The household's open questions on this device (tracked: re-read after every write).
pub(crate) fn open_questions(store: crate::store::StoreState, household_id: Id) -> Vec<Question> {
    store
        .read(|s| s.list::<Question>())
        .unwrap_or_default()
        .into_iter()
        .filter(|q| q.household_id == household_id && q.status == QuestionStatus::Open)
        .collect()
}

#[component]
pub fn OpenQuestions(household_id: Id) -> impl IntoView {
    let store = use_store();
    let open = move || {
        open_questions(store, household_id)
            .into_iter()
            .map(|q| q.id)
            .collect::<Vec<_>>()
    };
    view! {
        <section class="card" aria-labelledby="vragen-kop">
            <h2 id="vragen-kop">"Open vragen"</h2>
            <Show when=move || !open().is_empty() fallback=|| view! { <p class="empty-state">"Geen open vragen."</p> }>
                <ul class="list">
                    <For each=open key=|id| *id let:id>
                        <QuestionItem id/>
                    </For>
                </ul>
            </Show>
        </section>
    }
}

/// One question; the fields follow the stored record, so a pulled change shows at once.
#[component]
fn QuestionItem(id: Id) -> impl IntoView {
    let store = use_store();
    let question = move || store.read(|s| s.get::<Question>(id)).flatten();
    let field = move |get: fn(&Question) -> String| {
        Signal::derive(move || question().as_ref().map(get).unwrap_or_default())
    };
    let update = move |set: fn(&mut Question, String)| {
        move |value: String| {
            if let Some(mut current) = question() {
                set(&mut current, value);
                store.write(|s| s.put(&current));
            }
        }
    };
    // Every open question keeps an owner and a next date: a missing one is named at once.
    let errors = Memo::new(move |_| {
        question()
            .and_then(|q| q.check_follow_up().err())
            .unwrap_or_default()
    });
    let error = move |f: &'static str| {
        Signal::derive(move || errors.with(|e| e.for_field(f).map(str::to_owned)))
    };
    let close = move |_| {
        if let Some(mut current) = question() {
            current.status = QuestionStatus::Closed;
            store.write(|s| s.put(&current));
        }
    };
    let own_words = field(|q| q.own_words.clone());
    let next_step = field(|q| q.next_step.clone());
    view! {
        <li class="list__item list__item--stacked" data-testid="open-question">
            <span class="list__main">
                <span>{move || own_words.get()}</span>
                <span class="hint">{move || next_step.get()}</span>
            </span>
            <span class="list__meta">
                <span>{move || question().and_then(|q| q.next_date).map(display_date).unwrap_or_else(|| "Geen volgende datum".into())}</span>
                <span class="hint">{move || format!("Eigenaar: {}", question().map(|q| q.owner).unwrap_or_default())}</span>
            </span>
            <details class="question-edit">
                <summary class="question-edit__toggle">"Vraag bijwerken"</summary>
                <TextArea
                    id=format!("vraag-{id}-woorden")
                    label="Vraag in eigen woorden".into()
                    initial=own_words
                    on_input=update(|q, v| q.own_words = v)
                />
                <TextField
                    id=format!("vraag-{id}-stap")
                    label="Volgende stap".into()
                    initial=next_step
                    on_input=update(|q, v| q.next_step = v)
                />
                <div class="field">
                    <label class="field__label" for=format!("vraag-{id}-wet")>"Wet of regeling"</label>
                    <select id=format!("vraag-{id}-wet") class="field__input"
                        on:change=move |ev| {
                            if let Some(mut current) = question() {
                                current.scheme = Scheme::from_key(&event_target_value(&ev));
                                store.write(|s| s.put(&current));
                            }
                        }>
                        // A question from before the law was asked has none until chosen.
                        <option value="" selected=move || question().is_some_and(|q| q.scheme.is_none())>"Niet vastgelegd"</option>
                        {Scheme::ALL.into_iter().map(|scheme| view! {
                            <option value=scheme.key() selected=move || question().is_some_and(|q| q.scheme == Some(scheme))>{scheme.label()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <OwnerSelect
                    id=format!("vraag-{id}-eigenaar-kies")
                    label="Uit het team"
                    current=Signal::derive(move || question().and_then(|q| {
                        if q.team_owned { Some(None) } else { q.owner_account.map(Some) }
                    }))
                    on_choose=move |owner| {
                        if let Some(mut current) = question() {
                            current.set_owner(owner);
                            store.write(|s| s.put(&current));
                        }
                    }
                />
                // Someone outside the team, in words (or an owner from before the roster).
                <TextField
                    id=format!("vraag-{id}-eigenaar")
                    label="Eigenaar".into()
                    initial=field(|q| q.owner.clone())
                    on_input=update(|q, v| q.set_owner(Owner::Words(v)))
                    error=error("owner")
                    required=true
                />
                <TextField
                    id=format!("vraag-{id}-datum")
                    label="Volgende datum".into()
                    input_type="date"
                    initial=field(|q| q.next_date.map(format_date).unwrap_or_default())
                    on_input=update(|q, v| q.next_date = parse_date(&v))
                    error=error("next_date")
                    required=true
                />
                <button type="button" class="button button--secondary" on:click=close>"Vraag afsluiten"</button>
            </details>
        </li>
    }
}
