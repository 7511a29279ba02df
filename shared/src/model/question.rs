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
