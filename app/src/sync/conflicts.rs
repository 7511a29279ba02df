//! Conflicts: a field two workers changed from the same version. The worker sees both values
//! and chooses one, or merges the texts; a record deleted elsewhere can be restored.

use crate::store::use_store;
use leptos::prelude::*;
use leptos_meta::Title;
use serde_json::Value;
use shared::model::Id;
use shared::sync::{Conflict, RecordType};

pub fn record_label(record_type: RecordType) -> &'static str {
    match record_type {
        RecordType::Resident => "Inwoner",
        RecordType::Household => "Huishouden",
        RecordType::Contact => "Contact",
        RecordType::Question => "Vraag",
        RecordType::QuickScan => "Vraagverkenning",
        RecordType::Conversation => "Gesprek",
        RecordType::Notification => "Melding",
        RecordType::SupportPlan => "Ondersteuningsplan",
        RecordType::Consent => "Toestemming",
    }
}

pub(super) fn field_label(field: &str) -> String {
    // One life domain of a conversation (`domains/<id>`), named as the template names it.
    // On "Niet verwerkt", one text in it: `domains/<id>/<member>`.
    if let Some(("domains", path)) = shared::sync::fields::entry_path(field) {
        let (domain, member) = match path.split_once('/') {
            Some((domain, member)) => (domain, Some(member)),
            None => (path, None),
        };
        let template = crate::reference::catalogue().current_conversation();
        let name = template.domain_label(domain).unwrap_or(domain);
        return match member {
            Some(member) => format!("Leefgebied {name}: {}", field_label(member)),
            None => format!("Leefgebied {name}"),
        };
    }
    if let Some(("members", _)) = shared::sync::fields::entry_path(field) {
        return "Lid van het huishouden".to_owned();
    }
    if let Some(("involved", _)) = shared::sync::fields::entry_path(field) {
        return "Betrokkene".to_owned();
    }
    // A text deeper in a field (`answers/own_words/text`): named by its field.
    if let Some((field, _)) = field.split_once('/') {
        return field_label(field);
    }
    match field {
        "own_words" => "Vraag in eigen woorden",
        "next_step" => "Volgende stap",
        "next_date" => "Volgende datum",
        "owner" => "Eigenaar",
        "name" => "Naam",
        "status" => "Status",
        "coordinator" => "Regievoerder",
        "goals" => "Doelen",
        "domains" => "Leefgebieden",
        "members" => "Leden",
        "involved" => "Betrokkenen",
        "answers" => "Antwoorden",
        "phone" => "Telefoon",
        "email" => "E-mail",
        "address" => "Adres",
        "needs" => "Behoeften en voorkeuren",
        "own_strength" => "Eigen kracht",
        "network" => "Netwerk",
        "carer_support" => "Steun voor de mantelzorger",
        "community_services" => "Algemene voorzieningen",
        "custom_provision_needed" => "Maatwerk nodig",
        "custom_provision_reason" => "Reden maatwerk",
        "score" => "Score",
        other => other,
    }
    .to_owned()
}

/// A value as a worker reads it: text as text, anything else as compact JSON.
fn shown(value: &Value) -> String {
    match value {
        Value::String(text) if text.is_empty() => "(leeg)".into(),
        Value::String(text) => text.clone(),
        Value::Null => "(leeg)".into(),
        // A life domain's entry: its filled-in texts, each after its label.
        Value::Object(entry) => {
            let texts: Vec<String> = entry
                .iter()
                .filter(|(field, _)| field.as_str() != "domain")
                .filter_map(|(field, value)| match value {
                    Value::String(text) if !text.is_empty() => {
                        Some(format!("{}: {text}", field_label(field)))
                    }
                    Value::String(_) | Value::Null | Value::Bool(false) => None,
                    other => Some(format!("{}: {other}", field_label(field))),
                })
                .collect();
            if texts.is_empty() {
                "(leeg)".into()
            } else {
                texts.join("; ")
            }
        }
        other => other.to_string(),
    }
}

/// Open conflicts, all or one household's.
#[component]
pub fn ConflictList(#[prop(optional)] household: Option<Id>) -> impl IntoView {
    let store = use_store();
    let conflicts = move || {
        store
            .read(|s| s.conflicts())
            .unwrap_or_default()
            .into_iter()
            .filter(|c| household.is_none_or(|h| c.household_id == h))
            .collect::<Vec<_>>()
    };
    view! {
        <For each=conflicts key=|c| c.id let:conflict>
            <ConflictCard conflict/>
        </For>
    }
}

#[component]
fn ConflictCard(conflict: Conflict) -> impl IntoView {
    let store = use_store();
    let heading_id = format!("conflict-{}", conflict.id);
    if conflict.deleted_on_device {
        return view! { <DeletedHereCard conflict/> }.into_any();
    }
    let is_text = conflict.device_value.is_string() && !conflict.deleted_on_server;
    let merged = RwSignal::new(merge_suggestion(&conflict));
    let resolve = {
        let conflict = conflict.clone();
        move |chosen: Option<Value>| {
            store.write(|s| s.resolve_conflict(&conflict, chosen.clone()));
        }
    };
    let keep_server = {
        let resolve = resolve.clone();
        let conflict = conflict.clone();
        move |_| {
            if conflict.deleted_on_server {
                resolve(None)
            } else {
                resolve(Some(conflict.server_value.clone()))
            }
        }
    };
    let keep_device = {
        let resolve = resolve.clone();
        let value = conflict.device_value.clone();
        move |_| resolve(Some(value.clone()))
    };
    let keep_merged = move |_| resolve(Some(Value::String(merged.get_untracked())));
    let merged_id = format!("{heading_id}-samen");
    let labelled_by = heading_id.clone();
    view! {
        <section class="card conflict" aria-labelledby=labelled_by data-testid="conflict">
            <h2 id=heading_id class="conflict__title">
                {record_label(conflict.record_type)} ": " {field_label(&conflict.field)}
            </h2>
            <p class="hint">
                {if conflict.deleted_on_server {
                    "Dit onderdeel is op een ander apparaat verwijderd, terwijl hier nog werd gewijzigd."
                } else {
                    "Op twee apparaten is dit veld tegelijk gewijzigd. Kies welke versie blijft, of voeg ze samen."
                }}
            </p>
            <div class="conflict__versions">
                <div class="conflict__version">
                    <h3>{if conflict.deleted_on_server { "Verwijderde versie" } else { "Versie op de server" }}</h3>
                    <p class="conflict__value" data-testid="server-value">{shown(&conflict.server_value)}</p>
                    <button class="button button--secondary" on:click=keep_server data-testid="keep-server">
                        {if conflict.deleted_on_server { "Laat verwijderd" } else { "Deze versie houden" }}
                    </button>
                </div>
                <div class="conflict__version">
                    <h3>"Versie van dit apparaat"</h3>
                    <p class="conflict__value" data-testid="device-value">{shown(&conflict.device_value)}</p>
                    <button class="button button--secondary" on:click=keep_device data-testid="keep-device">
                        {if conflict.deleted_on_server { "Herstellen met deze versie" } else { "Deze versie houden" }}
                    </button>
                </div>
            </div>
            <Show when=move || is_text>
                <div class="field">
                    <label class="field__label" for=merged_id.clone()>"Samengevoegde tekst"</label>
                    <textarea
                        id=merged_id.clone()
                        class="field__input"
                        rows="4"
                        data-testid="merged"
                        prop:value=move || merged.get()
                        on:input=move |ev| merged.set(event_target_value(&ev))
                    ></textarea>
                </div>
                <button class="button button--primary" on:click=keep_merged.clone() data-testid="keep-merged">
                    "Samengevoegde tekst bewaren"
                </button>
            </Show>
        </section>
    }
    .into_any()
}

/// A delete made here while another worker still changed the record: nothing was deleted
/// yet; the worker sees those changes and chooses.
#[component]
fn DeletedHereCard(conflict: Conflict) -> impl IntoView {
    let store = use_store();
    let heading_id = format!("conflict-{}", conflict.id);
    let changes: Vec<(String, String)> = conflict
        .server_value
        .as_object()
        .map(|fields| {
            fields
                .iter()
                .map(|(field, value)| (field_label(field), shown(value)))
                .collect()
        })
        .unwrap_or_default();
    let keep = {
        let conflict = conflict.clone();
        move |_| {
            store.write(|s| s.resolve_conflict(&conflict, Some(Value::Null)));
        }
    };
    let delete = {
        let conflict = conflict.clone();
        move |_| {
            store.write(|s| s.resolve_conflict(&conflict, None));
        }
    };
    let labelled_by = heading_id.clone();
    view! {
        <section class="card conflict" aria-labelledby=labelled_by data-testid="conflict">
            <h2 id=heading_id class="conflict__title">
                {record_label(conflict.record_type)} ": verwijderen"
            </h2>
            <p class="hint">
                "Dit onderdeel is op dit apparaat verwijderd, terwijl iemand anders het nog wijzigde. Er is nog niets verwijderd."
            </p>
            <div class="conflict__versions">
                <div class="conflict__version">
                    <h3>"Wijzigingen van de ander"</h3>
                    <dl class="conflict__value" data-testid="server-value">
                        {changes
                            .into_iter()
                            .map(|(label, value)| view! { <dt>{label}</dt><dd>{value}</dd> })
                            .collect_view()}
                    </dl>
                    <button class="button button--secondary" on:click=keep data-testid="keep-server">
                        "Niet verwijderen"
                    </button>
                </div>
                <div class="conflict__version">
                    <h3>"Op dit apparaat"</h3>
                    <p class="conflict__value" data-testid="device-value">"Verwijderd"</p>
                    <button class="button button--secondary" on:click=delete data-testid="keep-device">
                        "Toch verwijderen"
                    </button>
                </div>
            </div>
        </section>
    }
}

/// Both texts, the server's first, for the worker to edit into one.
fn merge_suggestion(conflict: &Conflict) -> String {
    let server = conflict.server_value.as_str().unwrap_or_default().trim();
    let device = conflict.device_value.as_str().unwrap_or_default().trim();
    if server.is_empty() || server == device {
        device.to_owned()
    } else if device.is_empty() {
        server.to_owned()
    } else {
        format!("{server}\n{device}")
    }
}

#[component]
pub fn ConflictsPage() -> impl IntoView {
    let store = use_store();
    let count = move || store.read(|s| s.conflicts().len()).unwrap_or(0);
    view! {
        <Title text="Conflicten"/>
        <div class="page-head"><h1>"Conflicten"</h1></div>
        <Show
            when=move || { count() > 0 }
            fallback=|| view! { <p class="empty-state">"Er zijn geen conflicten. Alles is op elkaar afgestemd."</p> }
        >
            <ConflictList/>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::field_label;

    #[test]
    fn a_life_domain_and_a_text_in_it_are_named_as_the_template_names_them() {
        assert_eq!(field_label("domains/finances"), "Leefgebied Financiën");
        assert_eq!(
            field_label("domains/finances/network"),
            "Leefgebied Financiën: Netwerk"
        );
        assert_eq!(field_label("next_step"), "Volgende stap");
    }
}
