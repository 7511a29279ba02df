//! Dutch postcodes: four digits (not starting with 0) and two letters, normalised to "1234 AB".

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct Postcode(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PostcodeError {
    #[error("Een postcode bestaat uit 4 cijfers en 2 letters, bijvoorbeeld 1234 AB.")]
    Shape,
    /// Well formed, but letters PostNL never hands out: a typo, not a wrong format.
    #[error("Postcodes met de letters {0} bestaan niet (SA, SD en SS worden nooit uitgegeven). Controleer de letters.")]
    NeverIssued(String),
}

/// Letter pairs PostNL does not hand out.
const UNUSED_LETTERS: [&str; 3] = ["SA", "SD", "SS"];

impl Postcode {
    pub fn parse(input: &str) -> Result<Self, PostcodeError> {
        let cleaned: String = input
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_uppercase();
        let (digits, letters) = cleaned.split_at_checked(4).ok_or(PostcodeError::Shape)?;
        let valid = digits.len() == 4
            && digits.chars().all(|c| c.is_ascii_digit())
            && !digits.starts_with('0')
            && letters.len() == 2
            && letters.chars().all(|c| c.is_ascii_uppercase());
        if !valid {
            return Err(PostcodeError::Shape);
        }
        if UNUSED_LETTERS.contains(&letters) {
            return Err(PostcodeError::NeverIssued(letters.to_owned()));
        }
        Ok(Self(format!("{digits} {letters}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Postcode {
    type Error = PostcodeError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Postcode::parse(&value)
    }
}

impl From<Postcode> for String {
    fn from(value: Postcode) -> Self {
        value.0
    }
}

impl fmt::Display for Postcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_and_normalises() {
        assert_eq!(Postcode::parse("1234ab").unwrap().as_str(), "1234 AB");
        assert_eq!(Postcode::parse(" 9999  zz ").unwrap().as_str(), "9999 ZZ");
    }

    #[test]
    fn refuses_what_is_not_a_postcode() {
        for bad in [
            "0123 AB", "123 AB", "12345 AB", "1234 A", "1234 SS", "1234 A1", "", "ABCD 12",
        ] {
            assert!(Postcode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn letters_never_issued_are_named_as_such() {
        let error = Postcode::parse("1234 ss").unwrap_err();
        assert_eq!(error, PostcodeError::NeverIssued("SS".into()));
        assert!(error.to_string().contains("nooit uitgegeven"), "{error}");
        assert_eq!(Postcode::parse("12 AB").unwrap_err(), PostcodeError::Shape);
    }

    proptest! {
        #[test]
        fn any_well_formed_postcode_round_trips(n in 1000u32..10000, a in 0u8..26, b in 0u8..26) {
            let letters = format!("{}{}", char::from(b'A' + a), char::from(b'A' + b));
            prop_assume!(!UNUSED_LETTERS.contains(&letters.as_str()));
            let written = format!("{n}{}", letters.to_lowercase());
            let parsed = Postcode::parse(&written).unwrap();
            prop_assert_eq!(parsed.as_str(), format!("{n} {letters}"));
            prop_assert_eq!(Postcode::parse(parsed.as_str()).unwrap(), parsed);
        }
    }
}
