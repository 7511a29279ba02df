use super::Id;
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum QuestionStatus {
    Open,
    Closed,
}

/// A question for help, in the resident's own words. It has an owner and a next date until it
/// is closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Question {
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub id: Id,
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub household_id: Id,
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub resident_id: Id,
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub contact_id: Id,
    pub own_words: String,
    pub life_domains: Vec<String>,
    /// The owner as shown: a colleague's name, the team's, or (in older records, or someone
    /// outside the team) a name in words.
    pub owner: String,
    /// The colleague who owns it, picked from the team's roster: it is in their "Mijn werk".
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<uuid::Uuid>))]
    pub owner_account: Option<Id>,
    /// Owned by the team: it waits in the team's tray (werkvoorraad) until someone picks it up.
    #[serde(default)]
    pub team_owned: bool,
    pub status: QuestionStatus,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::openapi::CalendarDate>))]
    pub next_date: Option<Date>,
    /// What happens next, in words ("Gesprek op 3-12-2026", "Terugbellen of MEE het oppakte").
    pub next_step: String,
    /// Raised by an escalation (crisis or unsafety): on top of its owner's work until they say
    /// they took it up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crisis: Option<Crisis>,
    /// The law or scheme it falls under (absent in questions from before it was asked).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme: Option<super::Scheme>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Crisis {
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = crate::openapi::Timestamp))]
    pub raised_at: OffsetDateTime,
    /// Who saw it and took it up, and when.
    #[serde(default)]
    pub acknowledged: Option<Acknowledged>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Acknowledged {
    pub by: String,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = crate::openapi::Timestamp))]
    pub at: OffsetDateTime,
}

impl Question {
    /// An open escalation nobody has said they took up yet.
    pub fn crisis_waiting(&self) -> bool {
        self.status == QuestionStatus::Open
            && self
                .crisis
                .as_ref()
                .is_some_and(|c| c.acknowledged.is_none())
    }

    /// An open question needs an owner and a next date: nothing falls between two chairs.
    pub fn check_follow_up(&self) -> Result<(), crate::rules::validation::FieldErrors> {
        let mut errors = crate::rules::validation::FieldErrors::default();
        if self.status == QuestionStatus::Open {
            if self.owner.trim().is_empty() {
                errors.add("owner", "Een open vraag heeft een eigenaar.");
            }
            if self.next_date.is_none() {
                errors.add("next_date", "Een open vraag heeft een volgende datum.");
            }
        }
        errors.into_result(())
    }

    /// Owned by this colleague (from the roster), by the team, or by a name in words.
    pub fn set_owner(&mut self, owner: Owner) {
        let (text, account, team) = match owner {
            Owner::Person { account_id, name } => (name, Some(account_id), false),
            Owner::Team { name } => (name, None, true),
            Owner::Words(text) => (text, None, false),
        };
        self.owner = text;
        self.owner_account = account;
        self.team_owned = team;
    }

    /// Whose it is: the signed-in worker's when it names their account, or (a record from
    /// before the roster) their name in words.
    pub fn is_owned_by(&self, account: Id, name: &str) -> bool {
        match self.owner_account {
            Some(owner) => owner == account,
            None => {
                !self.team_owned
                    && !name.trim().is_empty()
                    && crate::rules::lookup::fold(&self.owner) == crate::rules::lookup::fold(name)
            }
        }
    }

    /// Waiting in the team's tray: open, and owned by the team or by no one.
    pub fn in_tray(&self) -> bool {
        self.status == QuestionStatus::Open
            && self.owner_account.is_none()
            && (self.team_owned || self.owner.trim().is_empty())
    }
}

/// Who a piece of work goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner {
    Person { account_id: Id, name: String },
    Team { name: String },
    Words(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_open_question_needs_an_owner_and_a_next_date_until_closed() {
        let mut q = Question {
            id: Id::nil(),
            household_id: Id::nil(),
            resident_id: Id::nil(),
            contact_id: Id::nil(),
            own_words: "Hulp bij het huishouden".into(),
            life_domains: vec![],
            owner: " ".into(),
            owner_account: None,
            team_owned: false,
            status: QuestionStatus::Open,
            next_date: None,
            next_step: String::new(),
            crisis: None,
            scheme: None,
        };
        let errors = q.check_follow_up().unwrap_err();
        assert_eq!(
            errors.for_field("owner"),
            Some("Een open vraag heeft een eigenaar.")
        );
        assert!(errors.for_field("next_date").is_some());
        q.status = QuestionStatus::Closed;
        assert_eq!(q.check_follow_up(), Ok(()));
    }

    #[test]
    fn a_question_is_a_colleagues_the_teams_or_a_name_in_words() {
        let anne = Id::from_u128(1);
        let mut q: Question = serde_json::from_value(serde_json::json!({
            "id": Id::nil(), "household_id": Id::nil(), "resident_id": Id::nil(),
            "contact_id": Id::nil(), "own_words": "", "life_domains": [], "owner": "Anne",
            "status": "open", "next_date": null, "next_step": ""
        }))
        .unwrap();
        // A record from before the roster: Anne's by her name, in any case.
        assert!(q.is_owned_by(anne, "anne"));
        assert!(!q.is_owned_by(Id::from_u128(2), "Bram"));
        assert!(!q.in_tray());
        q.set_owner(Owner::Team {
            name: "Wijkteam".into(),
        });
        assert!(q.in_tray());
        assert!(!q.is_owned_by(anne, "Wijkteam"));
        q.set_owner(Owner::Person {
            account_id: anne,
            name: "Anne".into(),
        });
        assert!(q.is_owned_by(anne, "iemand anders"));
        assert!(!q.in_tray());
        q.set_owner(Owner::Words(String::new()));
        assert!(q.in_tray());
        q.status = QuestionStatus::Closed;
        assert!(!q.in_tray());
    }
}
