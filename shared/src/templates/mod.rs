//! Questionnaires as versioned data. A municipality's instrument is data, never code: a record
//! keeps the version of the template it was made with, and every version stays readable.

pub mod conversation;
pub mod notice;

use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuickScanTemplate {
    pub id: String,
    pub version: String,
    pub title: String,
    pub steps: Vec<TemplateStep>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TemplateStep {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub intro: Option<String>,
    pub questions: Vec<TemplateQuestion>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TemplateQuestion {
    pub id: String,
    /// What the routing rule reads this question as; the id itself is free.
    #[serde(default)]
    pub role: Option<Role>,
    pub kind: QuestionKind,
    pub label: String,
    #[serde(default)]
    pub hint: Option<String>,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub options: Vec<ChoiceOption>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    LongText,
    YesNo,
    MultiChoice,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChoiceOption {
    pub id: String,
    pub label: String,
    /// Choosing this option is a crisis or safety signal: the quick scan escalates.
    #[serde(default)]
    pub escalates: bool,
}

/// The meanings the quick-scan routing rule needs. Each appears exactly once in a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
// Named apart from the account's `Role`: the description keys schemas by name (a clash made the
// reference data's questions fail their schema: found by Schemathesis).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = QuestionRole))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    OwnWords,
    LifeDomains,
    MoreGoingOn,
    Signals,
    RightPlace,
    AnsweredHere,
    WantsNotification,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::OwnWords,
        Role::LifeDomains,
        Role::MoreGoingOn,
        Role::Signals,
        Role::RightPlace,
        Role::AnsweredHere,
        Role::WantsNotification,
    ];
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("template is not valid JSON: {0}")]
    Json(String),
    #[error("template must have the role {0:?} exactly once")]
    Role(Role),
    #[error("question id {0:?} appears twice")]
    DuplicateId(String),
}

impl QuickScanTemplate {
    pub fn from_json(json: &str) -> Result<Self, TemplateError> {
        let template: Self =
            serde_json::from_str(json).map_err(|e| TemplateError::Json(e.to_string()))?;
        template.check()?;
        Ok(template)
    }

    fn check(&self) -> Result<(), TemplateError> {
        let questions: Vec<_> = self.questions().collect();
        for role in Role::ALL {
            if questions.iter().filter(|q| q.role == Some(role)).count() != 1 {
                return Err(TemplateError::Role(role));
            }
        }
        let mut ids = std::collections::HashSet::new();
        for q in &questions {
            if !ids.insert(q.id.as_str()) {
                return Err(TemplateError::DuplicateId(q.id.clone()));
            }
        }
        Ok(())
    }

    pub fn questions(&self) -> impl Iterator<Item = &TemplateQuestion> {
        self.steps.iter().flat_map(|s| s.questions.iter())
    }

    pub fn question_with_role(&self, role: Role) -> &TemplateQuestion {
        self.questions()
            .find(|q| q.role == Some(role))
            .expect("a checked template has every role")
    }

    /// The life domains as (id, label), in template order.
    pub fn life_domains(&self) -> Vec<(&str, &str)> {
        self.question_with_role(Role::LifeDomains)
            .options
            .iter()
            .map(|o| (o.id.as_str(), o.label.as_str()))
            .collect()
    }

    /// The label of an option of the question with this role, e.g. a life domain's name.
    pub fn option_label(&self, role: Role, option_id: &str) -> Option<&str> {
        self.question_with_role(role)
            .options
            .iter()
            .find(|o| o.id == option_id)
            .map(|o| o.label.as_str())
    }
}

const QUICK_SCAN_TEMPLATES: &[&str] = &[include_str!("../../templates/quick-scan-2026.1.json")];

/// Every shipped quick-scan template version, oldest first.
pub fn quick_scan_templates() -> &'static [QuickScanTemplate] {
    static TEMPLATES: OnceLock<Vec<QuickScanTemplate>> = OnceLock::new();
    TEMPLATES.get_or_init(|| {
        QUICK_SCAN_TEMPLATES
            .iter()
            .map(|json| {
                QuickScanTemplate::from_json(json).expect("shipped templates are checked by tests")
            })
            .collect()
    })
}

/// The version new quick scans use.
pub fn current_quick_scan() -> &'static QuickScanTemplate {
    quick_scan_templates()
        .last()
        .expect("at least one template ships")
}

/// The template a record was made with.
pub fn quick_scan_template(version: &str) -> Option<&'static QuickScanTemplate> {
    quick_scan_templates().iter().find(|t| t.version == version)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_templates_load_and_have_every_role() {
        for json in QUICK_SCAN_TEMPLATES {
            QuickScanTemplate::from_json(json).unwrap();
        }
        let current = current_quick_scan();
        assert_eq!(quick_scan_template(&current.version), Some(current));
        assert_eq!(
            current.option_label(Role::LifeDomains, "finances"),
            Some("Financiën")
        );
    }

    #[test]
    fn a_template_without_a_safety_question_is_refused() {
        let mut template = current_quick_scan().clone();
        for step in &mut template.steps {
            step.questions.retain(|q| q.role != Some(Role::Signals));
        }
        let json = serde_json::to_string(&template).unwrap();
        assert_eq!(
            QuickScanTemplate::from_json(&json).unwrap_err(),
            TemplateError::Role(Role::Signals)
        );
    }

    #[test]
    fn an_unknown_version_is_not_found() {
        assert!(quick_scan_template("1999.1").is_none());
    }
}
