//! The kitchen-table conversation template: life domains, the questions per domain, the
//! sections in the order of the Wmo investigation (art. 2.3.2), and the self-reliance scale.
//! Our own default texts; a municipality may load its own instrument as another version.

use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConversationTemplate {
    pub id: String,
    pub version: String,
    pub title: String,
    pub scale: Scale,
    /// In the order the investigation must follow: needs first, an individual provision last.
    pub sections: Vec<Section>,
    pub domain_questions: Vec<DomainQuestion>,
    pub domains: Vec<LifeDomain>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Scale {
    pub id: String,
    pub labels: Vec<ScaleLabel>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScaleLabel {
    pub score: u8,
    pub label: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Section {
    pub id: String,
    pub title: String,
    pub prompt: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DomainQuestion {
    pub id: String,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LifeDomain {
    pub id: String,
    pub label: String,
}

/// The sections the Wmo investigation needs, in this order.
pub const REQUIRED_SECTION_ORDER: [&str; 6] = [
    "needs",
    "own_strength",
    "network",
    "carer_support",
    "community_services",
    "custom_provision",
];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConversationTemplateError {
    #[error("template is not valid JSON: {0}")]
    Json(String),
    #[error("the sections must follow the Wmo investigation order {REQUIRED_SECTION_ORDER:?}")]
    SectionOrder,
    #[error("the scale must label the scores 1 to {0} once each, in order")]
    Scale(usize),
    #[error("life domain {0:?} appears twice")]
    DuplicateDomain(String),
}

impl ConversationTemplate {
    pub fn from_json(json: &str) -> Result<Self, ConversationTemplateError> {
        let t: Self = serde_json::from_str(json)
            .map_err(|e| ConversationTemplateError::Json(e.to_string()))?;
        let order: Vec<&str> = t.sections.iter().map(|s| s.id.as_str()).collect();
        if order != REQUIRED_SECTION_ORDER {
            return Err(ConversationTemplateError::SectionOrder);
        }
        let scores: Vec<u8> = t.scale.labels.iter().map(|l| l.score).collect();
        if scores.is_empty() || scores != (1..=scores.len() as u8).collect::<Vec<_>>() {
            return Err(ConversationTemplateError::Scale(scores.len()));
        }
        let mut seen = std::collections::HashSet::new();
        for d in &t.domains {
            if !seen.insert(d.id.as_str()) {
                return Err(ConversationTemplateError::DuplicateDomain(d.id.clone()));
            }
        }
        Ok(t)
    }

    pub fn domain_label(&self, id: &str) -> Option<&str> {
        self.domains
            .iter()
            .find(|d| d.id == id)
            .map(|d| d.label.as_str())
    }

    pub fn score_label(&self, score: u8) -> Option<&str> {
        self.scale
            .labels
            .iter()
            .find(|l| l.score == score)
            .map(|l| l.label.as_str())
    }
}

const CONVERSATION_TEMPLATES: &[&str] = &[include_str!("../../templates/conversation-2026.1.json")];

/// Every shipped conversation template version, oldest first.
pub fn conversation_templates() -> &'static [ConversationTemplate] {
    static TEMPLATES: OnceLock<Vec<ConversationTemplate>> = OnceLock::new();
    TEMPLATES.get_or_init(|| {
        CONVERSATION_TEMPLATES
            .iter()
            .map(|json| {
                ConversationTemplate::from_json(json)
                    .expect("shipped templates are checked by tests")
            })
            .collect()
    })
}

pub fn current_conversation() -> &'static ConversationTemplate {
    conversation_templates()
        .last()
        .expect("at least one template ships")
}

pub fn conversation_template(version: &str) -> Option<&'static ConversationTemplate> {
    conversation_templates()
        .iter()
        .find(|t| t.version == version)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::templates::{current_quick_scan, Role};

    #[test]
    fn the_default_follows_the_wmo_order_and_has_a_five_point_scale() {
        let t = current_conversation();
        assert_eq!(t.sections.first().unwrap().id, "needs");
        assert_eq!(t.sections.last().unwrap().id, "custom_provision");
        assert_eq!(t.score_label(1), Some("Acute problemen"));
        assert_eq!(t.score_label(5), Some("Volledig zelfredzaam"));
        assert_eq!(t.domains.len(), 11);
        assert_eq!(conversation_template(&t.version), Some(t));
    }

    #[test]
    fn quick_scan_domains_are_conversation_domains() {
        // A domain flagged in the quick scan must open in the conversation.
        let conversation = current_conversation();
        for option in &current_quick_scan()
            .question_with_role(Role::LifeDomains)
            .options
        {
            assert!(
                conversation.domain_label(&option.id).is_some(),
                "{}",
                option.id
            );
        }
    }

    #[test]
    fn a_template_that_puts_the_provision_first_is_refused() {
        let mut t = current_conversation().clone();
        t.sections.rotate_right(1);
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(
            ConversationTemplate::from_json(&json).unwrap_err(),
            ConversationTemplateError::SectionOrder
        );
    }

    #[test]
    fn a_scale_with_a_gap_is_refused() {
        let mut t = current_conversation().clone();
        t.scale.labels.remove(2);
        let json = serde_json::to_string(&t).unwrap();
        assert!(matches!(
            ConversationTemplate::from_json(&json),
            Err(ConversationTemplateError::Scale(4))
        ));
    }

    #[test]
    fn a_new_version_leaves_the_old_one_readable() {
        let mut newer = current_conversation().clone();
        newer.version = "2027.1".into();
        newer.scale.labels[0].label = "Crisis".into();
        let parsed =
            ConversationTemplate::from_json(&serde_json::to_string(&newer).unwrap()).unwrap();
        assert_eq!(parsed.score_label(1), Some("Crisis"));
        assert_eq!(
            conversation_template("2026.1").unwrap().score_label(1),
            Some("Acute problemen")
        );
    }
}
