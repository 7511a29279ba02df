//! The device's clock in its own time zone (the browser knows it; the server renders in UTC).

use time::{Date, OffsetDateTime, UtcOffset};

pub fn now() -> OffsetDateTime {
    #[cfg(feature = "hydrate")]
    {
        let minutes_behind = js_sys::Date::new_0().get_timezone_offset() as i32;
        let offset = UtcOffset::from_whole_seconds(-minutes_behind * 60).unwrap_or(UtcOffset::UTC);
        OffsetDateTime::now_utc().to_offset(offset)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        OffsetDateTime::now_utc().to_offset(UtcOffset::UTC)
    }
}

pub fn today() -> Date {
    now().date()
}

/// "14:05", for lists of today's contacts.
pub fn clock_time(at: OffsetDateTime) -> String {
    let local = at.to_offset(now().offset());
    format!("{:02}:{:02}", local.hour(), local.minute())
}
