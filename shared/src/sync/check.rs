//! The one check of a record's fields, run by the device before it queues a change and by the
//! server before it applies one (the server never trusts the client): the record's shape, no
//! field the app does not know, no text beyond its cap, and the domain rules that hold for
//! every saved record (an escalation cannot be overridden, an override has its reason, light
//! before heavy, a resident has a name).

use super::RecordType;
use crate::model::{self, plan::SupportPlan, ConfirmedOutcome, OutcomeKind};
use crate::reference::Catalogue;
use crate::rules::quick_scan_routing::suggest;
use crate::rules::validation::FieldErrors;
use serde::{de::DeserializeOwned, Serialize};
use serde_json::{Map, Value};

/// The most characters one text value may hold (a conversation's longest answer is far less).
pub const MAX_TEXT_CHARS: usize = 10_000;
/// The most bytes one record may take as JSON. A change this size always fits in a push.
pub const MAX_RECORD_BYTES: usize = 256 * 1024;

/// Checks that `fields` make a valid record of `record_type` with this id. The reason is in
/// words for the worker.
pub fn check_record(
    catalogue: &Catalogue,
    record_type: RecordType,
    record_id: crate::model::Id,
    fields: &Map<String, Value>,
) -> Result<(), String> {
    let value = Value::Object(fields.clone());
    let text = value.to_string();
    let size = text.len();
    if size > MAX_RECORD_BYTES {
        return Err(format!(
            "Dit onderdeel is te groot om te versturen ({} kB, hoogstens {} kB). Maak de teksten korter.",
            size / 1024,
            MAX_RECORD_BYTES / 1024
        ));
    }
    long_text("", &value)?;
    match record_type {
        RecordType::Resident => {
            let resident: model::Resident = typed(&text, &value)?;
            let mut errors = FieldErrors::default();
            errors.require_text("given_name", &resident.given_name, "de voornaam", 100);
            errors.require_text("family_name", &resident.family_name, "de achternaam", 100);
            words(errors)
        }
        RecordType::Household => {
            let household: model::Household = typed(&text, &value)?;
            let mut errors = FieldErrors::default();
            for party in &household.involved {
                if let Err(found) = party.validate() {
                    errors.0.extend(found.0);
                }
            }
            words(errors)
        }
        RecordType::Contact => typed::<model::Contact>(&text, &value).map(drop),
        RecordType::Question => typed::<model::Question>(&text, &value).map(drop),
        RecordType::QuickScan => quick_scan(catalogue, typed(&text, &value)?),
        RecordType::Conversation => typed::<model::Conversation>(&text, &value).map(drop),
        RecordType::Notification => typed::<model::Notification>(&text, &value).map(drop),
        RecordType::SupportPlan => {
            let plan: SupportPlan = typed(&text, &value)?;
            let mut errors = FieldErrors::default();
            for goal in &plan.goals {
                if let Err(found) = goal.check_light_before_heavy() {
                    errors.0.extend(found.0);
                }
            }
            words(errors)
        }
        RecordType::Consent => typed::<model::consent::Consent>(&text, &value).map(drop),
    }?;
    match fields.get("id").and_then(Value::as_str) {
        Some(id) if id == record_id.to_string() => Ok(()),
        _ => Err("Ongeldige gegevens: het id hoort niet bij dit record.".into()),
    }
}

/// The record as its type, refusing any field the type does not know (at any depth): an
/// unknown field is data nobody checks, of any size. `text` is `value` as JSON: read from text,
/// as the device's store reads every record, the browser's code holds one reader per record
/// type instead of two (issue 17: serde's code is a large part of the first screen).
fn typed<T: DeserializeOwned + Serialize>(text: &str, value: &Value) -> Result<T, String> {
    let record: T = serde_json::from_str(text).map_err(|e| {
        // The position in the text means nothing to the worker (it is the app's own JSON).
        let reason = e.to_string();
        let reason = reason.split(" at line ").next().unwrap_or_default();
        format!("Ongeldige gegevens: {reason}.")
    })?;
    let known = serde_json::to_value(&record).map_err(|e| format!("Ongeldige gegevens: {e}."))?;
    match unknown_field("", value, &known) {
        Some(field) => Err(format!(
            "Ongeldige gegevens: het veld '{field}' is onbekend."
        )),
        None => Ok(record),
    }
}

/// The first field of `sent` that `known` (the record as its type writes it) lacks. An absent
/// optional field may be sent as null.
fn unknown_field(path: &str, sent: &Value, known: &Value) -> Option<String> {
    match (sent, known) {
        (Value::Object(sent), Value::Object(known)) => sent.iter().find_map(|(key, value)| {
            let here = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            match known.get(key) {
                Some(known) => unknown_field(&here, value, known),
                None if value.is_null() => None,
                None => Some(here),
            }
        }),
        (Value::Array(sent), Value::Array(known)) => sent
            .iter()
            .zip(known)
            .enumerate()
            .find_map(|(i, (s, k))| unknown_field(&format!("{path}.{i}"), s, k)),
        _ => None,
    }
}

/// Refuses the first text longer than [`MAX_TEXT_CHARS`], naming its field.
fn long_text(path: &str, value: &Value) -> Result<(), String> {
    match value {
        Value::String(text) if text.chars().count() > MAX_TEXT_CHARS => Err(format!(
            "De tekst in '{path}' is te lang ({} tekens, hoogstens {MAX_TEXT_CHARS}). Maak hem korter.",
            text.chars().count()
        )),
        Value::Object(fields) => fields.iter().try_for_each(|(key, value)| {
            let here = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            long_text(&here, value)
        }),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .try_for_each(|(i, item)| long_text(&format!("{path}.{i}"), item)),
        _ => Ok(()),
    }
}

/// A confirmed outcome keeps the rules it was confirmed under: its reason and details, and a
/// crisis signal in the answers always escalates, whatever the device says it suggested.
fn quick_scan(catalogue: &Catalogue, scan: model::QuickScan) -> Result<(), String> {
    let Some(confirmed) = &scan.outcome else {
        return Ok(());
    };
    let again = ConfirmedOutcome::new(
        confirmed.outcome.clone(),
        confirmed.suggested,
        confirmed.override_reason.as_deref().unwrap_or(""),
    );
    if let Err(errors) = again {
        return words(errors);
    }
    // A version the checker does not know (a device before its first reference pull) leaves
    // this to the server, which knows every version.
    if let Some(template) = catalogue.quick_scan(&scan.template_version) {
        let suggested = suggest(template, &scan).kind;
        if suggested == OutcomeKind::Escalated && confirmed.outcome.kind() != OutcomeKind::Escalated
        {
            return Err("Er is een signaal van crisis of onveiligheid. Schaal op: dit kan niet zonder opvolging worden afgesloten.".into());
        }
    }
    Ok(())
}

fn words(errors: FieldErrors) -> Result<(), String> {
    if errors.0.is_empty() {
        Ok(())
    } else {
        Err(errors.sentence())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::quick_scan::{Answer, Outcome};
    use crate::model::Id;
    use crate::templates::current_quick_scan;
    use serde_json::json;
    use time::macros::date;

    fn check(record_type: RecordType, value: Value) -> Result<(), String> {
        let id = value["id"].as_str().unwrap().parse().unwrap();
        check_record(
            Catalogue::shipped(),
            record_type,
            id,
            value.as_object().unwrap(),
        )
    }

    fn resident(given: &str) -> Value {
        json!({"id": Id::from_u128(1), "household_id": Id::from_u128(2), "given_name": given,
               "family_name": "Jansen", "birth_date": null, "bsn": null, "address": null,
               "phone": "", "email": ""})
    }

    fn crisis_scan(outcome: ConfirmedOutcome) -> Value {
        let scan = model::QuickScan {
            id: Id::from_u128(3),
            contact_id: Id::nil(),
            household_id: Id::nil(),
            resident_id: Id::nil(),
            template_version: current_quick_scan().version.clone(),
            answers: [(
                "signals".to_owned(),
                Answer::Choices(vec!["domestic_violence".into()]),
            )]
            .into_iter()
            .collect(),
            step: 6,
            outcome: Some(outcome),
            completed_at: None,
        };
        serde_json::to_value(scan).unwrap()
    }

    fn handled() -> Outcome {
        Outcome::Handled {
            how: model::quick_scan::HandledHow::InformationOrAdvice,
            note: String::new(),
        }
    }

    #[test]
    fn the_server_checks_each_involved_party_of_a_household() {
        let mut household =
            model::Household::for_resident(Id::from_u128(4), Id::from_u128(1), "Jansen");
        household.involved.push(model::InvolvedParty {
            id: Id::from_u128(7),
            name: "Sanne".into(),
            organisation: String::new(),
            partner_id: None,
            role: "huisarts".into(),
            phone: String::new(),
            email: String::new(),
            from: None,
            until: None,
            basis: model::SharingBasis::LegalGround,
            consent_id: None,
            legal_ground: "Wmo 2015".into(),
        });
        let value = serde_json::to_value(&household).unwrap();
        assert_eq!(check(RecordType::Household, value), Ok(()));
        household.involved[0].legal_ground = " ".into();
        let value = serde_json::to_value(&household).unwrap();
        let refused = check(RecordType::Household, value).unwrap_err();
        assert!(refused.contains("wettelijke grondslag"), "{refused}");
    }

    #[test]
    fn a_valid_record_passes_and_its_id_must_match() {
        assert_eq!(check(RecordType::Resident, resident("Anne")), Ok(()));
        let value = resident("Anne");
        let other = Id::from_u128(9);
        assert!(check_record(
            Catalogue::shipped(),
            RecordType::Resident,
            other,
            value.as_object().unwrap()
        )
        .is_err());
    }

    #[test]
    fn unknown_fields_are_refused_at_any_depth_and_absent_options_may_be_null() {
        let mut value = resident("Anne");
        value["smuggled"] = json!("x".repeat(100));
        assert!(check(RecordType::Resident, value)
            .unwrap_err()
            .contains("'smuggled'"));
        let mut value = resident("Anne");
        value["address"] = json!({"street": "Dorpsstraat", "house_number": "1",
                                  "postcode": "1234 AB", "city": "Ede", "floor": 3});
        assert!(check(RecordType::Resident, value)
            .unwrap_err()
            .contains("address.floor"));
        let mut plan = json!({"id": Id::from_u128(4), "household_id": Id::from_u128(2),
                              "coordinator": "Anne", "goals": []});
        assert_eq!(check(RecordType::SupportPlan, plan.clone()), Ok(()));
        plan["goals"] = json!([{"id": Id::nil(), "life_domain": "housing", "result": "",
            "considered": {"own_strength": "", "network": "", "community_services": ""},
            "actions": [], "evaluation": null}]);
        assert_eq!(check(RecordType::SupportPlan, plan), Ok(()));
    }

    #[test]
    fn text_beyond_its_cap_and_records_beyond_theirs_are_refused_with_words() {
        let value = resident(&"a".repeat(MAX_TEXT_CHARS + 1));
        let refusal = check(RecordType::Resident, value).unwrap_err();
        assert!(
            refusal.contains("given_name") && refusal.contains("te lang"),
            "{refusal}"
        );
        assert!(check(RecordType::Resident, resident(""))
            .unwrap_err()
            .contains("voornaam"));
    }

    #[test]
    fn a_crisis_cannot_be_closed_whatever_the_device_claims_it_suggested() {
        // The device claims the answers suggested "handled": no reason needed, no escalation.
        let lying = ConfirmedOutcome {
            outcome: handled(),
            suggested: OutcomeKind::Handled,
            override_reason: None,
        };
        let refusal = check(RecordType::QuickScan, crisis_scan(lying)).unwrap_err();
        assert!(refusal.contains("crisis"), "{refusal}");
        let escalated = ConfirmedOutcome::new(
            Outcome::Escalated {
                follow_up_owner: "Anne".into(),
                follow_up_date: date!(2026 - 12 - 1),
                note: String::new(),
            },
            OutcomeKind::Escalated,
            "",
        )
        .unwrap();
        assert_eq!(check(RecordType::QuickScan, crisis_scan(escalated)), Ok(()));
    }

    #[test]
    fn an_override_without_its_reason_is_refused() {
        // Past the constructor: suggested "notification", chose "handled", no reason.
        let unreasoned = ConfirmedOutcome {
            outcome: handled(),
            suggested: OutcomeKind::Notification,
            override_reason: None,
        };
        let mut scan = crisis_scan(unreasoned);
        scan["answers"] = json!({});
        assert!(check(RecordType::QuickScan, scan)
            .unwrap_err()
            .contains("Noteer waarom"));
    }

    #[test]
    fn heavy_before_light_is_refused() {
        let plan = json!({"id": Id::from_u128(4), "household_id": Id::from_u128(2),
            "coordinator": "Anne", "goals": [{"id": Id::nil(), "life_domain": "housing",
            "result": "Zelfstandig wonen",
            "considered": {"own_strength": "", "network": "", "community_services": ""},
            "actions": [{"id": Id::nil(), "description": "Traplift", "helper": "custom_provision",
                         "who": "", "due": null, "status": "planned"}],
            "evaluation": null}]});
        assert!(check(RecordType::SupportPlan, plan).is_err());
    }

    #[test]
    fn a_record_of_the_wrong_shape_is_refused_in_words_without_a_position() {
        let mut nameless = resident("Rie");
        nameless.as_object_mut().unwrap().remove("family_name");
        let refusal = check(RecordType::Resident, nameless).unwrap_err();
        assert_eq!(refusal, "Ongeldige gegevens: missing field `family_name`.");
    }
}
