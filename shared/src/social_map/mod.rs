//! The social map (sociale kaart): partners a worker refers to. The administrator manages it in
//! the app (docs/reference-data.md); devices keep the copy of their last sync, and a new
//! installation starts from the sample map of a fictional municipality.

pub mod csv;

use crate::model::resident::fold;
use crate::rules::validation::FieldErrors;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SocialMap {
    pub municipality: String,
    pub version: String,
    pub partners: Vec<Partner>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Partner {
    /// Stable key (lower-case letters, digits, dashes); referrals and consents name it.
    pub id: String,
    pub name: String,
    pub kind: String,
    /// The services offered, in a sentence or two.
    pub description: String,
    /// Life-domain ids, as in the quick-scan template.
    pub life_domains: Vec<String>,
    /// Where the partner works (werkgebied), e.g. a district or "hele gemeente".
    #[serde(default)]
    pub area: String,
    pub phone: String,
    pub email: String,
    pub address: String,
    pub opening_hours: String,
    /// A partner that stopped is kept, not deleted, so older referrals still show its name;
    /// it is no longer offered.
    #[serde(default = "active_by_default")]
    pub active: bool,
}

fn active_by_default() -> bool {
    true
}

impl Partner {
    /// Checks a partner as the administrator entered it; `life_domains` are the known ids.
    pub fn check(&self, life_domains: &[&str]) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::default();
        let id_ok = !self.id.is_empty()
            && self.id.len() <= 64
            && self
                .id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !id_ok {
            errors.add(
                "id",
                "Vul een code in van kleine letters, cijfers en streepjes (hoogstens 64 tekens).",
            );
        }
        errors.require_text("name", &self.name, "de naam", 200);
        errors.require_text("kind", &self.kind, "de soort organisatie", 200);
        if self.description.chars().count() > 2000 {
            errors.add(
                "description",
                "De diensten zijn te lang (hoogstens 2000 tekens).",
            );
        }
        if self.life_domains.is_empty() {
            errors.add("life_domains", "Kies minstens één leefgebied.");
        } else if let Some(unknown) = self
            .life_domains
            .iter()
            .find(|d| !life_domains.contains(&d.as_str()))
        {
            errors.add("life_domains", format!("Onbekend leefgebied: {unknown}."));
        }
        if !self.email.trim().is_empty() && !self.email.contains('@') {
            errors.add("email", "Vul een geldig e-mailadres in, of laat het leeg.");
        }
        for (field, value, label) in [
            ("area", &self.area, "Het werkgebied"),
            ("phone", &self.phone, "Het telefoonnummer"),
            ("email", &self.email, "Het e-mailadres"),
            ("address", &self.address, "Het adres"),
            ("opening_hours", &self.opening_hours, "De openingstijden"),
        ] {
            if value.chars().count() > 300 {
                errors.add(field, format!("{label} is te lang (hoogstens 300 tekens)."));
            }
        }
        errors.into_result(())
    }
}

impl SocialMap {
    /// Partners whose name, kind or description contains every word of `query`, and that work
    /// on `life_domain` when one is given; by name.
    pub fn search(&self, query: &str, life_domain: Option<&str>) -> Vec<&Partner> {
        self.search_in(query, life_domain, None)
    }

    /// As [`SocialMap::search`], and within one working area: a partner without an area works
    /// in the whole municipality and is always found.
    pub fn search_in(
        &self,
        query: &str,
        life_domain: Option<&str>,
        area: Option<&str>,
    ) -> Vec<&Partner> {
        let words: Vec<String> = fold(query).split_whitespace().map(str::to_owned).collect();
        let area = area.map(fold);
        let mut found: Vec<&Partner> = self
            .partners
            .iter()
            .filter(|p| p.active)
            .filter(|p| life_domain.is_none_or(|d| p.life_domains.iter().any(|x| x == d)))
            .filter(|p| {
                let theirs = fold(&p.area);
                area.as_ref()
                    .is_none_or(|a| theirs.trim().is_empty() || &theirs == a)
            })
            .filter(|p| {
                let text = fold(&format!("{} {} {}", p.name, p.kind, p.description));
                words.iter().all(|w| text.contains(w.as_str()))
            })
            .collect();
        found.sort_by(|a, b| a.name.cmp(&b.name));
        found
    }

    /// The working areas partners name, each once, in alphabetical order.
    pub fn areas(&self) -> Vec<&str> {
        let mut areas: Vec<&str> = self
            .partners
            .iter()
            .filter(|p| p.active)
            .map(|p| p.area.trim())
            .filter(|a| !a.is_empty())
            .collect();
        areas.sort_unstable();
        areas.dedup();
        areas
    }

    /// A partner by id, also one that stopped (older records name it).
    pub fn partner(&self, id: &str) -> Option<&Partner> {
        self.partners.iter().find(|p| p.id == id)
    }
}

/// The sample social map shipped with the app (available offline).
pub fn sample_social_map() -> &'static SocialMap {
    static MAP: OnceLock<SocialMap> = OnceLock::new();
    MAP.get_or_init(|| {
        serde_json::from_str(include_str!("../../templates/social-map-sample.json"))
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
    fn search_within_an_area_keeps_the_partners_of_the_whole_municipality() {
        let mut map = sample_social_map().clone();
        map.partners[0].area = "Lindeveen-Noord".into();
        map.partners[1].area = "Lindeveen-Zuid".into();
        map.partners[2].area = "Lindeveen-Noord".into();
        assert_eq!(map.areas(), ["Lindeveen-Noord", "Lindeveen-Zuid"]);
        let north: Vec<&str> = map
            .search_in("", None, Some("lindeveen-noord"))
            .iter()
            .map(|p| p.id.as_str())
            .collect();
        assert!(north.contains(&map.partners[0].id.as_str()));
        assert!(!north.contains(&map.partners[1].id.as_str()));
        // No area: works everywhere.
        assert!(north.contains(&map.partners[3].id.as_str()));
        assert_eq!(north.len(), map.partners.len() - 1);
    }

    #[test]
    fn a_stopped_partner_is_not_offered_but_still_found_by_id() {
        let mut map = sample_social_map().clone();
        map.partners[0].active = false;
        let id = map.partners[0].id.clone();
        assert!(map.search("", None).iter().all(|p| p.id != id));
        assert_eq!(map.partner(&id).map(|p| p.active), Some(false));
    }

    #[test]
    fn a_partner_is_checked_field_by_field() {
        let domains = ["finances", "housing"];
        let mut partner = sample_social_map()
            .partner("schuldhulp-lindeveen")
            .unwrap()
            .clone();
        assert_eq!(partner.check(&domains), Ok(()));
        partner.id = "Schuld Hulp".into();
        partner.name = " ".into();
        partner.life_domains = vec!["gardening".into()];
        partner.email = "geen-adres".into();
        let errors = partner.check(&domains).unwrap_err();
        assert!(errors.for_field("id").is_some());
        assert_eq!(errors.for_field("name"), Some("Vul de naam in."));
        assert_eq!(
            errors.for_field("life_domains"),
            Some("Onbekend leefgebied: gardening.")
        );
        assert!(errors.for_field("email").is_some());
        partner.life_domains.clear();
        assert_eq!(
            partner
                .check(&domains)
                .unwrap_err()
                .for_field("life_domains"),
            Some("Kies minstens één leefgebied.")
        );
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
