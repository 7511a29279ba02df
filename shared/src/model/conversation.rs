//! The kitchen-table conversation (het gekantelde gesprek): per life domain the situation, what
//! goes well, the problem, the result the resident wants, what they, their network and
//! community services can do, and only then whether an individual provision is needed.

use super::Id;
use crate::rules::validation::FieldErrors;
use crate::templates::conversation::{ConversationTemplate, LifeDomain};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::Date;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ConversationStatus {
    InProgress,
    Finished,
}

/// The resident's response to the report of the conversation and the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AgreementAnswer {
    Agreed,
    AgreedWithRemarks,
    NotAgreed,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResidentAgreement {
    pub answer: Option<AgreementAnswer>,
    pub remarks: String,
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::openapi::CalendarDate>))]
    pub date: Option<Date>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DomainEntry {
    pub domain: String,
    /// Answers to the template's domain questions, by question id.
    pub answers: BTreeMap<String, String>,
    /// Needs, characteristics and preferences (the template's section `needs`). Absent in
    /// records from before it was shown: empty.
    #[serde(default)]
    pub needs: String,
    pub own_strength: String,
    pub network: String,
    /// Whether the informal carer can keep it up, and what they need (`carer_support`).
    #[serde(default)]
    pub carer_support: String,
    pub community_services: String,
    pub custom_provision_needed: bool,
    pub custom_provision_reason: String,
    /// Self-reliance on the template's scale.
    pub score: Option<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Conversation {
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub id: Id,
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub household_id: Id,
    /// The question this conversation follows up, if any.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<uuid::Uuid>))]
    pub question_id: Option<Id>,
    pub template_version: String,
    pub worker: String,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::openapi::CalendarDate))]
    pub held_on: Date,
    /// The household members taking part.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<uuid::Uuid>))]
    pub participants: Vec<Id>,
    /// Domains flagged in the quick scan: opened first.
    pub flagged_domains: Vec<String>,
    /// The domains opened, in the order the worker opened them.
    pub domains: Vec<DomainEntry>,
    pub status: ConversationStatus,
    /// Vraagverheldering or the kitchen-table conversation; chosen when it starts (from the
    /// appointment the quick scan made), shown on the report. Kitchen table for records from
    /// before.
    #[serde(default)]
    pub kind: super::quick_scan::ConversationKind,
    /// The resident's agreement with the report (with the plan it contains).
    #[serde(default)]
    pub agreement: ResidentAgreement,
}

impl Conversation {
    /// A conversation just begun: in progress, nothing opened, nobody named yet.
    pub fn start(
        id: Id,
        household_id: Id,
        template_version: &str,
        worker: &str,
        held_on: Date,
    ) -> Self {
        Conversation {
            id,
            household_id,
            question_id: None,
            template_version: template_version.to_owned(),
            worker: worker.to_owned(),
            held_on,
            participants: Vec::new(),
            flagged_domains: Vec::new(),
            domains: Vec::new(),
            status: ConversationStatus::InProgress,
            kind: Default::default(),
            agreement: ResidentAgreement::default(),
        }
    }

    pub fn entry(&self, domain: &str) -> Option<&DomainEntry> {
        self.domains.iter().find(|d| d.domain == domain)
    }

    pub fn entry_mut(&mut self, domain: &str) -> Option<&mut DomainEntry> {
        self.domains.iter_mut().find(|d| d.domain == domain)
    }

    /// Opens a domain once; opening it again keeps what was typed.
    pub fn open_domain(&mut self, domain: &str) {
        if self.entry(domain).is_none() {
            self.domains.push(DomainEntry {
                domain: domain.to_owned(),
                ..Default::default()
            });
        }
    }
}

/// The template's domains with the quick scan's flagged ones first, each group in template order.
pub fn domain_order<'t>(
    template: &'t ConversationTemplate,
    flagged: &[String],
) -> Vec<&'t LifeDomain> {
    let (mut first, rest): (Vec<_>, Vec<_>) = template
        .domains
        .iter()
        .partition(|d| flagged.contains(&d.id));
    first.extend(rest);
    first
}

impl DomainEntry {
    /// The text a template section is written into, by section id (an individual provision's
    /// section holds its reason). `None` for a section this model has no place for, which the
    /// tests forbid for every section a template must have.
    pub fn section_text_mut(&mut self, section: &str) -> Option<&mut String> {
        Some(match section {
            "needs" => &mut self.needs,
            "own_strength" => &mut self.own_strength,
            "network" => &mut self.network,
            "carer_support" => &mut self.carer_support,
            "community_services" => &mut self.community_services,
            "custom_provision" => &mut self.custom_provision_reason,
            _ => return None,
        })
    }

    pub fn section_text(&self, section: &str) -> Option<&str> {
        Some(match section {
            "needs" => &self.needs,
            "own_strength" => &self.own_strength,
            "network" => &self.network,
            "carer_support" => &self.carer_support,
            "community_services" => &self.community_services,
            "custom_provision" => &self.custom_provision_reason,
            _ => return None,
        })
    }

    /// An individual provision needs its reason; a score must be on the scale.
    pub fn check(&self, template: &ConversationTemplate) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::default();
        if self.custom_provision_needed && self.custom_provision_reason.trim().is_empty() {
            errors.add(
                "custom_provision_reason",
                "Noteer waarom een maatwerkvoorziening nodig is, na eigen kracht, netwerk en algemene voorzieningen.",
            );
        }
        if let Some(score) = self.score {
            if template.score_label(score).is_none() {
                errors.add("score", "Kies een score op de schaal.");
            }
        }
        errors.into_result(())
    }
}

/// The latest earlier score for a domain, from the household's other conversations.
pub fn previous_score(
    earlier: &[Conversation],
    current: &Conversation,
    domain: &str,
) -> Option<(Date, u8)> {
    earlier
        .iter()
        .filter(|c| {
            c.id != current.id
                && c.household_id == current.household_id
                && c.held_on <= current.held_on
        })
        .filter_map(|c| {
            c.entry(domain)
                .and_then(|e| e.score)
                .map(|s| (c.held_on, s))
        })
        .max_by_key(|(date, _)| *date)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::templates::conversation::current_conversation;
    use time::macros::date;

    fn conversation(id: u128, held_on: Date) -> Conversation {
        Conversation {
            flagged_domains: vec!["housing".into(), "finances".into()],
            ..Conversation::start(
                Id::from_u128(id),
                Id::from_u128(1),
                &current_conversation().version,
                "Anne",
                held_on,
            )
        }
    }

    #[test]
    fn every_section_a_template_must_have_is_stored() {
        for template in crate::templates::conversation::conversation_templates() {
            for section in &template.sections {
                let mut entry = DomainEntry::default();
                *entry.section_text_mut(&section.id).unwrap() = format!("{} tekst", section.id);
                let back: DomainEntry =
                    serde_json::from_value(serde_json::to_value(&entry).unwrap()).unwrap();
                assert_eq!(
                    back.section_text(&section.id),
                    Some(format!("{} tekst", section.id).as_str())
                );
            }
        }
        assert!(DomainEntry::default().section_text("unknown").is_none());
    }

    #[test]
    fn an_entry_from_before_the_needs_and_carer_sections_reads_as_empty() {
        let old = serde_json::json!({"domain": "finances", "answers": {}, "own_strength": "",
            "network": "zus", "community_services": "", "custom_provision_needed": false,
            "custom_provision_reason": "", "score": null});
        let entry: DomainEntry = serde_json::from_value(old).unwrap();
        assert_eq!(
            (entry.needs.as_str(), entry.carer_support.as_str()),
            ("", "")
        );
        assert_eq!(entry.network, "zus");
    }

    #[test]
    fn flagged_domains_come_first_in_template_order() {
        let order: Vec<&str> = domain_order(
            current_conversation(),
            &["housing".into(), "finances".into()],
        )
        .iter()
        .map(|d| d.id.as_str())
        .collect();
        assert_eq!(&order[..3], ["finances", "housing", "daytime"]);
        assert_eq!(order.len(), 11);
    }

    #[test]
    fn opening_a_domain_twice_keeps_the_text() {
        let mut c = conversation(2, date!(2026 - 11 - 22));
        c.open_domain("housing");
        c.entry_mut("housing").unwrap().own_strength = "Kan zelf de huur regelen".into();
        c.open_domain("housing");
        assert_eq!(c.domains.len(), 1);
        assert_eq!(
            c.entry("housing").unwrap().own_strength,
            "Kan zelf de huur regelen"
        );
    }

    #[test]
    fn a_provision_needs_a_reason_and_a_score_must_be_on_the_scale() {
        let template = current_conversation();
        let entry = DomainEntry {
            custom_provision_needed: true,
            score: Some(7),
            ..Default::default()
        };
        let errors = entry.check(template).unwrap_err();
        assert!(errors.for_field("custom_provision_reason").is_some());
        assert!(errors.for_field("score").is_some());
    }

    #[test]
    fn the_earlier_score_is_the_latest_before_this_conversation() {
        let mut first = conversation(2, date!(2026 - 03 - 01));
        first.open_domain("housing");
        first.entry_mut("housing").unwrap().score = Some(2);
        let mut second = conversation(3, date!(2026 - 06 - 01));
        second.open_domain("housing");
        second.entry_mut("housing").unwrap().score = Some(3);
        let now = conversation(4, date!(2026 - 11 - 22));
        let all = [first, second, now.clone()];
        assert_eq!(
            previous_score(&all, &now, "housing"),
            Some((date!(2026 - 06 - 01), 3))
        );
        assert_eq!(previous_score(&all, &now, "finances"), None);
    }
}
