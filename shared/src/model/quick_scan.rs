use super::Id;
use crate::rules::validation::FieldErrors;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::{Date, OffsetDateTime};

mod outcome_reader;

/// One answer to a template question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    Text(String),
    YesNo(bool),
    Choices(Vec<String>),
}

/// A signal of risk, or of more going on, noted in a quick scan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Signal {
    /// The template option id, e.g. `domestic_violence`.
    pub kind: String,
    pub label: String,
    pub escalates: bool,
}

/// The short first exploration of a question. Records the template version it was made with,
/// and the step it was on, so an interrupted scan resumes where it was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuickScan {
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub id: Id,
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub contact_id: Id,
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub household_id: Id,
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub resident_id: Id,
    pub template_version: String,
    pub answers: BTreeMap<String, Answer>,
    pub step: usize,
    pub outcome: Option<ConfirmedOutcome>,
    #[serde(with = "time::serde::rfc3339::option", default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::openapi::Timestamp>))]
    pub completed_at: Option<OffsetDateTime>,
}

impl QuickScan {
    pub fn text(&self, id: &str) -> &str {
        match self.answers.get(id) {
            Some(Answer::Text(text)) => text,
            _ => "",
        }
    }

    pub fn yes_no(&self, id: &str) -> Option<bool> {
        match self.answers.get(id) {
            Some(Answer::YesNo(value)) => Some(*value),
            _ => None,
        }
    }

    pub fn choices(&self, id: &str) -> &[String] {
        match self.answers.get(id) {
            Some(Answer::Choices(values)) => values,
            _ => &[],
        }
    }
}

/// The outcomes a quick scan can end in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OutcomeKind {
    /// Afgehandeld: information or advice given, or a simple product handled while waiting.
    Handled,
    /// Doorverwezen to a partner on the social map.
    Referred,
    /// Afspraak voor een gesprek (clarification or kitchen-table conversation).
    Appointment,
    /// Melding Wmo: starts the legal clock.
    Notification,
    /// Opschalen: crisis or unsafety.
    Escalated,
}

impl OutcomeKind {
    pub const ALL: [OutcomeKind; 5] = [
        OutcomeKind::Handled,
        OutcomeKind::Referred,
        OutcomeKind::Appointment,
        OutcomeKind::Notification,
        OutcomeKind::Escalated,
    ];

    pub fn label(self) -> &'static str {
        match self {
            OutcomeKind::Handled => "Afgehandeld",
            OutcomeKind::Referred => "Doorverwezen",
            OutcomeKind::Appointment => "Afspraak voor gesprek",
            OutcomeKind::Notification => "Melding Wmo",
            OutcomeKind::Escalated => "Opschalen",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            OutcomeKind::Handled => "handled",
            OutcomeKind::Referred => "referred",
            OutcomeKind::Appointment => "appointment",
            OutcomeKind::Notification => "notification",
            OutcomeKind::Escalated => "escalated",
        }
    }

    pub fn from_key(key: &str) -> Option<OutcomeKind> {
        OutcomeKind::ALL.into_iter().find(|k| k.key() == key)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum HandledHow {
    InformationOrAdvice,
    SimpleProduct,
}

/// Which conversation: vraagverheldering (the question behind the question, across life
/// domains, before anything is offered) or the kitchen-table conversation (the Wmo
/// investigation).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ConversationKind {
    Clarification,
    #[default]
    KitchenTable,
}

impl ConversationKind {
    pub const ALL: [ConversationKind; 2] = [
        ConversationKind::KitchenTable,
        ConversationKind::Clarification,
    ];

    pub fn key(self) -> &'static str {
        match self {
            ConversationKind::Clarification => "clarification",
            ConversationKind::KitchenTable => "kitchen_table",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            ConversationKind::Clarification => "Vraagverheldering",
            ConversationKind::KitchenTable => "Keukentafelgesprek",
        }
    }
}

/// The outcome with what it needs, as the worker confirmed it. Read by
/// [`outcome_reader::OutcomeReader`] (smaller code than serde's reader of a tagged enum).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(
    rename_all = "snake_case",
    tag = "kind",
    try_from = "outcome_reader::OutcomeReader"
)]
pub enum Outcome {
    Handled {
        how: HandledHow,
        note: String,
    },
    Referred {
        partner_id: String,
        warm_handover: bool,
        note: String,
    },
    Appointment {
        conversation: ConversationKind,
        #[cfg_attr(feature = "openapi", schema(value_type = crate::openapi::CalendarDate))]
        date: Date,
        time: String,
        place: String,
        home_visit: bool,
        /// Who the resident will see, by name (empty in appointments made before it was asked).
        #[serde(default)]
        worker: String,
        /// Their account, when picked from the team's roster: their devices receive the
        /// household at their next sync and the appointment is in their agenda.
        #[serde(default)]
        #[cfg_attr(feature = "openapi", schema(value_type = Option<uuid::Uuid>))]
        worker_account: Option<Id>,
    },
    Notification {
        #[cfg_attr(feature = "openapi", schema(value_type = crate::openapi::CalendarDate))]
        date: Date,
    },
    Escalated {
        follow_up_owner: String,
        #[cfg_attr(feature = "openapi", schema(value_type = crate::openapi::CalendarDate))]
        follow_up_date: Date,
        note: String,
    },
}

impl Outcome {
    pub fn kind(&self) -> OutcomeKind {
        match self {
            Outcome::Handled { .. } => OutcomeKind::Handled,
            Outcome::Referred { .. } => OutcomeKind::Referred,
            Outcome::Appointment { .. } => OutcomeKind::Appointment,
            Outcome::Notification { .. } => OutcomeKind::Notification,
            Outcome::Escalated { .. } => OutcomeKind::Escalated,
        }
    }
}

/// The worker's decision: the suggestion confirmed, or overridden with a reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConfirmedOutcome {
    pub outcome: Outcome,
    pub suggested: OutcomeKind,
    pub override_reason: Option<String>,
}

impl ConfirmedOutcome {
    /// An override needs a reason; an escalation needs a follow-up owner and date (it can never
    /// be closed without them); every outcome needs its own details.
    pub fn new(
        outcome: Outcome,
        suggested: OutcomeKind,
        override_reason: &str,
    ) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let reason = override_reason.trim();
        if outcome.kind() != suggested && reason.is_empty() {
            errors.add(
                "override_reason",
                format!(
                    "Je kiest een andere uitkomst dan voorgesteld ({}). Noteer waarom.",
                    suggested.label()
                ),
            );
        }
        if suggested == OutcomeKind::Escalated && outcome.kind() != OutcomeKind::Escalated {
            errors.add(
                "override_reason",
                "Er is een signaal van crisis of onveiligheid. Schaal op: dit kan niet zonder opvolging worden afgesloten.",
            );
        }
        match &outcome {
            Outcome::Referred { partner_id, .. } if partner_id.trim().is_empty() => {
                errors.add("partner", "Kies een partner van de sociale kaart.");
            }
            Outcome::Appointment {
                time,
                place,
                worker,
                ..
            } => {
                if worker.trim().is_empty() {
                    errors.add(
                        "appointment_worker",
                        "Met wie is de afspraak? Kies een collega.",
                    );
                }
                if time.trim().is_empty() {
                    errors.add("appointment_time", "Vul de tijd van de afspraak in.");
                }
                if place.trim().is_empty() {
                    errors.add("appointment_place", "Vul de plaats van de afspraak in.");
                }
            }
            Outcome::Escalated {
                follow_up_owner, ..
            } if follow_up_owner.trim().is_empty() => {
                errors.add(
                    "follow_up_owner",
                    "Wie pakt de opvolging op? Opschalen kan niet zonder eigenaar.",
                );
            }
            _ => {}
        }
        errors.into_result(Self {
            outcome,
            suggested,
            override_reason: (!reason.is_empty()).then(|| reason.to_owned()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn confirming_the_suggestion_needs_no_reason() {
        let outcome = Outcome::Notification {
            date: date!(2026 - 11 - 22),
        };
        let confirmed = ConfirmedOutcome::new(outcome, OutcomeKind::Notification, "").unwrap();
        assert_eq!(confirmed.override_reason, None);
    }

    #[test]
    fn an_override_records_why() {
        let outcome = Outcome::Handled {
            how: HandledHow::InformationOrAdvice,
            note: String::new(),
        };
        let errors =
            ConfirmedOutcome::new(outcome.clone(), OutcomeKind::Appointment, " ").unwrap_err();
        assert!(errors.for_field("override_reason").is_some());
        let confirmed =
            ConfirmedOutcome::new(outcome, OutcomeKind::Appointment, "Vraag was al opgelost")
                .unwrap();
        assert_eq!(
            confirmed.override_reason.as_deref(),
            Some("Vraag was al opgelost")
        );
    }

    #[test]
    fn an_escalation_is_never_closable_without_a_follow_up_owner() {
        let outcome = Outcome::Escalated {
            follow_up_owner: "  ".into(),
            follow_up_date: date!(2026 - 11 - 23),
            note: String::new(),
        };
        let errors = ConfirmedOutcome::new(outcome, OutcomeKind::Escalated, "").unwrap_err();
        assert!(errors.for_field("follow_up_owner").is_some());
        let handled = Outcome::Handled {
            how: HandledHow::InformationOrAdvice,
            note: String::new(),
        };
        let errors =
            ConfirmedOutcome::new(handled, OutcomeKind::Escalated, "toch niet").unwrap_err();
        assert!(errors
            .for_field("override_reason")
            .unwrap()
            .contains("Schaal op"));
    }

    #[test]
    fn outcome_keys_round_trip() {
        for kind in OutcomeKind::ALL {
            assert_eq!(OutcomeKind::from_key(kind.key()), Some(kind));
        }
    }
}
