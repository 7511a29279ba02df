//! Who a worker is to Keukentafel: an account in a municipality, usually in a team, with one
//! role. The roles separate duties (functiescheiding); the server enforces them, the UI follows.

use super::Id;
use crate::sync::RecordType;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Contacts and quick scans, the social map; no conversation notes or plans.
    FrontOffice,
    /// Everything for the households they coordinate or were added to.
    Consultant,
    /// The team's households, assignment and handover, figures.
    Coordinator,
    /// Accounts, teams, templates, the social map; no resident data.
    Administrator,
    /// The audit log.
    PrivacyOfficer,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::FrontOffice,
        Role::Consultant,
        Role::Coordinator,
        Role::Administrator,
        Role::PrivacyOfficer,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Role::FrontOffice => "front_office",
            Role::Consultant => "consultant",
            Role::Coordinator => "coordinator",
            Role::Administrator => "administrator",
            Role::PrivacyOfficer => "privacy_officer",
        }
    }

    pub fn from_key(key: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::FrontOffice => "Frontoffice",
            Role::Consultant => "Consulent",
            Role::Coordinator => "Teamcoördinator",
            Role::Administrator => "Beheerder",
            Role::PrivacyOfficer => "Privacyfunctionaris",
        }
    }

    /// Whether this role works with residents' records at all (and so has a team and syncs).
    pub fn works_with_residents(self) -> bool {
        matches!(
            self,
            Role::FrontOffice | Role::Consultant | Role::Coordinator
        )
    }

    /// Whether this role may read and write records of this type (within its households).
    pub fn may_handle(self, record_type: RecordType) -> bool {
        match self {
            Role::FrontOffice => !matches!(
                record_type,
                RecordType::Conversation | RecordType::SupportPlan
            ),
            Role::Consultant | Role::Coordinator => true,
            Role::Administrator | Role::PrivacyOfficer => false,
        }
    }

    /// The record types this role never receives.
    pub fn hidden_record_types(self) -> Vec<RecordType> {
        RecordType::ALL
            .into_iter()
            .filter(|t| !self.may_handle(*t))
            .collect()
    }

    /// Whether this role sees only the households it was added to (else: the whole team's).
    pub fn only_assigned_households(self) -> bool {
        self == Role::Consultant
    }
}

/// The signed-in worker, as the server tells the app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionInfo {
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub account_id: Id,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub team: Option<String>,
    pub municipality: String,
}

/// The answer to a sign-in: who signed in, and the unlock proof the app keeps in its sealed
/// store and sends with every request for resident data (docs/privacy.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignedIn {
    #[serde(flatten)]
    pub account: SessionInfo,
    pub unlock: String,
    /// A one-time password was used: the worker chooses a new one before anything else.
    #[serde(default)]
    pub must_change_password: bool,
    /// No second factor yet: the worker sets it up (after the new password) before anything else.
    #[serde(default)]
    pub must_set_up_second_factor: bool,
}

/// An account as the administrator's screen lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountSummary {
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub id: Id,
    pub email: String,
    pub name: String,
    pub role: String,
    pub team: Option<String>,
    #[serde(default = "active_by_default")]
    pub active: bool,
    #[serde(default)]
    pub must_change_password: bool,
    #[serde(default)]
    pub second_factor: bool,
}

fn active_by_default() -> bool {
    true
}

/// A device as the coordinator's and administrator's screens list it ("Apparaat kwijt").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeviceSummary {
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub id: Id,
    pub worker: String,
    pub team: String,
    pub last_seen_at: String,
    pub lost: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duties_are_separated() {
        assert!(!Role::FrontOffice.may_handle(RecordType::Conversation));
        assert!(!Role::FrontOffice.may_handle(RecordType::SupportPlan));
        assert!(Role::FrontOffice.may_handle(RecordType::QuickScan));
        assert!(Role::Consultant.may_handle(RecordType::SupportPlan));
        for role in [Role::Administrator, Role::PrivacyOfficer] {
            assert!(!role.works_with_residents());
            assert!(RecordType::ALL.iter().all(|t| !role.may_handle(*t)));
        }
        for role in Role::ALL {
            assert_eq!(Role::from_key(role.key()), Some(role));
        }
    }
}
