use super::Id;
use crate::rules::{
    bsn::Bsn,
    postcode::Postcode,
    validation::{parse_date, FieldErrors},
};
use serde::{Deserialize, Serialize};
use time::Date;

/// The person asking for help (inwoner).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Resident {
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub id: Id,
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub household_id: Id,
    pub given_name: String,
    pub family_name: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::openapi::CalendarDate>))]
    pub birth_date: Option<Date>,
    pub bsn: Option<Bsn>,
    pub address: Option<Address>,
    pub phone: String,
    pub email: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Address {
    pub street: String,
    pub house_number: String,
    pub postcode: Postcode,
    pub city: String,
}

impl Address {
    /// "Oudegracht 12, 3511 AB Utrecht", leaving out the parts not given.
    pub fn one_line(&self) -> String {
        let street = format!("{} {}", self.street.trim(), self.house_number.trim());
        let place = format!("{} {}", self.postcode, self.city.trim());
        [street.trim(), place.trim()]
            .into_iter()
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl Resident {
    /// What a worker picking up the household needs to know of this person, as (label, value),
    /// leaving out what was not given.
    pub fn facts(&self) -> Vec<(&'static str, String)> {
        let mut facts = Vec::new();
        if let Some(born) = self.birth_date {
            facts.push((
                "Geboortedatum",
                crate::rules::validation::display_date(born),
            ));
        }
        if let Some(bsn) = &self.bsn {
            facts.push(("BSN", bsn.as_str().to_owned()));
        }
        if let Some(address) = &self.address {
            facts.push(("Adres", address.one_line()));
        }
        for (label, value) in [("Telefoon", &self.phone), ("E-mail", &self.email)] {
            if !value.trim().is_empty() {
                facts.push((label, value.trim().to_owned()));
            }
        }
        facts
    }

    pub fn full_name(&self) -> String {
        format!("{} {}", self.given_name, self.family_name)
    }

    /// Matches the search box: name, birth date (yyyy-mm-dd or d-m-yyyy), address or BSN.
    pub fn matches(&self, query: &str) -> bool {
        let query = fold(query);
        if query.is_empty() {
            return true;
        }
        let mut haystack = vec![fold(&self.full_name())];
        if let Some(date) = self.birth_date {
            haystack.push(crate::rules::validation::format_date(date));
            haystack.push(crate::rules::validation::display_date(date));
            // As people type it: "17-5-1948".
            haystack.push(format!(
                "{}-{}-{}",
                date.day(),
                u8::from(date.month()),
                date.year()
            ));
        }
        if let Some(bsn) = &self.bsn {
            haystack.push(bsn.as_str().to_owned());
        }
        if let Some(a) = &self.address {
            haystack.push(fold(&format!(
                "{} {} {} {}",
                a.street, a.house_number, a.postcode, a.city
            )));
            haystack.push(fold(&a.postcode.as_str().replace(' ', "")));
        }
        let all = haystack.join(" | ");
        query.split_whitespace().all(|word| all.contains(word))
    }
}

/// Lower case without diacritics, so "Ozturk" finds "Öztürk".
pub fn fold(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            'á' | 'à' | 'ä' | 'â' | 'Á' | 'À' | 'Ä' | 'Â' => 'a',
            'é' | 'è' | 'ë' | 'ê' | 'É' | 'È' | 'Ë' | 'Ê' => 'e',
            'í' | 'ì' | 'ï' | 'î' | 'Í' | 'Ì' | 'Ï' | 'Î' => 'i',
            'ó' | 'ò' | 'ö' | 'ô' | 'Ó' | 'Ò' | 'Ö' | 'Ô' => 'o',
            'ú' | 'ù' | 'ü' | 'û' | 'Ú' | 'Ù' | 'Ü' | 'Û' => 'u',
            'ç' | 'Ç' => 'c',
            'ş' | 'Ş' => 's',
            'ğ' | 'Ğ' => 'g',
            other => other,
        })
        .collect::<String>()
        .to_lowercase()
}

/// What the registration form holds: text as typed, kept even when invalid.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResidentDraft {
    pub given_name: String,
    pub family_name: String,
    pub birth_date: String,
    pub bsn: String,
    pub street: String,
    pub house_number: String,
    pub postcode: String,
    pub city: String,
    pub phone: String,
    pub email: String,
}

impl ResidentDraft {
    /// The form for correcting a resident's details: what is stored, as the fields show it.
    pub fn from_resident(resident: &Resident) -> Self {
        let address = resident.address.as_ref();
        let part = |f: fn(&Address) -> String| address.map(f).unwrap_or_default();
        ResidentDraft {
            given_name: resident.given_name.clone(),
            family_name: resident.family_name.clone(),
            birth_date: resident
                .birth_date
                .map(crate::rules::validation::format_date)
                .unwrap_or_default(),
            bsn: resident
                .bsn
                .as_ref()
                .map(|b| b.as_str().to_owned())
                .unwrap_or_default(),
            street: part(|a| a.street.clone()),
            house_number: part(|a| a.house_number.clone()),
            postcode: part(|a| a.postcode.as_str().to_owned()),
            city: part(|a| a.city.clone()),
            phone: resident.phone.clone(),
            email: resident.email.clone(),
        }
    }

    /// Checks every field at once; `today` bounds the birth date.
    pub fn validate(&self, id: Id, household_id: Id, today: Date) -> Result<Resident, FieldErrors> {
        let mut errors = FieldErrors::default();
        errors.require_text("given_name", &self.given_name, "de voornaam", 100);
        errors.require_text("family_name", &self.family_name, "de achternaam", 100);

        let birth_date = if self.birth_date.trim().is_empty() {
            None
        } else {
            match parse_date(&self.birth_date) {
                Some(date) if date > today => {
                    errors.add("birth_date", "De geboortedatum ligt in de toekomst.");
                    None
                }
                Some(date) if today.year() - date.year() > 120 => {
                    errors.add(
                        "birth_date",
                        "Deze geboortedatum is meer dan 120 jaar geleden.",
                    );
                    None
                }
                Some(date) => Some(date),
                None => {
                    errors.add("birth_date", "Vul een geldige datum in.");
                    None
                }
            }
        };

        let bsn = if self.bsn.trim().is_empty() {
            None
        } else {
            match Bsn::parse(&self.bsn) {
                Ok(bsn) => Some(bsn),
                Err(e) => {
                    errors.add("bsn", e.to_string());
                    None
                }
            }
        };

        // The postcode identifies the street; street, number and place stay optional, as the
        // form says, but are not accepted without a postcode.
        let address_given = [&self.street, &self.house_number, &self.postcode, &self.city]
            .iter()
            .any(|f| !f.trim().is_empty());
        for (field, value, label, max) in [
            ("street", &self.street, "De straat", 100),
            ("house_number", &self.house_number, "Het huisnummer", 12),
            ("city", &self.city, "De plaats", 80),
        ] {
            if value.trim().chars().count() > max {
                errors.add(
                    field,
                    format!("{label} is te lang (hoogstens {max} tekens)."),
                );
            }
        }
        let address = if !address_given {
            None
        } else if self.postcode.trim().is_empty() {
            errors.add(
                "postcode",
                "Vul ook de postcode in, of laat het adres leeg.",
            );
            None
        } else {
            match Postcode::parse(&self.postcode) {
                Ok(postcode) => Some(Address {
                    street: self.street.trim().to_owned(),
                    house_number: self.house_number.trim().to_owned(),
                    postcode,
                    city: self.city.trim().to_owned(),
                }),
                Err(e) => {
                    errors.add("postcode", e.to_string());
                    None
                }
            }
        };

        if !self.phone.trim().is_empty() && !looks_like_phone(self.phone.trim()) {
            errors.add(
                "phone",
                "Vul een telefoonnummer in met cijfers, bijvoorbeeld 06 12345678 of +31 6 12345678.",
            );
        }

        if !self.email.trim().is_empty() && !looks_like_email(self.email.trim()) {
            errors.add("email", "Vul een e-mailadres in zoals naam@voorbeeld.nl.");
        }

        errors.into_result(Resident {
            id,
            household_id,
            given_name: self.given_name.trim().to_owned(),
            family_name: self.family_name.trim().to_owned(),
            birth_date,
            bsn,
            address,
            phone: self.phone.trim().to_owned(),
            email: self.email.trim().to_owned(),
        })
    }
}

/// A resident already known with the candidate's BSN (one BSN is one person): registering
/// them again would split their record in two.
pub fn same_bsn<'a>(known: &'a [Resident], candidate: &Resident) -> Option<&'a Resident> {
    let bsn = candidate.bsn.as_ref()?;
    known
        .iter()
        .find(|r| r.id != candidate.id && r.bsn.as_ref() == Some(bsn))
}

/// Refuses a BSN another resident on the device already has, naming who has it; `then` says
/// what to do instead (register: pick that resident; correct: check the number).
pub fn refuse_same_bsn(
    known: &[Resident],
    candidate: &Resident,
    then: &str,
) -> Result<(), FieldErrors> {
    match same_bsn(known, candidate) {
        None => Ok(()),
        Some(existing) => {
            let mut twice = FieldErrors::default();
            twice.add(
                "bsn",
                format!(
                    "{} staat met dit BSN al op dit apparaat. {then}",
                    existing.full_name()
                ),
            );
            Err(twice)
        }
    }
}

/// Digits with the usual separators (spaces, dashes, dots, brackets) and an optional leading
/// `+`: 10 digits for a Dutch number, 8 to 15 for one from abroad.
pub(crate) fn looks_like_phone(value: &str) -> bool {
    let international = value.starts_with('+') || value.starts_with("00");
    let body = value.strip_prefix('+').unwrap_or(value);
    if !body
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')'))
    {
        return false;
    }
    let digits = body.chars().filter(char::is_ascii_digit).count();
    if international {
        (8..=15).contains(&digits)
    } else {
        digits == 10
    }
}

pub(crate) fn looks_like_email(value: &str) -> bool {
    match value.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn draft() -> ResidentDraft {
        ResidentDraft {
            given_name: "Fatma".into(),
            family_name: "Öztürk".into(),
            birth_date: "1948-05-17".into(),
            bsn: "111222333".into(),
            street: "Lindelaan".into(),
            house_number: "12a".into(),
            postcode: "3511ab".into(),
            city: "Utrecht".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_resident_opened_for_correcting_saves_back_unchanged() {
        let mut draft = draft();
        draft.phone = "06 12345678".into();
        draft.email = "fatma@voorbeeld.nl".into();
        let id = Id::from_u128(7);
        let today = date!(2026 - 11 - 30);
        let resident = draft.validate(id, Id::nil(), today).unwrap();
        let again = ResidentDraft::from_resident(&resident)
            .validate(id, Id::nil(), today)
            .unwrap();
        assert_eq!(again, resident);
        let bare = ResidentDraft {
            given_name: "Jan".into(),
            family_name: "Jansen".into(),
            ..Default::default()
        }
        .validate(id, Id::nil(), today)
        .unwrap();
        assert_eq!(ResidentDraft::from_resident(&bare).postcode, "");
    }

    #[test]
    fn a_complete_draft_becomes_a_resident() {
        let resident = draft()
            .validate(Id::nil(), Id::nil(), date!(2026 - 11 - 22))
            .unwrap();
        assert_eq!(resident.address.unwrap().postcode.as_str(), "3511 AB");
        assert_eq!(resident.bsn.unwrap().as_str(), "111222333");
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let mut bad = draft();
        bad.given_name = " ".into();
        bad.bsn = "123456789".into();
        bad.postcode = "35".into();
        bad.birth_date = "2030-01-01".into();
        bad.email = "fatma@".into();
        let errors = bad
            .validate(Id::nil(), Id::nil(), date!(2026 - 11 - 22))
            .unwrap_err();
        for field in ["given_name", "bsn", "postcode", "birth_date", "email"] {
            assert!(errors.for_field(field).is_some(), "{field}: {errors:?}");
        }
    }

    #[test]
    fn the_facts_leave_out_what_was_not_given() {
        let resident = draft()
            .validate(Id::nil(), Id::nil(), date!(2026 - 11 - 30))
            .unwrap();
        let labels: Vec<&str> = resident.facts().iter().map(|(l, _)| *l).collect();
        assert!(labels.contains(&"BSN") && labels.contains(&"Adres"));
        let address = resident.address.clone().unwrap();
        assert_eq!(
            address.one_line(),
            format!(
                "{} {}, 3511 AB {}",
                address.street, address.house_number, address.city
            )
        );
        let mut bare = resident;
        bare.bsn = None;
        bare.address = Some(Address {
            street: String::new(),
            house_number: String::new(),
            postcode: address.postcode.clone(),
            city: String::new(),
        });
        bare.phone = String::new();
        assert_eq!(bare.address.as_ref().unwrap().one_line(), "3511 AB");
        assert!(!bare
            .facts()
            .iter()
            .any(|(l, _)| *l == "BSN" || *l == "Telefoon"));
    }

    #[test]
    fn a_bsn_is_registered_once() {
        let today = date!(2026 - 11 - 30);
        let mut first = draft();
        first.bsn = "111222333".into();
        let known = vec![first.validate(Id::from_u128(1), Id::nil(), today).unwrap()];
        let again = first.validate(Id::from_u128(2), Id::nil(), today).unwrap();
        assert_eq!(
            same_bsn(&known, &again).map(|r| r.id),
            Some(Id::from_u128(1))
        );
        let mut other = draft();
        other.bsn = String::new();
        let without = other.validate(Id::from_u128(3), Id::nil(), today).unwrap();
        assert!(same_bsn(&known, &without).is_none());
    }

    #[test]
    fn a_phone_number_is_digits() {
        for good in [
            "06 12345678",
            "0341-200100",
            "+31 6 12345678",
            "(030) 123 45 67",
            "0032 2 123 45 67",
        ] {
            assert!(looks_like_phone(good), "{good}");
        }
        for bad in ["abc", "06 1234", "+31 6 abc", "0612345678901"] {
            assert!(!looks_like_phone(bad), "{bad}");
        }
        let mut wrong = draft();
        wrong.phone = "abc".into();
        let errors = wrong
            .validate(Id::nil(), Id::nil(), date!(2026 - 11 - 30))
            .unwrap_err();
        assert!(errors.for_field("phone").is_some());
    }

    #[test]
    fn a_postcode_alone_is_an_address_and_parts_need_one() {
        let mut only_postcode = draft();
        only_postcode.street = String::new();
        only_postcode.house_number = String::new();
        only_postcode.city = String::new();
        let resident = only_postcode
            .validate(Id::nil(), Id::nil(), date!(2026 - 11 - 30))
            .unwrap();
        assert_eq!(resident.address.unwrap().postcode.as_str(), "3511 AB");
        let mut no_postcode = draft();
        no_postcode.postcode = String::new();
        let errors = no_postcode
            .validate(Id::nil(), Id::nil(), date!(2026 - 11 - 30))
            .unwrap_err();
        assert!(errors.for_field("postcode").unwrap().contains("postcode"));
        assert!(errors.for_field("street").is_none());
    }

    #[test]
    fn bsn_and_address_are_optional() {
        let minimal = ResidentDraft {
            given_name: "Jan".into(),
            family_name: "de Vries".into(),
            ..Default::default()
        };
        let resident = minimal
            .validate(Id::nil(), Id::nil(), date!(2026 - 11 - 22))
            .unwrap();
        assert!(resident.bsn.is_none() && resident.address.is_none());
    }

    #[test]
    fn search_finds_by_name_birth_date_address_and_bsn() {
        let resident = draft()
            .validate(Id::nil(), Id::nil(), date!(2026 - 11 - 22))
            .unwrap();
        for query in [
            "ozturk",
            "fatma öztürk",
            "17-5-1948",
            "17-05-1948",
            "1948-05-17",
            "3511ab",
            "lindelaan 12a",
            "111222333",
        ] {
            assert!(resident.matches(query), "{query}");
        }
        assert!(!resident.matches("jansen"));
    }
}
