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

/// When something last happened, as a worker reads it: "om 14:05" today, else with the date,
/// "op 28-11-2026 om 14:05".
pub fn when(at: OffsetDateTime) -> String {
    let local = at.to_offset(now().offset());
    if local.date() == today() {
        format!("om {}", clock_time(at))
    } else {
        format!(
            "op {} om {}",
            shared::rules::validation::display_date(local.date()),
            clock_time(at)
        )
    }
}

/// A moment the server sent (RFC 3339) in the device's time zone: "30-11-2026 16:15".
pub fn moment(rfc3339: &str) -> String {
    match OffsetDateTime::parse(rfc3339, &time::format_description::well_known::Rfc3339) {
        Ok(at) => {
            let local = at.to_offset(now().offset());
            format!(
                "{} {}",
                shared::rules::validation::display_date(local.date()),
                clock_time(at)
            )
        }
        Err(_) => rfc3339.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_earlier_day_carries_its_date() {
        let at = now();
        assert!(when(at).starts_with("om "));
        let earlier = at - time::Duration::days(3);
        let said = when(earlier);
        let day = earlier.date();
        assert_eq!(
            &said[..13],
            format!(
                "op {:02}-{:02}-{}",
                day.day(),
                u8::from(day.month()),
                day.year()
            )
        );
    }
}
