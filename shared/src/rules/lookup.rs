//! Find before you register: is this resident already known somewhere in the municipality?
//! The server answers (it sees every team); the rules for what counts as the same person live
//! here, so the device's own search and the server agree. Tolerant of what people get wrong
//! when they type: accents, spaces, capitals and two neighbouring digits swapped.

use crate::model::{Id, Resident};
use crate::rules::validation::date_from_digits;
use serde::{Deserialize, Serialize};
use time::Date;
use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// What the worker typed in the registration form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LookupQuery {
    #[serde(default)]
    pub bsn: String,
    #[serde(default)]
    pub family_name: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::openapi::CalendarDate>))]
    pub birth_date: Option<Date>,
}

impl LookupQuery {
    /// Whether there is enough to look up: a BSN, or a family name with a birth date.
    pub fn check(&self) -> Result<(), &'static str> {
        let digits = self.bsn_digits();
        if !digits.is_empty() && !(8..=9).contains(&digits.len()) {
            return Err("Een BSN bestaat uit 9 cijfers.");
        }
        if digits.is_empty() && (fold(&self.family_name).is_empty() || self.birth_date.is_none()) {
            return Err("Vul het BSN in, of de achternaam en de geboortedatum.");
        }
        Ok(())
    }

    /// The BSN's digits as typed (spaces, dots and dashes left out; 8 digits get their zero).
    pub fn bsn_digits(&self) -> String {
        let digits: String = self.bsn.chars().filter(char::is_ascii_digit).collect();
        if digits.len() == 8 {
            format!("0{digits}")
        } else {
            digits
        }
    }

    /// The BSNs this query may mean: as typed, and with two neighbouring digits swapped.
    pub fn bsn_variants(&self) -> Vec<String> {
        match self.bsn_digits() {
            d if d.is_empty() => Vec::new(),
            d => swapped(&d),
        }
    }

    /// The birth dates this query may mean: as typed, two neighbouring digits swapped, or day
    /// and month the other way round (only dates that exist).
    pub fn birth_date_variants(&self) -> Vec<Date> {
        let Some(date) = self.birth_date else {
            return Vec::new();
        };
        let digits = format!(
            "{:04}{:02}{:02}",
            date.year(),
            u8::from(date.month()),
            date.day()
        );
        let mut dates: Vec<Date> = swapped(&digits)
            .iter()
            .filter_map(|d| date_from_digits(d))
            .collect();
        if let Some(flipped) = time::Month::try_from(date.day())
            .ok()
            .and_then(|m| Date::from_calendar_date(date.year(), m, u8::from(date.month())).ok())
        {
            dates.push(flipped);
        }
        dates.sort();
        dates.dedup();
        dates
    }

    /// Whether `resident` is who this query means.
    pub fn matches(&self, resident: &Resident) -> bool {
        let bsns = self.bsn_variants();
        if let Some(bsn) = &resident.bsn {
            if bsns.iter().any(|b| b == bsn.as_str()) {
                return true;
            }
        }
        let family = fold(&self.family_name);
        !family.is_empty()
            && fold(&resident.family_name) == family
            && resident
                .birth_date
                .is_some_and(|born| self.birth_date_variants().contains(&born))
    }
}

/// A name as compared: lower case, without accents, spaces, hyphens or apostrophes
/// ("Van der Berg-Öztürk" and "vanderberg ozturk" are the same).
///
/// Each character is decomposed on its own, without the reordering of marks that full NFD does:
/// the marks are dropped anyway, so the result is the same (property test), and the browser's
/// code then holds only the canonical tables, not every normalization form's (issue 17).
pub fn fold(name: &str) -> String {
    let mut folded = String::with_capacity(name.len());
    for c in name.chars() {
        decompose_canonical(c, |part| {
            if !is_combining_mark(part) && part.is_alphanumeric() {
                folded.extend(part.to_lowercase());
            }
        });
    }
    folded
}

/// `digits` itself and each string with two neighbouring digits swapped.
fn swapped(digits: &str) -> Vec<String> {
    let bytes = digits.as_bytes();
    let mut all = vec![digits.to_owned()];
    for i in 1..bytes.len() {
        if bytes[i - 1] != bytes[i] {
            let mut other = bytes.to_vec();
            other.swap(i - 1, i);
            all.push(String::from_utf8(other).unwrap_or_default());
        }
    }
    all
}

/// One resident the server found. In the worker's own scope it names the household; elsewhere
/// it says only that the resident is known, by which team, and who the regisseur is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LookupMatch {
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub household_id: Id,
    pub in_scope: bool,
    /// The resident's and household's names: only in the worker's own scope.
    pub resident_name: Option<String>,
    pub household_name: Option<String>,
    pub team_name: String,
    pub case_manager: Option<String>,
    /// This worker asked for access already and no answer came yet.
    pub requested: bool,
}

/// Asking the other team's coordinator for access to a household.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewAccessRequest {
    pub reason: String,
}

impl NewAccessRequest {
    pub fn check(&self) -> Result<(), &'static str> {
        match self.reason.trim().chars().count() {
            0 => Err("Schrijf kort waarom je toegang nodig hebt."),
            n if n > 500 => Err("Hoogstens 500 tekens."),
            _ => Ok(()),
        }
    }
}

/// A request waiting for the coordinator of the household's team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccessRequest {
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub id: Id,
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub household_id: Id,
    pub household_name: String,
    pub requester: String,
    pub requester_team: String,
    pub reason: String,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::openapi::CalendarDate))]
    pub requested_on: Date,
}

/// A worker of another team who was granted access to a household, for its coordinator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Guest {
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub account_id: Id,
    pub name: String,
    pub team: String,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::openapi::CalendarDate))]
    pub granted_on: Date,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::bsn::Bsn;
    use proptest::prelude::*;
    use time::macros::date;
    use unicode_normalization::UnicodeNormalization;

    proptest! {
        /// `fold` is: full canonical decomposition (NFD), marks and punctuation dropped, lower
        /// case; also for names with several marks on one letter, in any order.
        #[test]
        fn folding_equals_nfd_without_marks(name in "[a-zA-Z \\-'ÀÉËÏÖÜçğışŞøØœŒǅǲ\u{0300}-\u{036f}\u{0591}-\u{05c7}\u{1e00}-\u{1eff}\u{ac00}-\u{ac20}]{0,24}") {
            let nfd: String = name
                .nfd()
                .filter(|c| !is_combining_mark(*c))
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect();
            prop_assert_eq!(fold(&name), nfd);
        }
    }

    fn resident(family: &str, born: Date, bsn: Option<&str>) -> Resident {
        Resident {
            id: Id::from_u128(1),
            household_id: Id::from_u128(2),
            given_name: "Ayşe".into(),
            family_name: family.into(),
            birth_date: Some(born),
            bsn: bsn.map(|b| Bsn::parse(b).unwrap()),
            address: None,
            phone: String::new(),
            email: String::new(),
        }
    }

    #[test]
    fn a_name_matches_without_accents_spaces_or_capitals() {
        assert_eq!(fold("Van der Berg-Öztürk"), "vanderbergozturk");
        let known = resident("Öztürk", date!(1962 - 03 - 14), None);
        let query = |family: &str, born| LookupQuery {
            bsn: String::new(),
            family_name: family.into(),
            birth_date: Some(born),
        };
        assert!(query("ozturk", date!(1962 - 03 - 14)).matches(&known));
        assert!(query(" OZ TURK ", date!(1962 - 03 - 14)).matches(&known));
        // Two neighbouring digits swapped, and day and month the other way round.
        assert!(query("Öztürk", date!(1926 - 03 - 14)).matches(&known));
        assert!(!query("Öztürk", date!(1962 - 03 - 15)).matches(&known));
        assert!(!query("Özdemir", date!(1962 - 03 - 14)).matches(&known));
    }

    #[test]
    fn a_bsn_matches_as_typed_or_with_two_digits_swapped() {
        let known = resident("Jansen", date!(1950 - 01 - 01), Some("111222333"));
        let query = |bsn: &str| LookupQuery {
            bsn: bsn.into(),
            ..Default::default()
        };
        assert!(query("111 222 333").matches(&known));
        assert!(query("112122333").matches(&known));
        assert!(!query("111222334").matches(&known));
        assert!(query("12").check().is_err());
        assert!(LookupQuery::default().check().is_err());
        assert!(query("111222333").check().is_ok());
    }

    #[test]
    fn the_day_and_month_swapped_is_a_variant_when_it_is_a_date() {
        let q = LookupQuery {
            family_name: "X".into(),
            birth_date: Some(date!(1980 - 04 - 07)),
            ..Default::default()
        };
        assert!(q.birth_date_variants().contains(&date!(1980 - 07 - 04)));
        // 25 is no month: only the swaps that make a date, and the date itself.
        let no_flip = LookupQuery {
            birth_date: Some(date!(1980 - 04 - 25)),
            ..q
        };
        assert_eq!(
            no_flip.birth_date_variants(),
            [
                date!(1890 - 04 - 25),
                date!(1908 - 04 - 25),
                date!(1980 - 04 - 25),
                date!(9180 - 04 - 25)
            ]
        );
    }

    #[test]
    fn a_reason_is_needed_to_ask_for_access() {
        assert!(NewAccessRequest::default().check().is_err());
        assert!(NewAccessRequest {
            reason: "Zij staat bij ons aan de balie.".into()
        }
        .check()
        .is_ok());
    }
}
