use super::Id;
use serde::{Deserialize, Serialize};

/// The unit of the plan: one household, one plan, one coordinator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Household {
    pub id: Id,
    /// How workers refer to it, e.g. "Huishouden Öztürk".
    pub name: String,
    pub members: Vec<HouseholdMember>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HouseholdMember {
    pub resident_id: Id,
    pub relation: Relation,
}

/// How a member relates to the household's main contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
            }],
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
            }),
        }
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
