//! The quick-scan routing rule: which outcome the answers suggest, and what the question's
//! owner and next date become once the worker confirms an outcome.

use crate::model::question::QuestionStatus;
use crate::model::quick_scan::{ConfirmedOutcome, Outcome, OutcomeKind, QuickScan, Signal};
use crate::rules::legal_clock::{deadline, PERSONAL_PLAN_WINDOW};
use crate::rules::validation::{display_date, FieldErrors};
use crate::templates::{QuestionKind, QuickScanTemplate, Role};
use time::{Date, Duration};

/// The suggested outcome with the reasons, in words the worker can check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub kind: OutcomeKind,
    pub reasons: Vec<String>,
}

/// The signals chosen in the scan, labelled from its template.
pub fn signals(template: &QuickScanTemplate, scan: &QuickScan) -> Vec<Signal> {
    let question = template.question_with_role(Role::Signals);
    question
        .options
        .iter()
        .filter(|o| scan.choices(&question.id).contains(&o.id))
        .map(|o| Signal {
            kind: o.id.clone(),
            label: o.label.clone(),
            escalates: o.escalates,
        })
        .collect()
}

/// In order: a crisis or safety signal escalates; a wish to notify makes a melding; the wrong
/// place refers; more going on (or several life domains) needs a conversation; a question that
/// can be answered now is handled; anything else gets a conversation.
pub fn suggest(template: &QuickScanTemplate, scan: &QuickScan) -> Suggestion {
    let answer = |role| scan.yes_no(&template.question_with_role(role).id);
    let escalating: Vec<String> = signals(template, scan)
        .into_iter()
        .filter(|s| s.escalates)
        .map(|s| s.label)
        .collect();
    let domains = scan
        .choices(&template.question_with_role(Role::LifeDomains).id)
        .len();

    let (kind, reason) = if !escalating.is_empty() {
        (
            OutcomeKind::Escalated,
            format!(
                "Signaal van crisis of onveiligheid: {}.",
                escalating.join(", ")
            ),
        )
    } else if answer(Role::WantsNotification) == Some(true) {
        (
            OutcomeKind::Notification,
            "De inwoner wil een melding Wmo doen.".to_owned(),
        )
    } else if answer(Role::RightPlace) == Some(false) {
        (
            OutcomeKind::Referred,
            "De inwoner is elders aan het goede adres.".to_owned(),
        )
    } else if answer(Role::MoreGoingOn) == Some(true) || domains >= 2 {
        (
            OutcomeKind::Appointment,
            if domains >= 2 {
                format!("De vraag raakt {domains} leefgebieden: een gesprek geeft overzicht.")
            } else {
                "Er is meer aan de hand dan de gestelde vraag.".to_owned()
            },
        )
    } else if answer(Role::AnsweredHere) == Some(true) {
        (
            OutcomeKind::Handled,
            "De vraag kan nu worden beantwoord.".to_owned(),
        )
    } else {
        (
            OutcomeKind::Appointment,
            "De vraag kan niet meteen worden beantwoord.".to_owned(),
        )
    };
    Suggestion {
        kind,
        reasons: vec![reason],
    }
}

/// The required questions of one step that have no answer yet.
pub fn missing_answers(template: &QuickScanTemplate, step: usize, scan: &QuickScan) -> FieldErrors {
    let mut errors = FieldErrors::default();
    let Some(step) = template.steps.get(step) else {
        return errors;
    };
    for question in step.questions.iter().filter(|q| q.required) {
        let answered = match question.kind {
            QuestionKind::LongText => !scan.text(&question.id).trim().is_empty(),
            QuestionKind::YesNo => scan.yes_no(&question.id).is_some(),
            QuestionKind::MultiChoice => !scan.choices(&question.id).is_empty(),
        };
        if !answered {
            let message = match question.kind {
                QuestionKind::LongText => "Vul dit in.",
                QuestionKind::YesNo => "Kies ja of nee.",
                QuestionKind::MultiChoice => "Kies minstens één mogelijkheid.",
            };
            errors.add(&question.id, message);
        }
    }
    errors
}

/// What happens to the question after the outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUp {
    pub status: QuestionStatus,
    pub owner: String,
    pub next_date: Option<Date>,
    pub next_step: String,
}

/// How long before the referring worker checks that a referral was picked up.
const REFERRAL_CHECK: Duration = Duration::days(14);

pub fn follow_up(
    confirmed: &ConfirmedOutcome,
    partner_name: Option<&str>,
    worker: &str,
    today: Date,
) -> FollowUp {
    let open = |owner: &str, next_date: Date, next_step: String| FollowUp {
        status: QuestionStatus::Open,
        owner: owner.to_owned(),
        next_date: Some(next_date),
        next_step,
    };
    match &confirmed.outcome {
        Outcome::Handled { .. } => FollowUp {
            status: QuestionStatus::Closed,
            owner: worker.to_owned(),
            next_date: None,
            next_step: "Afgehandeld".to_owned(),
        },
        Outcome::Referred { .. } => open(
            worker,
            today + REFERRAL_CHECK,
            format!(
                "Nagaan of {} de vraag heeft opgepakt",
                partner_name.unwrap_or("de partner")
            ),
        ),
        // The colleague the appointment is with prepares it.
        Outcome::Appointment {
            date,
            time,
            worker: with,
            ..
        } => open(
            if with.trim().is_empty() {
                worker
            } else {
                with.trim()
            },
            *date,
            format!("Gesprek op {} om {time}", display_date(*date)),
        ),
        Outcome::Notification { date } => {
            // The legal clock's own deadline, so a weekend or holiday moves it here too.
            let plan_until = deadline(*date, PERSONAL_PLAN_WINDOW);
            open(
                worker,
                plan_until,
                format!(
                    "Melding Wmo van {}: persoonlijk plan kan tot {}",
                    display_date(*date),
                    display_date(plan_until)
                ),
            )
        }
        Outcome::Escalated {
            follow_up_owner,
            follow_up_date,
            ..
        } => open(
            follow_up_owner.trim(),
            *follow_up_date,
            "Opgeschaald: opvolging van het signaal".to_owned(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::quick_scan::{Answer, HandledHow};
    use crate::model::Id;
    use crate::templates::current_quick_scan;
    use proptest::prelude::*;
    use time::macros::date;

    fn scan(answers: &[(&str, Answer)]) -> QuickScan {
        QuickScan {
            id: Id::nil(),
            contact_id: Id::nil(),
            household_id: Id::nil(),
            resident_id: Id::nil(),
            template_version: current_quick_scan().version.clone(),
            answers: answers
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
            step: 0,
            outcome: None,
            completed_at: None,
        }
    }

    fn yes(id: &str) -> (&str, Answer) {
        (id, Answer::YesNo(true))
    }
    fn no(id: &str) -> (&str, Answer) {
        (id, Answer::YesNo(false))
    }
    fn domains(ids: &[&str]) -> (&'static str, Answer) {
        (
            "life_domains",
            Answer::Choices(ids.iter().map(|s| s.to_string()).collect()),
        )
    }

    fn suggested(answers: &[(&str, Answer)]) -> OutcomeKind {
        suggest(current_quick_scan(), &scan(answers)).kind
    }

    #[test]
    fn each_outcome_is_reachable() {
        let simple = [
            domains(&["practical"]),
            no("more_going_on"),
            yes("right_place"),
            no("wants_notification"),
        ];
        let mut handled = simple.to_vec();
        handled.push(yes("answered_here"));
        assert_eq!(suggested(&handled), OutcomeKind::Handled);

        let mut elsewhere = simple.to_vec();
        elsewhere[2] = no("right_place");
        assert_eq!(suggested(&elsewhere), OutcomeKind::Referred);

        let mut more = simple.to_vec();
        more[1] = yes("more_going_on");
        assert_eq!(suggested(&more), OutcomeKind::Appointment);

        let mut melding = simple.to_vec();
        melding[3] = yes("wants_notification");
        assert_eq!(suggested(&melding), OutcomeKind::Notification);

        let mut crisis = melding.clone();
        crisis.push(("signals", Answer::Choices(vec!["domestic_violence".into()])));
        assert_eq!(suggested(&crisis), OutcomeKind::Escalated);
    }

    #[test]
    fn several_life_domains_suggest_a_conversation() {
        let answers = [
            domains(&["finances", "housing"]),
            no("more_going_on"),
            yes("right_place"),
            yes("answered_here"),
            no("wants_notification"),
        ];
        let suggestion = suggest(current_quick_scan(), &scan(&answers));
        assert_eq!(suggestion.kind, OutcomeKind::Appointment);
        assert!(suggestion.reasons[0].contains("2 leefgebieden"));
    }

    #[test]
    fn a_non_escalating_signal_does_not_escalate() {
        let answers = [
            domains(&["social_network"]),
            ("signals", Answer::Choices(vec!["neglect".into()])),
            yes("right_place"),
            yes("answered_here"),
            no("wants_notification"),
            no("more_going_on"),
        ];
        assert_eq!(suggested(&answers), OutcomeKind::Handled);
    }

    #[test]
    fn missing_answers_are_named_per_step() {
        let template = current_quick_scan();
        let errors = missing_answers(template, 0, &scan(&[]));
        assert_eq!(errors.for_field("own_words"), Some("Vul dit in."));
        let errors = missing_answers(template, 4, &scan(&[yes("right_place")]));
        assert!(errors.for_field("right_place").is_none());
        assert!(errors.for_field("answered_here").is_some());
    }

    #[test]
    fn follow_up_sets_owner_and_next_date() {
        let today = date!(2026 - 12 - 28);
        let handled = ConfirmedOutcome::new(
            Outcome::Handled {
                how: HandledHow::SimpleProduct,
                note: String::new(),
            },
            OutcomeKind::Handled,
            "",
        )
        .unwrap();
        assert_eq!(
            follow_up(&handled, None, "Anne", today).status,
            QuestionStatus::Closed
        );

        let melding = ConfirmedOutcome::new(
            Outcome::Notification { date: today },
            OutcomeKind::Notification,
            "",
        )
        .unwrap();
        let next = follow_up(&melding, None, "Anne", today);
        assert_eq!(
            next.next_date,
            Some(date!(2027 - 01 - 04)),
            "over the turn of the year"
        );
        assert_eq!(next.owner, "Anne");

        let escalated = ConfirmedOutcome::new(
            Outcome::Escalated {
                follow_up_owner: " Veilig Thuis-consulent ".into(),
                follow_up_date: today,
                note: String::new(),
            },
            OutcomeKind::Escalated,
            "",
        )
        .unwrap();
        let next = follow_up(&escalated, None, "Anne", today);
        assert_eq!(
            (next.status, next.owner.as_str()),
            (QuestionStatus::Open, "Veilig Thuis-consulent")
        );
    }

    fn any_answers() -> impl Strategy<Value = Vec<(String, Answer)>> {
        let template = current_quick_scan();
        let signal_ids: Vec<String> = template
            .question_with_role(Role::Signals)
            .options
            .iter()
            .map(|o| o.id.clone())
            .collect();
        let domain_ids: Vec<String> = template
            .question_with_role(Role::LifeDomains)
            .options
            .iter()
            .map(|o| o.id.clone())
            .collect();
        (
            proptest::sample::subsequence(signal_ids.clone(), 0..=signal_ids.len()),
            proptest::sample::subsequence(domain_ids.clone(), 0..=domain_ids.len()),
            proptest::collection::vec(proptest::option::of(any::<bool>()), 4),
        )
            .prop_map(|(signals, domains, flags)| {
                let mut answers = vec![
                    ("signals".to_owned(), Answer::Choices(signals)),
                    ("life_domains".to_owned(), Answer::Choices(domains)),
                ];
                for (id, flag) in [
                    "more_going_on",
                    "right_place",
                    "answered_here",
                    "wants_notification",
                ]
                .iter()
                .zip(flags)
                {
                    if let Some(flag) = flag {
                        answers.push((id.to_string(), Answer::YesNo(flag)));
                    }
                }
                answers
            })
    }

    proptest! {
        #[test]
        fn a_crisis_signal_always_escalates_and_only_then(answers in any_answers()) {
            let template = current_quick_scan();
            let mut quick_scan = scan(&[]);
            quick_scan.answers = answers.into_iter().collect();
            let escalates = signals(template, &quick_scan).iter().any(|s| s.escalates);
            let suggestion = suggest(template, &quick_scan);
            prop_assert_eq!(suggestion.kind == OutcomeKind::Escalated, escalates);
            prop_assert!(!suggestion.reasons.is_empty());
        }
    }
}
