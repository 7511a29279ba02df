//! The burgerservicenummer (BSN) and its elfproef.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A BSN that passed the elfproef. Stored as its nine digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct Bsn(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BsnError {
    #[error("Een BSN bestaat uit 9 cijfers.")]
    Length,
    #[error("Een BSN bevat alleen cijfers.")]
    NotDigits,
    #[error("Dit BSN klopt niet (de elfproef faalt). Controleer de cijfers.")]
    Checksum,
}

impl Bsn {
    /// Accepts 9 digits, or 8 with the leading zero left off; spaces, dots and dashes are
    /// ignored, as people write them.
    pub fn parse(input: &str) -> Result<Self, BsnError> {
        let cleaned: String = input
            .chars()
            .filter(|c| !matches!(c, ' ' | '.' | '-'))
            .collect();
        if !cleaned.chars().all(|c| c.is_ascii_digit()) {
            return Err(BsnError::NotDigits);
        }
        let digits = match cleaned.len() {
            9 => cleaned,
            8 => format!("0{cleaned}"),
            _ => return Err(BsnError::Length),
        };
        if !passes_elfproef(&digits) {
            return Err(BsnError::Checksum);
        }
        Ok(Self(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// 9·d1 + 8·d2 + … + 2·d8 − 1·d9 must be a multiple of 11 (and not zero).
fn passes_elfproef(digits: &str) -> bool {
    let values: Vec<i64> = digits.bytes().map(|b| i64::from(b - b'0')).collect();
    let sum: i64 = values[..8]
        .iter()
        .zip((2..=9).rev())
        .map(|(d, w)| d * w)
        .sum::<i64>()
        - values[8];
    sum != 0 && sum % 11 == 0
}

impl TryFrom<String> for Bsn {
    type Error = BsnError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Bsn::parse(&value)
    }
}

impl From<Bsn> for String {
    fn from(value: Bsn) -> Self {
        value.0
    }
}

impl fmt::Display for Bsn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_valid_numbers_pass() {
        // Test numbers that pass the elfproef (not real people).
        for valid in [
            "111222333",
            "123456782",
            "999999990",
            "1112.22.333",
            "12345678 2",
        ] {
            assert!(Bsn::parse(valid).is_ok(), "{valid}");
        }
        assert_eq!(Bsn::parse("11222333").unwrap_err(), BsnError::Checksum);
    }

    #[test]
    fn wrong_numbers_get_a_clear_reason() {
        assert_eq!(Bsn::parse("123456789").unwrap_err(), BsnError::Checksum);
        assert_eq!(Bsn::parse("12345").unwrap_err(), BsnError::Length);
        assert_eq!(Bsn::parse("12345678a").unwrap_err(), BsnError::NotDigits);
        assert_eq!(Bsn::parse("000000000").unwrap_err(), BsnError::Checksum);
        assert!(BsnError::Checksum.to_string().contains("elfproef"));
    }

    #[test]
    fn serde_refuses_an_invalid_bsn() {
        assert!(serde_json::from_str::<Bsn>("\"123456782\"").is_ok());
        assert!(serde_json::from_str::<Bsn>("\"123456789\"").is_err());
    }

    /// The check digit that makes eight digits a valid BSN, if one exists.
    fn check_digit(first8: &[u8]) -> Option<u8> {
        let sum: i64 = first8
            .iter()
            .zip((2..=9).rev())
            .map(|(d, w)| i64::from(*d) * w)
            .sum();
        let check = sum % 11;
        (check < 10 && sum != 0).then_some(check as u8)
    }

    proptest! {
        #[test]
        fn every_number_with_the_right_check_digit_passes(first8 in proptest::collection::vec(0u8..10, 8)) {
            if let Some(check) = check_digit(&first8) {
                let digits: String = first8.iter().chain(std::iter::once(&check)).map(|d| char::from(b'0' + d)).collect();
                prop_assert!(Bsn::parse(&digits).is_ok(), "{}", digits);
            }
        }

        #[test]
        fn one_mistyped_digit_is_always_caught(first8 in proptest::collection::vec(0u8..10, 8), position in 0usize..9, delta in 1u8..10) {
            if let Some(check) = check_digit(&first8) {
                let mut digits: Vec<u8> = first8.clone();
                digits.push(check);
                digits[position] = (digits[position] + delta) % 10;
                let text: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
                prop_assert!(Bsn::parse(&text).is_err(), "{}", text);
            }
        }
    }
}
