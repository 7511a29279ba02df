//! An anonymous contact: a quick question (by phone, at the desk, ...) where no resident is
//! registered. What was asked about and what was given, so the front door's figures count it.
//! It holds no personal data: no name, no address, a subject in a few words. Made once and
//! never edited, so it travels one way by its id (`super::one_way`, stored once).

use super::one_way::OneWay;
use super::{Channel, Id};
use crate::rules::validation::FieldErrors;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// What the front door gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Given {
    Information,
    Advice,
    /// Practical support, such as help with a form.
    PracticalSupport,
    /// A simple product handled at once.
    SimpleProduct,
}

impl Given {
    pub const ALL: [Given; 4] = [
        Given::Information,
        Given::Advice,
        Given::PracticalSupport,
        Given::SimpleProduct,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Given::Information => "information",
            Given::Advice => "advice",
            Given::PracticalSupport => "practical_support",
            Given::SimpleProduct => "simple_product",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Given::Information => "Informatie",
            Given::Advice => "Advies",
            Given::PracticalSupport => "Praktische ondersteuning (zoals hulp bij een formulier)",
            Given::SimpleProduct => "Eenvoudige voorziening direct geregeld",
        }
    }

    pub fn from_key(key: &str) -> Option<Given> {
        Given::ALL.into_iter().find(|g| g.key() == key)
    }
}

/// The most characters a subject may hold: a few words, not a story (that needs a resident).
pub const MAX_SUBJECT_CHARS: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnonymousContact {
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub id: Id,
    pub channel: Channel,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = crate::openapi::Timestamp))]
    pub at: OffsetDateTime,
    /// What it was about, in a few words, without anything that names the person.
    pub subject: String,
    pub life_domains: Vec<String>,
    pub given: Given,
}

impl AnonymousContact {
    /// The device checks before keeping it, the server before storing it.
    pub fn check(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::default();
        let subject = self.subject.trim();
        if subject.is_empty() {
            errors.add(
                "subject",
                "Schrijf in een paar woorden waar de vraag over ging.",
            );
        } else if subject.chars().count() > MAX_SUBJECT_CHARS {
            errors.add(
                "subject",
                format!(
                    "Houd het onderwerp kort: hoogstens {MAX_SUBJECT_CHARS} tekens. Is er meer te vertellen, registreer dan de inwoner."
                ),
            );
        }
        if subject.chars().any(char::is_control) {
            errors.add("subject", "Het onderwerp bevat een onzichtbaar teken.");
        }
        if self.life_domains.is_empty() {
            errors.add(
                "life_domains",
                "Kies het leefgebied waar de vraag over ging.",
            );
        }
        if self.life_domains.len() > 20
            || self
                .life_domains
                .iter()
                .any(|d| d.len() > 60 || d.chars().any(char::is_control))
        {
            errors.add("life_domains", "Onbekende leefgebieden.");
        }
        errors.into_result(())
    }
}

impl OneWay for AnonymousContact {
    const KIND: &'static str = "anon";
    const ROUTE: &'static str = "/api/anonymous-contacts";
    fn id(&self) -> Id {
        self.id
    }
    fn check(&self) -> Result<(), FieldErrors> {
        AnonymousContact::check(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact(subject: &str, domains: &[&str]) -> AnonymousContact {
        AnonymousContact {
            id: Id::nil(),
            channel: Channel::Phone,
            at: time::macros::datetime!(2026-12-01 10:00 +1),
            subject: subject.into(),
            life_domains: domains.iter().map(|d| d.to_string()).collect(),
            given: Given::PracticalSupport,
        }
    }

    #[test]
    fn a_subject_and_a_life_domain_are_needed_and_the_subject_stays_short() {
        assert!(contact("Hulp bij aanvraag huurtoeslag", &["finances"])
            .check()
            .is_ok());
        let errors = contact("  ", &[]).check().unwrap_err();
        assert!(errors.for_field("subject").is_some());
        assert!(errors.for_field("life_domains").is_some());
        let long = "x".repeat(MAX_SUBJECT_CHARS + 1);
        assert!(contact(&long, &["finances"]).check().is_err());
        assert!(contact("huur\u{0}toeslag", &["finances"]).check().is_err());
        assert!(contact("Huurtoeslag", &["fin\u{0}ances"]).check().is_err());
    }

    #[test]
    fn what_was_given_round_trips_by_key() {
        for given in Given::ALL {
            assert_eq!(Given::from_key(given.key()), Some(given));
        }
        let json = serde_json::to_value(contact("Formulier", &["finances"])).unwrap();
        assert_eq!(json["given"], "practical_support");
        assert_eq!(json["channel"], "phone");
    }
}
