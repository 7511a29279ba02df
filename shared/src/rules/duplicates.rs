//! One resident registered twice: typed offline while the municipality already knew them, the
//! later registration is flagged when it reaches the server (the same BSN, or family name and
//! birth date, with `lookup`'s tolerance). The team's coordinator merges the later household
//! into the earlier one or says it is no duplicate. Merging keeps every record and every word
//! of both: the later household's records move to the earlier one, its members and betrokkenen
//! join, and the earlier registration of the resident takes what only the later one knew.

use crate::model::{Household, Id, Resident};
use serde::{Deserialize, Serialize};
use time::Date;

/// A possible duplicate as the coordinator sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PossibleDuplicate {
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub id: Id,
    /// The later registration: the one merged away.
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub household_id: Id,
    pub household_name: String,
    pub resident_name: String,
    /// The earlier registration it matches.
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub other_household_id: Id,
    /// Only when that household is in the coordinator's own team.
    pub other_household_name: Option<String>,
    pub other_team_name: String,
    /// Both households are in the coordinator's team, so they can be merged here.
    pub mergeable: bool,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::openapi::CalendarDate))]
    pub found_on: Date,
}

/// The earlier registration of a resident with the empty details filled from the later one.
/// Where both hold a value, the earlier one's stays: the later record keeps its own (it is moved,
/// not deleted), so no word is lost.
pub fn fill_from(earlier: &Resident, later: &Resident) -> Resident {
    let take = |mine: &String, theirs: &String| {
        if mine.trim().is_empty() {
            theirs.clone()
        } else {
            mine.clone()
        }
    };
    Resident {
        given_name: take(&earlier.given_name, &later.given_name),
        family_name: take(&earlier.family_name, &later.family_name),
        birth_date: earlier.birth_date.or(later.birth_date),
        bsn: earlier.bsn.clone().or_else(|| later.bsn.clone()),
        address: earlier.address.clone().or_else(|| later.address.clone()),
        phone: take(&earlier.phone, &later.phone),
        email: take(&earlier.email, &later.email),
        ..earlier.clone()
    }
}

/// The earlier household after the merge: its members, then the later one's (but those who are
/// the same person as one of its own, `same_person` = later resident ids), its betrokkenen and
/// the later one's, and the later one's regisseur when it had none.
pub fn merged_household(earlier: &Household, later: &Household, same_person: &[Id]) -> Household {
    let mut merged = earlier.clone();
    for member in &later.members {
        let known = merged
            .members
            .iter()
            .any(|m| m.resident_id == member.resident_id);
        if !known && !same_person.contains(&member.resident_id) {
            merged.members.push(member.clone());
        }
    }
    for party in &later.involved {
        if !merged.involved.iter().any(|p| p.id == party.id) {
            merged.involved.push(party.clone());
        }
    }
    if merged.case_manager.is_none() {
        merged.case_manager = later.case_manager.clone();
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{HouseholdMember, Relation};

    fn resident(given: &str, phone: &str, email: &str) -> Resident {
        Resident {
            id: Id::now_v7(),
            household_id: Id::nil(),
            given_name: given.into(),
            family_name: "Zonneveld".into(),
            birth_date: None,
            bsn: None,
            address: None,
            phone: phone.into(),
            email: email.into(),
        }
    }

    #[test]
    fn the_earlier_registration_takes_only_what_it_lacked() {
        let earlier = resident("Wilhelmina", "", "w@example.nl");
        let later = resident("Mien", "06 12345678", "mien@example.nl");
        let merged = fill_from(&earlier, &later);
        assert_eq!(merged.id, earlier.id);
        assert_eq!(merged.given_name, "Wilhelmina");
        assert_eq!(merged.phone, "06 12345678");
        assert_eq!(merged.email, "w@example.nl");
    }

    fn member(resident_id: Id) -> HouseholdMember {
        HouseholdMember {
            resident_id,
            relation: Relation::MainContact,
            left_on: None,
            deceased: false,
        }
    }

    #[test]
    fn the_merged_household_has_everyone_once() {
        let (wil, mien, partner, child) = (Id::now_v7(), Id::now_v7(), Id::now_v7(), Id::now_v7());
        let earlier = Household {
            id: Id::now_v7(),
            name: "Huishouden Zonneveld".into(),
            members: vec![member(wil), member(child)],
            case_manager: None,
            closed: None,
            involved: vec![],
        };
        let later = Household {
            id: Id::now_v7(),
            name: "Zonneveld".into(),
            members: vec![member(mien), member(partner), member(child)],
            ..earlier.clone()
        };
        let merged = merged_household(&earlier, &later, &[mien]);
        let ids: Vec<Id> = merged.members.iter().map(|m| m.resident_id).collect();
        assert_eq!(ids, vec![wil, child, partner]);
        assert_eq!(merged.id, earlier.id);
        assert_eq!(merged.name, "Huishouden Zonneveld");
    }
}
