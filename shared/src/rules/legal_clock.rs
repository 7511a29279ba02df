//! The Wmo 2015 legal clock from a melding: the seven-day window for a personal plan, the
//! six-week investigation, and the two-week decision after an application.
//!
//! A statutory period that ends on a Saturday, Sunday or generally recognised holiday runs on
//! to the next working day (Algemene termijnenwet, art. 1 and 3).

use serde::{Deserialize, Serialize};
use time::{Date, Duration, Month, Weekday};

/// Art. 2.3.2 lid 2: a personal plan within seven days of the melding.
pub const PERSONAL_PLAN_WINDOW: Duration = Duration::days(7);
/// Art. 2.3.2 lid 1: the investigation within six weeks of the melding.
pub const INVESTIGATION_PERIOD: Duration = Duration::weeks(6);
/// Art. 2.3.5 lid 1: a decision within two weeks of the application.
pub const DECISION_PERIOD: Duration = Duration::weeks(2);
/// How long before a deadline the worker is warned.
pub const WARN_BEFORE: Duration = Duration::days(7);

/// Easter Sunday (Gregorian calendar), by the anonymous Gregorian computus.
pub fn easter_sunday(year: i32) -> Date {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    Date::from_calendar_date(
        year,
        Month::try_from(month as u8).expect("March or April"),
        day as u8,
    )
    .expect("a valid Easter date")
}

/// The holidays the Algemene termijnenwet recognises.
pub fn is_recognised_holiday(date: Date) -> bool {
    let year = date.year();
    let fixed =
        |month: Month, day: u8| Date::from_calendar_date(year, month, day).ok() == Some(date);
    let easter = easter_sunday(year);
    // King's Day is 27 April, or the 26th when the 27th is a Sunday.
    let kings_day = match Date::from_calendar_date(year, Month::April, 27) {
        Ok(d) if d.weekday() == Weekday::Sunday => d - Duration::days(1),
        Ok(d) => d,
        Err(_) => return false,
    };
    fixed(Month::January, 1)
        || date == easter + Duration::days(1)
        || date == easter + Duration::days(39)
        || date == easter + Duration::days(50)
        || date == kings_day
        || fixed(Month::May, 5)
        || fixed(Month::December, 25)
        || fixed(Month::December, 26)
}

pub fn is_working_day(date: Date) -> bool {
    !matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday) && !is_recognised_holiday(date)
}

/// The last day of a period that starts the day after `start`, moved to the next working day.
pub fn deadline(start: Date, period: Duration) -> Date {
    let mut last = start + period;
    while !is_working_day(last) {
        last += Duration::days(1);
    }
    last
}

/// The dates of one melding's legal clock, as recorded on the household.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LegalClock {
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::openapi::CalendarDate>))]
    pub notification_date: Option<Date>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::openapi::CalendarDate>))]
    pub client_support_told_on: Option<Date>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::openapi::CalendarDate>))]
    pub personal_plan_received_on: Option<Date>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::openapi::CalendarDate>))]
    pub investigation_done_on: Option<Date>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::openapi::CalendarDate>))]
    pub report_handed_over_on: Option<Date>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::openapi::CalendarDate>))]
    pub application_date: Option<Date>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::openapi::CalendarDate>))]
    pub decision_on: Option<Date>,
}

/// One thing the worker must see coming.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockItem {
    pub label: &'static str,
    pub due: Date,
    pub days_left: i64,
    pub urgency: Urgency,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Urgency {
    Overdue,
    DueSoon,
    OnTrack,
}

impl LegalClock {
    /// The open deadlines, most urgent first; met ones are left out.
    pub fn open_items(&self, today: Date) -> Vec<ClockItem> {
        let mut items = Vec::new();
        let mut push = |label, due: Date, done: bool| {
            if done {
                return;
            }
            let days_left = (due - today).whole_days();
            let urgency = if days_left < 0 {
                Urgency::Overdue
            } else if Duration::days(days_left) <= WARN_BEFORE {
                Urgency::DueSoon
            } else {
                Urgency::OnTrack
            };
            items.push(ClockItem {
                label,
                due,
                days_left,
                urgency,
            });
        };
        if let Some(melding) = self.notification_date {
            push(
                "Persoonlijk plan van de inwoner",
                deadline(melding, PERSONAL_PLAN_WINDOW),
                self.personal_plan_received_on.is_some(),
            );
            push(
                "Onderzoek (gesprek) afgerond",
                deadline(melding, INVESTIGATION_PERIOD),
                self.investigation_done_on.is_some(),
            );
            push(
                "Inwoner gewezen op gratis cliëntondersteuning",
                deadline(melding, INVESTIGATION_PERIOD),
                self.client_support_told_on.is_some(),
            );
        }
        if let Some(application) = self.application_date {
            push(
                "Besluit op de aanvraag",
                deadline(application, DECISION_PERIOD),
                self.decision_on.is_some(),
            );
        }
        items.sort_by_key(|i| (i.urgency, i.due));
        items
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    #[test]
    fn easter_is_right_for_known_years() {
        assert_eq!(easter_sunday(2024), date!(2024 - 03 - 31));
        assert_eq!(easter_sunday(2025), date!(2025 - 04 - 20));
        assert_eq!(easter_sunday(2026), date!(2026 - 04 - 05));
        assert_eq!(easter_sunday(2027), date!(2027 - 03 - 28));
        assert_eq!(easter_sunday(2038), date!(2038 - 04 - 25));
    }

    #[test]
    fn holidays_of_2026() {
        for holiday in [
            date!(2026 - 01 - 01),
            date!(2026 - 04 - 06),
            date!(2026 - 04 - 27),
            date!(2026 - 05 - 05),
            date!(2026 - 05 - 14),
            date!(2026 - 05 - 25),
            date!(2026 - 12 - 25),
            date!(2026 - 12 - 26),
        ] {
            assert!(is_recognised_holiday(holiday), "{holiday}");
        }
        assert!(!is_recognised_holiday(date!(2026 - 04 - 28)));
        // 27 April 2025 was a Sunday: King's Day moved to Saturday the 26th.
        assert!(is_recognised_holiday(date!(2025 - 04 - 26)));
    }

    #[test]
    fn a_deadline_on_a_weekend_moves_to_monday() {
        // Melding on Saturday 7 November 2026: six weeks later is Saturday 19 December.
        assert_eq!(
            deadline(date!(2026 - 11 - 07), INVESTIGATION_PERIOD),
            date!(2026 - 12 - 21)
        );
    }

    #[test]
    fn over_the_turn_of_the_year_christmas_and_new_year_are_skipped() {
        // Seven days after Friday 18 December 2026 is Friday 25 December (Christmas), then
        // Boxing Day and Sunday: Monday 28 December.
        assert_eq!(
            deadline(date!(2026 - 12 - 18), PERSONAL_PLAN_WINDOW),
            date!(2026 - 12 - 28)
        );
        // Two weeks after Thursday 18 December 2025 is New Year's Day 2026: Friday 2 January.
        assert_eq!(
            deadline(date!(2025 - 12 - 18), DECISION_PERIOD),
            date!(2026 - 01 - 02)
        );
    }

    #[test]
    fn the_clock_warns_in_time_and_drops_what_was_met() {
        let clock = LegalClock {
            notification_date: Some(date!(2026 - 11 - 02)),
            personal_plan_received_on: Some(date!(2026 - 11 - 05)),
            ..Default::default()
        };
        let items = clock.open_items(date!(2026 - 12 - 08));
        assert_eq!(items.len(), 2, "the personal plan came in");
        assert_eq!(items[0].due, date!(2026 - 12 - 14));
        assert_eq!(items[0].days_left, 6);
        assert_eq!(items[0].urgency, Urgency::DueSoon);
        let late = clock.open_items(date!(2026 - 12 - 15));
        assert!(late.iter().all(|i| i.urgency == Urgency::Overdue));
    }

    proptest! {
        #[test]
        fn a_deadline_is_a_working_day_never_early_and_at_most_a_few_days_late(
            days in 0i64..(365 * 30), period in prop::sample::select(vec![PERSONAL_PLAN_WINDOW, INVESTIGATION_PERIOD, DECISION_PERIOD])
        ) {
            let start = date!(2020 - 01 - 01) + Duration::days(days);
            let due = deadline(start, period);
            prop_assert!(is_working_day(due));
            prop_assert!(due >= start + period);
            prop_assert!(due - (start + period) <= Duration::days(4));
        }
    }
}
