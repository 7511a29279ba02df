//! What a resident is told at the first contact: what is recorded and with whom it may be
//! shared. Versioned data like the questionnaires: a contact keeps the version that was told.

use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Notice {
    pub version: String,
    pub title: String,
    /// Paragraphs, read out or handed over as they are.
    pub text: Vec<String>,
}

const NOTICES: &[&str] = &[include_str!("../../templates/notice-2026.1.json")];

/// Every shipped version, oldest first.
pub fn notices() -> &'static [Notice] {
    static ALL: OnceLock<Vec<Notice>> = OnceLock::new();
    ALL.get_or_init(|| {
        NOTICES
            .iter()
            .map(|json| serde_json::from_str(json).expect("shipped notices are checked by tests"))
            .collect()
    })
}

pub fn current_notice() -> &'static Notice {
    notices().last().expect("at least one notice ships")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_notice_reads_and_says_what_and_with_whom() {
        assert!(!notices().is_empty());
        for notice in notices() {
            assert!(!notice.version.is_empty());
            let text = notice.text.join(" ");
            assert!(text.contains("toestemming"), "{}", notice.version);
        }
    }
}
