//! A signal from outside (glossary: signaal, melder): a GP, a neighbour, the housing
//! corporation, the police or a school tells the municipality they worry about someone. The
//! front office records who reported it, how to reach them, the concern in their words, the
//! resident if known and the ground for acting on it. It lands in the team's signal inbox,
//! where it becomes a contact and question for a household or is closed with a reason.
//! Called `OutsideSignal` in code: `quick_scan::Signal` is a risk the quick scan raises.

use super::one_way::OneWay;
use super::{Channel, Id};
use crate::rules::validation::FieldErrors;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// Defines a closed list with a stored key and a Dutch label for each value.
macro_rules! keyed {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $key:literal, $label:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn key(self) -> &'static str {
                match self { $($name::$variant => $key),+ }
            }

            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            pub fn from_key(key: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|v| v.key() == key)
            }
        }
    };
}

keyed! {
    /// Who reported: the kind of organisation or person.
    Source {
        Gp => "gp", "Huisarts";
        Neighbour => "neighbour", "Buurtbewoner";
        HousingCorporation => "housing_corporation", "Woningcorporatie";
        Police => "police", "Politie";
        School => "school", "School";
        CareProvider => "care_provider", "Zorgaanbieder";
        Family => "family", "Familie of naaste";
        Other => "other", "Anders";
    }
}

keyed! {
    /// Why the municipality may act on it.
    Ground {
        Consent => "consent", "De inwoner weet ervan en stemt in";
        Concern => "concern", "Zorg om veiligheid of gezondheid (wettelijke taak, zonder toestemming)";
        ToEstablish => "to_establish", "Nog niet bekend: eerst met de inwoner nagaan";
    }
}

keyed! {
    /// Why a signal was closed without becoming a question.
    CloseReason {
        AlreadyKnown => "already_known", "Al bekend en in behandeling";
        NoConcern => "no_concern", "Na navraag geen zorg";
        Referred => "referred", "Doorverwezen (bijvoorbeeld naar Veilig Thuis)";
        ResidentDeclines => "resident_declines", "De inwoner wil geen contact";
        Other => "other", "Anders";
    }
}

/// The most characters of the concern: the reporter's words, a few paragraphs.
pub const MAX_CONCERN_CHARS: usize = 4000;
/// The most characters of a name, a way to reach someone, or who it is about.
pub const MAX_LINE_CHARS: usize = 200;

/// Who reported. An anonymous reporter has no name and no way to reach them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reporter {
    pub source: Source,
    pub anonymous: bool,
    /// The organisation and/or the person.
    pub name: String,
    /// A phone number or e-mail address.
    pub reach: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutsideSignal {
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub id: Id,
    pub channel: Channel,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = crate::openapi::Timestamp))]
    pub received_at: OffsetDateTime,
    pub reporter: Reporter,
    /// The concern, in the reporter's words.
    pub concern: String,
    /// The resident it is about, if known (a name, an address); empty when not known.
    pub about: String,
    pub ground: Ground,
}

impl OutsideSignal {
    pub fn check(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::default();
        let concern = self.concern.trim();
        if concern.is_empty() {
            errors.add("concern", "Schrijf op wat de melder zorgen baart.");
        } else if concern.chars().count() > MAX_CONCERN_CHARS {
            errors.add(
                "concern",
                format!("De zorg is te lang (hoogstens {MAX_CONCERN_CHARS} tekens)."),
            );
        }
        if has_hidden(concern, true) {
            errors.add("concern", "De zorg bevat een onzichtbaar teken.");
        }
        let reporter = &self.reporter;
        if reporter.anonymous {
            if !reporter.name.trim().is_empty() || !reporter.reach.trim().is_empty() {
                errors.add(
                    "reporter_name",
                    "Een anonieme melder heeft geen naam of contactgegevens.",
                );
            }
        } else {
            errors.require_text(
                "reporter_name",
                &reporter.name,
                "de naam van de melder of de organisatie",
                MAX_LINE_CHARS,
            );
        }
        for (field, value, label) in [
            ("reporter_name", &reporter.name, "De naam"),
            (
                "reporter_reach",
                &reporter.reach,
                "Het telefoonnummer of e-mailadres",
            ),
            ("about", &self.about, "Over wie het gaat"),
        ] {
            if value.trim().chars().count() > MAX_LINE_CHARS {
                errors.add(
                    field,
                    format!("{label} is te lang (hoogstens {MAX_LINE_CHARS} tekens)."),
                );
            } else if has_hidden(value, false) {
                errors.add(field, format!("{label} bevat een onzichtbaar teken."));
            }
        }
        errors.into_result(())
    }

    /// Whether the reporter can be told the signal was picked up.
    pub fn reachable(&self) -> bool {
        !self.reporter.anonymous && !self.reporter.reach.trim().is_empty()
    }
}

/// A control character (line breaks allowed where `lines`): never typed, so refused.
fn has_hidden(text: &str, lines: bool) -> bool {
    text.chars()
        .any(|c| c.is_control() && !(lines && matches!(c, '\n' | '\r' | '\t')))
}

impl OneWay for OutsideSignal {
    const KIND: &'static str = "signal";
    const ROUTE: &'static str = "/api/signals";
    fn id(&self) -> Id {
        self.id
    }
    fn check(&self) -> Result<(), FieldErrors> {
        OutsideSignal::check(self)
    }
}

/// What became of a signal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Settlement {
    Open,
    /// A contact made from it was synced: it is now a question of this household.
    BecameQuestion {
        #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
        household_id: Id,
        household_name: String,
    },
    Closed {
        reason: CloseReason,
        note: String,
    },
}

/// One signal in the team's inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InboxSignal {
    pub signal: OutsideSignal,
    pub recorded_by: String,
    pub settlement: Settlement,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::openapi::CalendarDate>))]
    pub settled_on: Option<time::Date>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::openapi::CalendarDate>))]
    pub reporter_told_on: Option<time::Date>,
}

/// Closing a signal: why, and a note when the reason is "other".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CloseSignal {
    pub reason: CloseReason,
    #[serde(default)]
    pub note: String,
}

impl CloseSignal {
    pub fn check(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::default();
        if self.reason == CloseReason::Other {
            errors.require_text("note", &self.note, "de reden", MAX_LINE_CHARS);
        } else if self.note.trim().chars().count() > MAX_LINE_CHARS {
            errors.add(
                "note",
                format!("De toelichting is te lang (hoogstens {MAX_LINE_CHARS} tekens)."),
            );
        }
        errors.into_result(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signal(anonymous: bool, name: &str, reach: &str, concern: &str) -> OutsideSignal {
        OutsideSignal {
            id: Id::nil(),
            channel: Channel::Phone,
            received_at: time::macros::datetime!(2026-12-01 10:00 +1),
            reporter: Reporter {
                source: Source::Gp,
                anonymous,
                name: name.into(),
                reach: reach.into(),
            },
            concern: concern.into(),
            about: String::new(),
            ground: Ground::Concern,
        }
    }

    #[test]
    fn a_concern_is_needed_and_a_named_reporter_needs_a_name() {
        assert!(signal(
            false,
            "Huisartsenpraktijk De Linde",
            "0570 123 456",
            "Valt vaak"
        )
        .check()
        .is_ok());
        let errors = signal(false, " ", "", "  ").check().unwrap_err();
        assert!(errors.for_field("concern").is_some());
        assert!(errors.for_field("reporter_name").is_some());
        assert!(signal(true, "", "", "Ziet de buurvrouw niet meer buiten")
            .check()
            .is_ok());
    }

    #[test]
    fn an_anonymous_reporter_leaves_no_name_and_cannot_be_told() {
        let named = signal(true, "Buurman", "", "Zorgen").check().unwrap_err();
        assert!(named.for_field("reporter_name").is_some());
        assert!(!signal(true, "", "", "Zorgen").reachable());
        assert!(!signal(false, "Buurman", " ", "Zorgen").reachable());
        assert!(signal(false, "Buurman", "06 12345678", "Zorgen").reachable());
    }

    #[test]
    fn texts_are_capped_and_hidden_characters_refused_but_line_breaks_kept() {
        let long = "x".repeat(MAX_CONCERN_CHARS + 1);
        assert!(signal(true, "", "", &long).check().is_err());
        assert!(signal(true, "", "", "regel één\nregel twee")
            .check()
            .is_ok());
        assert!(signal(true, "", "", "zorg\u{0}").check().is_err());
        let mut about = signal(true, "", "", "Zorgen");
        about.about = "a".repeat(MAX_LINE_CHARS + 1);
        assert!(about.check().unwrap_err().for_field("about").is_some());
        about.about = "Dorpsstraat\n3".into();
        assert!(about.check().is_err());
    }

    #[test]
    fn keys_round_trip_and_closing_for_another_reason_needs_words() {
        for source in Source::ALL {
            assert_eq!(Source::from_key(source.key()), Some(*source));
        }
        for ground in Ground::ALL {
            assert_eq!(Ground::from_key(ground.key()), Some(*ground));
        }
        for reason in CloseReason::ALL {
            assert_eq!(CloseReason::from_key(reason.key()), Some(*reason));
        }
        let json = serde_json::to_value(signal(true, "", "", "Zorgen")).unwrap();
        assert_eq!(json["reporter"]["source"], "gp");
        assert_eq!(json["ground"], "concern");
        let other = CloseSignal {
            reason: CloseReason::Other,
            note: " ".into(),
        };
        assert!(other.check().is_err());
        let known = CloseSignal {
            reason: CloseReason::AlreadyKnown,
            note: String::new(),
        };
        assert!(known.check().is_ok());
    }
}
