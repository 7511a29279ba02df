//! Reference data: what a municipality manages in the app and every device keeps for offline use
//! (docs/reference-data.md): the social map and the published template versions. The catalogue
//! puts them together with the versions shipped in the app, so a record made with any version
//! finds its template, and new records use the newest one.

use crate::social_map::{sample_social_map, Partner, SocialMap};
use crate::templates::conversation::{conversation_templates, ConversationTemplate};
use crate::templates::{quick_scan_templates, QuickScanTemplate};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// What `GET /api/reference` sends: everything the municipality published, at `version`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReferenceData {
    /// Rises with every change to the municipality's reference data.
    pub version: i64,
    pub municipality: String,
    pub partners: Vec<Partner>,
    /// Published quick-scan templates, oldest first.
    pub quick_scans: Vec<QuickScanTemplate>,
    /// Published conversation templates, oldest first.
    pub conversations: Vec<ConversationTemplate>,
}

/// A published template version as the administrator's list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublishedTemplate {
    pub kind: TemplateKind,
    pub version: String,
    pub title: String,
    /// RFC 3339; `None` for a version shipped with the app.
    pub published_at: Option<String>,
    pub published_by: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TemplateKind {
    QuickScan,
    Conversation,
}

impl TemplateKind {
    pub fn key(self) -> &'static str {
        match self {
            TemplateKind::QuickScan => "quick_scan",
            TemplateKind::Conversation => "conversation",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        match key {
            "quick_scan" => Some(TemplateKind::QuickScan),
            "conversation" => Some(TemplateKind::Conversation),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            TemplateKind::QuickScan => "Vraagverkenning",
            TemplateKind::Conversation => "Keukentafelgesprek",
        }
    }
}

/// Why a template cannot be published; `Display` says it in Dutch.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateRefusal {
    #[error("Het sjabloon klopt niet: {0}.")]
    Invalid(String),
    #[error("Geef het sjabloon een versie (hoogstens 40 tekens).")]
    NoVersion,
    /// The version exists (shipped or published) and never changes.
    #[error(
        "Versie {0} bestaat al en verandert nooit meer. Geef de nieuwe versie een eigen nummer."
    )]
    Exists(String),
}

/// Checks a template the administrator wants to publish and returns its version. `taken` are
/// the versions that exist already (shipped or published).
pub fn check_new_template(
    kind: TemplateKind,
    json: &str,
    taken: &[String],
) -> Result<String, TemplateRefusal> {
    let version = match kind {
        TemplateKind::QuickScan => QuickScanTemplate::from_json(json)
            .map(|t| t.version)
            .map_err(|e| TemplateRefusal::Invalid(e.to_string()))?,
        TemplateKind::Conversation => ConversationTemplate::from_json(json)
            .map(|t| t.version)
            .map_err(|e| TemplateRefusal::Invalid(e.to_string()))?,
    };
    if version.trim().is_empty() || version.len() > 40 {
        return Err(TemplateRefusal::NoVersion);
    }
    if taken.contains(&version) {
        return Err(TemplateRefusal::Exists(version));
    }
    Ok(version)
}

/// Shipped and published templates together, and the social map in use.
#[derive(Debug, Clone, PartialEq)]
pub struct Catalogue {
    /// Oldest first; the last is the one new records use.
    quick_scans: Vec<QuickScanTemplate>,
    conversations: Vec<ConversationTemplate>,
    social_map: SocialMap,
    /// The reference version this catalogue was built from (0: shipped data only).
    pub version: i64,
}

impl Catalogue {
    /// What the app ships with: for a device that has not synced yet, and for the server.
    pub fn shipped() -> &'static Catalogue {
        static SHIPPED: OnceLock<Catalogue> = OnceLock::new();
        SHIPPED.get_or_init(|| Catalogue {
            quick_scans: quick_scan_templates().to_vec(),
            conversations: conversation_templates().to_vec(),
            social_map: sample_social_map().clone(),
            version: 0,
        })
    }

    /// The shipped versions followed by the municipality's published ones, and its social map.
    pub fn with(data: &ReferenceData) -> Catalogue {
        let shipped = Catalogue::shipped();
        let mut quick_scans = shipped.quick_scans.clone();
        for t in &data.quick_scans {
            if !quick_scans.iter().any(|q| q.version == t.version) {
                quick_scans.push(t.clone());
            }
        }
        let mut conversations = shipped.conversations.clone();
        for t in &data.conversations {
            if !conversations.iter().any(|c| c.version == t.version) {
                conversations.push(t.clone());
            }
        }
        Catalogue {
            quick_scans,
            conversations,
            social_map: SocialMap {
                municipality: data.municipality.clone(),
                version: data.version.to_string(),
                partners: data.partners.clone(),
            },
            version: data.version,
        }
    }

    pub fn current_quick_scan(&self) -> &QuickScanTemplate {
        self.quick_scans
            .last()
            .expect("at least one template ships")
    }

    pub fn quick_scan(&self, version: &str) -> Option<&QuickScanTemplate> {
        self.quick_scans.iter().find(|t| t.version == version)
    }

    /// The template a record was made with, or the current one for a version this device lacks.
    pub fn quick_scan_or_current(&self, version: &str) -> &QuickScanTemplate {
        self.quick_scan(version)
            .unwrap_or_else(|| self.current_quick_scan())
    }

    pub fn current_conversation(&self) -> &ConversationTemplate {
        self.conversations
            .last()
            .expect("at least one template ships")
    }

    pub fn conversation(&self, version: &str) -> Option<&ConversationTemplate> {
        self.conversations.iter().find(|t| t.version == version)
    }

    pub fn conversation_or_current(&self, version: &str) -> &ConversationTemplate {
        self.conversation(version)
            .unwrap_or_else(|| self.current_conversation())
    }

    /// A life domain's label from the newest version that names it (quick scan, then
    /// conversation), so figures over old records still read in words.
    pub fn life_domain_label(&self, id: &str) -> Option<&str> {
        self.quick_scans
            .iter()
            .rev()
            .find_map(|t| t.option_label(crate::templates::Role::LifeDomains, id))
            .or_else(|| {
                self.conversations
                    .iter()
                    .rev()
                    .find_map(|t| t.domain_label(id))
            })
    }

    pub fn social_map(&self) -> &SocialMap {
        &self.social_map
    }

    pub fn quick_scans(&self) -> &[QuickScanTemplate] {
        &self.quick_scans
    }

    pub fn conversations(&self) -> &[ConversationTemplate] {
        &self.conversations
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::templates::current_quick_scan;

    fn published(label: &str, version: &str) -> QuickScanTemplate {
        let mut t = current_quick_scan().clone();
        t.version = version.into();
        t.steps[0].questions[0].label = label.into();
        t
    }

    fn data(quick_scans: Vec<QuickScanTemplate>) -> ReferenceData {
        ReferenceData {
            version: 7,
            municipality: "lindeveen".into(),
            partners: sample_social_map().partners[..2].to_vec(),
            quick_scans,
            conversations: vec![],
        }
    }

    #[test]
    fn a_published_version_becomes_current_and_old_records_keep_theirs() {
        let shipped = current_quick_scan().version.clone();
        let catalogue = Catalogue::with(&data(vec![published("Nieuwe vraag", "2027.1")]));
        assert_eq!(catalogue.current_quick_scan().version, "2027.1");
        assert_eq!(catalogue.quick_scan(&shipped), Some(current_quick_scan()));
        assert_eq!(
            catalogue.quick_scan_or_current("2027.1").steps[0].questions[0].label,
            "Nieuwe vraag"
        );
        assert_eq!(
            catalogue.quick_scan_or_current("onbekend").version,
            "2027.1"
        );
        assert_eq!(catalogue.social_map().partners.len(), 2);
        assert_eq!(catalogue.life_domain_label("finances"), Some("Financiën"));
        assert_eq!(catalogue.life_domain_label("gardening"), None);
        assert_eq!(catalogue.version, 7);
    }

    #[test]
    fn the_shipped_catalogue_is_the_shipped_data() {
        let shipped = Catalogue::shipped();
        assert_eq!(shipped.current_quick_scan(), current_quick_scan());
        assert_eq!(shipped.social_map(), sample_social_map());
    }

    #[test]
    fn a_new_template_needs_a_new_version_and_a_valid_body() {
        let current = current_quick_scan();
        let json = serde_json::to_string(current).unwrap();
        let taken = vec![current.version.clone()];
        let refusal = check_new_template(TemplateKind::QuickScan, &json, &taken).unwrap_err();
        assert_eq!(refusal, TemplateRefusal::Exists(current.version.clone()));
        assert!(refusal.to_string().contains("bestaat al"));
        let next = serde_json::to_string(&published("x", "2027.1")).unwrap();
        assert_eq!(
            check_new_template(TemplateKind::QuickScan, &next, &taken),
            Ok("2027.1".to_owned())
        );
        assert!(
            check_new_template(TemplateKind::Conversation, &next, &taken)
                .unwrap_err()
                .to_string()
                .starts_with("Het sjabloon klopt niet")
        );
        assert!(matches!(
            check_new_template(TemplateKind::QuickScan, "{", &taken),
            Err(TemplateRefusal::Invalid(_))
        ));
    }
}
