//! Validation results the UI shows next to a field and the server returns as a 422.

use serde::{Deserialize, Serialize};

/// One problem with one field, in words for the worker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// All problems with a form at once, so the worker can fix them in one go.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.to_owned(),
            message: message.into(),
        });
    }

    pub fn for_field(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn into_result<T>(self, value: T) -> Result<T, FieldErrors> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }

    /// A required text: present once trimmed, and not absurdly long.
    pub fn require_text(&mut self, field: &str, value: &str, label: &str, max_chars: usize) {
        let trimmed = value.trim();
        if trimmed.is_empty() {
            self.add(field, format!("Vul {label} in."));
        } else if trimmed.chars().count() > max_chars {
            self.add(
                field,
                format!("{label} is te lang (hoogstens {max_chars} tekens)."),
            );
        }
    }
}

/// Parses an ISO date (`yyyy-mm-dd`, as `<input type="date">` gives it).
pub fn parse_date(value: &str) -> Option<time::Date> {
    time::Date::parse(
        value.trim(),
        &time::macros::format_description!("[year]-[month]-[day]"),
    )
    .ok()
}

pub fn format_date(date: time::Date) -> String {
    date.format(&time::macros::format_description!("[year]-[month]-[day]"))
        .unwrap_or_default()
}

/// Dutch display form, dd-mm-jjjj: "03-02-2026".
pub fn display_date(date: time::Date) -> String {
    format!(
        "{:02}-{:02}-{}",
        date.day(),
        u8::from(date.month()),
        date.year()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_text_is_checked_after_trimming() {
        let mut errors = FieldErrors::default();
        errors.require_text("name", "   ", "de achternaam", 10);
        errors.require_text("city", "Amsterdam-Zuidoost-Noord", "de plaats", 10);
        errors.require_text("ok", "Utrecht", "de plaats", 10);
        assert_eq!(errors.for_field("name"), Some("Vul de achternaam in."));
        assert!(errors.for_field("city").unwrap().contains("te lang"));
        assert_eq!(errors.for_field("ok"), None);
    }

    #[test]
    fn dates_round_trip_and_show_in_dutch_order() {
        let date = parse_date("2026-02-03").unwrap();
        assert_eq!(format_date(date), "2026-02-03");
        assert_eq!(display_date(date), "03-02-2026");
        assert!(parse_date("2026-02-30").is_none());
        assert!(parse_date("03-02-2026").is_none());
    }
}
