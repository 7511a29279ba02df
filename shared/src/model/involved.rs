//! Betrokkenen: the professionals and volunteers already involved with a household, so a worker
//! picking it up knows whom to call, and on what ground anything may be shared with them.

use super::consent::Consent;
use super::Id;
use crate::rules::validation::FieldErrors;
use serde::{Deserialize, Serialize};
use time::Date;

/// One person or organisation involved (an entry of `Household::involved`, keyed by `id`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvolvedParty {
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub id: Id,
    /// The person, e.g. "Sanne Bakker"; may be empty when only the organisation is known.
    pub name: String,
    /// The organisation, e.g. "Huisartsenpraktijk De Linde"; empty for a volunteer on their own.
    pub organisation: String,
    /// The social map's partner when the organisation is one.
    #[serde(default)]
    pub partner_id: Option<String>,
    /// What they do for the household, e.g. "schuldhulpverlener", "huisarts", "maatje".
    pub role: String,
    pub phone: String,
    pub email: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::openapi::CalendarDate>))]
    pub from: Option<Date>,
    /// The day the involvement ended (no longer involved from then on).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::openapi::CalendarDate>))]
    pub until: Option<Date>,
    /// Why information about the household may be shared with them.
    pub basis: SharingBasis,
    /// The recorded consent, when the basis is consent.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<uuid::Uuid>))]
    pub consent_id: Option<Id>,
    /// The legal ground in words, when the basis is a legal ground (e.g. "Wmo 2015 art. 5.2.1").
    #[serde(default)]
    pub legal_ground: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SharingBasis {
    /// Nothing about the household is shared with them; they are only known to be involved.
    NothingShared,
    Consent,
    LegalGround,
}

impl SharingBasis {
    pub const ALL: [SharingBasis; 3] = [
        SharingBasis::NothingShared,
        SharingBasis::Consent,
        SharingBasis::LegalGround,
    ];

    pub fn key(self) -> &'static str {
        match self {
            SharingBasis::NothingShared => "nothing_shared",
            SharingBasis::Consent => "consent",
            SharingBasis::LegalGround => "legal_ground",
        }
    }

    pub fn from_key(key: &str) -> Option<SharingBasis> {
        SharingBasis::ALL.into_iter().find(|b| b.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            SharingBasis::NothingShared => "Er worden geen gegevens gedeeld",
            SharingBasis::Consent => "Toestemming van de inwoner",
            SharingBasis::LegalGround => "Wettelijke grondslag",
        }
    }
}

impl InvolvedParty {
    /// "Sanne Bakker (Huisartsenpraktijk De Linde)", or whichever of the two is known.
    pub fn who(&self) -> String {
        match (self.name.trim(), self.organisation.trim()) {
            ("", org) => org.to_owned(),
            (name, "") => name.to_owned(),
            (name, org) => format!("{name} ({org})"),
        }
    }

    /// "06 12345678 · s.bakker@delinde.nl", what is known of how to reach them.
    pub fn reach(&self) -> String {
        [self.phone.trim(), self.email.trim()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" · ")
    }

    /// Still involved on `date`: `until` is the day it ended.
    pub fn is_current_on(&self, date: Date) -> bool {
        self.until.is_none_or(|until| date < until)
    }

    /// The rules for one entry, run on the device and by the server (`sync::check`). Field
    /// names are the form's (`involved-<field>`).
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::default();
        if self.name.trim().is_empty() && self.organisation.trim().is_empty() {
            errors.add(
                "involved-name",
                "Vul een naam of een organisatie in (of allebei).",
            );
        }
        for (field, value) in [
            ("involved-name", &self.name),
            ("involved-organisation", &self.organisation),
        ] {
            if value.chars().count() > 200 {
                errors.add(field, "Hoogstens 200 tekens.");
            }
        }
        errors.require_text("involved-role", &self.role, "de rol", 200);
        if !self.phone.trim().is_empty() && !super::resident::looks_like_phone(self.phone.trim()) {
            errors.add(
                "involved-phone",
                "Vul een telefoonnummer in met cijfers, bijvoorbeeld 06 12345678.",
            );
        }
        if !self.email.trim().is_empty() && !super::resident::looks_like_email(self.email.trim()) {
            errors.add(
                "involved-email",
                "Vul een e-mailadres in zoals naam@voorbeeld.nl.",
            );
        }
        if let (Some(from), Some(until)) = (self.from, self.until) {
            if until < from {
                errors.add("involved-until", "Deze datum ligt vóór de begindatum.");
            }
        }
        match self.basis {
            SharingBasis::Consent if self.consent_id.is_none() => errors.add(
                "involved-consent",
                "Kies de vastgelegde toestemming, of leg die eerst vast.",
            ),
            SharingBasis::LegalGround => errors.require_text(
                "involved-legal-ground",
                &self.legal_ground,
                "de wettelijke grondslag",
                200,
            ),
            _ => {}
        }
        errors.into_result(())
    }

    /// The basis in words for the record and the report, naming the consent's purpose.
    pub fn basis_text(&self, consents: &[Consent]) -> String {
        match self.basis {
            SharingBasis::Consent => {
                match consents.iter().find(|c| Some(c.id) == self.consent_id) {
                    Some(c) if c.withdrawn_on.is_some() => {
                        "Toestemming (ingetrokken: deel niets meer)".to_owned()
                    }
                    Some(c) => format!("Toestemming: {}", c.purpose.trim()),
                    None => SharingBasis::Consent.label().to_owned(),
                }
            }
            SharingBasis::LegalGround => format!("Grondslag: {}", self.legal_ground.trim()),
            SharingBasis::NothingShared => SharingBasis::NothingShared.label().to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn gp() -> InvolvedParty {
        InvolvedParty {
            id: Id::from_u128(1),
            name: "Sanne Bakker".into(),
            organisation: "Huisartsenpraktijk De Linde".into(),
            partner_id: None,
            role: "huisarts".into(),
            phone: "0511 123456".into(),
            email: String::new(),
            from: Some(date!(2026 - 1 - 1)),
            until: None,
            basis: SharingBasis::NothingShared,
            consent_id: None,
            legal_ground: String::new(),
        }
    }

    #[test]
    fn an_involved_party_needs_a_name_or_organisation_a_role_and_a_basis() {
        assert!(gp().validate().is_ok());
        assert_eq!(gp().who(), "Sanne Bakker (Huisartsenpraktijk De Linde)");
        let refused = |p: InvolvedParty, field: &str| {
            p.validate()
                .unwrap_err()
                .for_field(field)
                .map(str::to_owned)
        };
        let mut nobody = gp();
        nobody.name = " ".into();
        nobody.organisation = String::new();
        assert!(refused(nobody, "involved-name").is_some());
        let mut no_role = gp();
        no_role.role = String::new();
        assert!(refused(no_role, "involved-role").is_some());
        let mut bad_phone = gp();
        bad_phone.phone = "abc".into();
        assert!(refused(bad_phone, "involved-phone").is_some());
        let mut backwards = gp();
        backwards.until = Some(date!(2025 - 12 - 31));
        assert!(refused(backwards, "involved-until").is_some());
        let mut consent = gp();
        consent.basis = SharingBasis::Consent;
        assert!(refused(consent.clone(), "involved-consent").is_some());
        consent.consent_id = Some(Id::from_u128(5));
        assert!(consent.validate().is_ok());
        let mut ground = gp();
        ground.basis = SharingBasis::LegalGround;
        assert!(refused(ground.clone(), "involved-legal-ground").is_some());
        ground.legal_ground = "Wmo 2015 art. 5.2.1".into();
        assert!(ground.validate().is_ok());
        assert_eq!(ground.basis_text(&[]), "Grondslag: Wmo 2015 art. 5.2.1");
    }

    #[test]
    fn basis_keys_round_trip_and_an_ended_party_is_not_current() {
        for basis in SharingBasis::ALL {
            assert_eq!(SharingBasis::from_key(basis.key()), Some(basis));
        }
        let mut ended = gp();
        ended.until = Some(date!(2026 - 6 - 30));
        assert!(ended.is_current_on(date!(2026 - 6 - 29)));
        assert!(!ended.is_current_on(date!(2026 - 6 - 30)));
    }
}
