use super::involved::InvolvedParty;
use super::Id;
use crate::rules::validation::FieldErrors;
use serde::{Deserialize, Serialize};
use time::Date;

/// The unit of the plan: one household, one plan, one coordinator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Household {
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub id: Id,
    /// How workers refer to it, e.g. "Huishouden Öztürk".
    pub name: String,
    pub members: Vec<HouseholdMember>,
    /// The household's one regisseur, chosen by the team's coordinator in the caseload and
    /// written by the server (devices do not write it).
    #[serde(default)]
    pub case_manager: Option<CaseManager>,
    /// Closed by the team's coordinator: it takes no new records until reopened. Written by
    /// the server, so every device knows before its next change is refused.
    #[serde(default)]
    pub closed: Option<Closure>,
    /// Betrokkenen: professionals and volunteers involved (a keyed list: entries sync one by one).
    #[serde(default)]
    pub involved: Vec<InvolvedParty>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Closure {
    #[cfg_attr(feature = "openapi", schema(value_type = crate::openapi::CalendarDate))]
    pub on: Date,
}

/// The regisseur: the worker who steers the household's plan, and how to reach them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseManager {
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub account_id: Id,
    pub name: String,
    pub email: String,
}

impl CaseManager {
    /// "Anne de Wit (anne@gemeente.nl)".
    pub fn reach(&self) -> String {
        if self.email.trim().is_empty() {
            self.name.clone()
        } else {
            format!("{} ({})", self.name, self.email.trim())
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HouseholdMember {
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub resident_id: Id,
    pub relation: Relation,
    /// No longer part of the household since this date (moved out, or died): kept, so the
    /// record still says who was part of it.
    /// Always written (also when empty): an entry is written over the stored one member by
    /// member, so a member coming back must say so.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::openapi::CalendarDate>))]
    pub left_on: Option<Date>,
    #[serde(default)]
    pub deceased: bool,
}

impl HouseholdMember {
    pub fn is_current(&self) -> bool {
        self.left_on.is_none()
    }

    /// "Verhuisd op 01-12-2026" / "Overleden op 01-12-2026", for a former member.
    pub fn departure(&self) -> Option<String> {
        let on = crate::rules::validation::display_date(self.left_on?);
        Some(if self.deceased {
            format!("Overleden op {on}")
        } else {
            format!("Uit het huishouden sinds {on}")
        })
    }
}

/// How a member relates to the household's main contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    MainContact,
    Partner,
    Child,
    Parent,
    Housemate,
    InformalCarer,
    Other,
}

impl Relation {
    pub const ALL: [Relation; 7] = [
        Relation::MainContact,
        Relation::Partner,
        Relation::Child,
        Relation::Parent,
        Relation::Housemate,
        Relation::InformalCarer,
        Relation::Other,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Relation::MainContact => "Aanvrager",
            Relation::Partner => "Partner",
            Relation::Child => "Kind",
            Relation::Parent => "Ouder",
            Relation::Housemate => "Huisgenoot",
            Relation::InformalCarer => "Mantelzorger",
            Relation::Other => "Anders",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Relation::MainContact => "main_contact",
            Relation::Partner => "partner",
            Relation::Child => "child",
            Relation::Parent => "parent",
            Relation::Housemate => "housemate",
            Relation::InformalCarer => "informal_carer",
            Relation::Other => "other",
        }
    }

    pub fn from_key(key: &str) -> Option<Relation> {
        Relation::ALL.into_iter().find(|r| r.key() == key)
    }
}

impl Household {
    pub fn for_resident(id: Id, resident_id: Id, family_name: &str) -> Self {
        Self {
            id,
            name: format!("Huishouden {}", family_name.trim()),
            members: vec![HouseholdMember {
                resident_id,
                relation: Relation::MainContact,
                left_on: None,
                deceased: false,
            }],
            case_manager: None,
            closed: None,
            involved: Vec::new(),
        }
    }

    /// Adds a member once; a second add with another relation updates the relation.
    pub fn add_member(&mut self, resident_id: Id, relation: Relation) {
        match self
            .members
            .iter_mut()
            .find(|m| m.resident_id == resident_id)
        {
            Some(member) => member.relation = relation,
            None => self.members.push(HouseholdMember {
                resident_id,
                relation,
                left_on: None,
                deceased: false,
            }),
        }
    }

    /// A member's place in the household changed: another relation, or leaving it on a date
    /// (moved out, or died). The main contact keeps that role: it cannot be given to or taken
    /// from a member here, and the main contact cannot leave while others stay.
    pub fn change_member(
        &mut self,
        resident_id: Id,
        relation: Relation,
        left_on: Option<Date>,
        deceased: bool,
        today: Date,
    ) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::default();
        let others_stay = self
            .members
            .iter()
            .any(|m| m.resident_id != resident_id && m.is_current());
        let Some(member) = self
            .members
            .iter_mut()
            .find(|m| m.resident_id == resident_id)
        else {
            errors.add("member", "Deze persoon hoort niet bij dit huishouden.");
            return Err(errors);
        };
        let main = member.relation == Relation::MainContact;
        if main != (relation == Relation::MainContact) {
            errors.add(
                "relation",
                "De aanvrager blijft de aanvrager; kies voor een ander lid een andere relatie.",
            );
        }
        if deceased && left_on.is_none() {
            errors.add("left_on", "Vul de datum van overlijden in.");
        }
        if left_on.is_some_and(|on| on > today) {
            errors.add("left_on", "Deze datum ligt in de toekomst.");
        }
        if main && left_on.is_some() && others_stay {
            errors.add(
                "left_on",
                "De aanvrager kan het huishouden niet verlaten zolang er andere leden zijn.",
            );
        }
        errors.into_result(())?;
        member.relation = relation;
        member.left_on = left_on;
        member.deceased = deceased;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relation_keys_round_trip() {
        for relation in Relation::ALL {
            assert_eq!(Relation::from_key(relation.key()), Some(relation));
        }
    }

    #[test]
    fn a_member_moves_out_or_dies_on_a_date_and_the_main_contact_stays_main() {
        let main = Id::from_u128(1);
        let partner = Id::from_u128(2);
        let today = time::macros::date!(2026 - 11 - 30);
        let mut home = Household::for_resident(Id::from_u128(9), main, "Jansen");
        home.add_member(partner, Relation::Partner);
        let moved = time::macros::date!(2026 - 11 - 1);
        assert!(home
            .change_member(partner, Relation::Partner, Some(moved), true, today)
            .is_ok());
        assert_eq!(
            home.members[1].departure().unwrap(),
            "Overleden op 01-11-2026"
        );
        assert!(!home.members[1].is_current());

        let refused = |e: FieldErrors, field: &str| e.for_field(field).is_some();
        let mut other = Household::for_resident(Id::from_u128(9), main, "Jansen");
        other.add_member(partner, Relation::Partner);
        let e = other
            .change_member(partner, Relation::MainContact, None, false, today)
            .unwrap_err();
        assert!(refused(e, "relation"));
        let e = other
            .change_member(partner, Relation::Child, None, true, today)
            .unwrap_err();
        assert!(refused(e, "left_on"));
        let e = other
            .change_member(
                partner,
                Relation::Child,
                Some(time::macros::date!(2026 - 12 - 1)),
                false,
                today,
            )
            .unwrap_err();
        assert!(refused(e, "left_on"));
        let e = other
            .change_member(main, Relation::MainContact, Some(moved), false, today)
            .unwrap_err();
        assert!(refused(e, "left_on"));
        // Unchanged by a refusal; an old record without the new fields reads as current.
        assert_eq!(other.members[1].relation, Relation::Partner);
        let old: HouseholdMember = serde_json::from_str(&format!(
            r#"{{"resident_id":"{partner}","relation":"child"}}"#
        ))
        .unwrap();
        assert!(old.is_current());
    }

    #[test]
    fn a_member_is_added_once() {
        let main = Id::from_u128(1);
        let partner = Id::from_u128(2);
        let mut household = Household::for_resident(Id::from_u128(9), main, " Jansen ");
        assert_eq!(household.name, "Huishouden Jansen");
        household.add_member(partner, Relation::Housemate);
        household.add_member(partner, Relation::Partner);
        assert_eq!(household.members.len(), 2);
        assert_eq!(household.members[1].relation, Relation::Partner);
    }
}
