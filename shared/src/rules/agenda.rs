//! The agenda: appointments for a conversation, per worker and day, computed from the quick
//! scans that booked them (on the device, so offline too). Another worker's agenda is shown as
//! busy slots only: when and whether it is a home visit, never who or where.

use crate::model::quick_scan::{ConversationKind, Outcome};
use crate::model::{Id, QuickScan};
use crate::rules::lookup::fold;
use serde::{Deserialize, Serialize};
use time::{Date, Duration, Weekday};

/// One booked conversation, as its worker sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appointment {
    pub household_id: Id,
    pub resident_id: Id,
    pub date: Date,
    pub time: String,
    pub place: String,
    pub home_visit: bool,
    pub kitchen_table: bool,
    /// Who the resident will see, by name (empty in appointments made before it was asked).
    pub worker: String,
    pub worker_account: Option<Id>,
}

/// A slot taken in someone's agenda, as colleagues booking a slot see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BusySlot {
    #[cfg_attr(feature = "openapi", schema(value_type = crate::openapi::CalendarDate))]
    pub date: Date,
    pub time: String,
    pub home_visit: bool,
}

impl Appointment {
    pub fn busy(&self) -> BusySlot {
        BusySlot {
            date: self.date,
            time: self.time.clone(),
            home_visit: self.home_visit,
        }
    }

    /// Whether this is `account`'s (named `name`) appointment. One made before a worker was
    /// asked for counts for everyone holding it, as it did then.
    pub fn is_for(&self, account: Id, name: &str) -> bool {
        match self.worker_account {
            Some(worker) => worker == account,
            None if self.worker.trim().is_empty() => true,
            None => !name.trim().is_empty() && fold(&self.worker) == fold(name),
        }
    }
}

/// The appointment a quick scan booked, if it booked one.
pub fn appointment(scan: &QuickScan) -> Option<Appointment> {
    match &scan.outcome.as_ref()?.outcome {
        Outcome::Appointment {
            conversation,
            date,
            time,
            place,
            home_visit,
            worker,
            worker_account,
        } => Some(Appointment {
            household_id: scan.household_id,
            resident_id: scan.resident_id,
            date: *date,
            time: time.clone(),
            place: place.clone(),
            home_visit: *home_visit,
            kitchen_table: *conversation == ConversationKind::KitchenTable,
            worker: worker.clone(),
            worker_account: *worker_account,
        }),
        _ => None,
    }
}

/// The appointments among `scans` from `from` through `to` that `keep` accepts, by day and
/// time.
pub fn between(
    scans: &[QuickScan],
    from: Date,
    to: Date,
    keep: impl Fn(&Appointment) -> bool,
) -> Vec<Appointment> {
    let mut found: Vec<Appointment> = scans
        .iter()
        .filter_map(appointment)
        .filter(|a| a.date >= from && a.date <= to && keep(a))
        .collect();
    found.sort_by(|a, b| (a.date, &a.time).cmp(&(b.date, &b.time)));
    found
}

/// Monday of the week `day` falls in (weeks run Monday to Sunday, as in the Netherlands).
pub fn week_start(day: Date) -> Date {
    day - Duration::days(i64::from(day.weekday().number_days_from_monday()))
}

/// The working days (Monday to Friday) of the week starting `monday`, then the weekend days
/// only when something is booked on them.
pub fn days_shown(monday: Date, booked: &[Date]) -> Vec<Date> {
    (0..7)
        .map(|n| monday + Duration::days(n))
        .filter(|d| {
            !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday) || booked.contains(d)
        })
        .collect()
}

/// How much of the agenda one page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    Day,
    Week,
}

impl Span {
    /// The first day of the page that holds `day`.
    pub fn start(self, day: Date) -> Date {
        match self {
            Span::Day => day,
            Span::Week => week_start(day),
        }
    }

    /// Days from one page to the next.
    pub fn step(self) -> i64 {
        match self {
            Span::Day => 1,
            Span::Week => 7,
        }
    }

    /// The page's last day.
    pub fn end(self, first: Date) -> Date {
        first + Duration::days(self.step() - 1)
    }

    /// The days the page shows: the one day, or the week's working days and any booked
    /// weekend day.
    pub fn days(self, first: Date, booked: &[Date]) -> Vec<Date> {
        match self {
            Span::Day => vec![first],
            Span::Week => days_shown(first, booked),
        }
    }
}

/// "maandag 30-11-2026".
pub fn day_label(day: Date) -> String {
    let name = match day.weekday() {
        Weekday::Monday => "maandag",
        Weekday::Tuesday => "dinsdag",
        Weekday::Wednesday => "woensdag",
        Weekday::Thursday => "donderdag",
        Weekday::Friday => "vrijdag",
        Weekday::Saturday => "zaterdag",
        Weekday::Sunday => "zondag",
    };
    format!("{name} {}", crate::rules::validation::display_date(day))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::quick_scan::{ConfirmedOutcome, OutcomeKind};
    use time::macros::date;

    fn scan(n: u128, date: Date, time: &str, worker: Option<(u128, &str)>) -> QuickScan {
        QuickScan {
            id: Id::from_u128(n),
            contact_id: Id::nil(),
            household_id: Id::from_u128(100 + n),
            resident_id: Id::nil(),
            template_version: "2026.1".into(),
            answers: Default::default(),
            step: 0,
            outcome: Some(ConfirmedOutcome {
                outcome: Outcome::Appointment {
                    conversation: ConversationKind::KitchenTable,
                    date,
                    time: time.into(),
                    place: "Dorpsstraat 1".into(),
                    home_visit: n.is_multiple_of(2),
                    worker: worker.map(|w| w.1.to_owned()).unwrap_or_default(),
                    worker_account: worker.map(|w| Id::from_u128(w.0)),
                },
                suggested: OutcomeKind::Appointment,
                override_reason: None,
            }),
            completed_at: None,
        }
    }

    #[test]
    fn a_week_runs_monday_to_sunday_and_shows_weekend_days_only_when_booked() {
        // 3 December 2026 is a Thursday.
        assert_eq!(week_start(date!(2026 - 12 - 03)), date!(2026 - 11 - 30));
        assert_eq!(week_start(date!(2026 - 11 - 30)), date!(2026 - 11 - 30));
        assert_eq!(week_start(date!(2026 - 12 - 06)), date!(2026 - 11 - 30));
        let monday = date!(2026 - 11 - 30);
        assert_eq!(days_shown(monday, &[]).len(), 5);
        let saturday = date!(2026 - 12 - 05);
        let shown = days_shown(monday, &[saturday]);
        assert_eq!(shown.len(), 6);
        assert_eq!(shown[5], saturday);
        assert_eq!(day_label(saturday), "zaterdag 05-12-2026");
    }

    #[test]
    fn each_worker_sees_their_own_appointments_in_order() {
        let monday = date!(2026 - 11 - 30);
        let scans = [
            scan(1, date!(2026 - 12 - 01), "14:00", Some((7, "Carla"))),
            scan(2, date!(2026 - 12 - 01), "09:30", Some((7, "Carla"))),
            scan(3, date!(2026 - 11 - 30), "11:00", Some((8, "Daan"))),
            scan(4, date!(2026 - 12 - 08), "10:00", Some((7, "Carla"))),
            // Booked before a worker was asked: everyone holding it sees it.
            scan(5, date!(2026 - 12 - 02), "10:00", None),
            // A name in words only: found by name.
            scan(6, date!(2026 - 12 - 03), "10:00", None),
        ];
        let mut scans = scans.to_vec();
        if let Some(o) = scans[5].outcome.as_mut() {
            if let Outcome::Appointment { worker, .. } = &mut o.outcome {
                *worker = "carla".into();
            }
        }
        let sunday = monday + Duration::days(6);
        let carla = between(&scans, monday, sunday, |a| {
            a.is_for(Id::from_u128(7), "Carla")
        });
        let times: Vec<(Date, &str)> = carla.iter().map(|a| (a.date, a.time.as_str())).collect();
        assert_eq!(
            times,
            [
                (date!(2026 - 12 - 01), "09:30"),
                (date!(2026 - 12 - 01), "14:00"),
                (date!(2026 - 12 - 02), "10:00"),
                (date!(2026 - 12 - 03), "10:00"),
            ]
        );
        let daan = between(&scans, monday, sunday, |a| {
            a.is_for(Id::from_u128(8), "Daan")
        });
        assert_eq!(
            daan.len(),
            2,
            "his own and the one made before workers were named"
        );
        assert_eq!(daan[0].household_id, Id::from_u128(103));
    }

    #[test]
    fn a_busy_slot_says_when_not_who_or_where() {
        let a = appointment(&scan(2, date!(2026 - 12 - 01), "09:30", Some((7, "Carla")))).unwrap();
        let busy = serde_json::to_value(a.busy()).unwrap();
        assert_eq!(
            busy,
            serde_json::json!({"date": [2026, 335], "time": "09:30", "home_visit": true})
        );
    }

    #[test]
    fn a_day_page_shows_its_day_and_a_week_page_starts_on_monday() {
        let wednesday = time::macros::date!(2026 - 12 - 02);
        let saturday = time::macros::date!(2026 - 12 - 05);
        assert_eq!(Span::Day.start(wednesday), wednesday);
        assert_eq!(Span::Day.days(saturday, &[]), [saturday]);
        assert_eq!(Span::Day.end(wednesday), wednesday);
        let monday = Span::Week.start(wednesday);
        assert_eq!(monday, time::macros::date!(2026 - 11 - 30));
        assert_eq!(Span::Week.end(monday), time::macros::date!(2026 - 12 - 06));
        assert_eq!(Span::Week.days(monday, &[]).len(), 5);
        assert_eq!(Span::Week.days(monday, &[saturday]).len(), 6);
        assert_eq!(Span::Week.step(), 7);
    }
}
