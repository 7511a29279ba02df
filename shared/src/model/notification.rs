//! A melding (formal Wmo notification) and the legal clock it starts.

use super::Id;
use crate::rules::legal_clock::LegalClock;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    pub id: Id,
    pub household_id: Id,
    pub question_id: Id,
    pub clock: LegalClock,
}
