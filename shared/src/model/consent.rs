//! Consent (toestemming) to share a resident's data with a partner for a purpose. It sits on
//! top of the legal basis for processing; it does not replace it.

use super::Id;
use serde::{Deserialize, Serialize};
use time::Date;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ConsentForm {
    Spoken,
    Signed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Consent {
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub id: Id,
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub household_id: Id,
    /// Whose data may be shared (a household member).
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub resident_id: Id,
    pub partner_id: String,
    /// What the data may be used for, e.g. "warme overdracht schuldhulp".
    pub purpose: String,
    pub form: ConsentForm,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::openapi::CalendarDate))]
    pub given_on: Date,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::openapi::CalendarDate>))]
    pub withdrawn_on: Option<Date>,
}

impl ConsentForm {
    pub fn label(self) -> &'static str {
        match self {
            ConsentForm::Spoken => "Mondeling",
            ConsentForm::Signed => "Schriftelijk (getekend)",
        }
    }
}

impl Consent {
    pub fn is_valid_on(&self, date: Date) -> bool {
        self.given_on <= date && self.withdrawn_on.is_none_or(|w| date < w)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Er is geen geldige toestemming van de inwoner om gegevens met deze partner te delen. Vraag toestemming, of leg de wettelijke grondslag vast.")]
pub struct HandoverRefused;

/// A handover to a partner needs valid consent for that partner and purpose, or a recorded
/// legal ground (for example a safety report to Veilig Thuis).
pub fn may_hand_over(
    consents: &[Consent],
    partner_id: &str,
    purpose: &str,
    on: Date,
    legal_ground: &str,
) -> Result<(), HandoverRefused> {
    let consented = consents
        .iter()
        .any(|c| c.partner_id == partner_id && c.purpose == purpose && c.is_valid_on(on));
    if consented || !legal_ground.trim().is_empty() {
        Ok(())
    } else {
        Err(HandoverRefused)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn consent(withdrawn_on: Option<Date>) -> Consent {
        Consent {
            id: Id::nil(),
            household_id: Id::nil(),
            resident_id: Id::nil(),
            partner_id: "schuldhulp-lindeveen".into(),
            purpose: "warme overdracht".into(),
            form: ConsentForm::Spoken,
            given_on: date!(2026 - 11 - 02),
            withdrawn_on,
        }
    }

    #[test]
    fn consent_allows_a_handover_for_its_partner_and_purpose_only() {
        let consents = [consent(None)];
        let today = date!(2026 - 11 - 22);
        assert!(may_hand_over(
            &consents,
            "schuldhulp-lindeveen",
            "warme overdracht",
            today,
            ""
        )
        .is_ok());
        assert!(may_hand_over(&consents, "jeugd-en-gezin", "warme overdracht", today, "").is_err());
        assert!(may_hand_over(&consents, "schuldhulp-lindeveen", "evaluatie", today, "").is_err());
        assert!(may_hand_over(
            &consents,
            "schuldhulp-lindeveen",
            "warme overdracht",
            date!(2026 - 11 - 01),
            ""
        )
        .is_err());
    }

    #[test]
    fn withdrawal_ends_consent_and_a_legal_ground_still_counts() {
        let consents = [consent(Some(date!(2026 - 11 - 20)))];
        assert!(may_hand_over(
            &consents,
            "schuldhulp-lindeveen",
            "warme overdracht",
            date!(2026 - 11 - 19),
            ""
        )
        .is_ok());
        let refused = may_hand_over(
            &consents,
            "schuldhulp-lindeveen",
            "warme overdracht",
            date!(2026 - 11 - 20),
            "",
        );
        assert!(refused.unwrap_err().to_string().contains("toestemming"));
        assert!(may_hand_over(
            &[],
            "veilig-thuis",
            "melding",
            date!(2026 - 11 - 20),
            "Meldcode huiselijk geweld"
        )
        .is_ok());
    }
}
