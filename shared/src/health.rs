//! The health report that `GET /healthz` returns: a contract with monitoring and the app.

use serde::{Deserialize, Serialize};

/// Whether one dependency of the server answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ComponentStatus {
    Up,
    Down,
}

/// What the server reports about itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HealthReport {
    pub status: ComponentStatus,
    pub database: ComponentStatus,
    pub version: String,
}

impl HealthReport {
    /// The server is up exactly when every dependency it needs is up.
    pub fn from_database(database: ComponentStatus, version: &str) -> Self {
        Self {
            status: database,
            database,
            version: version.to_owned(),
        }
    }

    pub fn is_healthy(&self) -> bool {
        self.status == ComponentStatus::Up
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_down_database_makes_the_server_unhealthy() {
        let report = HealthReport::from_database(ComponentStatus::Down, "1.2.3");
        assert!(!report.is_healthy());
        assert_eq!(report.status, ComponentStatus::Down);
    }

    #[test]
    fn wire_format_is_stable() {
        let report = HealthReport::from_database(ComponentStatus::Up, "0.1.0");
        let json = serde_json::to_string(&report).unwrap();
        assert_eq!(json, r#"{"status":"up","database":"up","version":"0.1.0"}"#);
        let back: HealthReport = serde_json::from_str(&json).unwrap();
        assert_eq!(back, report);
    }
}
