use super::Id;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// How the resident reached us.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Phone,
    Desk,
    Email,
    HomeVisit,
    WalkIn,
}

impl Channel {
    pub const ALL: [Channel; 5] = [
        Channel::Phone,
        Channel::Desk,
        Channel::Email,
        Channel::HomeVisit,
        Channel::WalkIn,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Channel::Phone => "Telefoon",
            Channel::Desk => "Balie",
            Channel::Email => "E-mail",
            Channel::HomeVisit => "Huisbezoek",
            Channel::WalkIn => "Wijkspreekuur",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Channel::Phone => "phone",
            Channel::Desk => "desk",
            Channel::Email => "email",
            Channel::HomeVisit => "home_visit",
            Channel::WalkIn => "walk_in",
        }
    }

    pub fn from_key(key: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.key() == key)
    }
}

/// One contact: channel, place, time and worker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub id: Id,
    pub household_id: Id,
    pub resident_id: Id,
    pub channel: Channel,
    pub place: String,
    pub worker: String,
    #[serde(with = "time::serde::rfc3339")]
    pub started_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option", default)]
    pub ended_at: Option<OffsetDateTime>,
    pub quick_scan_id: Id,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channel_keys_round_trip_and_have_dutch_labels() {
        for channel in Channel::ALL {
            assert_eq!(Channel::from_key(channel.key()), Some(channel));
        }
        assert_eq!(Channel::WalkIn.label(), "Wijkspreekuur");
    }
}
