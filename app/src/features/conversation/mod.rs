//! The kitchen-table conversation: the worker opens the life domains that matter (those from
//! the quick scan first) and fills them in with the resident. Everything autosaves on the
//! device; a conversation can be paused and resumed on another day.

mod domain;

use crate::clock;
use crate::store::{kv::StoreError, DeviceKv, Store};
use crate::ui::form::{CheckboxGroup, ChoiceGroup};
use crate::ui::{route_id, when_loaded};
use leptos::prelude::*;
use leptos_meta::Title;
use shared::model::conversation::domain_order;
use shared::model::quick_scan::ConversationKind;
use shared::model::{Conversation, Household, Id, Outcome, Question, QuickScan};
use shared::rules::validation::display_date;

/// The conversation that follows up this question: the existing one, or a new one with the
/// question's life domains flagged.
pub fn conversation_for(store: &Store<DeviceKv>, question: &Question) -> Result<Id, StoreError> {
    if let Some(existing) = store
        .list::<Conversation>()
        .into_iter()
        .find(|c| c.question_id == Some(question.id))
    {
        return Ok(existing.id);
    }
    let template = crate::reference::catalogue().current_conversation();
    // The kind the appointment in the question's quick scan was made for.
    let kind = store
        .list::<QuickScan>()
        .into_iter()
        .find(|s| s.contact_id == question.contact_id)
        .and_then(|s| match s.outcome?.outcome {
            Outcome::Appointment { conversation, .. } => Some(conversation),
            _ => None,
        })
        .unwrap_or_default();
    let conversation = Conversation {
        question_id: Some(question.id),
        kind,
        participants: vec![question.resident_id],
        flagged_domains: question.life_domains.clone(),
        ..Conversation::start(
            Id::now_v7(),
            question.household_id,
            &template.version,
            &question.owner,
            clock::today(),
        )
    };
    store.put(&conversation)?;
    Ok(conversation.id)
}

#[component]
pub fn ConversationPage() -> impl IntoView {
    let id = route_id();
    view! {
        <Title text="Gesprek"/>
        <crate::ui::RoleGate record_type=shared::sync::RecordType::Conversation>
        {when_loaded(
            move |s| {
                let conversation = s.get::<Conversation>(id?)?;
                let household = s.get::<Household>(conversation.household_id)?;
                let members: Vec<(String, String)> = household
                    .members
                    .iter()
                    .filter_map(|m| s.get::<shared::model::Resident>(m.resident_id))
                    .map(|r| (r.id.to_string(), r.full_name()))
                    .collect();
                let earlier: Vec<Conversation> = s
                    .list::<Conversation>()
                    .into_iter()
                    .filter(|c| c.household_id == conversation.household_id)
                    .collect();
                Some((conversation, household, earlier, members))
            },
            |(conversation, household, earlier, members)| {
                view! { <ConversationForm conversation household earlier members/> }
            },
            "Gesprek niet gevonden",
        )}
        </crate::ui::RoleGate>
    }
}

#[component]
fn ConversationForm(
    conversation: Conversation,
    household: Household,
    earlier: Vec<Conversation>,
    members: Vec<(String, String)>,
) -> impl IntoView {
    let participants: Vec<String> = conversation
        .participants
        .iter()
        .map(Id::to_string)
        .collect();
    let template =
        crate::reference::catalogue().conversation_or_current(&conversation.template_version);
    let held_on = conversation.held_on;
    let flagged = conversation.flagged_domains.clone();
    let conversation = RwSignal::new(conversation);
    crate::store::autosave_record(conversation);
    let opened = Memo::new(move |_| {
        conversation.with(|c| {
            c.domains
                .iter()
                .map(|d| d.domain.clone())
                .collect::<Vec<_>>()
        })
    });
    let earlier = StoredValue::new(earlier);
    let kind = Memo::new(move |_| conversation.with(|c| c.kind));
    let kind_options: Vec<(String, String)> = ConversationKind::ALL
        .iter()
        .map(|k| (k.key().to_owned(), k.label().to_owned()))
        .collect();

    view! {
        <Title text=move || kind.get().label().to_owned()/>
        <header class="scan-header">
            <p class="scan-header__who"><a href=format!("/huishouden/{}", household.id)><strong>{household.name.clone()}</strong></a>" · "{display_date(held_on)}
                " · "<a href="/wegwijzer">"Sociale kaart"</a></p>
            <h1>{move || kind.get().label()}</h1>
        </header>
        <section class="card">
            <ChoiceGroup name="conversation-kind".into() legend="Soort gesprek".into()
                options=kind_options initial=Some(kind.get_untracked().key().to_owned())
                hint="Vraagverheldering: de vraag achter de vraag, over alle leefgebieden, voordat er iets wordt aangeboden.".into()
                on_choose=move |key: String| {
                    let chosen = ConversationKind::from_key(&key).unwrap_or_default();
                    conversation.update(|c| c.kind = chosen);
                }/>
            <CheckboxGroup name="participants".into() legend="Wie doet mee aan het gesprek?".into()
                options=members initial=participants
                on_toggle=move |id: String, on: bool| {
                    if let Ok(id) = Id::parse_str(&id) {
                        conversation.update(|c| {
                            c.participants.retain(|p| *p != id);
                            if on {
                                c.participants.push(id);
                            }
                        });
                    }
                }/>
        </section>
        <section class="card" aria-labelledby="leefgebieden-kop">
            <h2 id="leefgebieden-kop">"Leefgebieden"</h2>
            <p class="hint">"Open de leefgebieden die je met de inwoner bespreekt. Leefgebieden uit de vraagverkenning staan bovenaan."</p>
            <ul class="domain-list">
                {domain_order(template, &flagged).into_iter().map(|d| {
                    let id = d.id.clone();
                    let is_open = {
                        let id = id.clone();
                        move || opened.with(|o| o.contains(&id))
                    };
                    let from_scan = flagged.contains(&d.id);
                    view! {
                        <li>
                            <button type="button" class="button button--choice"
                                aria-pressed=move || is_open().to_string()
                                on:click=move |_| conversation.update(|c| c.open_domain(&id))>
                                {d.label.clone()}
                                {from_scan.then_some(" (uit de vraagverkenning)")}
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
        <For each=move || opened.get() key=|d| d.clone() let:domain>
            {
                let previous = earlier.with_value(|e| conversation.with_untracked(|c| shared::model::conversation::previous_score(e, c, &domain)));
                view! { <domain::DomainCard template conversation domain previous/> }
            }
        </For>
        <p class="hint" role="status">"Alles wordt direct op dit apparaat bewaard. Je kunt het gesprek onderbreken en later verdergaan."</p>
    }
}
