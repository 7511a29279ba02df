use super::Id;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// How the resident reached us.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Phone,
    Desk,
    Email,
    HomeVisit,
    WalkIn,
    Post,
    WebForm,
}

impl Channel {
    pub const ALL: [Channel; 7] = [
        Channel::Phone,
        Channel::Desk,
        Channel::Email,
        Channel::HomeVisit,
        Channel::WalkIn,
        Channel::Post,
        Channel::WebForm,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Channel::Phone => "Telefoon",
            Channel::Desk => "Balie",
            Channel::Email => "E-mail",
            Channel::HomeVisit => "Huisbezoek",
            Channel::WalkIn => "Wijkspreekuur",
            Channel::Post => "Post",
            Channel::WebForm => "Webformulier",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Channel::Phone => "phone",
            Channel::Desk => "desk",
            Channel::Email => "email",
            Channel::HomeVisit => "home_visit",
            Channel::WalkIn => "walk_in",
            Channel::Post => "post",
            Channel::WebForm => "web_form",
        }
    }

    pub fn from_key(key: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.key() == key)
    }
}

/// One contact: channel, place, time and worker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Contact {
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub id: Id,
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub household_id: Id,
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub resident_id: Id,
    pub channel: Channel,
    pub place: String,
    pub worker: String,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = crate::openapi::Timestamp))]
    pub started_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option", default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::openapi::Timestamp>))]
    pub ended_at: Option<OffsetDateTime>,
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub quick_scan_id: Id,
    /// The version of the notice (what is recorded, with whom it may be shared) the resident
    /// was told in this contact; `None` when it was not told.
    #[serde(default)]
    pub told_notice: Option<String>,
    /// The signal from outside this contact was made from (`outside_signal`); the server marks
    /// it as having become a question when the contact arrives.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<uuid::Uuid>))]
    pub signal: Option<Id>,
}

impl Contact {
    /// When `resident` was first told what is recorded, and which version of the notice.
    pub fn told_on(contacts: &[Contact], resident: Id) -> Option<(time::Date, &str)> {
        contacts
            .iter()
            .filter(|c| c.resident_id == resident)
            .filter_map(|c| Some((c.started_at, c.told_notice.as_deref()?)))
            .min_by_key(|(at, _)| *at)
            .map(|(at, version)| (at.date(), version))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_contact_that_told_the_notice_says_when() {
        let resident = Id::from_u128(2);
        let contact = |day: time::OffsetDateTime, told: Option<&str>| Contact {
            id: Id::now_v7(),
            household_id: Id::from_u128(1),
            resident_id: resident,
            channel: Channel::Desk,
            place: String::new(),
            worker: "Noor".into(),
            started_at: day,
            ended_at: None,
            quick_scan_id: Id::now_v7(),
            told_notice: told.map(str::to_owned),
            signal: None,
        };
        let contacts = [
            contact(
                time::macros::datetime!(2026-11-20 10:00 UTC),
                Some("2026.1"),
            ),
            contact(time::macros::datetime!(2026-11-02 10:00 UTC), None),
            contact(
                time::macros::datetime!(2026-11-10 10:00 UTC),
                Some("2026.1"),
            ),
        ];
        assert_eq!(
            Contact::told_on(&contacts, resident),
            Some((time::macros::date!(2026 - 11 - 10), "2026.1"))
        );
        assert_eq!(Contact::told_on(&contacts[1..2], resident), None);
    }

    #[test]
    fn channel_keys_round_trip_and_have_dutch_labels() {
        for channel in Channel::ALL {
            assert_eq!(Channel::from_key(channel.key()), Some(channel));
        }
        assert_eq!(Channel::WalkIn.label(), "Wijkspreekuur");
    }
}
