//! The report of the conversation and the support plan, as the resident reads it: plain
//! language, no internal notes (quick-scan signals, override reasons, scores). Built once here
//! so that the print view on the device and the PDF the server makes carry the same words.

use crate::model::conversation::AgreementAnswer;
use crate::model::plan::SupportPlan;
use crate::model::{CaseManager, Conversation, Household};
use crate::reference::Catalogue;
use crate::rules::validation::display_date;
use time::Date;

pub const TITLE: &str = "Verslag van ons gesprek en uw ondersteuningsplan";
pub const DISCUSSED: &str = "Wat we hebben besproken";
pub const NO_CONVERSATION: &str = "Er is nog geen gesprek vastgelegd.";
pub const PLAN: &str = "Uw ondersteuningsplan";
pub const NO_PLAN: &str = "Er is nog geen ondersteuningsplan.";
pub const INVOLVED: &str = "Wie er verder bij u betrokken is";
pub const RIGHTS: &str = "Goed om te weten";
pub const RESPONSE: &str = "Uw reactie";
/// The columns of a goal's table of actions.
pub const ACTION_COLUMNS: [&str; 3] = ["Wat", "Wie", "Wanneer"];

/// The report's content; each part is `None` or empty when there is nothing to say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResidentReport {
    /// "Gemeente Lindeveen · Wmo-loket".
    pub sender: String,
    /// "Voor: …" with the household's current members.
    pub for_whom: String,
    /// "Keukentafelgesprek op 12-11-2026 met …".
    pub conversation: Option<String>,
    /// Per life domain discussed; `None` when no conversation was recorded.
    pub domains: Option<Vec<ReportDomain>>,
    /// "Uw vaste contactpersoon (regisseur): …".
    pub case_manager: Option<String>,
    /// Per goal; `None` when there is no plan.
    pub goals: Option<Vec<ReportGoal>>,
    /// The parties currently involved, one line each.
    pub involved: Vec<String>,
    /// The resident's rights, one paragraph each.
    pub rights: Vec<String>,
    /// What the resident answered, once recorded.
    pub agreement: Option<ReportAgreement>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportDomain {
    pub label: String,
    /// (what it is about, the words), only the parts that were filled in.
    pub items: Vec<(&'static str, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportGoal {
    /// "Resultaat: …".
    pub heading: String,
    pub actions: Vec<ReportAction>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportAction {
    pub what: String,
    pub who: String,
    /// "Telefoon …" of the social map's partner, when it has one.
    pub phone: Option<String>,
    pub when: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportAgreement {
    /// "Akkoord, met opmerkingen".
    pub answer: String,
    pub remarks: String,
    /// "Naam: …, datum: dd-mm-jjjj".
    pub signed: String,
}

impl AgreementAnswer {
    pub fn label(self) -> &'static str {
        match self {
            AgreementAnswer::Agreed => "Akkoord",
            AgreementAnswer::AgreedWithRemarks => "Akkoord, met opmerkingen",
            AgreementAnswer::NotAgreed => "Niet akkoord",
        }
    }
}

/// What the report is made from: the household's records as the device or the server holds
/// them.
pub struct ReportSource<'a> {
    pub household: &'a Household,
    /// The latest conversation of the household, if any.
    pub conversation: Option<&'a Conversation>,
    pub plan: Option<&'a SupportPlan>,
    /// Full names of the household's current members.
    pub names: Vec<String>,
    pub catalogue: &'a Catalogue,
    pub today: Date,
}

impl ResidentReport {
    pub fn build(source: &ReportSource) -> ResidentReport {
        let map = source.catalogue.social_map();
        let conversation = source.conversation;
        let template = conversation
            .map(|c| {
                source
                    .catalogue
                    .conversation_or_current(&c.template_version)
            })
            .unwrap_or_else(|| source.catalogue.current_conversation());
        let domains = conversation.map(|c| {
            c.domains
                .iter()
                .map(|d| {
                    let answer = |id: &str| d.answers.get(id).cloned().unwrap_or_default();
                    let mut items = vec![
                        ("Uw situatie", answer("situation")),
                        ("Wat goed gaat", answer("goes_well")),
                        ("Waar u tegenaan loopt", answer("problem")),
                        ("Wat u wilt bereiken", answer("wanted_result")),
                        ("Wat voor u belangrijk is", d.needs.clone()),
                        ("Wat u zelf kunt doen", d.own_strength.clone()),
                        ("Wat mensen om u heen kunnen doen", d.network.clone()),
                        ("Steun voor wie voor u zorgt", d.carer_support.clone()),
                        ("Voorzieningen in de buurt", d.community_services.clone()),
                    ];
                    if d.custom_provision_needed {
                        items.push((
                            "Waarom een maatwerkvoorziening nodig is",
                            d.custom_provision_reason.clone(),
                        ));
                    }
                    items.retain(|(_, text)| !text.trim().is_empty());
                    ReportDomain {
                        label: template
                            .domain_label(&d.domain)
                            .unwrap_or(&d.domain)
                            .to_owned(),
                        items,
                    }
                })
                .collect()
        });
        // The regisseur the coordinator chose, else the name the plan gives.
        let case_manager = source
            .household
            .case_manager
            .as_ref()
            .map(CaseManager::reach)
            .or_else(|| {
                source
                    .plan
                    .map(|p| p.coordinator.trim().to_owned())
                    .filter(|c| !c.is_empty())
            })
            .map(|who| format!("Uw vaste contactpersoon (regisseur): {who}"));
        let goals = source.plan.map(|p| {
            p.goals
                .iter()
                .map(|g| ReportGoal {
                    heading: format!("Resultaat: {}", g.result),
                    actions: g
                        .actions
                        .iter()
                        .map(|a| ReportAction {
                            what: a.description.clone(),
                            who: if a.who.trim().is_empty() {
                                a.helper.label().to_owned()
                            } else {
                                format!("{} ({})", a.who, a.helper.label())
                            },
                            phone: a
                                .partner_id
                                .as_deref()
                                .and_then(|id| map.partner(id))
                                .filter(|p| !p.phone.trim().is_empty())
                                .map(|p| format!("Telefoon {}", p.phone)),
                            when: a
                                .due
                                .map(display_date)
                                .unwrap_or_else(|| "nog af te spreken".into()),
                        })
                        .collect(),
                })
                .collect()
        });
        let involved = source
            .household
            .involved
            .iter()
            .filter(|p| p.is_current_on(source.today))
            .map(|p| {
                let reach = p.reach();
                if reach.is_empty() {
                    format!("{}: {}", p.who(), p.role.trim())
                } else {
                    format!("{}: {} ({reach})", p.who(), p.role.trim())
                }
            })
            .collect();
        // From the social map, so a municipality's own data shows, not a number typed in here.
        let client_support = map
            .partners
            .iter()
            .find(|p| p.active && p.kind == "Onafhankelijke cliëntondersteuning")
            .map(|p| format!(", bijvoorbeeld van {} ({})", p.name, p.phone))
            .unwrap_or_default();
        let agreement = conversation
            .and_then(|c| c.agreement.answer.map(|answer| (answer, &c.agreement)))
            .map(|(answer, a)| ReportAgreement {
                answer: answer.label().to_owned(),
                remarks: a.remarks.trim().to_owned(),
                signed: format!(
                    "Naam: {}, datum: {}",
                    a.name.trim(),
                    a.date.map(display_date).unwrap_or_default()
                ),
            });
        ResidentReport {
            sender: format!("{} · Wmo-loket", map.municipality),
            for_whom: format!("Voor: {}", source.names.join(", ")),
            conversation: conversation.map(|c| {
                format!(
                    "{} op {} met {}",
                    c.kind.label(),
                    display_date(c.held_on),
                    c.worker
                )
            }),
            domains,
            case_manager,
            goals,
            involved,
            rights: vec![
                format!(
                    "U kunt gratis hulp krijgen van een onafhankelijke cliëntondersteuner{client_support}."
                ),
                "Bent u het niet eens met dit verslag? Zet uw opmerkingen hieronder. Ze horen bij het verslag."
                    .to_owned(),
            ],
            agreement,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::conversation::{DomainEntry, ResidentAgreement};
    use crate::model::plan::{Action, ActionStatus, Considered, Goal, Helper};
    use time::macros::date;
    use uuid::Uuid;

    fn household() -> Household {
        serde_json::from_value(serde_json::json!({
            "id": Uuid::nil(), "name": "Huishouden Jansen", "members": [], "involved": []
        }))
        .expect("a household")
    }

    #[test]
    fn the_report_says_only_what_was_filled_in_and_keeps_the_residents_words() {
        let household = household();
        let mut conversation = Conversation::start(
            Uuid::nil(),
            household.id,
            "1",
            "Anne",
            date!(2026 - 11 - 12),
        );
        let domain = Catalogue::shipped().current_conversation().domains[0].clone();
        conversation.domains.push(DomainEntry {
            domain: domain.id.clone(),
            answers: [(
                "situation".to_owned(),
                "Ik woon alleen\nsinds maart.".to_owned(),
            )]
            .into(),
            own_strength: "  ".into(),
            ..Default::default()
        });
        conversation.agreement = ResidentAgreement {
            answer: Some(AgreementAnswer::AgreedWithRemarks),
            remarks: "Graag 's ochtends bellen.".into(),
            name: "Els Jansen".into(),
            date: Some(date!(2026 - 11 - 13)),
        };
        let plan = SupportPlan {
            id: Uuid::nil(),
            household_id: household.id,
            coordinator: "Anne".into(),
            goals: vec![Goal {
                id: Uuid::nil(),
                life_domain: domain.id.clone(),
                result: "Weer zelf boodschappen doen".into(),
                considered: Considered::default(),
                actions: vec![Action {
                    id: Uuid::nil(),
                    description: "Samen naar de supermarkt".into(),
                    helper: Helper::Network,
                    who: "dochter Aylin".into(),
                    partner_id: None,
                    owner_account: None,
                    due: None,
                    status: ActionStatus::Planned,
                }],
                evaluation: None,
            }],
        };
        let report = ResidentReport::build(&ReportSource {
            household: &household,
            conversation: Some(&conversation),
            plan: Some(&plan),
            names: vec!["Els Jansen".into()],
            catalogue: Catalogue::shipped(),
            today: date!(2026 - 11 - 30),
        });
        assert_eq!(report.for_whom, "Voor: Els Jansen");
        assert_eq!(
            report.conversation.as_deref(),
            Some("Keukentafelgesprek op 12-11-2026 met Anne")
        );
        let domains = report.domains.expect("a conversation");
        assert_eq!(domains[0].label, domain.label);
        // Blank parts are left out; line breaks stay as typed.
        assert_eq!(
            domains[0].items,
            vec![("Uw situatie", "Ik woon alleen\nsinds maart.".to_owned())]
        );
        assert_eq!(
            report.case_manager.as_deref(),
            Some("Uw vaste contactpersoon (regisseur): Anne")
        );
        let goals = report.goals.expect("a plan");
        assert_eq!(goals[0].heading, "Resultaat: Weer zelf boodschappen doen");
        assert_eq!(goals[0].actions[0].when, "nog af te spreken");
        assert!(goals[0].actions[0].who.starts_with("dochter Aylin ("));
        let agreement = report.agreement.expect("an answer");
        assert_eq!(agreement.answer, "Akkoord, met opmerkingen");
        assert_eq!(agreement.signed, "Naam: Els Jansen, datum: 13-11-2026");
    }

    #[test]
    fn without_a_conversation_or_plan_the_report_says_so() {
        let household = household();
        let report = ResidentReport::build(&ReportSource {
            household: &household,
            conversation: None,
            plan: None,
            names: vec![],
            catalogue: Catalogue::shipped(),
            today: date!(2026 - 11 - 30),
        });
        assert_eq!(report.domains, None);
        assert_eq!(report.goals, None);
        assert_eq!(report.case_manager, None);
        assert_eq!(report.agreement, None);
        assert_eq!(report.rights.len(), 2);
    }
}
