//! What a melding's zaak in the municipality's zaaksysteem (ZGW) should hold: the steps that
//! bring it up to date, from the legal clock and the reports the resident agreed to. Pure, so
//! the server's outbox and its tests agree on what "up to date" means; the HTTP is the server's.
//!
//! ZGW names (zaak, status, rol, informatieobject) are kept in Dutch, as the standard has them.

use crate::model::conversation::AgreementAnswer;
use crate::model::{Conversation, Id};
use crate::rules::legal_clock::LegalClock;
use serde::{Deserialize, Serialize};
use time::{Date, Duration};

/// The moments of the legal clock that move the zaak to its next status. The zaaktype's
/// statustypen, in the order of their volgnummer, are these five.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Milestone {
    Notified,
    ConversationHeld,
    ReportHandedOver,
    Applied,
    Decided,
}

impl Milestone {
    pub const ALL: [Milestone; 5] = [
        Milestone::Notified,
        Milestone::ConversationHeld,
        Milestone::ReportHandedOver,
        Milestone::Applied,
        Milestone::Decided,
    ];

    /// Where this milestone sits among the zaaktype's statustypen (0 = the lowest volgnummer).
    pub fn position(self) -> usize {
        self as usize
    }

    pub fn date(self, clock: &LegalClock) -> Option<Date> {
        match self {
            Milestone::Notified => clock.notification_date,
            Milestone::ConversationHeld => clock.investigation_done_on,
            Milestone::ReportHandedOver => clock.report_handed_over_on,
            Milestone::Applied => clock.application_date,
            Milestone::Decided => clock.decision_on,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Milestone::Notified => "Melding ontvangen",
            Milestone::ConversationHeld => "Gesprek gevoerd",
            Milestone::ReportHandedOver => "Verslag overhandigd",
            Milestone::Applied => "Aanvraag ontvangen",
            Milestone::Decided => "Besluit genomen",
        }
    }
}

/// One thing the zaaksysteem must get, once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// The zaak itself (its start date is the melding's).
    Zaak {
        start: Date,
    },
    /// The resident as the zaak's initiator.
    Initiator,
    Status {
        milestone: Milestone,
        on: Date,
    },
    /// A report the resident agreed to, as a PDF informatieobject linked to the zaak.
    Report {
        conversation: Id,
        agreed_on: Date,
    },
}

impl Step {
    /// The key under which a delivered step is remembered; stable across versions.
    pub fn key(&self) -> String {
        match self {
            Step::Zaak { .. } => "zaak".into(),
            Step::Initiator => "initiator".into(),
            Step::Status { milestone, .. } => format!("status:{}", milestone.position() + 1),
            Step::Report {
                conversation,
                agreed_on,
            } => format!("report:{conversation}:{agreed_on}"),
        }
    }
}

/// Everything the zaak of a melding should hold, in the order it is delivered: the zaak, its
/// initiator, the statuses in the clock's order, then the agreed reports. Nothing before the
/// melding has a date: without one there is no zaak yet.
pub fn steps(clock: &LegalClock, reports: &[AgreedReport]) -> Vec<Step> {
    let Some(start) = clock.notification_date else {
        return Vec::new();
    };
    let mut steps = vec![Step::Zaak { start }, Step::Initiator];
    steps.extend(Milestone::ALL.iter().filter_map(|&milestone| {
        milestone
            .date(clock)
            .map(|on| Step::Status { milestone, on })
    }));
    steps.extend(reports.iter().map(|r| Step::Report {
        conversation: r.conversation,
        agreed_on: r.agreed_on,
    }));
    steps
}

/// Whether a change can alter what a zaak should hold: any change of a melding, and of a
/// conversation only its agreement or its date (which decides the melding it belongs to).
/// Typing in a conversation, pushed again and again, wakes no ZGW delivery.
pub fn concerns_zaak(
    record_type: crate::sync::RecordType,
    fields: &serde_json::Map<String, serde_json::Value>,
) -> bool {
    use crate::sync::RecordType;
    match record_type {
        RecordType::Notification => true,
        RecordType::Conversation => ["agreement", "held_on"]
            .iter()
            .any(|field| fields.contains_key(*field)),
        _ => false,
    }
}

/// A conversation's report the resident said yes to (with or without remarks).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgreedReport {
    pub conversation: Id,
    pub held_on: Date,
    pub agreed_on: Date,
}

impl AgreedReport {
    pub fn of(conversation: &Conversation) -> Option<Self> {
        let agreement = &conversation.agreement;
        match (agreement.answer?, agreement.date?) {
            (AgreementAnswer::Agreed | AgreementAnswer::AgreedWithRemarks, agreed_on) => {
                Some(AgreedReport {
                    conversation: conversation.id,
                    held_on: conversation.held_on,
                    agreed_on,
                })
            }
            (AgreementAnswer::NotAgreed, _) => None,
        }
    }
}

/// The melding whose zaak a report belongs to: the latest melding on or before the
/// conversation, else (a conversation before any melding) the first melding after it.
pub fn zaak_of_report(meldingen: &[(Id, Date)], report: &AgreedReport) -> Option<Id> {
    let before = meldingen
        .iter()
        .filter(|(_, on)| *on <= report.held_on)
        .max_by_key(|(id, on)| (*on, *id));
    let after = || {
        meldingen
            .iter()
            .filter(|(_, on)| *on > report.held_on)
            .min_by_key(|(id, on)| (*on, *id))
    };
    before.or_else(after).map(|(id, _)| *id)
}

/// The zaak's identificatie in the zaaksysteem, made once from a running number, so that a
/// retried delivery finds the zaak it already made instead of making a second one.
pub fn zaak_identificatie(year: i32, number: i64) -> String {
    format!("Z-{year}-{number:06}")
}

/// The identificatie of a report's informatieobject (at most 40 characters, as ZGW allows).
pub fn report_identificatie(zaak: &str, conversation: Id, agreed_on: Date) -> String {
    let short = conversation.simple().to_string();
    format!(
        "{zaak}-{}-{:04}{:02}{:02}",
        &short[..8],
        agreed_on.year(),
        agreed_on.month() as u8,
        agreed_on.day()
    )
}

/// How long a failed delivery waits before its next try: doubling from 30 seconds, at most
/// six hours, so a zaaksysteem down for a night is not hammered and a short hiccup heals fast.
pub fn retry_after(attempts: u32) -> Duration {
    let seconds = 30i64.saturating_mul(1i64 << attempts.min(20));
    Duration::seconds(seconds.min(6 * 3600))
}

/// A zaak as the household record shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ZaakLine {
    pub identificatie: String,
    /// When the zaaksysteem last received something of it; none: not yet.
    #[serde(with = "time::serde::rfc3339::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::openapi::Timestamp>))]
    pub updated_at: Option<time::OffsetDateTime>,
    /// Something is waiting to go (a change not yet delivered, or a failure being retried).
    pub waiting: bool,
    /// The last failure in words, while it is being retried.
    pub failure: Option<String>,
}

/// One waiting delivery, as the administrator sees the queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueueItem {
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub notification_id: Id,
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub household_id: Id,
    pub identificatie: String,
    pub attempts: i32,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = crate::openapi::Timestamp))]
    pub next_attempt_at: time::OffsetDateTime,
    pub failure: Option<String>,
}

/// The administrator's view of the export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Queue {
    /// No zaaksysteem is configured: nothing is sent, the queue only collects.
    pub configured: bool,
    pub items: Vec<QueueItem>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn clock() -> LegalClock {
        LegalClock {
            notification_date: Some(date!(2026 - 11 - 02)),
            investigation_done_on: Some(date!(2026 - 11 - 16)),
            decision_on: Some(date!(2026 - 12 - 01)),
            ..Default::default()
        }
    }

    #[test]
    fn no_melding_date_no_zaak() {
        assert!(steps(&LegalClock::default(), &[]).is_empty());
    }

    #[test]
    fn the_zaak_then_initiator_then_the_statuses_in_order_then_reports() {
        let report = AgreedReport {
            conversation: Id::from_u128(7),
            held_on: date!(2026 - 11 - 16),
            agreed_on: date!(2026 - 11 - 18),
        };
        let keys: Vec<String> = steps(&clock(), &[report]).iter().map(Step::key).collect();
        let report_key = format!("report:{}:2026-11-18", Id::from_u128(7));
        assert_eq!(
            keys,
            [
                "zaak",
                "initiator",
                "status:1",
                "status:2",
                "status:5",
                report_key.as_str()
            ]
        );
    }

    #[test]
    fn a_report_goes_to_the_melding_before_it_else_the_first_after() {
        let (a, b) = (Id::from_u128(1), Id::from_u128(2));
        let meldingen = [(a, date!(2026 - 01 - 10)), (b, date!(2026 - 06 - 01))];
        let report = |held_on| AgreedReport {
            conversation: Id::from_u128(9),
            held_on,
            agreed_on: held_on,
        };
        assert_eq!(
            zaak_of_report(&meldingen, &report(date!(2026 - 03 - 01))),
            Some(a)
        );
        assert_eq!(
            zaak_of_report(&meldingen, &report(date!(2026 - 06 - 01))),
            Some(b)
        );
        assert_eq!(
            zaak_of_report(&meldingen, &report(date!(2025 - 12 - 01))),
            Some(a)
        );
        assert_eq!(zaak_of_report(&[], &report(date!(2026 - 03 - 01))), None);
    }

    #[test]
    fn identificaties_fit_zgw() {
        let zaak = zaak_identificatie(2026, 42);
        assert_eq!(zaak, "Z-2026-000042");
        let doc = report_identificatie(&zaak, Id::from_u128(u128::MAX), date!(2026 - 11 - 02));
        assert_eq!(doc, "Z-2026-000042-ffffffff-20261102");
        assert!(doc.len() <= 40);
    }

    #[test]
    fn only_a_melding_or_a_conversations_agreement_or_date_concerns_the_zaak() {
        use crate::sync::RecordType;
        let fields = |names: &[&str]| {
            names
                .iter()
                .map(|n| (n.to_string(), serde_json::Value::Null))
                .collect::<serde_json::Map<_, _>>()
        };
        assert!(concerns_zaak(RecordType::Notification, &fields(&[])));
        assert!(concerns_zaak(
            RecordType::Conversation,
            &fields(&["agreement"])
        ));
        assert!(concerns_zaak(
            RecordType::Conversation,
            &fields(&["held_on", "domains"])
        ));
        assert!(!concerns_zaak(
            RecordType::Conversation,
            &fields(&["domains"])
        ));
        assert!(!concerns_zaak(
            RecordType::SupportPlan,
            &fields(&["agreement"])
        ));
    }

    #[test]
    fn retries_back_off_to_six_hours() {
        assert_eq!(retry_after(0), Duration::seconds(30));
        assert_eq!(retry_after(1), Duration::seconds(60));
        assert_eq!(retry_after(40), Duration::hours(6));
    }

    #[test]
    fn only_a_yes_is_an_agreed_report() {
        let mut talk = Conversation::start(
            Id::from_u128(3),
            Id::from_u128(4),
            "v1",
            "anne",
            date!(2026 - 11 - 16),
        );
        assert_eq!(AgreedReport::of(&talk), None);
        talk.agreement.answer = Some(AgreementAnswer::NotAgreed);
        talk.agreement.date = Some(date!(2026 - 11 - 17));
        assert_eq!(AgreedReport::of(&talk), None);
        talk.agreement.answer = Some(AgreementAnswer::AgreedWithRemarks);
        assert_eq!(
            AgreedReport::of(&talk).map(|r| r.agreed_on),
            Some(date!(2026 - 11 - 17))
        );
    }
}
