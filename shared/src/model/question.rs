use super::Id;
use serde::{Deserialize, Serialize};
use time::Date;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionStatus {
    Open,
    Closed,
}

/// A question for help, in the resident's own words. It has an owner and a next date until it
/// is closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    pub id: Id,
    pub household_id: Id,
    pub resident_id: Id,
    pub contact_id: Id,
    pub own_words: String,
    pub life_domains: Vec<String>,
    pub owner: String,
    pub status: QuestionStatus,
    pub next_date: Option<Date>,
    /// What happens next, in words ("Gesprek op 3-12-2026", "Terugbellen of MEE het oppakte").
    pub next_step: String,
}

impl Question {
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
            status: QuestionStatus::Open,
            next_date: None,
            next_step: String::new(),
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
}
