//! The household record as one story: everything recorded about a household, newest first, so
//! a worker picking it up sees what happened without asking the resident to tell it again.
//! Built from the records on the device; the role rules decide which records are there.

use super::caseload::HandoverSummary;
use super::consent::Consent;
use super::conversation::AgreementAnswer;
use super::plan::SupportPlan;
use super::{
    Contact, Conversation, Id, InvolvedParty, Notification, Outcome, Question, QuestionStatus,
    QuickScan,
};
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Contact,
    QuickScan,
    Question,
    Melding,
    Conversation,
    /// The report and plan as the resident answered it (each agreement is a version of the plan).
    Plan,
    Evaluation,
    /// Referrals from a quick scan, and warm handovers with whether they were picked up.
    Referral,
    Involved,
    Consent,
    /// Changes the server refused, waiting under "Niet verwerkt" (on this device only).
    Refused,
}

impl Kind {
    pub const ALL: [Kind; 11] = [
        Kind::Contact,
        Kind::QuickScan,
        Kind::Question,
        Kind::Melding,
        Kind::Conversation,
        Kind::Plan,
        Kind::Evaluation,
        Kind::Referral,
        Kind::Involved,
        Kind::Consent,
        Kind::Refused,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Kind::Contact => "contact",
            Kind::QuickScan => "quick_scan",
            Kind::Question => "question",
            Kind::Melding => "melding",
            Kind::Conversation => "conversation",
            Kind::Plan => "plan",
            Kind::Evaluation => "evaluation",
            Kind::Referral => "referral",
            Kind::Involved => "involved",
            Kind::Consent => "consent",
            Kind::Refused => "refused",
        }
    }

    pub fn from_key(key: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.key() == key)
    }

    /// The filter's name for this kind (plural).
    pub fn label(self) -> &'static str {
        match self {
            Kind::Contact => "Contacten",
            Kind::QuickScan => "Vraagverkenningen",
            Kind::Question => "Vragen",
            Kind::Melding => "Meldingen",
            Kind::Conversation => "Gesprekken",
            Kind::Plan => "Plannen",
            Kind::Evaluation => "Evaluaties",
            Kind::Referral => "Verwijzingen en overdrachten",
            Kind::Involved => "Betrokkenen",
            Kind::Consent => "Toestemmingen",
            Kind::Refused => "Niet verwerkt",
        }
    }
}

/// One line of the story.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub on: Date,
    /// The moment, where the record has one: orders the entries of one day.
    pub at: Option<OffsetDateTime>,
    pub kind: Kind,
    pub title: String,
    pub detail: String,
    /// The member it is about, when it is about one.
    pub resident_id: Option<Id>,
    /// Where it opens in the app.
    pub href: Option<String>,
}

/// What the device holds; each list may hold other households' records too.
#[derive(Default)]
pub struct Records<'a> {
    pub contacts: &'a [Contact],
    pub quick_scans: &'a [QuickScan],
    pub questions: &'a [Question],
    pub notifications: &'a [Notification],
    pub conversations: &'a [Conversation],
    pub plans: &'a [SupportPlan],
    pub consents: &'a [Consent],
    /// The household's own betrokkenen.
    pub involved: &'a [InvolvedParty],
    /// The household's warm handovers, as the server knows them (online only).
    pub handovers: &'a [HandoverSummary],
    /// This household's changes the server refused, kept on this device.
    pub refused: &'a [Refused],
}

/// A change the server refused, as the story tells it: what it was about and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// The day it was refused.
    pub on: Date,
    /// What it changed, e.g. "Contact".
    pub what: String,
    pub reason: String,
}

/// Every entry of `household`, newest first (within a day by the moment, where it has one;
/// then by kind, reversed, so a contact reads below what came of it).
pub fn timeline(
    household: Id,
    records: &Records<'_>,
    partner_name: impl Fn(&str) -> String,
) -> Vec<Entry> {
    let mut entries = Vec::new();
    let contact_start = |id: Id| {
        records
            .contacts
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.started_at)
    };
    for c in records
        .contacts
        .iter()
        .filter(|c| c.household_id == household)
    {
        let place = if c.place.trim().is_empty() {
            String::new()
        } else {
            format!(", {}", c.place.trim())
        };
        entries.push(Entry {
            on: c.started_at.date(),
            at: Some(c.started_at),
            kind: Kind::Contact,
            title: format!("Contact: {}", c.channel.label()),
            detail: format!(
                "Met {}{place}{}",
                c.worker.trim(),
                if c.told_notice.is_some() {
                    "; verteld wat we vastleggen en met wie we het delen"
                } else {
                    ""
                }
            ),
            resident_id: Some(c.resident_id),
            href: None,
        });
    }
    for s in records
        .quick_scans
        .iter()
        .filter(|s| s.household_id == household)
    {
        let Some(outcome) = &s.outcome else {
            continue;
        };
        let Some(at) = s.completed_at.or_else(|| contact_start(s.contact_id)) else {
            continue;
        };
        let detail = match &outcome.override_reason {
            Some(reason) if !reason.trim().is_empty() => format!(
                "Voorstel was: {}. Reden: {}",
                outcome.suggested.label(),
                reason.trim()
            ),
            _ => String::new(),
        };
        entries.push(Entry {
            on: at.date(),
            at: Some(at),
            kind: Kind::QuickScan,
            title: format!("Vraagverkenning: {}", outcome.outcome.kind().label()),
            detail,
            resident_id: Some(s.resident_id),
            href: None,
        });
        if let Outcome::Referred {
            partner_id,
            warm_handover,
            note,
        } = &outcome.outcome
        {
            entries.push(Entry {
                on: at.date(),
                at: Some(at),
                kind: Kind::Referral,
                title: format!("Doorverwezen naar {}", partner_name(partner_id)),
                detail: match (*warm_handover, note.trim()) {
                    (true, "") => "Met warme overdracht".to_owned(),
                    (true, note) => format!("Met warme overdracht. {note}"),
                    (false, note) => note.to_owned(),
                },
                resident_id: Some(s.resident_id),
                href: None,
            });
        }
    }
    for q in records
        .questions
        .iter()
        .filter(|q| q.household_id == household)
    {
        // Asked in its contact: that moment.
        let Some(at) = contact_start(q.contact_id) else {
            continue;
        };
        entries.push(Entry {
            on: at.date(),
            at: Some(at),
            kind: Kind::Question,
            title: match q.status {
                QuestionStatus::Open => "Vraag (open)".to_owned(),
                _ => "Vraag (afgesloten)".to_owned(),
            },
            detail: q.own_words.trim().to_owned(),
            resident_id: Some(q.resident_id),
            href: None,
        });
    }
    for n in records
        .notifications
        .iter()
        .filter(|n| n.household_id == household)
    {
        let clock = &n.clock;
        for (date, title) in [
            (clock.notification_date, "Melding Wmo ontvangen"),
            (clock.report_handed_over_on, "Verslag overhandigd"),
            (clock.application_date, "Aanvraag ontvangen"),
            (clock.decision_on, "Beschikking afgegeven"),
        ] {
            if let Some(on) = date {
                entries.push(Entry {
                    on,
                    at: None,
                    kind: Kind::Melding,
                    title: title.to_owned(),
                    detail: String::new(),
                    resident_id: None,
                    href: None,
                });
            }
        }
    }
    for c in records
        .conversations
        .iter()
        .filter(|c| c.household_id == household)
    {
        entries.push(Entry {
            on: c.held_on,
            at: None,
            kind: Kind::Conversation,
            title: c.kind.label().to_owned(),
            detail: format!(
                "Met {}; {} leefgebieden besproken",
                c.worker.trim(),
                c.domains.len()
            ),
            resident_id: None,
            href: Some(format!("/gesprek/{}", c.id)),
        });
    }
    for c in records
        .conversations
        .iter()
        .filter(|c| c.household_id == household)
    {
        let agreement = &c.agreement;
        let (Some(answer), Some(on)) = (agreement.answer, agreement.date) else {
            continue;
        };
        entries.push(Entry {
            on,
            at: None,
            kind: Kind::Plan,
            title: match answer {
                AgreementAnswer::Agreed => "Verslag en plan: akkoord",
                AgreementAnswer::AgreedWithRemarks => "Verslag en plan: akkoord, met opmerkingen",
                AgreementAnswer::NotAgreed => "Verslag en plan: niet akkoord",
            }
            .to_owned(),
            detail: agreement.remarks.trim().to_owned(),
            resident_id: None,
            href: Some(format!("/verslag/{household}")),
        });
    }
    for h in records
        .handovers
        .iter()
        .filter(|h| h.household_id == household)
    {
        let Ok(at) = OffsetDateTime::parse(&h.created_at, &Rfc3339) else {
            continue;
        };
        let picked_up = h
            .picked_up_at
            .as_deref()
            .and_then(|p| OffsetDateTime::parse(p, &Rfc3339).ok());
        entries.push(Entry {
            on: at.date(),
            at: Some(at),
            kind: Kind::Referral,
            title: format!("Warme overdracht aan {}", h.to),
            detail: match picked_up {
                Some(p) => format!(
                    "Door {}; opgepakt op {}",
                    h.from,
                    crate::rules::validation::display_date(p.date())
                ),
                None => format!("Door {}; nog niet opgepakt", h.from),
            },
            resident_id: None,
            href: None,
        });
    }
    for p in records.involved {
        if let Some(on) = p.from {
            entries.push(Entry {
                on,
                at: None,
                kind: Kind::Involved,
                title: format!("Betrokken: {}", p.who()),
                detail: p.role.trim().to_owned(),
                resident_id: None,
                href: None,
            });
        }
        if let Some(on) = p.until {
            entries.push(Entry {
                on,
                at: None,
                kind: Kind::Involved,
                title: format!("Niet meer betrokken: {}", p.who()),
                detail: p.role.trim().to_owned(),
                resident_id: None,
                href: None,
            });
        }
    }
    for p in records.plans.iter().filter(|p| p.household_id == household) {
        for goal in &p.goals {
            if let Some(evaluation) = &goal.evaluation {
                entries.push(Entry {
                    on: evaluation.held_on,
                    at: None,
                    kind: Kind::Evaluation,
                    title: format!("Evaluatie: {}", goal.result.trim()),
                    detail: evaluation.resident_words.trim().to_owned(),
                    resident_id: None,
                    href: Some(format!("/plan/{household}")),
                });
            }
        }
    }
    for c in records
        .consents
        .iter()
        .filter(|c| c.household_id == household)
    {
        let partner = partner_name(&c.partner_id);
        entries.push(Entry {
            on: c.given_on,
            at: None,
            kind: Kind::Consent,
            title: format!("Toestemming gegeven: {partner}"),
            detail: format!("{} ({})", c.purpose.trim(), c.form.label()),
            resident_id: Some(c.resident_id),
            href: None,
        });
        if let Some(on) = c.withdrawn_on {
            entries.push(Entry {
                on,
                at: None,
                kind: Kind::Consent,
                title: format!("Toestemming ingetrokken: {partner}"),
                detail: c.purpose.trim().to_owned(),
                resident_id: Some(c.resident_id),
                href: None,
            });
        }
    }
    for r in records.refused {
        entries.push(Entry {
            on: r.on,
            at: None,
            kind: Kind::Refused,
            title: format!("Niet verwerkt: {}", r.what),
            detail: format!("{} Zie \"Niet verwerkt\" op deze pagina.", r.reason.trim()),
            resident_id: None,
            href: None,
        });
    }
    // What has no moment of its own reads at the top of its day.
    let moment = |e: &Entry| e.at.map_or(i128::MAX, OffsetDateTime::unix_timestamp_nanos);
    entries.sort_by_key(|e| std::cmp::Reverse((e.on, moment(e), e.kind)));
    entries
}

/// The entries of one kind and about one member (or the whole household: no member given);
/// entries about nobody in particular stay when filtering by member.
pub fn filtered(entries: &[Entry], kind: Option<Kind>, member: Option<Id>) -> Vec<&Entry> {
    entries
        .iter()
        .filter(|e| kind.is_none_or(|k| e.kind == k))
        .filter(|e| member.is_none_or(|m| e.resident_id.is_none_or(|r| r == m)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::consent::ConsentForm;
    use crate::model::quick_scan::HandledHow;
    use crate::model::{Channel, ConfirmedOutcome, Outcome, OutcomeKind};
    use crate::rules::legal_clock::LegalClock;
    use time::macros::{date, datetime};

    const HOME: Id = Id::from_u128(1);
    const JOKE: Id = Id::from_u128(2);
    const KEES: Id = Id::from_u128(3);

    fn contact(id: u128, at: time::OffsetDateTime, household: Id) -> Contact {
        Contact {
            id: Id::from_u128(id),
            household_id: household,
            resident_id: JOKE,
            channel: Channel::Phone,
            place: String::new(),
            worker: "Noor".into(),
            started_at: at,
            ended_at: None,
            quick_scan_id: Id::from_u128(id + 100),
            told_notice: None,
            signal: None,
        }
    }

    #[test]
    fn the_whole_story_newest_first_and_only_this_household() {
        let contacts = [
            contact(10, datetime!(2026-11-02 09:00 UTC), HOME),
            contact(11, datetime!(2026-11-20 14:00 UTC), HOME),
            contact(12, datetime!(2026-11-25 10:00 UTC), Id::from_u128(99)),
        ];
        let scan = QuickScan {
            id: Id::from_u128(110),
            contact_id: Id::from_u128(10),
            household_id: HOME,
            resident_id: JOKE,
            template_version: "2026.1".into(),
            answers: Default::default(),
            step: 5,
            outcome: Some(ConfirmedOutcome {
                outcome: Outcome::Handled {
                    how: HandledHow::InformationOrAdvice,
                    note: String::new(),
                },
                suggested: OutcomeKind::Appointment,
                override_reason: Some("Wil eerst zelf bellen".into()),
            }),
            completed_at: Some(datetime!(2026-11-02 09:20 UTC)),
        };
        let closed = Question {
            id: Id::from_u128(20),
            household_id: HOME,
            resident_id: JOKE,
            contact_id: Id::from_u128(10),
            own_words: "Hulp bij de administratie".into(),
            life_domains: vec![],
            owner: "Noor".into(),
            owner_account: None,
            team_owned: false,
            status: QuestionStatus::Closed,
            next_date: None,
            next_step: String::new(),
            crisis: None,
            scheme: None,
        };
        let consent = Consent {
            id: Id::from_u128(30),
            household_id: HOME,
            resident_id: KEES,
            partner_id: "schuldhulp".into(),
            purpose: "warme overdracht".into(),
            form: ConsentForm::Spoken,
            given_on: date!(2026 - 11 - 21),
            withdrawn_on: Some(date!(2026 - 11 - 28)),
        };
        let melding = Notification {
            id: Id::from_u128(40),
            household_id: HOME,
            question_id: Id::from_u128(20),
            clock: LegalClock {
                notification_date: Some(date!(2026 - 11 - 20)),
                ..Default::default()
            },
        };
        let records = Records {
            contacts: &contacts,
            quick_scans: std::slice::from_ref(&scan),
            questions: std::slice::from_ref(&closed),
            notifications: std::slice::from_ref(&melding),
            consents: std::slice::from_ref(&consent),
            ..Default::default()
        };
        let story = timeline(HOME, &records, |id| format!("Partner {id}"));
        let lines: Vec<(String, &str)> = story
            .iter()
            .map(|e| {
                (
                    crate::rules::validation::display_date(e.on),
                    e.title.as_str(),
                )
            })
            .collect();
        assert_eq!(
            lines,
            [
                (
                    "28-11-2026".into(),
                    "Toestemming ingetrokken: Partner schuldhulp"
                ),
                (
                    "21-11-2026".into(),
                    "Toestemming gegeven: Partner schuldhulp"
                ),
                ("20-11-2026".into(), "Melding Wmo ontvangen"),
                ("20-11-2026".into(), "Contact: Telefoon"),
                ("02-11-2026".into(), "Vraagverkenning: Afgehandeld"),
                ("02-11-2026".into(), "Vraag (afgesloten)"),
                ("02-11-2026".into(), "Contact: Telefoon"),
            ]
        );
        assert!(story[4].detail.contains("Wil eerst zelf bellen"));

        // About Kees: his consents and what concerns the whole household.
        let kees: Vec<&str> = filtered(&story, None, Some(KEES))
            .iter()
            .map(|e| e.title.as_str())
            .collect();
        assert_eq!(kees.len(), 3);
        assert!(kees.contains(&"Melding Wmo ontvangen"));
        assert_eq!(filtered(&story, Some(Kind::Contact), None).len(), 2);
        assert_eq!(Kind::from_key("consent"), Some(Kind::Consent));
    }

    #[test]
    fn referrals_handovers_the_agreed_plan_and_betrokkenen_are_part_of_the_story() {
        let contacts = [contact(10, datetime!(2026-11-02 09:00 UTC), HOME)];
        let scan = QuickScan {
            id: Id::from_u128(110),
            contact_id: Id::from_u128(10),
            household_id: HOME,
            resident_id: JOKE,
            template_version: "2026.1".into(),
            answers: Default::default(),
            step: 5,
            outcome: Some(ConfirmedOutcome {
                outcome: Outcome::Referred {
                    partner_id: "schuldhulp".into(),
                    warm_handover: true,
                    note: String::new(),
                },
                suggested: OutcomeKind::Referred,
                override_reason: None,
            }),
            completed_at: None,
        };
        let handover = HandoverSummary {
            id: Id::from_u128(50),
            household_id: HOME,
            to: "Schuldhulp Lindeveen".into(),
            from: "Noor".into(),
            note: String::new(),
            context: crate::model::caseload::HandoverContext {
                household_name: "Huishouden".into(),
                open_questions: Vec::new(),
            },
            created_at: "2026-11-03T10:00:00Z".into(),
            picked_up_at: Some("2026-11-05T08:30:00Z".into()),
        };
        let mut talk = Conversation::start(
            Id::from_u128(60),
            HOME,
            "2026.1",
            "Anne",
            date!(2026 - 11 - 10),
        );
        talk.agreement.answer = Some(AgreementAnswer::AgreedWithRemarks);
        talk.agreement.date = Some(date!(2026 - 11 - 12));
        let gp = InvolvedParty {
            id: Id::from_u128(70),
            name: String::new(),
            organisation: "Huisarts De Linde".into(),
            partner_id: None,
            role: "huisarts".into(),
            phone: String::new(),
            email: String::new(),
            from: Some(date!(2026 - 11 - 04)),
            until: None,
            basis: crate::model::SharingBasis::NothingShared,
            consent_id: None,
            legal_ground: String::new(),
        };
        let records = Records {
            contacts: &contacts,
            quick_scans: std::slice::from_ref(&scan),
            conversations: std::slice::from_ref(&talk),
            involved: std::slice::from_ref(&gp),
            handovers: std::slice::from_ref(&handover),
            refused: &[Refused {
                on: date!(2026 - 11 - 13),
                what: "Contact".into(),
                reason: "Dit huishouden is afgesloten.".into(),
            }],
            ..Default::default()
        };
        let story = timeline(HOME, &records, |id| format!("Partner {id}"));
        assert_eq!(
            story[0].title, "Niet verwerkt: Contact",
            "the newest, {story:?}"
        );
        assert!(story[0].detail.starts_with("Dit huishouden is afgesloten."));
        let titles: Vec<&str> = story.iter().map(|e| e.title.as_str()).collect();
        assert!(
            titles.contains(&"Doorverwezen naar Partner schuldhulp"),
            "{titles:?}"
        );
        assert!(titles.contains(&"Verslag en plan: akkoord, met opmerkingen"));
        assert!(titles.contains(&"Betrokken: Huisarts De Linde"));
        let picked = story
            .iter()
            .find(|e| e.title == "Warme overdracht aan Schuldhulp Lindeveen")
            .unwrap();
        assert_eq!(picked.detail, "Door Noor; opgepakt op 05-11-2026");
        assert_eq!(filtered(&story, Some(Kind::Referral), None).len(), 2);
        for kind in Kind::ALL {
            assert_eq!(Kind::from_key(kind.key()), Some(kind));
        }
    }
}
