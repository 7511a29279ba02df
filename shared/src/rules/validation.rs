//! Validation results the UI shows next to a field and the server returns as a 422.

use serde::{Deserialize, Serialize};

/// One problem with one field, in words for the worker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// All problems with a form at once, so the worker can fix them in one go.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

    /// Every problem in one sentence, for an answer that cannot place them beside fields.
    pub fn sentence(&self) -> String {
        self.0
            .iter()
            .map(|e| e.message.as_str())
            .collect::<Vec<_>>()
            .join(" ")
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

/// Parses an ISO date (`yyyy-mm-dd`, as `<input type="date">` gives it). Written out rather
/// than through `time`'s format descriptions: those bring a general formatter and parser into
/// the browser's first screen for this one shape (issue 17); a property test holds the two
/// equal.
pub fn parse_date(value: &str) -> Option<time::Date> {
    let value = value.trim();
    // A year may carry a plus sign (ISO 8601 allows it); no date of ours is before year 0.
    let parts: Vec<&str> = value
        .strip_prefix('+')
        .unwrap_or(value)
        .split('-')
        .collect();
    let shaped = matches!(parts.as_slice(), [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2)
        && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()));
    shaped.then(|| date_from_digits(&parts.concat())).flatten()
}

/// The date written as eight digits, `yyyymmdd`, if it exists.
pub fn date_from_digits(digits: &str) -> Option<time::Date> {
    let year: i32 = digits.get(0..4)?.parse().ok()?;
    let month: u8 = digits.get(4..6)?.parse().ok()?;
    let day: u8 = digits.get(6..8)?.parse().ok()?;
    time::Date::from_calendar_date(year, time::Month::try_from(month).ok()?, day).ok()
}

/// An ISO date, `yyyy-mm-dd` (years 0–9999, as the date input takes them).
pub fn format_date(date: time::Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
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

/// A week as Dutch tables name it: "week 47 (16-11-2026)", the ISO week and its Monday.
pub fn display_week(monday: time::Date) -> String {
    format!("week {} ({})", monday.iso_week(), display_date(monday))
}

/// A count with the Dutch thousands separator: 12.345.
pub fn display_count(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(c);
    }
    if n < 0 {
        format!("-{grouped}")
    } else {
        grouped
    }
}

/// A number with one decimal, Dutch: 3,5.
pub fn display_decimal(value: f64) -> String {
    format!("{value:.1}").replace('.', ",")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const ISO: &[time::format_description::BorrowedFormatItem<'static>] =
        time::macros::format_description!("[year]-[month]-[day]");

    proptest! {
        /// The written-out ISO date reads and writes as `time`'s format description does (years
        /// from 0 on).
        #[test]
        fn iso_dates_read_and_write_as_the_format_description_does(
            text in "[ ]?[+]?[0-9]{1,5}-[0-9]{1,3}-[0-9]{1,3}[ ]?",
            days in 0i32..3_652_000,
        ) {
            let described = time::Date::parse(text.trim(), ISO).ok();
            prop_assert_eq!(parse_date(&text), described);
            let date = time::Date::from_calendar_date(0, time::Month::January, 1).unwrap()
                + time::Duration::days(i64::from(days));
            prop_assert_eq!(format_date(date), date.format(ISO).unwrap());
            prop_assert_eq!(parse_date(&format_date(date)), Some(date));
        }
    }

    #[test]
    fn dutch_weeks_counts_and_decimals() {
        let monday = time::macros::date!(2026 - 11 - 16);
        assert_eq!(display_week(monday), "week 47 (16-11-2026)");
        assert_eq!(display_count(7), "7");
        assert_eq!(display_count(1234), "1.234");
        assert_eq!(display_count(1_234_567), "1.234.567");
        assert_eq!(display_count(-1000), "-1.000");
        assert_eq!(display_decimal(3.25), "3,2");
        assert_eq!(display_decimal(12.0), "12,0");
    }

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
