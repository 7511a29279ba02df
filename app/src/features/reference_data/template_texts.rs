//! Editing a template's texts in a form: every title, introduction, question, hint, option and
//! scale label of the JSON gets a labelled field, so an administrator changes wording without
//! touching JSON. Structure (new questions or domains) is changed in the JSON below the form.

use serde_json::Value;

/// One step on the way to a text in the template's JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// One editable text: where it sits, what to call it, and what it says now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextSpot {
    pub path: Vec<Seg>,
    pub label: String,
    pub value: String,
    pub long: bool,
}

fn field_name(key: &str) -> Option<(&'static str, bool)> {
    Some(match key {
        "version" => ("Versie", false),
        "title" => ("Titel", false),
        "intro" => ("Inleiding", true),
        "label" => ("Tekst", false),
        "hint" => ("Toelichting", true),
        "description" => ("Omschrijving", true),
        "prompt" => ("Vraag aan de inwoner", true),
        _ => return None,
    })
}

fn item_name(array_key: &str, index: usize, item: &Value) -> String {
    let n = index + 1;
    match array_key {
        "steps" => format!("Stap {n}"),
        "questions" => format!("vraag {n}"),
        "options" => format!("keuze {n}"),
        "domains" => format!("Leefgebied {n}"),
        "domain_questions" => format!("Gespreksvraag {n}"),
        "sections" => format!("Onderdeel {n}"),
        "labels" => match item.get("score").and_then(Value::as_u64) {
            Some(score) => format!("Score {score}"),
            None => format!("Score {n}"),
        },
        other => format!("{other} {n}"),
    }
}

/// Every text of the template, each object's own texts before what it contains.
pub fn text_spots(template: &Value) -> Vec<TextSpot> {
    let mut spots = Vec::new();
    walk(template, &mut Vec::new(), &mut Vec::new(), &mut spots);
    spots
}

fn walk(value: &Value, path: &mut Vec<Seg>, names: &mut Vec<String>, out: &mut Vec<TextSpot>) {
    if let Value::Object(map) = value {
        // A heading reads before its contents: version, title, introduction, then the rest.
        const ORDER: [&str; 7] = [
            "version",
            "title",
            "intro",
            "prompt",
            "label",
            "hint",
            "description",
        ];
        let mut keys: Vec<&String> = map.keys().collect();
        keys.sort_by_key(|k| ORDER.iter().position(|o| o == k).unwrap_or(ORDER.len()));
        for key in keys {
            let child = &map[key.as_str()];
            path.push(Seg::Key(key.clone()));
            match (child, field_name(key)) {
                (Value::String(text), Some((name, long))) => {
                    let mut label = names.clone();
                    label.push(name.to_owned());
                    out.push(TextSpot {
                        path: path.clone(),
                        label: label.join(" › "),
                        value: text.clone(),
                        long,
                    });
                }
                (Value::Array(items), _) => {
                    for (i, item) in items.iter().enumerate() {
                        path.push(Seg::Index(i));
                        names.push(item_name(key, i, item));
                        walk(item, path, names, out);
                        names.pop();
                        path.pop();
                    }
                }
                (Value::Object(_), _) => walk(child, path, names, out),
                _ => {}
            }
            path.pop();
        }
    }
}

/// Puts `text` at `path`; false when the path no longer exists (the JSON was changed).
pub fn set_text(template: &mut Value, path: &[Seg], text: &str) -> bool {
    let mut at = template;
    for seg in path {
        let next = match seg {
            Seg::Key(k) => at.get_mut(k.as_str()),
            Seg::Index(i) => at.get_mut(*i),
        };
        match next {
            Some(v) => at = v,
            None => return false,
        }
    }
    *at = Value::String(text.to_owned());
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::templates::conversation::current_conversation;
    use shared::templates::current_quick_scan;

    #[test]
    fn every_text_of_a_quick_scan_gets_a_named_field_and_can_be_changed() {
        let mut json = serde_json::to_value(current_quick_scan()).unwrap();
        let spots = text_spots(&json);
        let intro = spots
            .iter()
            .find(|s| s.label == "Stap 1 › Inleiding")
            .unwrap();
        assert_eq!(
            intro.value,
            current_quick_scan().steps[0].intro.clone().unwrap()
        );
        assert_eq!(spots[0].label, "Versie");
        let title = spots
            .iter()
            .position(|s| s.label == "Stap 1 › Titel")
            .unwrap();
        let question = spots
            .iter()
            .position(|s| s.label == "Stap 1 › vraag 1 › Tekst")
            .unwrap();
        assert!(
            title < question,
            "a step's title comes before its questions"
        );
        assert!(spots.iter().any(|s| s.label == "Stap 1 › vraag 1 › Tekst"));
        assert!(set_text(&mut json, &intro.path, "Nieuwe inleiding"));
        let changed: shared::templates::QuickScanTemplate = serde_json::from_value(json).unwrap();
        assert_eq!(changed.steps[0].intro.as_deref(), Some("Nieuwe inleiding"));
    }

    #[test]
    fn scale_labels_of_a_conversation_are_named_by_score() {
        let json = serde_json::to_value(current_conversation()).unwrap();
        let spots = text_spots(&json);
        let first = &current_conversation().scale.labels[0];
        let spot = spots.iter().find(|s| s.label == "Score 1 › Tekst").unwrap();
        assert_eq!(spot.value, first.label);
        assert!(spots.iter().any(|s| s.label.starts_with("Leefgebied 1")));
        let mut json = json;
        assert!(!set_text(
            &mut json,
            &[Seg::Key("bestaat".into()), Seg::Index(3)],
            "x"
        ));
    }
}
