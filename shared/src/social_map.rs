//! The social map (sociale kaart): partners a worker refers to. Shipped as sample data of a
//! fictional municipality until the office manages it.

use crate::model::resident::fold;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SocialMap {
    pub municipality: String,
    pub version: String,
    pub partners: Vec<Partner>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Partner {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub description: String,
    /// Life-domain ids, as in the quick-scan template.
    pub life_domains: Vec<String>,
    pub phone: String,
    pub email: String,
    pub address: String,
    pub opening_hours: String,
}

impl SocialMap {
    /// Partners whose name, kind or description contains every word of `query`, and that work
    /// on `life_domain` when one is given; by name.
    pub fn search(&self, query: &str, life_domain: Option<&str>) -> Vec<&Partner> {
        let words: Vec<String> = fold(query).split_whitespace().map(str::to_owned).collect();
        let mut found: Vec<&Partner> = self
            .partners
            .iter()
            .filter(|p| life_domain.is_none_or(|d| p.life_domains.iter().any(|x| x == d)))
            .filter(|p| {
                let text = fold(&format!("{} {} {}", p.name, p.kind, p.description));
                words.iter().all(|w| text.contains(w.as_str()))
            })
            .collect();
        found.sort_by(|a, b| a.name.cmp(&b.name));
        found
    }

    pub fn partner(&self, id: &str) -> Option<&Partner> {
        self.partners.iter().find(|p| p.id == id)
    }
}

/// The sample social map shipped with the app (available offline).
pub fn sample_social_map() -> &'static SocialMap {
    static MAP: OnceLock<SocialMap> = OnceLock::new();
    MAP.get_or_init(|| {
        serde_json::from_str(include_str!("../templates/social-map-sample.json"))
            .expect("the sample social map is checked by tests")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::templates::{current_quick_scan, Role};

    #[test]
    fn search_by_name_and_by_life_domain() {
        let map = sample_social_map();
        let names = |found: Vec<&Partner>| found.iter().map(|p| p.id.clone()).collect::<Vec<_>>();
        assert_eq!(
            names(map.search("schuld", None)),
            vec!["schuldhulp-lindeveen"]
        );
        assert_eq!(
            names(map.search("clientondersteuning", None)),
            vec!["mee-clientondersteuning"]
        );
        let finances = names(map.search("", Some("finances")));
        assert!(finances.contains(&"schuldhulp-lindeveen".to_owned()));
        assert!(!finances.contains(&"jeugd-en-gezin".to_owned()));
        assert!(map.search("bestaat niet", None).is_empty());
    }

    #[test]
    fn every_partner_names_known_life_domains() {
        let template = current_quick_scan();
        for partner in &sample_social_map().partners {
            for domain in &partner.life_domains {
                assert!(
                    template.option_label(Role::LifeDomains, domain).is_some(),
                    "{} names unknown domain {domain}",
                    partner.id
                );
            }
        }
    }
}
