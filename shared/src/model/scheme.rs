//! The law or scheme a question falls under (wet of regeling): the integral front door counts
//! its questions per law. Suggested from the question's first life domain; the worker confirms
//! or changes it.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Scheme {
    /// Wet maatschappelijke ondersteuning 2015.
    Wmo,
    Jeugdwet,
    Participatiewet,
    /// Schuldhulpverlening (Wet gemeentelijke schuldhulpverlening).
    DebtAssistance,
    /// Anything else, or no law at all (information about a local arrangement).
    Other,
}

impl Scheme {
    pub const ALL: [Scheme; 5] = [
        Scheme::Wmo,
        Scheme::Jeugdwet,
        Scheme::Participatiewet,
        Scheme::DebtAssistance,
        Scheme::Other,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Scheme::Wmo => "wmo",
            Scheme::Jeugdwet => "jeugdwet",
            Scheme::Participatiewet => "participatiewet",
            Scheme::DebtAssistance => "debt_assistance",
            Scheme::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Scheme::Wmo => "Wmo 2015",
            Scheme::Jeugdwet => "Jeugdwet",
            Scheme::Participatiewet => "Participatiewet",
            Scheme::DebtAssistance => "Schuldhulpverlening (Wgs)",
            Scheme::Other => "Andere regeling of geen wet",
        }
    }

    pub fn from_key(key: &str) -> Option<Scheme> {
        Scheme::ALL.into_iter().find(|s| s.key() == key)
    }

    /// The likely law for a question about these life domains (ids of the quick-scan
    /// template), by the first one named.
    pub fn suggest(life_domains: &[String]) -> Scheme {
        match life_domains.first().map(String::as_str) {
            Some("finances") => Scheme::DebtAssistance,
            Some("family") => Scheme::Jeugdwet,
            Some("daytime") => Scheme::Participatiewet,
            _ => Scheme::Wmo,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_life_domain_suggests_the_law_and_keys_round_trip() {
        let suggest =
            |d: &[&str]| Scheme::suggest(&d.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(suggest(&["finances", "housing"]), Scheme::DebtAssistance);
        assert_eq!(suggest(&["family"]), Scheme::Jeugdwet);
        assert_eq!(suggest(&["daytime"]), Scheme::Participatiewet);
        assert_eq!(suggest(&["practical", "finances"]), Scheme::Wmo);
        assert_eq!(suggest(&[]), Scheme::Wmo);
        for scheme in Scheme::ALL {
            assert_eq!(Scheme::from_key(scheme.key()), Some(scheme));
            assert_eq!(
                serde_json::to_value(scheme).unwrap(),
                serde_json::Value::String(scheme.key().into())
            );
        }
    }
}
