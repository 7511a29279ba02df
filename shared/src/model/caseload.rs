//! The team's caseload as the coordinator sees it, and the warm handover (warme overdracht) of a
//! household to a colleague or a partner. Online and on the server: these are the office's views.

use super::Id;
use serde::{Deserialize, Serialize};

/// One household on the caseload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseloadRow {
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub household_id: Id,
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<uuid::Uuid>))]
    pub coordinator_id: Option<Id>,
    pub coordinator_name: Option<String>,
    pub open_questions: i64,
    /// The earliest next date of its open questions (ISO date).
    pub next_date: Option<String>,
    /// The most urgent open legal deadline: what, when (ISO date), days left.
    pub deadline: Option<CaseloadDeadline>,
    pub last_handover: Option<HandoverSummary>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseloadDeadline {
    pub label: String,
    pub due: String,
    pub days_left: i64,
}

/// A worker of the team the coordinator can assign or hand over to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamWorker {
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub id: Id,
    pub name: String,
    pub role: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssignCoordinator {
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub account_id: Id,
}

/// A handover goes to a colleague (`to_account`) or to a partner on the social map
/// (`to_partner`), never both.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewHandover {
    #[cfg_attr(feature = "openapi", schema(value_type = Option<uuid::Uuid>))]
    pub to_account: Option<Id>,
    pub to_partner: Option<String>,
    /// What the next worker needs to know, in words.
    pub note: String,
    /// A legal ground when there is no consent (e.g. a safety report), else empty.
    #[serde(default)]
    pub legal_ground: String,
}

/// A colleague of any team of the municipality, as a handover offers them
/// (`GET /api/colleagues`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Colleague {
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub account_id: Id,
    pub name: String,
    pub role: super::Role,
    pub team_id: String,
    pub team_name: String,
}

/// What travels with a handover: the note and the household's open questions when sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HandoverContext {
    pub household_name: String,
    pub open_questions: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HandoverSummary {
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub id: Id,
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub household_id: Id,
    pub to: String,
    pub from: String,
    pub note: String,
    pub context: HandoverContext,
    pub created_at: String,
    pub picked_up_at: Option<String>,
}

/// The consent purpose a handover to a partner needs (as recorded on the consent card).
pub const HANDOVER_PURPOSE: &str = "warme overdracht";

impl NewHandover {
    /// One target, and a note of what is known (the point of a warm handover).
    pub fn check(&self) -> Result<(), String> {
        let partner = self.to_partner.as_deref().map(str::trim).unwrap_or("");
        match (self.to_account.is_some(), !partner.is_empty()) {
            (true, true) => return Err("Kies een collega of een partner, niet allebei.".into()),
            (false, false) => return Err("Kies aan wie je overdraagt.".into()),
            _ => {}
        }
        if self.note.trim().is_empty() {
            return Err("Schrijf op wat de volgende weet moet: de overdracht is warm.".into());
        }
        if self.note.chars().count() > 4000 {
            return Err("De toelichting is te lang (hooguit 4000 tekens).".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn handover(to_account: Option<Id>, to_partner: Option<&str>, note: &str) -> NewHandover {
        NewHandover {
            to_account,
            to_partner: to_partner.map(str::to_owned),
            note: note.into(),
            legal_ground: String::new(),
        }
    }

    #[test]
    fn a_handover_has_one_target_and_a_note() {
        let colleague = Some(Id::from_u128(1));
        assert!(handover(colleague, None, "Zie de open vraag")
            .check()
            .is_ok());
        assert!(handover(None, Some("mee"), "Zie de open vraag")
            .check()
            .is_ok());
        assert!(handover(colleague, Some("mee"), "x").check().is_err());
        assert!(handover(None, Some("  "), "x").check().is_err());
        assert!(handover(colleague, None, "  ").check().is_err());
    }
}

/// The team as a device knows it (synced with the reference data): whom work can go to, picked
/// offline. Names and roles only.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Roster {
    pub team_id: String,
    pub team_name: String,
    pub members: Vec<TeamMember>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamMember {
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub account_id: Id,
    pub name: String,
    pub role: super::Role,
}

impl Roster {
    pub fn member(&self, account: Id) -> Option<&TeamMember> {
        self.members.iter().find(|m| m.account_id == account)
    }

    /// The member with this name (ignoring case, accents and spaces), when exactly one has it.
    pub fn named(&self, name: &str) -> Option<&TeamMember> {
        let wanted = crate::rules::lookup::fold(name);
        let mut found = self
            .members
            .iter()
            .filter(|m| !wanted.is_empty() && crate::rules::lookup::fold(&m.name) == wanted);
        match (found.next(), found.next()) {
            (Some(one), None) => Some(one),
            _ => None,
        }
    }
}
